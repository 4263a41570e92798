//! Reads a chat error back out of an HTTP JSON error body, in AIP-193's
//! form or the gateway form.
//!
//! The JSON is turned back into the `google.rpc.Status` it stands for, and
//! that status goes through the same decoding as `grpc-status-details-bin`,
//! so both transports agree on what an error holds and on what strict and
//! lenient mean.

use std::fmt;

use http::StatusCode;
use prost::Message;
use prost_reflect::{DeserializeOptions, DynamicMessage};
use serde_json::{Map, Value};
use tonic::{Code, Status};
use tonic_types::pb;

use super::descriptors::{descriptors, type_name};
use crate::domain::Domain;
use crate::http_status::http_status_for;
use crate::pb::GrpcCode;
use crate::{ChatStatusExt, DecodeError, DecodedChatError, grpc_code_name};

/// The largest error body the decoders read. A chat error's details are
/// capped at [`MAX_TRAILER_BYTES`](crate::MAX_TRAILER_BYTES) in binary, and
/// their JSON is a few times that at most; anything larger is refused
/// before it is parsed.
pub(crate) const MAX_HTTP_JSON_ERROR_BYTES: usize = 64 * 1024;

/// An HTTP JSON error body that the strict decoder refuses.
///
/// The lenient decoder never returns it: it skips what it cannot read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HttpJsonDecodeError {
    /// The body is longer than 64 KiB, the most the decoders read.
    TooLarge {
        /// The body's length.
        len: usize,
    },
    /// The body is not JSON.
    NotJson(String),
    /// A field of the envelope has the wrong type or an unknown value, e.g.
    /// `error.status` that names no `google.rpc.Code`.
    InvalidField {
        /// The field's path, e.g. `error.status`.
        field: &'static str,
    },
    /// The HTTP status of the response is not the one the body's code maps to.
    HttpStatusMismatch {
        /// The response's status.
        response: u16,
        /// The status the body implies.
        body: u16,
    },
    /// A detail of a type the JSON mapping knows did not parse as that type,
    /// or has no `@type`.
    MalformedDetail {
        /// The detail's `@type`, empty when it has none.
        type_url: String,
        /// What is wrong with it.
        error: String,
    },
    /// The details, read as a `google.rpc.Status`, break the same rules as
    /// on the gRPC path: a repeated detail, a malformed code, ...
    Details(DecodeError),
}

impl fmt::Display for HttpJsonDecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpJsonDecodeError::TooLarge { len } => write!(
                f,
                "the error body is {len} bytes, over the {MAX_HTTP_JSON_ERROR_BYTES}-byte limit"
            ),
            HttpJsonDecodeError::NotJson(error) => write!(f, "the error body is not JSON: {error}"),
            HttpJsonDecodeError::InvalidField { field } => {
                write!(
                    f,
                    "the error body's {field} is missing, mistyped or unknown"
                )
            }
            HttpJsonDecodeError::HttpStatusMismatch { response, body } => {
                write!(
                    f,
                    "the response's HTTP status is {response} but its body says {body}"
                )
            }
            HttpJsonDecodeError::MalformedDetail { type_url, error } => {
                write!(f, "malformed detail {type_url:?}: {error}")
            }
            HttpJsonDecodeError::Details(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for HttpJsonDecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            HttpJsonDecodeError::Details(error) => Some(error),
            _ => None,
        }
    }
}

/// Whether broken parts are errors or skipped, as on the gRPC path.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Strictness {
    Strict,
    Lenient,
}

/// The chat error of `domain` in an HTTP error response, strictly.
///
/// `http_status` is the response's status; `body` its body, in AIP-193's
/// form (`{"error": {"code", "message", "status", "details"}}`) or the
/// gateway form (`{"code": <gRPC code>, "message", "details"}`). `Ok(None)`
/// means the body is JSON in neither form or carries no ErrorInfo of
/// `domain`. Details whose `@type` the JSON mapping does not know are
/// skipped, never fatal.
///
/// # Errors
///
/// When the body is too large or not JSON, when the envelope's fields are
/// mistyped or disagree with each other or with `http_status`, when a
/// detail of a known type does not parse, and, once the domain's ErrorInfo
/// is found, whatever [`ChatStatusExt::check_chat_error`] refuses.
pub fn check_error(
    http_status: StatusCode,
    body: &[u8],
    domain: &Domain,
) -> Result<Option<DecodedChatError>, HttpJsonDecodeError> {
    let Some(status) = to_status(http_status, body, Strictness::Strict)? else {
        return Ok(None);
    };
    status
        .check_chat_error(domain)
        .map_err(HttpJsonDecodeError::Details)
}

/// The chat error of `domain` in an HTTP error response, leniently: what
/// does not parse is skipped, and `None` means no chat error can be found.
pub fn get_error(
    http_status: StatusCode,
    body: &[u8],
    domain: &Domain,
) -> Option<DecodedChatError> {
    to_status(http_status, body, Strictness::Lenient)
        .ok()??
        .get_chat_error(domain)
}

/// The `tonic::Status` whose details the body renders, or `None` when the
/// body is in neither form.
fn to_status(
    http_status: StatusCode,
    body: &[u8],
    strictness: Strictness,
) -> Result<Option<Status>, HttpJsonDecodeError> {
    if body.len() > MAX_HTTP_JSON_ERROR_BYTES {
        return Err(HttpJsonDecodeError::TooLarge { len: body.len() });
    }
    // serde_json refuses nesting past 128 levels, so no body can exhaust the stack.
    let json: Value = serde_json::from_slice(body)
        .map_err(|error| HttpJsonDecodeError::NotJson(error.to_string()))?;
    let Some(envelope) = Envelope::of(&json, http_status, strictness)? else {
        return Ok(None);
    };
    let mut details = Vec::with_capacity(envelope.details.len());
    for detail in envelope.details {
        if let Some(any) = read_detail(detail, strictness)? {
            details.push(any);
        }
    }
    let rpc_status = pb::Status {
        code: envelope.grpc_code as i32,
        message: envelope.message.to_owned(),
        details,
    };
    Ok(Some(Status::with_details(
        envelope.grpc_code,
        envelope.message,
        rpc_status.encode_to_vec().into(),
    )))
}

