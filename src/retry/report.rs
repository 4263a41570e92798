//! The one place a call's retries are reported.
//!
//! gRFC A96's client retry instruments (`grpc.client.call.retries`,
//! `grpc.client.call.retry_delay`) are recorded per call, so the layer
//! hands each finished call's [`CallRetries`] to [`report`] and nowhere
//! else; with the feature `opentelemetry` it records them there.

use std::time::Duration;

use super::RetryPolicy;

/// Why a call that got a retryable error was not tried again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StopReason {
    /// `max_attempts` were made.
    AttemptsExhausted,
    /// The retry budget is at or below half full.
    Throttled,
    /// The server's delay is over `max_delay`.
    DelayOverCap,
    /// `grpc-retry-pushback-ms` said not to retry.
    PushedBack,
    /// The wait would outlast the caller's deadline.
    DeadlineTooClose,
}

/// What the layer did on one call that it could resend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CallRetries {
    /// Attempts after the first.
    pub(crate) retries: u32,
    /// The time waited between attempts, in all.
    pub(crate) retry_delay: Duration,
    /// Set when the call ended on a retryable error left unretried.
    pub(crate) stopped: Option<StopReason>,
}

/// A96 records nothing for a call without retries; the log follows it, so
/// the success path stays silent.
pub(crate) fn report(policy: &RetryPolicy, path: &str, call: &CallRetries) {
    if call.retries == 0 && call.stopped.is_none() {
        return;
    }
    #[cfg(feature = "opentelemetry")]
    if let Some(metrics) = &policy.metrics {
        metrics.record(path, call);
    }
    #[cfg(not(feature = "opentelemetry"))]
    let _ = policy;
    tracing::debug!(
        rpc.method = path,
        retries = call.retries,
        retry_delay_ms = call.retry_delay.as_millis() as u64,
        stopped = ?call.stopped,
        "chat-errors retry"
    );
}
