//! gRFC A6's retry throttling: one token bucket shared by every call made
//! through a layer, so that a failing service is not stormed.

use std::sync::atomic::{AtomicU32, Ordering};

/// Tokens are kept in thousandths, as A6 keeps `token_ratio` to three
/// decimal places, so the bucket is one atomic integer.
const MILLI: u32 = 1000;

#[derive(Debug)]
pub(crate) struct RetryBudget {
    milli_tokens: AtomicU32,
    max_milli_tokens: u32,
    milli_ratio: u32,
}

impl RetryBudget {
    pub(crate) fn new(max_tokens: u32, token_ratio: f64) -> RetryBudget {
        let max_milli_tokens = max_tokens.saturating_mul(MILLI);
        RetryBudget {
            milli_tokens: AtomicU32::new(max_milli_tokens),
            max_milli_tokens,
            milli_ratio: (token_ratio * f64::from(MILLI)).round() as u32,
        }
    }

    /// A6: retries stop while the bucket is at or below half full.
    pub(crate) fn allows_retry(&self) -> bool {
        self.milli_tokens.load(Ordering::Relaxed) > self.max_milli_tokens / 2
    }

    /// An attempt failed with an error the policy would retry: one token.
    pub(crate) fn record_failure(&self) {
        let _ = self
            .milli_tokens
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |tokens| {
                Some(tokens.saturating_sub(MILLI))
            });
    }

    /// A call succeeded: `token_ratio` tokens back, up to the maximum.
    pub(crate) fn record_success(&self) {
        // The bucket is full on a healthy service; a load keeps the
        // success path from writing a shared cache line on every call.
        if self.milli_tokens.load(Ordering::Relaxed) >= self.max_milli_tokens {
            return;
        }
        let _ = self
            .milli_tokens
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |tokens| {
                (tokens < self.max_milli_tokens)
                    .then(|| (tokens + self.milli_ratio).min(self.max_milli_tokens))
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_bucket_of_ten_allows_five_failures_then_stops() {
        // A6: with max_tokens 10, retries stop once the count is <= 5,
        // that is after the fifth failure.
        let budget = RetryBudget::new(10, 0.1);
        for failure in 1..=5 {
            assert!(budget.allows_retry(), "before failure {failure}");
            budget.record_failure();
        }
        assert!(!budget.allows_retry());
    }

    #[test]
    fn successes_earn_the_ratio_back_and_never_overfill() {
        let budget = RetryBudget::new(10, 0.1);
        for _ in 0..5 {
            budget.record_failure();
        }
        assert!(!budget.allows_retry());
        // 5.0 tokens; one success gives 5.1, over half of 10.
        budget.record_success();
        assert!(budget.allows_retry());
        for _ in 0..1000 {
            budget.record_success();
        }
        assert_eq!(budget.milli_tokens.load(Ordering::Relaxed), 10_000);
    }

    #[test]
    fn an_empty_bucket_stays_at_zero() {
        let budget = RetryBudget::new(2, 0.5);
        for _ in 0..10 {
            budget.record_failure();
        }
        assert_eq!(budget.milli_tokens.load(Ordering::Relaxed), 0);
        budget.record_success();
        budget.record_success();
        // 1.0 of 2 is half full: still no retries.
        assert!(!budget.allows_retry());
        budget.record_success();
        assert!(budget.allows_retry());
    }
}
