//! What every criterion bench of the crate shares.

use std::time::Duration;

use criterion::Criterion;

/// Criterion's defaults, shortened: the ratios `scripts/bench.sh` prints
/// compare cases of one run, which this length already separates, and a
/// shorter run leaves the machine less time to drift between them.
pub fn criterion() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}
