//! The human table, then `key=value` lines; the two headline keys come last.
//!
//! The headline overheads are medians over rounds of each round's overhead
//! against the plain block of the same round, for server CPU per call and
//! for the round's p50 latency. Bursts of load from other processes on the
//! machine then spoil a few rounds instead of moving the result.

use std::fmt::Write;

use crate::bench::Measured;
use crate::instructions::Counted;
use crate::pb::Mode;
use crate::scenario::{self, Case};
use crate::stats::{Samples, overhead_pct, paired_overheads, quantile};

/// One mode against the plain baseline.
struct Comparison {
    cpu_pooled: f64,
    cpu_rounds: Vec<f64>,
    p50_pooled: f64,
    p50_rounds: Vec<f64>,
    p99: f64,
}

impl Comparison {
    fn new(ours: &Samples, plain: &Samples) -> Comparison {
        let (summary, baseline) = (ours.summary(), plain.summary());
        Comparison {
            cpu_pooled: overhead_pct(summary.server_cpu_per_call, baseline.server_cpu_per_call),
            cpu_rounds: paired_overheads(ours.round_cpu_per_call(), plain.round_cpu_per_call()),
            p50_pooled: overhead_pct(summary.p50, baseline.p50),
            p50_rounds: paired_overheads(ours.round_p50(), plain.round_p50()),
            p99: overhead_pct(summary.p99, baseline.p99),
        }
    }

    fn cpu_median(&self) -> f64 {
        quantile(&self.cpu_rounds, 0.5)
    }

    fn p50_median(&self) -> f64 {
        quantile(&self.p50_rounds, 0.5)
    }
}

