//! The human table, then `key=value` lines; the two headline keys come last.
//!
//! Server CPU overhead is the median over rounds of each round's overhead
//! against the plain block of the same round; latency overhead compares the
//! pooled medians. Both are medians so that bursts of load from other
//! processes on the machine move them little.

use std::fmt::Write;

use crate::bench::Measured;
use crate::pb::Mode;
use crate::scenario;
use crate::stats::{Samples, overhead_pct, paired_overheads, quantile};

/// One mode against the plain baseline.
struct Comparison {
    cpu_pooled: f64,
    cpu_rounds: Vec<f64>,
    p50: f64,
    p99: f64,
}

impl Comparison {
    fn new(ours: &Samples, plain: &Samples) -> Comparison {
        let (summary, baseline) = (ours.summary(), plain.summary());
        Comparison {
            cpu_pooled: overhead_pct(summary.server_cpu_per_call, baseline.server_cpu_per_call),
            cpu_rounds: paired_overheads(ours.round_cpu_per_call(), plain.round_cpu_per_call()),
            p50: overhead_pct(summary.p50, baseline.p50),
            p99: overhead_pct(summary.p99, baseline.p99),
        }
    }

    fn cpu_median(&self) -> f64 {
        quantile(&self.cpu_rounds, 0.5)
    }
}

pub fn render(measured: &Measured) -> String {
    let plain = samples_of(measured, Mode::Plain);
    let rich = Comparison::new(samples_of(measured, Mode::Rich), plain);
    let dynamic = Comparison::new(samples_of(measured, Mode::Dynamic), plain);
    let mut out = String::new();

    let _ = writeln!(
        out,
        "{:<20} {:>7} {:>9} {:>9} {:>9} {:>19}",
        "mode", "calls", "p50 µs", "p99 µs", "mean µs", "server CPU µs/call"
    );
    for (mode, samples) in measured {
        let summary = samples.summary();
        let _ = writeln!(
            out,
            "{:<20} {:>7} {:>9.2} {:>9.2} {:>9.2} {:>19.2}",
            scenario::label(*mode),
            summary.calls,
            summary.p50,
            summary.p99,
            summary.mean,
            summary.server_cpu_per_call
        );
    }
    for (name, comparison) in [("rich", &rich), ("dynamic", &dynamic)] {
        let _ = writeln!(
            out,
            "{name} vs plain: server CPU {:+.2}% (median of {} rounds; middle half {:+.2}% to {:+.2}%; pooled {:+.2}%), p50 {:+.2}%, p99 {:+.2}%",
            comparison.cpu_median(),
            comparison.cpu_rounds.len(),
            quantile(&comparison.cpu_rounds, 0.25),
            quantile(&comparison.cpu_rounds, 0.75),
            comparison.cpu_pooled,
            comparison.p50,
            comparison.p99
        );
    }

    let baseline = plain.summary();
    let keys = [
        ("e2e_calls_per_mode", baseline.calls as f64),
        ("e2e_rounds", rich.cpu_rounds.len() as f64),
        (
            "e2e_plain_server_cpu_us_per_call",
            baseline.server_cpu_per_call,
        ),
        ("e2e_plain_p50_us", baseline.p50),
        ("e2e_server_cpu_overhead_pooled_pct", rich.cpu_pooled),
        ("e2e_p99_overhead_pct", rich.p99),
        ("e2e_dynamic_server_cpu_overhead_pct", dynamic.cpu_median()),
        ("e2e_dynamic_p50_overhead_pct", dynamic.p50),
        ("e2e_server_cpu_overhead_pct", rich.cpu_median()),
        ("e2e_p50_overhead_pct", rich.p50),
    ];
    for (key, value) in keys {
        let _ = writeln!(out, "{key}={}", round2(value));
    }
    out
}

fn samples_of(measured: &Measured, wanted: Mode) -> &Samples {
    measured
        .iter()
        .find_map(|(mode, samples)| (*mode == wanted).then_some(samples))
        .expect("every mode is measured")
}

/// Two decimals, without "-0" for a value that rounds to zero.
fn round2(value: f64) -> f64 {
    let rounded = (value * 100.0).round() / 100.0;
    if rounded == 0.0 { 0.0 } else { rounded }
}