/// The parts both forms share.
struct Envelope<'a> {
    grpc_code: Code,
    message: &'a str,
    details: &'a [Value],
}

impl<'a> Envelope<'a> {
    fn of(
        json: &'a Value,
        http_status: StatusCode,
        strictness: Strictness,
    ) -> Result<Option<Envelope<'a>>, HttpJsonDecodeError> {
        let Some(top) = json.as_object() else {
            return Ok(None);
        };
        let strict = strictness == Strictness::Strict;
        let invalid = |field| Err(HttpJsonDecodeError::InvalidField { field });
        let (fields, grpc_code, body_http_status) = if let Some(error) = top.get("error") {
            // AIP-193: `status` names the gRPC code, `code` is the HTTP status.
            let Some(error) = error.as_object() else {
                return if strict { invalid("error") } else { Ok(None) };
            };
            let grpc_code = match error
                .get("status")
                .and_then(Value::as_str)
                .and_then(code_named)
            {
                Some(code) => code,
                None if strict => return invalid("error.status"),
                None => Code::Unknown,
            };
            let body_code = error.get("code").and_then(Value::as_u64);
            if strict {
                match body_code.and_then(|code| u16::try_from(code).ok()) {
                    Some(code) if code == http_status_for(grpc_code).as_u16() => {}
                    _ => return invalid("error.code"),
                }
            }
            (error, grpc_code, body_code)
        } else if let Some(code) = top.get("code") {
            // The gateway form: `code` is the gRPC code.
            let grpc_code = match code.as_i64().and_then(code_numbered) {
                Some(code) => code,
                None if strict => return invalid("code"),
                None => Code::Unknown,
            };
            let implied = u64::from(http_status_for(grpc_code).as_u16());
            (top, grpc_code, Some(implied))
        } else {
            return Ok(None);
        };
        if strict && body_http_status != Some(u64::from(http_status.as_u16())) {
            return Err(HttpJsonDecodeError::HttpStatusMismatch {
                response: http_status.as_u16(),
                body: body_http_status.map_or(0, |code| code.min(u64::from(u16::MAX)) as u16),
            });
        }
        let message = match fields.get("message") {
            None => "",
            Some(Value::String(message)) => message,
            Some(_) if strict => return invalid("message"),
            Some(_) => "",
        };
        let details = match fields.get("details") {
            None => &[][..],
            Some(Value::Array(details)) => details,
            Some(_) if strict => return invalid("details"),
            Some(_) => &[][..],
        };
        Ok(Some(Envelope {
            grpc_code,
            message,
            details,
        }))
    }
}

/// One detail as the `Any` it stands for; `None` when its type is unknown
/// (always skipped) or, leniently, when it does not parse.
fn read_detail(
    detail: &Value,
    strictness: Strictness,
) -> Result<Option<prost_types::Any>, HttpJsonDecodeError> {
    let type_url = detail
        .as_object()
        .and_then(|fields: &Map<String, Value>| fields.get("@type"))
        .and_then(Value::as_str);
    let parsed = match type_url {
        None => Err((String::new(), "a detail has no @type".to_owned())),
        Some(type_url) if !descriptors().knows(type_name(type_url)) => return Ok(None),
        Some(type_url) => parse_any(detail).map_err(|error| (type_url.to_owned(), error)),
    };
    match parsed {
        Ok(any) => Ok(Some(any)),
        Err((type_url, error)) if strictness == Strictness::Strict => {
            Err(HttpJsonDecodeError::MalformedDetail { type_url, error })
        }
        Err(_) => Ok(None),
    }
}

/// A detail through the proto3 JSON mapping. Unknown fields are ignored,
/// as protobuf's binary decoding ignores them, so that details from a newer
/// `error_details.proto` still read.
fn parse_any(detail: &Value) -> Result<prost_types::Any, String> {
    let options = DeserializeOptions::new().deny_unknown_fields(false);
    let dynamic =
        DynamicMessage::deserialize_with_options(descriptors().any.clone(), detail, &options)
            .map_err(|error| error.to_string())?;
    dynamic
        .transcode_to::<prost_types::Any>()
        .map_err(|error| error.to_string())
}

/// The code `google.rpc.Code` names `name`, e.g. `NOT_FOUND`; names are
/// case-sensitive, as in `code.proto`.
fn code_named(name: &str) -> Option<Code> {
    (0..=16)
        .map(Code::from_i32)
        .find(|&code| grpc_code_name(code) == name)
}

/// The code numbered `number`, when `google.rpc.Code` has it.
fn code_numbered(number: i64) -> Option<Code> {
    match GrpcCode::try_from(i32::try_from(number).ok()?) {
        Ok(GrpcCode::Unspecified) => Some(Code::Ok),
        Ok(code) => code.to_tonic(),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_names_and_numbers_read_back_as_tonic_codes() {
        for number in 0..=16 {
            let code = Code::from_i32(number);
            assert_eq!(code as i32, number);
            assert_eq!(code_named(grpc_code_name(code)), Some(code));
            assert_eq!(code_numbered(i64::from(number)), Some(code));
        }
        assert_eq!(code_named("not_found"), None);
        assert_eq!(code_numbered(17), None);
        assert_eq!(code_numbered(-1), None);
        assert_eq!(code_numbered(1 << 40), None);
    }
}
