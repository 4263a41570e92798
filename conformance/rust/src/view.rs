//! Every use of the chat-errors API in the conformance crate: decoding
//! trailers and HTTP bodies into the view of `conformance/README.md`,
//! negotiating a locale, building a status, and the names of the crate's
//! error variants as the schema spells them. When the crate's API is
//! renamed, this module is the one to adapt; the schema's names stay.

use std::collections::BTreeMap;
use std::time::Duration;

use base64::Engine as _;
use chat_errors::http_json::{self, HttpJsonDecodeError};
use chat_errors::{
    ChatError, ChatStatusExt, DecodeError, DecodedChatError, Domain, ErrorCode, FieldViolation,
    Locale, LocalizedMessage, MetadataError, RequestInfo, ResourceInfo, StatusHeaderError,
    status_from_headers,
};
use http::{HeaderMap, HeaderName, HeaderValue};
use serde_json::{Value, json};
use tonic::{Code, Status};

pub use chat_errors::DEFAULT_DOMAIN;

const GRPC_STATUS: &str = "grpc-status";
const GRPC_MESSAGE: &str = "grpc-message";
const GRPC_STATUS_DETAILS: &str = "grpc-status-details-bin";

/// The three status trailers as a peer sent them; any may be absent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trailers {
    pub status: Option<String>,
    pub message: Option<String>,
    pub details: Option<String>,
}

impl Trailers {
    pub fn to_json(&self) -> Value {
        let mut headers = serde_json::Map::new();
        for (name, value) in [
            (GRPC_STATUS, &self.status),
            (GRPC_MESSAGE, &self.message),
            (GRPC_STATUS_DETAILS, &self.details),
        ] {
            if let Some(value) = value {
                headers.insert(name.to_owned(), Value::String(value.clone()));
            }
        }
        Value::Object(headers)
    }

    pub fn from_json(headers: &Value) -> Result<Trailers, String> {
        let object = headers.as_object().ok_or("headers is not an object")?;
        let get = |name: &str| -> Result<Option<String>, String> {
            match object.get(name) {
                None => Ok(None),
                Some(Value::String(text)) => Ok(Some(text.clone())),
                Some(_) => Err(format!("header {name} is not a string")),
            }
        };
        Ok(Trailers {
            status: get(GRPC_STATUS)?,
            message: get(GRPC_MESSAGE)?,
            details: get(GRPC_STATUS_DETAILS)?,
        })
    }
}

/// One entry of the catalogue, as this build has it.
pub struct CatalogueEntry {
    pub number: i32,
    pub name: &'static str,
    pub reason: &'static str,
    pub grpc_code: i32,
}

pub fn catalogue() -> Vec<CatalogueEntry> {
    ErrorCode::iter()
        .map(|code| CatalogueEntry {
            number: code.as_i32(),
            name: code.name(),
            reason: code.reason(),
            grpc_code: code.grpc_code() as i32,
        })
        .collect()
}

pub fn locale_tags() -> Vec<&'static str> {
    Locale::iter().map(Locale::as_str).collect()
}

fn domain(name: &str) -> Result<Domain, String> {
    Domain::new(name).map_err(|invalid| invalid.to_string())
}

/// `{"lenient": …, "strict": …}` for gRPC trailers.
pub fn decode_grpc(trailers: &Trailers, domain_name: &str) -> Result<Value, String> {
    let domain = domain(domain_name)?;
    let mut headers = HeaderMap::new();
    for (name, value) in [
        (GRPC_STATUS, &trailers.status),
        (GRPC_MESSAGE, &trailers.message),
        (GRPC_STATUS_DETAILS, &trailers.details),
    ] {
        if let Some(value) = value {
            let value = HeaderValue::from_str(value)
                .map_err(|_| format!("{name} is not a header value HTTP/2 could carry"))?;
            headers.insert(HeaderName::from_static(name), value);
        }
    }
    let strict = match status_from_headers(&headers) {
        Err(error) => strict_error(header_error_kind(&error), None),
        Ok(None) => json!({"ok": null}),
        Ok(Some(status)) => strict_view(status.check_chat_error_in(&domain)),
    };
    let lenient = lenient_status(trailers)
        .and_then(|status| status.get_chat_error_in(&domain))
        .map_or(Value::Null, |decoded| view(&decoded));
    Ok(json!({"lenient": lenient, "strict": strict}))
}

