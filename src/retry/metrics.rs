//! gRFC A96's per-call retry instruments (features `retry` and
//! `opentelemetry`), recorded from [`report`](super::report) alone.

use opentelemetry::KeyValue;
use opentelemetry::metrics::{Histogram, Meter};

use super::report::CallRetries;
use crate::metrics::{OTHER, method_of};

/// A96's bucket boundaries for `grpc.client.call.retries`.
const RETRIES_BOUNDARIES: [f64; 5] = [1.0, 2.0, 3.0, 4.0, 5.0];

/// A66's latency buckets, in seconds, which A96 keeps for the delay.
const DELAY_BOUNDARIES: [f64; 41] = [
    0.0, 0.00001, 0.00005, 0.0001, 0.0003, 0.0006, 0.0008, 0.001, 0.002, 0.003, 0.004, 0.005,
    0.006, 0.008, 0.01, 0.013, 0.016, 0.02, 0.025, 0.03, 0.04, 0.05, 0.065, 0.08, 0.1, 0.13, 0.16,
    0.2, 0.25, 0.3, 0.4, 0.5, 0.65, 0.8, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0,
];

/// The two histograms, and the channel's target that labels them.
#[derive(Clone, Debug)]
pub(crate) struct RetryMetrics {
    retries: Histogram<u64>,
    retry_delay: Histogram<f64>,
    target: KeyValue,
}

impl RetryMetrics {
    pub(crate) fn new(meter: &Meter, target: String) -> RetryMetrics {
        RetryMetrics {
            retries: meter
                .u64_histogram("grpc.client.call.retries")
                .with_unit("{retry}")
                .with_description("Number of retries during the client call.")
                .with_boundaries(RETRIES_BOUNDARIES.to_vec())
                .build(),
            retry_delay: meter
                .f64_histogram("grpc.client.call.retry_delay")
                .with_unit("s")
                .with_description(
                    "Total time of delay while there is no active attempt during the client call.",
                )
                .with_boundaries(DELAY_BOUNDARIES.to_vec())
                .build(),
            target: KeyValue::new("grpc.target", target),
        }
    }

    /// A96 reports nothing for a call without retries, not even a zero.
    pub(crate) fn record(&self, path: &str, call: &CallRetries) {
        if call.retries == 0 {
            return;
        }
        // The path comes from the client's own stubs, so it is bounded;
        // anything not of the gRPC form is one value.
        let method = method_of(path).unwrap_or(OTHER).to_owned();
        let attributes = [KeyValue::new("grpc.method", method), self.target.clone()];
        self.retries.record(u64::from(call.retries), &attributes);
        self.retry_delay
            .record(call.retry_delay.as_secs_f64(), &attributes);
    }
}
