//! How long to wait before the next attempt when the server did not say:
//! gRFC A6's exponential backoff with full jitter.

use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Backoff {
    pub(crate) initial: Duration,
    pub(crate) max: Duration,
    pub(crate) multiplier: f64,
}

impl Backoff {
    /// The ceiling of the wait before retry number `retry` (1 for the first
    /// retry): `min(initial * multiplier^(retry-1), max)`.
    pub(crate) fn ceiling(&self, retry: u32) -> Duration {
        let exponent = i32::try_from(retry.saturating_sub(1)).unwrap_or(i32::MAX);
        let seconds = self.initial.as_secs_f64() * self.multiplier.powi(exponent);
        // An overflowing power is infinite, and min() keeps it at max.
        Duration::try_from_secs_f64(seconds.min(self.max.as_secs_f64())).unwrap_or(self.max)
    }

    /// A6: a uniformly random wait between zero and the ceiling, so that clients which
    /// failed together do not retry together.
    pub(crate) fn jittered(&self, retry: u32) -> Duration {
        self.ceiling(retry).mul_f64(fastrand::f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BACKOFF: Backoff = Backoff {
        initial: Duration::from_millis(100),
        max: Duration::from_secs(1),
        multiplier: 2.0,
    };

    #[test]
    fn the_ceiling_doubles_from_initial_up_to_max() {
        let ceilings: Vec<u128> = (1..=6)
            .map(|retry| BACKOFF.ceiling(retry).as_millis())
            .collect();
        assert_eq!(ceilings, [100, 200, 400, 800, 1000, 1000]);
        assert_eq!(BACKOFF.ceiling(u32::MAX), Duration::from_secs(1));
    }

    #[test]
    fn a_jittered_wait_stays_under_its_ceiling() {
        for retry in 1..=8 {
            for _ in 0..200 {
                assert!(BACKOFF.jittered(retry) <= BACKOFF.ceiling(retry));
            }
        }
    }
}
