//! What one mode's measurements add up to.

use std::time::Duration;

/// The calls of one mode, pooled over all rounds.
#[derive(Debug, Default)]
pub struct Samples {
    latencies: Vec<Duration>,
    server_cpu: Duration,
    round_cpu_per_call: Vec<f64>,
    round_p50: Vec<f64>,
}

/// Microseconds, as the report prints them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub calls: usize,
    pub p50: f64,
    pub p99: f64,
    pub mean: f64,
    pub server_cpu_per_call: f64,
}

impl Samples {
    /// Adds one round: its per-call latencies and the server CPU time the
    /// round used.
    pub fn record(&mut self, mut latencies: Vec<Duration>, server_cpu: Duration) {
        latencies.sort_unstable();
        self.round_p50.push(micros(percentile(&latencies, 50)));
        self.round_cpu_per_call
            .push(micros(server_cpu) / latencies.len() as f64);
        self.server_cpu += server_cpu;
        self.latencies.extend(latencies);
    }

    /// Server CPU µs per call of each round, in round order.
    pub fn round_cpu_per_call(&self) -> &[f64] {
        &self.round_cpu_per_call
    }

    /// Median latency in µs of each round, in round order.
    pub fn round_p50(&self) -> &[f64] {
        &self.round_p50
    }

    pub fn summary(&self) -> Summary {
        let mut sorted = self.latencies.clone();
        sorted.sort_unstable();
        let calls = sorted.len();
        let total: Duration = sorted.iter().sum();
        Summary {
            calls,
            p50: micros(percentile(&sorted, 50)),
            p99: micros(percentile(&sorted, 99)),
            mean: micros(total) / calls as f64,
            server_cpu_per_call: micros(self.server_cpu) / calls as f64,
        }
    }
}

/// The nearest-rank percentile of sorted samples.
fn percentile(sorted: &[Duration], percent: usize) -> Duration {
    let rank = (sorted.len() * percent).div_ceil(100).max(1);
    sorted[rank - 1]
}

fn micros(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}

/// How much more `ours` costs than `baseline`, in percent.
pub fn overhead_pct(ours: f64, baseline: f64) -> f64 {
    (ours - baseline) / baseline * 100.0
}

/// The overhead of each round against the baseline's block in the same
/// round, sorted. Blocks of one round run back to back, so a burst of load
/// from elsewhere spoils a round or two instead of a whole mode.
pub fn paired_overheads(ours: &[f64], baseline: &[f64]) -> Vec<f64> {
    let mut overheads: Vec<f64> = ours
        .iter()
        .zip(baseline)
        .map(|(ours, baseline)| overhead_pct(*ours, *baseline))
        .collect();
    overheads.sort_unstable_by(f64::total_cmp);
    overheads
}

/// The value at `fraction` (0 to 1) of sorted values, by nearest rank.
pub fn quantile(sorted: &[f64], fraction: f64) -> f64 {
    let rank = (sorted.len() as f64 * fraction).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_of_known_samples() {
        let mut samples = Samples::default();
        let first: Vec<_> = (1..=50).map(Duration::from_micros).collect();
        let second: Vec<_> = (51..=100).rev().map(Duration::from_micros).collect();
        samples.record(first, Duration::from_micros(1_000));
        samples.record(second, Duration::from_micros(2_000));
        let summary = samples.summary();
        assert_eq!(summary.calls, 100);
        assert!((summary.p50 - 50.0).abs() < 1e-9, "{summary:?}");
        assert!((summary.p99 - 99.0).abs() < 1e-9, "{summary:?}");
        assert!((summary.mean - 50.5).abs() < 1e-9, "{summary:?}");
        assert!(
            (summary.server_cpu_per_call - 30.0).abs() < 1e-9,
            "{summary:?}"
        );
        assert_eq!(samples.round_cpu_per_call(), [20.0, 40.0]);
        assert_eq!(samples.round_p50(), [25.0, 75.0]);
    }

    #[test]
    fn percentile_of_one_sample_is_that_sample() {
        let only = [Duration::from_micros(7)];
        assert_eq!(percentile(&only, 50), only[0]);
        assert_eq!(percentile(&only, 99), only[0]);
    }

    #[test]
    fn paired_overheads_pair_rounds_in_order() {
        let rich = [101.0, 90.0, 300.0];
        let plain = [100.0, 100.0, 100.0];
        let overheads = paired_overheads(&rich, &plain);
        assert_eq!(overheads.len(), 3);
        assert!((overheads[0] + 10.0).abs() < 1e-9, "{overheads:?}");
        assert!((overheads[1] - 1.0).abs() < 1e-9, "{overheads:?}");
        assert!((overheads[2] - 200.0).abs() < 1e-9, "{overheads:?}");
        assert_eq!(quantile(&overheads, 0.5), overheads[1]);
        assert_eq!(quantile(&overheads, 0.25), overheads[0]);
        assert_eq!(quantile(&overheads, 0.75), overheads[2]);
        assert_eq!(quantile(&overheads, 0.0), overheads[0]);
    }

    #[test]
    fn overhead_sign_follows_cost() {
        assert!((overhead_pct(105.0, 100.0) - 5.0).abs() < 1e-9);
        assert!((overhead_pct(98.0, 100.0) + 2.0).abs() < 1e-9);
    }
}