pub fn render(measured: &Measured) -> String {
    let of = |mode, stack, localized| samples_of(measured, scenario::case(mode, stack, localized));
    let bare = |mode| of(mode, false, false);
    let stacked = |mode| of(mode, true, false);
    let metered = |mode| samples_of(measured, scenario::metered(mode));
    let plain = bare(Mode::Plain);
    let rich = Comparison::new(bare(Mode::Rich), plain);
    let dynamic = Comparison::new(bare(Mode::Dynamic), plain);
    let stack = Comparison::new(stacked(Mode::Rich), bare(Mode::Rich));
    let stack_ok = Comparison::new(stacked(Mode::Ok), bare(Mode::Ok));
    // The client's retry layer on a call that succeeds first time.
    let retry_ok = Comparison::new(samples_of(measured, scenario::OK_VIA_RETRY), bare(Mode::Ok));
    // The stack with metrics on both ends against the bare pair, as the
    // stack's own goals are set; and against the stack alone, beside which
    // it runs, for what the metrics add.
    let stack_metrics = Comparison::new(metered(Mode::Rich), bare(Mode::Rich));
    let stack_metrics_ok = Comparison::new(metered(Mode::Ok), bare(Mode::Ok));
    let metrics_vs_stack = Comparison::new(metered(Mode::Rich), stacked(Mode::Rich));
    let metrics_ok_vs_stack = Comparison::new(metered(Mode::Ok), stacked(Mode::Ok));
    // The stack, with a browser's accept-language, against
    // the plain status on the bare server.
    let localized = Comparison::new(of(Mode::Rich, false, true), plain);
    let mut out = String::new();

    let _ = writeln!(
        out,
        "{:<20} {:>7} {:>9} {:>9} {:>9} {:>19}",
        "mode", "calls", "p50 µs", "p99 µs", "mean µs", "server CPU µs/call"
    );
    for (case, samples) in measured {
        let summary = samples.summary();
        let _ = writeln!(
            out,
            "{:<20} {:>7} {:>9.2} {:>9.2} {:>9.2} {:>19.2}",
            scenario::case_label(*case),
            summary.calls,
            summary.p50,
            summary.p99,
            summary.mean,
            summary.server_cpu_per_call
        );
    }
    let _ = writeln!(
        out,
        "\noverhead (vs plain unless named): median of {} paired rounds [middle half of rounds] (pooled over all calls)",
        rich.cpu_rounds.len()
    );
    let against = [
        ("rich", &rich),
        ("dynamic", &dynamic),
        ("stack vs rich", &stack),
        ("stack ok vs ok", &stack_ok),
        ("retry ok vs ok", &retry_ok),
        ("metrics vs rich", &stack_metrics),
        ("metrics ok vs ok", &stack_metrics_ok),
        ("metrics vs stack", &metrics_vs_stack),
        ("metrics ok vs stack ok", &metrics_ok_vs_stack),
        ("localized", &localized),
    ];
    for (name, comparison) in against {
        let _ = writeln!(
            out,
            "{name:<22} server CPU {} | p50 {} | p99 ({:+.2}%)",
            spread(&comparison.cpu_rounds, comparison.cpu_pooled),
            spread(&comparison.p50_rounds, comparison.p50_pooled),
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
        ("e2e_p50_overhead_pooled_pct", rich.p50_pooled),
        ("e2e_p99_overhead_pct", rich.p99),
        ("e2e_dynamic_server_cpu_overhead_pct", dynamic.cpu_median()),
        ("e2e_dynamic_p50_overhead_pct", dynamic.p50_median()),
        ("e2e_stack_cpu_overhead_pct", stack.cpu_median()),
        ("e2e_stack_p50_overhead_pct", stack.p50_median()),
        ("e2e_stack_ok_cpu_overhead_pct", stack_ok.cpu_median()),
        ("e2e_stack_ok_p50_overhead_pct", stack_ok.p50_median()),
        (
            "e2e_stack_metrics_cpu_overhead_pct",
            stack_metrics.cpu_median(),
        ),
        (
            "e2e_stack_metrics_p50_overhead_pct",
            stack_metrics.p50_median(),
        ),
        (
            "e2e_stack_metrics_ok_cpu_overhead_pct",
            stack_metrics_ok.cpu_median(),
        ),
        (
            "e2e_stack_metrics_ok_p50_overhead_pct",
            stack_metrics_ok.p50_median(),
        ),
        (
            "e2e_metrics_vs_stack_cpu_overhead_pct",
            metrics_vs_stack.cpu_median(),
        ),
        (
            "e2e_metrics_vs_stack_p50_overhead_pct",
            metrics_vs_stack.p50_median(),
        ),
        (
            "e2e_metrics_ok_vs_stack_ok_p50_overhead_pct",
            metrics_ok_vs_stack.p50_median(),
        ),
        ("e2e_localized_cpu_overhead_pct", localized.cpu_median()),
        ("e2e_localized_p50_overhead_pct", localized.p50_median()),
        ("e2e_retry_ok_p50_overhead_pct", retry_ok.p50_median()),
        ("e2e_server_cpu_overhead_pct", rich.cpu_median()),
        ("e2e_p50_overhead_pct", rich.p50_median()),
    ];
    for (key, value) in keys {
        let _ = writeln!(out, "{key}={}", round2(value));
    }
    out
}

/// The instructions per call of each case, then the same comparisons as
/// [`render`]'s as `*_instructions_overhead_pct` keys.
pub fn render_instructions(counted: &Counted) -> String {
    let of = |mode, stack, localized| {
        counted
            .iter()
            .find_map(|(case, per_call)| {
                (*case == scenario::case(mode, stack, localized)).then_some(*per_call)
            })
            .expect("every case is counted")
    };
    let plain = of(Mode::Plain, false, false);
    let rich = of(Mode::Rich, false, false);
    let metered = |mode| {
        counted
            .iter()
            .find_map(|(case, per_call)| (*case == scenario::metered(mode)).then_some(*per_call))
            .expect("every case is counted")
    };
    let comparisons = [
        ("e2e_server_instructions_overhead_pct", rich, plain),
        (
            "e2e_dynamic_instructions_overhead_pct",
            of(Mode::Dynamic, false, false),
            plain,
        ),
        (
            "e2e_stack_instructions_overhead_pct",
            of(Mode::Rich, true, false),
            rich,
        ),
        (
            "e2e_stack_ok_instructions_overhead_pct",
            of(Mode::Ok, true, false),
            of(Mode::Ok, false, false),
        ),
        (
            "e2e_localized_instructions_overhead_pct",
            of(Mode::Rich, false, true),
            plain,
        ),
        (
            "e2e_stack_metrics_instructions_overhead_pct",
            metered(Mode::Rich),
            rich,
        ),
        (
            "e2e_stack_metrics_ok_instructions_overhead_pct",
            metered(Mode::Ok),
            of(Mode::Ok, false, false),
        ),
    ];
    let mut out = String::new();
    let _ = writeln!(out, "{:<20} {:>22}", "mode", "server instructions/call");
    for (case, per_call) in counted {
        let _ = writeln!(out, "{:<20} {per_call:>22.0}", scenario::case_label(*case));
    }
    for (case, per_call) in counted {
        let _ = writeln!(
            out,
            "e2e_server_instructions_per_call_{}={}",
            scenario::case_key(*case),
            per_call.round()
        );
    }
    for (key, ours, baseline) in comparisons {
        let _ = writeln!(out, "{key}={}", round2(overhead_pct(ours, baseline)));
    }
    out
}

fn samples_of(measured: &Measured, wanted: Case) -> &Samples {
    measured
        .iter()
        .find_map(|(case, samples)| (*case == wanted).then_some(samples))
        .expect("every case is measured")
}

/// "+4.39% [+1.04% to +8.09%] (+3.32%)": median, quartiles and pooled.
fn spread(sorted_rounds: &[f64], pooled: f64) -> String {
    format!(
        "{:+.2}% [{:+.2}% to {:+.2}%] ({pooled:+.2}%)",
        quantile(sorted_rounds, 0.5),
        quantile(sorted_rounds, 0.25),
        quantile(sorted_rounds, 0.75)
    )
}

/// Two decimals, without "-0" for a value that rounds to zero.
fn round2(value: f64) -> f64 {
    let rounded = (value * 100.0).round() / 100.0;
    if rounded == 0.0 { 0.0 } else { rounded }
}
