//! The attributes of one call, by the names of OpenTelemetry's semantic
//! conventions [`SEMCONV_VERSION`], and their values, each bounded: the
//! gRPC codes, the catalogue, and one fallback, [`OTHER`].

use opentelemetry::KeyValue;
use tonic::{Code, Status};

use crate::decode::chat_code_in;
use crate::{Domain, ErrorCode, grpc_code_name};

/// The release of OpenTelemetry's semantic conventions whose names these
/// are: the one `opentelemetry-semantic-conventions` 0.33 encodes.
pub const SEMCONV_VERSION: &str = "1.42.0";

/// `rpc.system.name`: always `grpc`.
pub const RPC_SYSTEM_NAME: &str = "rpc.system.name";
/// `rpc.method`: the fully-qualified method, e.g. `chat.v1.ChatService/SendMessage`,
/// or [`OTHER`] for a method the server does not have.
pub const RPC_METHOD: &str = "rpc.method";
/// `rpc.method_original`, on spans only: what was asked for when
/// `rpc.method` is [`OTHER`].
pub const RPC_METHOD_ORIGINAL: &str = "rpc.method_original";
/// `rpc.response.status_code`: the gRPC code's name, e.g. `NOT_FOUND`.
pub const RPC_RESPONSE_STATUS_CODE: &str = "rpc.response.status_code";
/// `error.type`: set only when the call failed in the conventions' sense
/// (see [`is_failure`]), to the gRPC code's name, or [`OTHER`] when no
/// status arrived at all.
pub const ERROR_TYPE: &str = "error.type";
/// `chat.error.code`: the catalogue number of the chat error the call ended
/// with, e.g. `2003`, or [`OTHER`] for a chat error of the domain whose code
/// this build's catalogue does not have.
pub const CHAT_ERROR_CODE: &str = "chat.error.code";
/// `chat.error.reason`: its AIP-193 reason, e.g. `CHANNEL_NOT_FOUND`, or [`OTHER`].
pub const CHAT_ERROR_REASON: &str = "chat.error.reason";
/// The one value for what the catalogue or the server does not know, as
/// the conventions spell their fallbacks.
pub const OTHER: &str = "_OTHER";

const GRPC: &str = "grpc";

/// Which end of the call recorded it: the conventions count failures
/// differently on each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    Server,
    Client,
}

/// Whether a call that ended with `code` failed, as the conventions' gRPC
/// page defines it: on the server only the codes that say the server
/// itself went wrong, on the client every code but `OK`.
pub fn is_failure(code: Code, on_server: bool) -> bool {
    if !on_server {
        return code != Code::Ok;
    }
    matches!(
        code,
        Code::Unknown
            | Code::DeadlineExceeded
            | Code::Unimplemented
            | Code::Internal
            | Code::Unavailable
            | Code::DataLoss
    )
}

/// The chat error a call ended with, as far as this build can name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ChatCode {
    Known(ErrorCode),
    /// A chat error of the domain from a newer catalogue.
    Unknown,
}

impl ChatCode {
    /// The chat error of `domain` in `status`, if any.
    pub(crate) fn of(status: &Status, domain: &Domain) -> Option<ChatCode> {
        if status.code() == Code::Ok {
            return None;
        }
        ChatCode::in_details(status.details(), domain)
    }

    /// The chat error of `domain` in a status's details (a `google.rpc.Status`).
    pub(crate) fn in_details(details: &[u8], domain: &Domain) -> Option<ChatCode> {
        Some(match chat_code_in(details, domain.as_str())? {
            Some(code) => ChatCode::Known(code),
            None => ChatCode::Unknown,
        })
    }

    fn code_text(self) -> &'static str {
        match self {
            ChatCode::Known(code) => code.number_text(),
            ChatCode::Unknown => OTHER,
        }
    }

    fn reason(self) -> &'static str {
        match self {
            ChatCode::Known(code) => code.reason(),
            ChatCode::Unknown => OTHER,
        }
    }
}

/// How a call ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Outcome {
    /// `None` when no status arrived: the transport failed.
    pub(crate) code: Option<Code>,
    pub(crate) chat: Option<ChatCode>,
}

impl Outcome {
    pub(crate) fn status(code: Code, chat: Option<ChatCode>) -> Outcome {
        Outcome {
            code: Some(code),
            chat,
        }
    }

    /// A call given up before its status: the caller went away.
    pub(crate) fn cancelled() -> Outcome {
        Outcome::status(Code::Cancelled, None)
    }

    pub(crate) fn transport_failed() -> Outcome {
        Outcome {
            code: None,
            chat: None,
        }
    }

