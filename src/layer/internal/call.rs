//! What the masking does with one call's status: pass it, answer 1001 for
//! a request the service could not decode, or answer 1003.

use std::sync::Arc;

use http::header::CONTENT_TYPE;
use http::uri::PathAndQuery;
use http::{HeaderMap, HeaderValue};
use tonic::metadata::KeyRef;
use tonic::{Code, Status};

use super::super::request_id::{REQUEST_ID_HEADER, request_id};
use super::super::status_headers::sent_status;
use super::Policy;
use crate::codec::UndecodableMessage;
use crate::decode::foreign_chat_error;
use crate::wire::{GRPC_MESSAGE, GRPC_STATUS, GRPC_STATUS_DETAILS};
use crate::{ChatError, ChatStatusExt, ErrorCode, RequestInfo};

/// What the guard needs to know about one call, kept until its trailers.
#[derive(Clone, Debug)]
pub(in crate::layer) struct Call {
    pub(super) policy: Arc<Policy>,
    /// For the logs: the path names the gRPC method.
    pub(super) method: Option<PathAndQuery>,
    pub(super) request_id: Option<HeaderValue>,
}

impl Call {
    pub(super) fn new<B>(policy: &Arc<Policy>, request: &http::Request<B>) -> Call {
        Call {
            policy: Arc::clone(policy),
            method: request.uri().path_and_query().cloned(),
            request_id: request.headers().get(REQUEST_ID_HEADER).cloned(),
        }
    }

    pub(super) fn method(&self) -> &str {
        self.method.as_ref().map_or("", PathAndQuery::path)
    }

    /// Replaces an unmapped error status in `headers` (a trailers-only
    /// response's headers), whose `grpc-status` is `code`, with what the
    /// client may see and returns the status sent instead. It logs the
    /// cause of what it replaces and the source, if any, of what it lets
    /// through. `original` is the status as the handler returned it, when
    /// tonic left it in the response's extensions: the verdict is read from
    /// it, so that nothing is decoded from the headers again.
    pub(in crate::layer) fn guard(
        &self,
        headers: &mut HeaderMap,
        code: Code,
        original: Option<&Status>,
    ) -> Option<Guarded> {
        if code == Code::Ok {
            return None;
        }
        let cause = sent_status(headers, original)?;
        Some(self.judge(headers, Place::Headers, &cause))
    }

    /// [`guard`](Call::guard) for trailers, which carry their status alone,
    /// whose `grpc-status` is `code`:
    /// the status sent, as read from them or put in their place, and its
    /// catalogue code when the check read one.
    pub(in crate::layer) fn guard_trailers(
        &self,
        trailers: &mut HeaderMap,
        code: Code,
    ) -> Option<(Status, Option<ErrorCode>)> {
        if code == Code::Ok {
            return None;
        }
        let cause = sent_status(trailers, None)?.into_owned();
        Some(match self.judge(trailers, Place::Trailers, &cause) {
            Guarded::Replaced(status) => (status, None),
            Guarded::Passed(code) => (cause, code),
        })
    }

    fn judge(&self, headers: &mut HeaderMap, place: Place, cause: &Status) -> Guarded {
        let guarded = self.replacement(cause);
        if let Guarded::Replaced(status) = &guarded {
            replace_status(headers, place, cause, status);
        }
        guarded
    }

    /// What the client gets for the error `status`, logged as this layer
    /// logs it: `status` itself (after logging its source, if it has one),
    /// or a replacement.
    pub(super) fn replacement(&self, status: &Status) -> Guarded {
        match self.verdict(status) {
            Verdict::Pass(code) => {
                self.log_source(status);
                Guarded::Passed(code)
            }
            Verdict::Undecodable(undecodable) => {
                Guarded::Replaced(self.undecodable(status, undecodable))
            }
            Verdict::OtherDomain(domain, code) => {
                Guarded::Replaced(self.other_domain(status, &domain, code))
            }
            Verdict::Internal => Guarded::Replaced(self.unmapped(status)),
        }
    }

    fn verdict(&self, status: &Status) -> Verdict {
        let policy = &self.policy;
        if policy.passing.contains(status.code()) {
            return Verdict::Pass(None);
        }
        // The cheap code-only read finds every catalogue code; the full
        // decode is for codes of a newer catalogue.
        if let Some(code) = status.chat_error_code(&policy.domain) {
            return Verdict::Pass(Some(code));
        }
        if !status.details().is_empty() && status.get_chat_error(&policy.domain).is_some() {
            return Verdict::Pass(None);
        }
        if let Some(undecodable) = UndecodableMessage::find(status) {
            return Verdict::Undecodable(undecodable.to_string());
        }
        if is_missing_request_message(status) {
            return Verdict::Undecodable(MISSING_REQUEST_MESSAGE.to_owned());
        }
        if let Some((domain, code)) = foreign_chat_error(status, policy.domain.as_str()) {
            return Verdict::OtherDomain(domain, code);
        }
        Verdict::Internal
    }

