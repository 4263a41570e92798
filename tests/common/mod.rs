//! Helpers shared by the integration tests.
#![allow(dead_code)]

use http::HeaderMap;
use tonic::Status;

/// One row of `tests/fixtures/error-codes.tsv`, the normative table.
pub struct Row {
    pub code: i32,
    pub name: String,
    pub reason: String,
    pub grpc_code: tonic::Code,
    /// The fixture's spelling, e.g. `NOT_FOUND`.
    pub grpc_code_name: String,
    pub http_status: u16,
    pub retryable: bool,
    pub description_ko: String,
    pub description_en: String,
}

pub const GRPC_CODE_NAMES: [&str; 17] = [
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED",
];

pub fn fixture_rows() -> Vec<Row> {
    let text = include_str!("../fixtures/error-codes.tsv");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "code\tname\treason\tgrpc_code\thttp_status\tretryable\tdescription_ko\tdescription_en"
        )
    );
    lines
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 8, "fixture line {line:?}");
            let grpc_number = GRPC_CODE_NAMES
                .iter()
                .position(|name| *name == cols[3])
                .unwrap_or_else(|| panic!("unknown gRPC code {}", cols[3]));
            Row {
                code: cols[0].parse().unwrap(),
                name: cols[1].to_owned(),
                reason: cols[2].to_owned(),
                grpc_code: tonic::Code::from_i32(grpc_number as i32),
                grpc_code_name: cols[3].to_owned(),
                http_status: cols[4].parse().unwrap(),
                retryable: match cols[5] {
                    "true" => true,
                    "false" => false,
                    other => panic!("retryable {other:?}"),
                },
                description_ko: cols[6].to_owned(),
                description_en: cols[7].to_owned(),
            }
        })
        .collect()
}

/// Sends `status` through tonic's own trailer encoding and parsing, as a
/// server and client on either end of a real call would.
pub fn over_the_wire(status: Status) -> (HeaderMap, Status) {
    let response = status.into_http::<()>();
    let headers = response.headers().clone();
    let received = Status::from_header_map(&headers).expect("grpc-status is present");
    (headers, received)
}

/// The `google.rpc.Status` inside a status's details.
pub fn rpc_status(status: &Status) -> tonic_types::pb::Status {
    prost::Message::decode(status.details()).expect("details are a google.rpc.Status")
}

/// A status with hand-built details, as a peer other than this crate might send.
pub fn status_with_details(
    code: tonic::Code,
    message: &str,
    details: Vec<prost_types::Any>,
) -> Status {
    let rpc = tonic_types::pb::Status {
        code: code as i32,
        message: message.to_owned(),
        details,
    };
    Status::with_details(code, message, prost::Message::encode_to_vec(&rpc).into())
}

pub fn any(type_name: &str, message: &impl prost::Message) -> prost_types::Any {
    prost_types::Any {
        type_url: format!("type.googleapis.com/{type_name}"),
        value: message.encode_to_vec(),
    }
}

pub fn error_info(reason: &str, domain: &str, metadata: &[(&str, &str)]) -> prost_types::Any {
    any(
        "google.rpc.ErrorInfo",
        &tonic_types::pb::ErrorInfo {
            reason: reason.to_owned(),
            domain: domain.to_owned(),
            metadata: metadata
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        },
    )
}
