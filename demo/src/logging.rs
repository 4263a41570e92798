//! The binaries' log: readable lines on stderr, one per event, so that
//! what `InternalErrorLayer` logs instead of sending shows beside the
//! output.

use tracing_subscriber::filter::LevelFilter;

/// Sends `tracing` events at INFO and above to stderr.
pub fn init() {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(LevelFilter::INFO)
        .init();
}
