//! The properties the fuzz targets check live with the tests, so that
//! `cargo test` replays the seeds and past failures through the same code.

#[path = "../../tests/fuzz/checks.rs"]
mod checks;

#[path = "../../tests/fuzz/http_json_checks.rs"]
mod http_json_checks;

pub use checks::{accept_language, details_decoder, trailer_shield};
pub use http_json_checks::http_json_decoder;
