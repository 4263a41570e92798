//! Any bytes as an HTTP JSON error response: both decoders answer, and
//! agree on what the strict one accepts.
#![no_main]

libfuzzer_sys::fuzz_target!(|input: &[u8]| chat_errors_fuzz::http_json_decoder(input));