    /// 1001 for a request body that holds no message the service can
    /// decode: the caller's fault, told to the caller, and only worth a
    /// debug line here.
    fn undecodable(&self, cause: &Status, why: String) -> Status {
        tracing::debug!(
            method = %self.method(),
            cause = ?why,
            dropped_metadata = ?cause.metadata(),
            "undecodable request answered with 1001 ParamsBindingError",
        );
        ChatError::new(ErrorCode::ParamsBindingError)
            .in_domain(self.policy.domain.clone())
            .with_field_violation(REQUEST_BODY_FIELD, why)
            .into_status()
    }

    pub(super) fn internal_error(&self) -> (Status, String) {
        let request_id = request_id(self.request_id.as_ref());
        let status = ChatError::new(ErrorCode::InternalServerError1003)
            .in_domain(self.policy.domain.clone())
            .with_request_info(RequestInfo {
                request_id: request_id.clone(),
                serving_data: String::new(),
            })
            .into_status();
        (status, request_id)
    }
}

/// What the guard did with an error status.
pub(in crate::layer) enum Guarded {
    /// Sent as it is; with its catalogue code when the check read one.
    Passed(Option<ErrorCode>),
    /// Sent as this status instead.
    Replaced(Status),
}

/// What the guard does with an error status.
pub(super) enum Verdict {
    /// A chat error of the layer's domain (with its code, when this
    /// build's catalogue has it), or a passing code.
    Pass(Option<ErrorCode>),
    /// The request holds no message the service can decode, for this reason.
    Undecodable(String),
    /// A chat error of another domain.
    OtherDomain(String, ErrorCode),
    /// Anything else.
    Internal,
}

/// The `BadRequest` field a 1001 for an undecodable request names.
const REQUEST_BODY_FIELD: &str = "request";

/// What a 1001 says of a unary request whose body holds no message.
const MISSING_REQUEST_MESSAGE: &str = "is missing: the body holds no message";

/// Whether tonic refused a unary call whose body ended before a message.
/// tonic says so only in text (`Status::internal("Missing request
/// message.")`, tonic 0.14's `Grpc::map_request_unary`), so the text is
/// matched, and a test sending an empty body fails when tonic changes it.
fn is_missing_request_message(status: &Status) -> bool {
    status.code() == Code::Internal
        && status.message() == "Missing request message."
        && std::error::Error::source(status).is_none()
}

/// Where a status is read and written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// A trailers-only response's headers, which also hold its content type.
    Headers,
    /// Trailers, which hold nothing but the status.
    Trailers,
}

/// Puts `status` in `headers` in place of `cause`, leaving none of
/// `cause`'s metadata behind.
fn replace_status(headers: &mut HeaderMap, place: Place, cause: &Status, status: &Status) {
    if place == Place::Headers {
        let content_type = headers.remove(CONTENT_TYPE);
        for key in cause.metadata().keys() {
            match key {
                KeyRef::Ascii(key) => headers.remove(key.as_str()),
                KeyRef::Binary(key) => headers.remove(key.as_str()),
            };
        }
        headers.remove(GRPC_STATUS);
        headers.remove(GRPC_MESSAGE);
        headers.remove(GRPC_STATUS_DETAILS);
        if let Some(content_type) = content_type {
            headers.insert(CONTENT_TYPE, content_type);
        }
    } else {
        headers.clear();
    }
    write_status(headers, status);
}

pub(in crate::layer) fn write_status(headers: &mut HeaderMap, status: &Status) {
    // A status built by `ChatError` has nothing `add_header` can refuse.
    let _ = status.add_header(headers);
}

/// A set of gRPC codes, one bit each.
#[derive(Clone, Copy, Debug)]
pub(super) struct CodeSet(u32);

impl CodeSet {
    pub(super) fn of(codes: impl IntoIterator<Item = Code>) -> CodeSet {
        CodeSet(
            codes
                .into_iter()
                .fold(0, |bits, code| bits | (1 << code as u32)),
        )
    }

    pub(super) fn contains(self, code: Code) -> bool {
        self.0 & (1 << code as u32) != 0
    }
}
