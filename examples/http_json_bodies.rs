//! Prints every catalogue code's HTTP JSON error bodies, and one error with
//! every extra, as JSON lines: `{"code", "httpStatus", "aip193": <body>,
//! "gateway": <body>}`. `scripts/interop-http-json.sh` hands the gateway
//! bodies to Python protobuf's `json_format`.
//!
//! `cargo run --features http-json --example http_json_bodies`

use std::time::Duration;

use chat_errors::http_json::gateway_body;
use chat_errors::{ChatError, ErrorCode, RequestInfo, ResourceInfo};
use serde_json::{Value, json};

fn line(label: &str, error: &ChatError) -> Value {
    let parse = |body: &[u8]| serde_json::from_slice::<Value>(body).expect("the crate writes JSON");
    json!({
        "label": label,
        "code": error.code().as_i32(),
        "httpStatus": error.code().http_status().as_u16(),
        "aip193": parse(&error.to_http_body()),
        "gateway": parse(&gateway_body(&error.to_status())),
    })
}

fn main() {
    for code in ErrorCode::iter() {
        println!("{}", line("default", &ChatError::new(code)));
    }
    let extras = ChatError::new(ErrorCode::TooManyRequests)
        .with_message("20 messages a minute at most")
        .with_retry_delay(Duration::from_millis(2500))
        .with_metadata("limit", "20/minute")
        .expect("a valid key")
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
    println!("{}", line("all-extras", &extras));
}
