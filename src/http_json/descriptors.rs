//! The descriptors the proto3 JSON mapping needs: `google.rpc.Status`, the
//! `google.rpc` error details and the well-known types they refer to.

use std::sync::OnceLock;

use prost_reflect::{DescriptorPool, DynamicMessage, MessageDescriptor};

pub(crate) struct Descriptors {
    pool: DescriptorPool,
    pub(crate) any: MessageDescriptor,
}

/// Built once: tonic-types ships the `google.rpc` descriptors it was
/// generated from, and prost-reflect's global pool holds the well-known types.
pub(crate) fn descriptors() -> &'static Descriptors {
    static DESCRIPTORS: OnceLock<Descriptors> = OnceLock::new();
    DESCRIPTORS.get_or_init(|| {
        let mut pool = DescriptorPool::global();
        if let Err(error) = pool.decode_file_descriptor_set(tonic_types::pb::FILE_DESCRIPTOR_SET) {
            unreachable!("tonic-types' google.rpc descriptors do not load: {error}");
        }
        let Some(any) = pool.get_message_by_name("google.protobuf.Any") else {
            unreachable!("prost-reflect's global pool lacks google.protobuf.Any");
        };
        Descriptors { pool, any }
    })
}

impl Descriptors {
    /// Whether the proto3 JSON mapping can write and read `type_name`, e.g.
    /// `google.rpc.ErrorInfo`.
    pub(crate) fn knows(&self, type_name: &str) -> bool {
        self.pool.get_message_by_name(type_name).is_some()
    }

    /// `any` as a message the JSON mapping writes with its `@type`.
    pub(crate) fn dynamic_any(&self, any: &prost_types::Any) -> Option<DynamicMessage> {
        let mut dynamic = DynamicMessage::new(self.any.clone());
        dynamic.transcode_from(any).ok()?;
        Some(dynamic)
    }
}

/// The message name an `Any`'s type URL names: the part after its last `/`,
/// as protobuf's own `Any.Is` reads it.
pub(crate) fn type_name(type_url: &str) -> &str {
    type_url.rsplit('/').next().unwrap_or(type_url)
}
