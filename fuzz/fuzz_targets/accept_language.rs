//! Any `accept-language` value: negotiation answers a catalogue locale,
//! never panics, and agrees with a plain reading of RFC 9110 and RFC 4647.
#![no_main]

libfuzzer_sys::fuzz_target!(|input: &[u8]| chat_errors_fuzz::accept_language(input));
