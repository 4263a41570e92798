//! Strategies for any `ChatError` a server can build, shared by the
//! property tests of every transport.
#![allow(dead_code)]

use std::time::Duration;

use chat_errors::{
    ChatError, Domain, ErrorCode, FieldViolation, LocalizedMessage, MetadataKey, RequestInfo,
    ResourceInfo, Settings,
};
use proptest::prelude::*;

pub fn code() -> impl Strategy<Value = ErrorCode> {
    prop::sample::select(ErrorCode::iter().collect::<Vec<_>>())
}

/// Text as users and servers write it: Korean, printable ASCII, or any
/// Unicode at all, control characters included.
pub fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[가-힣 ]{0,20}",
        "[ -~]{0,40}",
        prop::collection::vec(any::<char>(), 0..20).prop_map(String::from_iter),
    ]
}

/// The ErrorInfo metadata keys the wire contract fills in, as the crate
/// docs list them: a server cannot add them.
pub const RESERVED_METADATA_KEYS: [&str; 3] = ["code", "message", "truncated"];

pub fn metadata_key() -> impl Strategy<Value = String> {
    "[a-z][a-zA-Z0-9_-]{1,63}".prop_filter("reserved keys", |key| {
        !RESERVED_METADATA_KEYS.contains(&key.as_str())
    })
}

pub fn domain() -> impl Strategy<Value = Domain> {
    prop_oneof![
        Just(Domain::default()),
        "[a-z]{1,12}\\.example".prop_map(|name| Domain::new(name).expect("a valid domain")),
    ]
}

pub fn violation() -> impl Strategy<Value = FieldViolation> {
    (
        text(),
        text(),
        "[A-Z_]{0,12}",
        prop::option::of((text(), text())),
    )
        .prop_map(|(field, description, reason, localized)| FieldViolation {
            field,
            description,
            reason,
            localized_message: localized
                .map(|(locale, message)| LocalizedMessage { locale, message }),
        })
}

pub fn resource_info() -> impl Strategy<Value = ResourceInfo> {
    (text(), text(), text(), text()).prop_map(
        |(resource_type, resource_name, owner, description)| ResourceInfo {
            resource_type,
            resource_name,
            owner,
            description,
        },
    )
}

/// Everything a server can put in a `ChatError`.
#[derive(Debug, Clone)]
pub struct Spec {
    pub code: ErrorCode,
    pub domain: Domain,
    pub message: Option<String>,
    pub metadata: Vec<(String, String)>,
    pub retry_delay: Option<Duration>,
    pub violations: Vec<FieldViolation>,
    pub resource: Option<ResourceInfo>,
    pub request_id: Option<String>,
}

pub fn spec() -> impl Strategy<Value = Spec> {
    (
        (code(), domain(), prop::option::of(text())),
        prop::collection::vec((metadata_key(), text()), 0..4),
        prop::option::of((0u64..10_000_000, 0u32..1_000_000_000)),
        prop::collection::vec(violation(), 0..3),
        prop::option::of(resource_info()),
        prop::option::of(text()),
    )
        .prop_map(
            |((code, domain, message), metadata, delay, violations, resource, request_id)| Spec {
                code,
                domain,
                message,
                metadata,
                retry_delay: delay.map(|(secs, nanos)| Duration::new(secs, nanos)),
                violations,
                resource,
                request_id,
            },
        )
}

pub fn build(spec: &Spec) -> ChatError {
    let mut error = Settings::new(spec.domain.clone()).error(spec.code);
    if let Some(message) = &spec.message {
        error = error.with_message(message.clone());
    }
    for (key, value) in &spec.metadata {
        let key: MetadataKey = key.parse().expect("keys from the strategy are valid");
        error = error.with_metadata(key, value.clone());
    }
    if let Some(delay) = spec.retry_delay {
        error = error.with_retry_delay(delay);
    }
    error = error.with_field_violations(spec.violations.clone());
    if let Some(resource) = &spec.resource {
        error = error.with_resource_info(resource.clone());
    }
    if let Some(request_id) = &spec.request_id {
        error = error.with_request_info(RequestInfo {
            request_id: request_id.clone(),
            serving_data: String::new(),
        });
    }
    error
}
