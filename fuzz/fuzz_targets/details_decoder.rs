//! Any bytes as `grpc-status-details-bin`, already base64-decoded: every
//! decoder answers, and the answers agree.
#![no_main]

libfuzzer_sys::fuzz_target!(|input: &[u8]| chat_errors_fuzz::details_decoder(input));
