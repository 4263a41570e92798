//! Statuses as the wire contract describes them, built field by field, and
//! the input lines that carry them.

use base64::Engine as _;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde_json::{Value, json};

use crate::catalogue::Row;
use crate::pbtree::{Field, Val, encode, field, text};

pub const DOMAIN: &str = "chat.errors.v1";
pub const TYPE_PREFIX: &str = "type.googleapis.com/";
pub const ERROR_INFO: &str = "google.rpc.ErrorInfo";
pub const LOCALIZED_MESSAGE: &str = "google.rpc.LocalizedMessage";
pub const RETRY_INFO: &str = "google.rpc.RetryInfo";
pub const BAD_REQUEST: &str = "google.rpc.BadRequest";
pub const RESOURCE_INFO: &str = "google.rpc.ResourceInfo";
pub const REQUEST_INFO: &str = "google.rpc.RequestInfo";

/// What gRPC's spec percent-encodes in `grpc-message`: controls, `%`, and
/// (always, in this crate) everything outside ASCII.
const MESSAGE_ESCAPES: &AsciiSet = &CONTROLS.add(b'%');

pub fn error_info(reason: &str, domain: &str, metadata: &[(&str, &str)]) -> Vec<Field> {
    let mut fields = vec![text(1, reason), text(2, domain)];
    for (key, value) in metadata {
        fields.push(field(3, Val::Msg(vec![text(1, key), text(2, value)])));
    }
    fields
}

/// A `Status.details` entry: an `Any` of `type_name` holding `value`.
pub fn detail(type_name: &str, value: Vec<Field>) -> Field {
    field(
        3,
        Val::Msg(vec![
            text(1, &format!("{TYPE_PREFIX}{type_name}")),
            field(2, Val::Msg(value)),
        ]),
    )
}

pub fn localized(locale: &str, message: &str) -> Vec<Field> {
    vec![text(1, locale), text(2, message)]
}

pub fn retry_info(seconds: i64, nanos: i32) -> Vec<Field> {
    let mut duration = Vec::new();
    if seconds != 0 {
        duration.push(field(1, Val::Varint(seconds as u64)));
    }
    if nanos != 0 {
        duration.push(field(2, Val::Varint(i64::from(nanos) as u64)));
    }
    vec![field(1, Val::Msg(duration))]
}

pub fn status(code: i32, message: &str, details: Vec<Field>) -> Vec<Field> {
    let mut fields = Vec::new();
    if code != 0 {
        fields.push(field(1, Val::Varint(i64::from(code) as u64)));
    }
    if !message.is_empty() {
        fields.push(text(2, message));
    }
    fields.extend(details);
    fields
}

/// The ErrorInfo of `row` as the contract says: reason, domain, code, name.
pub fn row_error_info(row: &Row, domain: &str) -> Field {
    let code = row.code.to_string();
    detail(
        ERROR_INFO,
        error_info(
            &row.reason,
            domain,
            &[("code", &code), ("message", &row.name)],
        ),
    )
}

/// `row` as a chat server sends it by default: English message, Korean
/// LocalizedMessage.
pub fn contract(row: &Row, domain: &str) -> Vec<Field> {
    status(
        row.grpc_code,
        &row.description_en,
        vec![
            row_error_info(row, domain),
            detail(LOCALIZED_MESSAGE, localized("ko-KR", &row.description_ko)),
        ],
    )
}

/// `row` with every detail the clients read, each field set.
pub fn full(row: &Row) -> Vec<Field> {
    let code = row.code.to_string();
    status(
        row.grpc_code,
        &row.description_en,
        vec![
            detail(
                ERROR_INFO,
                error_info(
                    &row.reason,
                    DOMAIN,
                    &[
                        ("code", &code),
                        ("message", &row.name),
                        ("channelId", "채널-7"),
                    ],
                ),
            ),
            detail(LOCALIZED_MESSAGE, localized("ko-KR", &row.description_ko)),
            detail(RETRY_INFO, retry_info(2, 500_000_000)),
            detail(
                BAD_REQUEST,
                vec![field(
                    1,
                    Val::Msg(vec![
                        text(1, "channel_id"),
                        text(2, "must name an existing channel"),
                        text(3, "CHANNEL_UNKNOWN"),
                        field(4, Val::Msg(localized("en-US", "Pick another channel."))),
                    ]),
                )],
            ),
            detail(
                RESOURCE_INFO,
                vec![
                    text(1, "chat.channel"),
                    text(2, "channels/7"),
                    text(3, "user:42"),
                    text(4, "the channel was deleted"),
                ],
            ),
            detail(
                REQUEST_INFO,
                vec![text(1, "req-0123"), text(2, "shard=3;replica=b")],
            ),
        ],
    )
}

pub fn percent_encode(message: &str) -> String {
    utf8_percent_encode(message, MESSAGE_ESCAPES).to_string()
}

pub fn base64_unpadded(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes)
}

/// The trailers of a status whose `grpc-status` and `grpc-message` agree
/// with its details (read from the tree's own code and message fields).
pub fn trailers_of(tree: &[Field]) -> Value {
    let mut code = 0u64;
    let mut message: &[u8] = &[];
    for f in tree {
        match (&f.number, &f.val) {
            (1, Val::Varint(value)) => code = *value,
            (2, Val::Str(bytes)) => message = bytes,
            _ => {}
        }
    }
    headers(
        Some(&(code as i32).to_string()),
        Some(&percent_encode(&String::from_utf8_lossy(message))),
        Some(&base64_unpadded(&encode(tree))),
    )
}

pub fn headers(status: Option<&str>, message: Option<&str>, details: Option<&str>) -> Value {
    let mut map = serde_json::Map::new();
    for (name, value) in [
        ("grpc-status", status),
        ("grpc-message", message),
        ("grpc-status-details-bin", details),
    ] {
        if let Some(value) = value {
            map.insert(name.to_owned(), Value::String(value.to_owned()));
        }
    }
    Value::Object(map)
}

pub fn grpc_input(headers: Value) -> Value {
    json!({"transport": "grpc", "headers": headers})
}

/// `tree` sent with trailers that agree with it.
pub fn grpc_status_input(tree: &[Field]) -> Value {
    grpc_input(trailers_of(tree))
}

/// `details` bytes sent with the given code and message in the trailers.
pub fn grpc_bytes_input(code: i32, message: &str, details: &[u8]) -> Value {
    grpc_input(headers(
        Some(&code.to_string()),
        Some(&percent_encode(message)),
        Some(&base64_unpadded(details)),
    ))
}

pub fn http_input(status: u16, body: &str) -> Value {
    json!({"transport": "http", "status": status, "body": body})
}

pub fn with_domain(mut input: Value, domain: &str) -> Value {
    input["domain"] = Value::String(domain.to_owned());
    input
}

/// An HTTP body the crate rendered, with its object keys sorted: the crate
/// writes ErrorInfo's metadata in hash order, and the corpus must not
/// change from one run to the next.
pub fn sorted_body(body: &str) -> String {
    let value: Value = serde_json::from_str(body).expect("the crate renders JSON");
    crate::canonical::to_line(&value)
}
