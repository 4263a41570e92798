//! What the masking logs: the cause of each status it replaces, through
//! `tracing`, with the request id the client was sent.

use std::any::Any;
use std::fmt;

use tonic::Status;

use super::call::Call;
use crate::ErrorCode;

impl Call {
    pub(super) fn unmapped(&self, cause: &Status) -> Status {
        let (status, request_id) = self.internal_error();
        tracing::error!(
            request_id = %request_id,
            method = %self.method(),
            code = ?cause.code(),
            cause = ?cause.message(),
            source = ?SourceChain(cause),
            dropped_metadata = ?cause.metadata(),
            "unmapped error status answered with 1003 InternalServerError",
        );
        status
    }

    /// A catalogue error, but of a domain other than the service's: built
    /// outside the call (on a spawned task, say) or passed on from another
    /// service. Logged as what it is, so the fix is plain.
    pub(super) fn other_domain(&self, cause: &Status, domain: &str, code: ErrorCode) -> Status {
        let (status, request_id) = self.internal_error();
        tracing::error!(
            request_id = %request_id,
            method = %self.method(),
            chat_error = %code,
            domain = %domain,
            expected_domain = %self.policy.domain,
            cause = ?cause.message(),
            source = ?SourceChain(cause),
            "chat error of another domain answered with 1003 InternalServerError; \
             build errors inside the call, or with the service's Settings",
        );
        status
    }

    /// A status that goes out as it is may still carry a cause, as
    /// [`ChatError::with_source`] keeps it: this is where it is logged.
    pub(super) fn log_source(&self, status: &Status) {
        if std::error::Error::source(status).is_some() {
            tracing::warn!(
                method = %self.method(),
                code = ?status.code(),
                cause = ?status.message(),
                source = ?SourceChain(status),
                "error status sent; its source stays on the server",
            );
        }
    }

    pub(in crate::layer) fn panicked(&self, panic: &str) -> Status {
        let (status, request_id) = self.internal_error();
        tracing::error!(
            request_id = %request_id,
            method = %self.method(),
            panic = ?panic,
            "handler panicked; answered with 1003 InternalServerError",
        );
        status
    }

    /// The layer sits outside a gRPC-Web translation, which moves trailers
    /// into the body where no layer can check them: every call is refused,
    /// so that the mistake shows in the first test rather than in a leak.
    pub(in crate::layer) fn misplaced(&self) -> Status {
        let (status, request_id) = self.internal_error();
        tracing::error!(
            request_id = %request_id,
            method = %self.method(),
            "the ServerLayer sees a gRPC-Web response whose status is in the body; \
             place it inside GrpcWebLayer (add it to the Server after GrpcWebLayer). \
             Answered with 1003 InternalServerError",
        );
        status
    }
}

#[cold]
pub(in crate::layer) fn panic_text(payload: &(dyn Any + Send)) -> String {
    match payload.downcast_ref::<&str>() {
        Some(text) => (*text).to_owned(),
        None => match payload.downcast_ref::<String>() {
            Some(text) => text.clone(),
            None => "a panic payload that is not a string".to_owned(),
        },
    }
}

/// The `source()` chain of a status, for the log line.
pub(super) struct SourceChain<'a>(&'a Status);

impl fmt::Debug for SourceChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut chain = f.debug_list();
        let mut source = std::error::Error::source(self.0);
        while let Some(error) = source {
            chain.entry(&format_args!("{error}"));
            source = error.source();
        }
        chain.finish()
    }
}
