//! Prints the error catalogue, one code a line, as the crate sends it.
//!
//! `cargo run --example catalogue`

use chat_errors::{ErrorCode, Locale};

fn main() {
    println!(
        "{:<6} {:<38} {:<45} {:<20} {:>4} {:<9} description (English / Korean)",
        "code", "name", "reason", "grpc", "http", "retryable"
    );
    for code in ErrorCode::iter() {
        println!(
            "{:<6} {:<38} {:<45} {:<20} {:>4} {:<9} {} / {}",
            code.as_i32(),
            code.name(),
            code.reason(),
            format!("{:?}", code.grpc_code()),
            code.http_status().as_u16(),
            code.is_retryable(),
            code.description(Locale::EN_US),
            code.description(Locale::KO_KR),
        );
    }
}
