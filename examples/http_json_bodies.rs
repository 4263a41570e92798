//! Prints every catalogue code's HTTP JSON error bodies, and one error with
//! every extra, as JSON lines: `{"code", "httpStatus", "aip193": <body>,
//! "gateway": <body>}`. `scripts/interop-http-json.sh` hands the gateway
//! bodies to Python protobuf's `json_format`.
//!
//! `cargo run --features http-json --example http_json_bodies`

use std::time::Duration;

use chat_errors::http_json::{gateway_body, status_response};
use chat_errors::{ChatError, ErrorCode, MetadataKey, RequestInfo, ResourceInfo};
use serde_json::{Value, json};

fn line(label: &str, error: ChatError) -> Value {
    let parse = |body: &[u8]| serde_json::from_slice::<Value>(body).expect("the crate writes JSON");
    let code = error.code();
    let status = error.into_status();
    json!({
        "label": label,
        "code": code.as_i32(),
        "httpStatus": code.http_status().as_u16(),
        "aip193": parse(status_response(&status).body()),
        "gateway": parse(&gateway_body(&status)),
    })
}

fn main() {
    for code in ErrorCode::iter() {
        println!("{}", line("default", ChatError::new(code)));
    }
    let extras = ChatError::new(ErrorCode::TooManyRequests)
        .with_message("20 messages a minute at most")
        .with_retry_delay(Duration::from_millis(2500))
        .with_metadata(MetadataKey::from_static("limit"), "20/minute")
        .with_field_violation("text", "is sent too often")
        .with_resource_info(ResourceInfo {
            resource_type: "chat.demo.v1.Channel".to_owned(),
            resource_name: "lobby".to_owned(),
            ..ResourceInfo::default()
        })
        .with_request_info(RequestInfo {
            request_id: "req-42".to_owned(),
            serving_data: String::new(),
        });
    println!("{}", line("all-extras", extras));
}