/// The status a lenient client reads from the trailers: an unknown
/// `grpc-status` is UNKNOWN, undecodable details are none, and a message
/// that is not UTF-8 is read lossily.
fn lenient_status(trailers: &Trailers) -> Option<Status> {
    let code = Code::from_bytes(trailers.status.as_ref()?.as_bytes());
    let details = trailers
        .details
        .as_ref()
        .and_then(|text| DETAILS_BASE64.decode(text).ok())
        .unwrap_or_default();
    let message = trailers.message.as_ref().map_or(String::new(), |text| {
        percent_encoding::percent_decode(text.as_bytes())
            .decode_utf8_lossy()
            .into_owned()
    });
    Some(Status::with_details(code, message, details.into()))
}

/// The base64 that `grpc-status-details-bin` is read with, as the crate
/// and tonic read it: standard alphabet, padding optional.
const DETAILS_BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

/// `{"lenient": …, "strict": …}` for an HTTP error response.
pub fn decode_http(status: u16, body: &str, domain_name: &str) -> Result<Value, String> {
    let domain = domain(domain_name)?;
    let status = http::StatusCode::from_u16(status).map_err(|error| error.to_string())?;
    let strict = match http_json::check_error(status, body.as_bytes(), &domain) {
        Ok(found) => json!({"ok": found.as_ref().map_or(Value::Null, view)}),
        Err(HttpJsonDecodeError::Details(error)) => decode_error(&error),
        Err(error) => {
            let (kind, detail) = http_error_kind(&error);
            strict_error(kind, detail)
        }
    };
    let lenient = http_json::get_error(status, body.as_bytes(), &domain)
        .map_or(Value::Null, |decoded| view(&decoded));
    Ok(json!({"lenient": lenient, "strict": strict}))
}

fn strict_view(result: Result<Option<DecodedChatError>, DecodeError>) -> Value {
    match result {
        Ok(found) => json!({"ok": found.as_ref().map_or(Value::Null, view)}),
        Err(error) => decode_error(&error),
    }
}

fn strict_error(kind: &str, detail: Option<String>) -> Value {
    match detail {
        Some(detail) => json!({"error": {"detail": detail, "kind": kind}}),
        None => json!({"error": {"kind": kind}}),
    }
}

fn decode_error(error: &DecodeError) -> Value {
    let (kind, detail) = decode_error_kind(error);
    strict_error(kind, detail)
}

fn header_error_kind(error: &StatusHeaderError) -> &'static str {
    match error {
        StatusHeaderError::InvalidGrpcStatus(_) => "InvalidGrpcStatus",
        StatusHeaderError::DetailsNotBase64(_) => "DetailsNotBase64",
        StatusHeaderError::MessageNotUtf8 => "MessageNotUtf8",
        other => panic!("a StatusHeaderError the conformance schema does not name: {other:?}"),
    }
}

fn decode_error_kind(error: &DecodeError) -> (&'static str, Option<String>) {
    let kind = match error {
        DecodeError::MalformedStatus(_) => "MalformedStatus",
        DecodeError::MalformedDetail { type_name, .. } => {
            return ("MalformedDetail", Some((*type_name).to_owned()));
        }
        DecodeError::DuplicateDetail { type_name } => {
            return ("DuplicateDetail", Some((*type_name).to_owned()));
        }
        DecodeError::CodeMismatch { .. } => "CodeMismatch",
        DecodeError::MessageMismatch => "MessageMismatch",
        DecodeError::InvalidCodeMetadata(_) => "InvalidCodeMetadata",
        DecodeError::NonCanonicalCode(_) => "NonCanonicalCode",
        DecodeError::CodeReasonMismatch { .. } => "CodeReasonMismatch",
        DecodeError::NameMismatch { .. } => "NameMismatch",
        DecodeError::GrpcCodeMismatch { .. } => "GrpcCodeMismatch",
        DecodeError::InvalidRetryDelay => "InvalidRetryDelay",
        other => panic!("a DecodeError the conformance schema does not name: {other:?}"),
    };
    (kind, None)
}

