//! The whole status of a bare code (no custom message, no extras), encoded
//! once per domain, code, LocalizedMessage locale and status message.

use bytes::Bytes;

/// One bare status: its `google.rpc.Status` and its status message.
pub(crate) struct BareStatus {
    message: &'static str,
    details: Bytes,
}

impl BareStatus {
    /// `details`, sent with `message`.
    pub(crate) fn new(message: &'static str, details: Vec<u8>) -> BareStatus {
        BareStatus {
            message,
            details: Bytes::from(details),
        }
    }

    pub(crate) fn message(&self) -> &'static str {
        self.message
    }

    pub(crate) fn details(&self) -> &Bytes {
        &self.details
    }
}
