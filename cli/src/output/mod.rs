//! Rendering for people (aligned `label: value` lines) and for scripts (JSON).

pub mod decoded;
mod fields;

pub use fields::Fields;

/// `5 NOT_FOUND`: a gRPC code's number and its `google.rpc.Code` name.
pub fn describe_grpc_code(code: tonic::Code) -> String {
    format!("{} {}", code as i32, chat_errors::grpc_code_name(code))
}

/// Pretty JSON with a final newline, as every `--format json` prints it.
pub fn json_text(value: &serde_json::Value) -> String {
    format!("{value:#}\n")
}