fn http_error_kind(error: &HttpJsonDecodeError) -> (&'static str, Option<String>) {
    let kind = match error {
        HttpJsonDecodeError::TooLarge { .. } => "TooLarge",
        HttpJsonDecodeError::NotJson(_) => "NotJson",
        HttpJsonDecodeError::InvalidField { .. } => "InvalidField",
        HttpJsonDecodeError::HttpStatusMismatch { .. } => "HttpStatusMismatch",
        HttpJsonDecodeError::MalformedDetail { type_url, .. } => {
            let name = type_url.rsplit('/').next().unwrap_or_default();
            return ("MalformedDetail", Some(name.to_owned()));
        }
        HttpJsonDecodeError::Details(error) => return decode_error_kind(error),
        other => panic!("an HttpJsonDecodeError the conformance schema does not name: {other:?}"),
    };
    (kind, None)
}

fn localized(message: Option<&LocalizedMessage>) -> Value {
    message.map_or(
        Value::Null,
        |m| json!({"locale": m.locale, "message": m.message}),
    )
}

fn view(decoded: &DecodedChatError) -> Value {
    let metadata: BTreeMap<&str, &str> = decoded
        .metadata()
        .iter()
        .map(|(key, value)| (key.as_str(), value.as_str()))
        .collect();
    let violations: Vec<Value> = decoded
        .field_violations()
        .iter()
        .map(|v| {
            json!({
                "description": v.description,
                "field": v.field,
                "localized_message": localized(v.localized_message.as_ref()),
                "reason": v.reason,
            })
        })
        .collect();
    json!({
        "code": decoded.code().map(ErrorCode::as_i32),
        "domain": decoded.domain(),
        "field_violations": violations,
        "grpc_code": decoded.grpc_code() as i32,
        "localized_message": localized(decoded.localized_message()),
        "message": decoded.message(),
        "metadata": metadata,
        "name": decoded.name(),
        "number": decoded.number(),
        "reason": decoded.reason(),
        "request_info": decoded.request_info().map(|r| json!({
            "request_id": r.request_id, "serving_data": r.serving_data,
        })),
        "resource_info": decoded.resource_info().map(|r| json!({
            "description": r.description, "owner": r.owner,
            "resource_name": r.resource_name, "resource_type": r.resource_type,
        })),
        "retry_delay": decoded.retry_delay().map(|delay| delay.as_nanos().to_string()),
    })
}

/// The catalogue locale that `accept-language` negotiates, or `null`.
pub fn negotiate(accept_language: &str) -> Value {
    Locale::negotiate(accept_language.as_bytes()).map_or(Value::Null, |locale| {
        Value::String(locale.as_str().to_owned())
    })
}

/// Why a builder refused an encode input, as the schema names it.
pub type Refusal = &'static str;

/// The trailers the crate's server sends for an encode input, or the
/// builder's refusal.
pub fn encode(spec: &Value) -> Result<Result<Trailers, Refusal>, String> {
    let status = match build(spec)? {
        Ok(error) => error.into_status(),
        Err(refusal) => return Ok(Err(refusal)),
    };
    let mut headers = HeaderMap::new();
    status
        .add_header(&mut headers)
        .map_err(|refused| format!("tonic cannot write the status: {refused}"))?;
    let text = |name: &str| {
        headers
            .get(name)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
    };
    Ok(Ok(Trailers {
        status: text(GRPC_STATUS),
        message: text(GRPC_MESSAGE),
        details: text(GRPC_STATUS_DETAILS),
    }))
}

