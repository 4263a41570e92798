//! The whole status of a bare code (no custom message, no extras), encoded
//! once per domain, code, LocalizedMessage locale and status message, with
//! the header values it is sent as made on first use: a layer that resends
//! such a status in another locale copies them rather than encoding again.

use std::sync::OnceLock;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue};
use tonic::{Code, Status};

use crate::wire::{GRPC_MESSAGE, GRPC_STATUS_DETAILS};

/// One bare status: its `google.rpc.Status` and its status message.
pub(crate) struct BareStatus {
    message: &'static str,
    details: Bytes,
    lives_forever: bool,
    header_values: OnceLock<StatusHeaderValues>,
}

/// `grpc-message` and `grpc-status-details-bin` as tonic writes them.
pub(crate) struct StatusHeaderValues {
    pub(crate) message: HeaderValue,
    pub(crate) details: HeaderValue,
}

impl BareStatus {
    /// `details`, sent with `message`; `lives_forever` leaks the buffers of
    /// a domain that is never dropped, so that clones of them touch no
    /// shared counter and hot error paths on many cores do not contend.
    pub(crate) fn new(message: &'static str, details: Vec<u8>, lives_forever: bool) -> BareStatus {
        BareStatus {
            message,
            details: shared(details, lives_forever),
            lives_forever,
            header_values: OnceLock::new(),
        }
    }

    pub(crate) fn message(&self) -> &'static str {
        self.message
    }

    pub(crate) fn details(&self) -> &Bytes {
        &self.details
    }

    /// The header values, encoded by tonic itself on first use, so that
    /// they are byte for byte what `Status::add_header` would write.
    pub(crate) fn header_values(&self) -> &StatusHeaderValues {
        self.header_values.get_or_init(|| {
            let mut headers = HeaderMap::new();
            // A bare status has nothing `add_header` can refuse.
            let _ = Status::with_details(Code::Unknown, self.message, self.details.clone())
                .add_header(&mut headers);
            let value = |name| {
                let value = headers
                    .get(name)
                    .cloned()
                    .unwrap_or(HeaderValue::from_static(""));
                let bytes = shared(value.as_bytes().to_vec(), self.lives_forever);
                HeaderValue::from_maybe_shared(bytes).unwrap_or(value)
            };
            StatusHeaderValues {
                message: value(GRPC_MESSAGE),
                details: value(GRPC_STATUS_DETAILS),
            }
        })
    }
}

/// `bytes` as a shared buffer: leaked, for a domain that lives as long as
/// the process, so that clones touch no reference count.
fn shared(bytes: Vec<u8>, lives_forever: bool) -> Bytes {
    if lives_forever {
        Bytes::from_static(bytes.leak())
    } else {
        Bytes::from(bytes)
    }
}
