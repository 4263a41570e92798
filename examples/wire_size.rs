//! Prints the size of `grpc-status-details-bin` for every code, as tonic
//! sends it (unpadded base64), then the largest and the median.
//!
//! `cargo run --example wire_size`

use chat_errors::ErrorCode;

fn main() {
    let mut sizes: Vec<(usize, usize, ErrorCode)> = ErrorCode::iter()
        .map(|code| {
            let status = tonic::Status::from(code);
            let mut headers = http::HeaderMap::new();
            status
                .add_header(&mut headers)
                .expect("tonic encodes every catalogue status");
            let base64 = headers
                .get("grpc-status-details-bin")
                .expect("every code sends details")
                .len();
            (base64, status.details().len(), code)
        })
        .collect();

    println!("{:<6} {:<38} {:>9} {:>9}", "code", "name", "raw", "base64");
    for (base64, raw, code) in &sizes {
        println!(
            "{:<6} {:<38} {raw:>9} {base64:>9}",
            code.as_i32(),
            code.name()
        );
    }

    sizes.sort();
    let max = sizes.last().expect("the catalogue is not empty");
    let median = sizes[sizes.len() / 2];
    println!("largest: {} ({} bytes raw)", max.2, max.1);
    println!("details_bin_base64_bytes_max={}", max.0);
    println!("details_bin_base64_bytes_median={}", median.0);
}