/// The HTTP status and the AIP-193 and gateway bodies of an encode input,
/// as the crate renders them.
pub fn render_http(spec: &Value) -> Result<(u16, String, String), String> {
    let error = build(spec)?.map_err(|refusal| format!("the builder refuses it: {refusal}"))?;
    let status = error.to_status();
    let response = error.to_http_response();
    let text = |bytes: &[u8]| String::from_utf8(bytes.to_vec()).map_err(|e| e.to_string());
    Ok((
        response.status().as_u16(),
        text(response.body())?,
        text(&http_json::gateway_body(&status))?,
    ))
}

fn build(spec: &Value) -> Result<Result<ChatError, Refusal>, String> {
    let field = |name: &str| spec.get(name).filter(|value| !value.is_null());
    let string = |value: &Value, what: &str| {
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("{what} is not a string"))
    };
    let number = field("code")
        .and_then(Value::as_i64)
        .ok_or("encode.code is not a number")?;
    let code = i32::try_from(number)
        .ok()
        .and_then(ErrorCode::from_i32)
        .ok_or_else(|| format!("{number} is not a catalogue code"))?;
    let tag = string(field("locale").ok_or("encode.locale is missing")?, "locale")?;
    let locale =
        Locale::from_tag(&tag).ok_or_else(|| format!("{tag} is not a catalogue locale"))?;
    let mut error = ChatError::new(code).with_locale(locale);
    if let Some(name) = field("domain") {
        error = error.with_domain(domain(&string(name, "domain")?)?);
    }
    if let Some(message) = field("message") {
        error = error.with_message(string(message, "message")?);
    }
    if let Some(metadata) = field("metadata") {
        let entries = metadata.as_object().ok_or("metadata is not an object")?;
        for (key, value) in entries {
            error = match error.with_metadata(key.clone(), string(value, "a metadata value")?) {
                Ok(error) => error,
                Err(MetadataError::ReservedKey(_)) => return Ok(Err("ReservedKey")),
                Err(MetadataError::InvalidKey(_)) => return Ok(Err("InvalidKey")),
                Err(other) => {
                    panic!("a MetadataError the conformance schema does not name: {other:?}")
                }
            };
        }
    }
    if let Some(delay) = field("retry_delay") {
        let nanos: u64 = string(delay, "retry_delay")?
            .parse()
            .map_err(|_| "retry_delay is not decimal nanoseconds")?;
        error = error.with_retry_delay(Duration::from_nanos(nanos));
    }
    let text_of = |object: &Value, key: &str| -> Result<String, String> {
        match object.get(key) {
            None | Some(Value::Null) => Ok(String::new()),
            Some(value) => string(value, key),
        }
    };
    if let Some(violations) = field("field_violations") {
        let list = violations
            .as_array()
            .ok_or("field_violations is not a list")?;
        let mut built = Vec::new();
        for v in list {
            let localized_message = match v.get("localized_message") {
                None | Some(Value::Null) => None,
                Some(m) => Some(LocalizedMessage {
                    locale: text_of(m, "locale")?,
                    message: text_of(m, "message")?,
                }),
            };
            built.push(FieldViolation {
                field: text_of(v, "field")?,
                description: text_of(v, "description")?,
                reason: text_of(v, "reason")?,
                localized_message,
            });
        }
        error = error.with_field_violations(built);
    }
    if let Some(r) = field("resource_info") {
        error = error.with_resource_info(ResourceInfo {
            resource_type: text_of(r, "resource_type")?,
            resource_name: text_of(r, "resource_name")?,
            owner: text_of(r, "owner")?,
            description: text_of(r, "description")?,
        });
    }
    if let Some(r) = field("request_info") {
        error = error.with_request_info(RequestInfo {
            request_id: text_of(r, "request_id")?,
            serving_data: text_of(r, "serving_data")?,
        });
    }
    Ok(Ok(error))
}
