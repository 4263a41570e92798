//! Any values for `grpc-status`, `grpc-message` and
//! `grpc-status-details-bin`: after the shield, tonic parses them without
//! panicking and the decoders answer.
#![no_main]

libfuzzer_sys::fuzz_target!(|input: &[u8]| chat_errors_fuzz::trailer_shield(input));
