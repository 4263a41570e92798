//! The properties the fuzz targets check live with the tests, so that
//! `cargo test` replays the seeds and past failures through the same code.

#[path = "../../tests/fuzz/checks.rs"]
mod checks;

pub use checks::{details_decoder, trailer_shield};