    fn error_type(self, side: Side) -> Option<&'static str> {
        match self.code {
            None => Some(OTHER),
            Some(code) if is_failure(code, side == Side::Server) => Some(grpc_code_name(code)),
            Some(_) => None,
        }
    }
}

/// The method as `rpc.method` names it: the request path without its
/// leading `/`, when it has the gRPC form `/package.Service/Method`.
pub(crate) fn method_of(path: &str) -> Option<&str> {
    let method = path.strip_prefix('/')?;
    let (service, name) = method.split_once('/')?;
    (!service.is_empty() && !name.is_empty() && !name.contains('/')).then_some(method)
}

/// The value of `rpc.method` for a call to `method` that ended as
/// `outcome`: a method the server does not have is [`OTHER`], so that
/// callers probing paths cannot grow the attribute's values.
fn method_value(method: Option<&str>, outcome: Outcome) -> opentelemetry::Value {
    match method {
        Some(method) if !(outcome.code == Some(Code::Unimplemented) && outcome.chat.is_none()) => {
            method.to_owned().into()
        }
        _ => OTHER.into(),
    }
}

/// Calls `record` with the attributes of one call, in the order of the
/// table in docs/metrics.md. They are built on the stack, in one array per
/// shape, rather than in a `Vec`, which cost an allocation and a free on
/// every call.
pub(crate) fn with_attributes(
    side: Side,
    method: Option<&str>,
    outcome: Outcome,
    record: impl FnOnce(&[KeyValue]),
) {
    let system = KeyValue::new(RPC_SYSTEM_NAME, GRPC);
    let method = KeyValue::new(RPC_METHOD, method_value(method, outcome));
    let error_type = outcome
        .error_type(side)
        .map(|error_type| KeyValue::new(ERROR_TYPE, error_type));
    let Some(code) = outcome.code else {
        // No status arrived, so no chat error either.
        match error_type {
            Some(error_type) => record(&[system, method, error_type]),
            None => record(&[system, method]),
        }
        return;
    };
    let status = KeyValue::new(RPC_RESPONSE_STATUS_CODE, grpc_code_name(code));
    let chat = outcome.chat.map(|chat| {
        [
            KeyValue::new(CHAT_ERROR_CODE, chat.code_text()),
            KeyValue::new(CHAT_ERROR_REASON, chat.reason()),
        ]
    });
    match (error_type, chat) {
        (None, None) => record(&[system, method, status]),
        (Some(error_type), None) => record(&[system, method, status, error_type]),
        (None, Some([code, reason])) => record(&[system, method, status, code, reason]),
        (Some(error_type), Some([code, reason])) => {
            record(&[system, method, status, error_type, code, reason]);
        }
    }
}

/// Records `outcome` on `span`, by the same names, for tracing-opentelemetry
/// to export as span attributes; `otel.status_code` is `error` exactly when
/// `error.type` is set. Fields the span did not declare are ignored by
/// `tracing`, so [`server_span`](super::server_span) and
/// [`client_span`](super::client_span) declare them all.
pub(crate) fn record_on_span(
    span: &tracing::Span,
    side: Side,
    method: Option<&str>,
    outcome: Outcome,
) {
    if span.is_disabled() {
        return;
    }
    if let Some(code) = outcome.code {
        span.record(RPC_RESPONSE_STATUS_CODE, grpc_code_name(code));
        if code == Code::Unimplemented && outcome.chat.is_none() {
            // The conventions keep what the caller asked for beside `_OTHER`
            // on spans, where a value costs nothing beyond its span.
            if let Some(method) = method {
                span.record(RPC_METHOD_ORIGINAL, method);
            }
            span.record(RPC_METHOD, OTHER);
        }
    }
    if let Some(error_type) = outcome.error_type(side) {
        span.record(ERROR_TYPE, error_type);
        span.record("otel.status_code", "error");
    }
    if let Some(chat) = outcome.chat {
        span.record(CHAT_ERROR_CODE, chat.code_text());
        span.record(CHAT_ERROR_REASON, chat.reason());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_grpc_path_names_a_method() {
        assert_eq!(
            method_of("/chat.v1.ChatService/SendMessage"),
            Some("chat.v1.ChatService/SendMessage")
        );
        for path in ["", "/", "/x", "//Send", "/svc/", "/a/b/c", "svc/m"] {
            assert_eq!(method_of(path), None, "{path:?}");
        }
    }

    #[test]
    fn an_unimplemented_method_is_other() {
        let outcome = Outcome::status(Code::Unimplemented, None);
        let value = method_value(Some("probe.Service/Anything"), outcome);
        assert_eq!(value.as_str(), OTHER);
    }
}
