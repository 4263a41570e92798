//! The masking half of the server stack: what is not a chat error leaves
//! as `1003 InternalServerError`, and its cause goes to the logs.
//!
//! `call` decides what a status becomes, `report` logs it, and `grpc_web`
//! spots a misplaced layer; the tower plumbing that runs them is the
//! stack's own, in `layer/server.rs`.

mod call;
mod grpc_web;
mod report;

#[cfg(feature = "http-json")]
use std::any::Any;
use std::sync::Arc;

use tonic::Code;
#[cfg(feature = "http-json")]
use tonic::Status;

use self::call::{Call, CodeSet};
pub(super) use self::call::{Call as MaskingCall, Guarded, write_status};
pub(super) use self::grpc_web::is_grpc_web;
pub(super) use self::report::panic_text;
use crate::Domain;

/// The masking half of [`ServerLayer`](super::ServerLayer): what a client
/// must not see leaves as `1003 InternalServerError`, and its cause goes to
/// the logs. Like `grpc-java`, which answers an uncaught handler exception
/// with a bare status and logs the exception, the cause stays on the server.
#[derive(Clone, Debug)]
pub(crate) struct InternalErrorLayer {
    policy: Arc<Policy>,
}

#[derive(Debug)]
struct Policy {
    domain: Domain,
    passing: CodeSet,
}

impl InternalErrorLayer {
    /// Recognises chat errors of `domain` and sends 1003 in it.
    pub(crate) fn new(domain: Domain) -> InternalErrorLayer {
        InternalErrorLayer {
            policy: Arc::new(Policy {
                domain,
                passing: CodeSet::of([
                    Code::Cancelled,
                    Code::DeadlineExceeded,
                    Code::Unimplemented,
                ]),
            }),
        }
    }
}

impl InternalErrorLayer {
    /// The masking's decisions for one gRPC or gRPC-Web call.
    pub(super) fn call<B>(&self, request: &http::Request<B>) -> MaskingCall {
        Call::new(&self.policy, request)
    }

    /// The layer's decisions for one request, for front ends that carry
    /// statuses some other way (the HTTP JSON layer).
    #[cfg(feature = "http-json")]
    pub(crate) fn masking<B>(&self, request: &http::Request<B>) -> Masking {
        Masking(Call::new(&self.policy, request))
    }
}

/// [`InternalErrorLayer`]'s decisions for one request.
#[cfg(feature = "http-json")]
#[derive(Clone, Debug)]
pub(crate) struct Masking(Call);

#[cfg(feature = "http-json")]
impl Masking {
    /// What the client gets instead of `status`, logged as the layer logs
    /// it, or `None` to send `status` as it is.
    pub(crate) fn mask(&self, status: &Status) -> Option<Status> {
        if status.code() == Code::Ok {
            return None;
        }
        match self.0.replacement(status) {
            Guarded::Replaced(status) => Some(status),
            Guarded::Passed(_) => None,
        }
    }

    /// What the client gets when the handler panicked with `payload`.
    pub(crate) fn panicked(&self, payload: &(dyn Any + Send)) -> Status {
        self.0.panicked(&panic_text(payload))
    }
}
