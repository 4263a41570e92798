//! A token bucket per user: `burst` sends at once, then one more every
//! `refill_every`.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use chat_errors::{ChatError, ErrorCode};

use crate::errors::with_metadata;

/// How fast one user may send messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Messages a user may send at once after a quiet spell.
    pub burst: u32,
    /// How long the bucket takes to win back one message.
    pub refill_every: Duration,
}

impl Default for RateLimit {
    /// 20 messages at once, then one every 3 seconds.
    fn default() -> RateLimit {
        RateLimit {
            burst: 20,
            refill_every: Duration::from_secs(3),
        }
    }
}

pub(crate) struct RateLimiter {
    limit: RateLimit,
    buckets: Mutex<HashMap<String, Bucket>>,
}

struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl RateLimiter {
    pub(crate) fn new(limit: RateLimit) -> RateLimiter {
        RateLimiter {
            limit,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Spends one of `user`'s messages, or fails with TOO_MANY_REQUESTS and
    /// a RetryInfo saying when the next one is available.
    pub(crate) fn acquire(&self, user: &str) -> Result<(), ChatError> {
        self.acquire_at(user, Instant::now()).map_err(|wait| {
            with_metadata(
                ChatError::new(ErrorCode::TooManyRequests).with_retry_delay(wait),
                "limit",
                self.describe(),
            )
        })
    }

    /// Like `acquire`, at `now`; the error is the wait for the next token.
    fn acquire_at(&self, user: &str, now: Instant) -> Result<(), Duration> {
        // Every update leaves a bucket whole, so a panic elsewhere cannot
        // have broken one: keep limiting rather than fail every send.
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        let burst = f64::from(self.limit.burst);
        let bucket = buckets.entry(user.to_owned()).or_insert(Bucket {
            tokens: burst,
            updated: now,
        });
        let refilled = now.saturating_duration_since(bucket.updated).as_secs_f64()
            / self.limit.refill_every.as_secs_f64();
        bucket.tokens = (bucket.tokens + refilled).min(burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        Err(self.limit.refill_every.mul_f64(1.0 - bucket.tokens))
    }

    fn describe(&self) -> String {
        format!(
            "{} messages, then 1 every {:?}",
            self.limit.burst, self.limit.refill_every
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chat_errors::ChatStatusExt;

    fn limiter() -> RateLimiter {
        RateLimiter::new(RateLimit {
            burst: 3,
            refill_every: Duration::from_secs(2),
        })
    }

    #[test]
    fn a_burst_passes_then_the_wait_is_one_refill() {
        let limiter = limiter();
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.acquire_at("alice", start), Ok(()));
        }
        assert_eq!(
            limiter.acquire_at("alice", start),
            Err(Duration::from_secs(2))
        );
    }

    #[test]
    fn the_wait_shrinks_as_time_passes_and_then_one_send_passes() {
        let limiter = limiter();
        let start = Instant::now();
        for _ in 0..3 {
            limiter.acquire_at("alice", start).unwrap();
        }
        let later = start + Duration::from_millis(1500);
        assert_eq!(
            limiter.acquire_at("alice", later),
            Err(Duration::from_millis(500))
        );
        let refilled = start + Duration::from_secs(2);
        assert_eq!(limiter.acquire_at("alice", refilled), Ok(()));
        assert_eq!(
            limiter.acquire_at("alice", refilled),
            Err(Duration::from_secs(2))
        );
    }

    #[test]
    fn users_have_their_own_buckets_and_quiet_spells_refill_only_to_the_burst() {
        let limiter = limiter();
        let start = Instant::now();
        for _ in 0..3 {
            limiter.acquire_at("alice", start).unwrap();
        }
        assert_eq!(limiter.acquire_at("bob", start), Ok(()));
        let much_later = start + Duration::from_secs(3600);
        for _ in 0..3 {
            assert_eq!(limiter.acquire_at("alice", much_later), Ok(()));
        }
        assert!(limiter.acquire_at("alice", much_later).is_err());
    }

    #[test]
    fn the_refusal_is_too_many_requests_with_retry_info() {
        let limiter = limiter();
        for _ in 0..3 {
            limiter.acquire("alice").unwrap();
        }
        let refusal = limiter.acquire("alice").unwrap_err();
        assert_eq!(refusal.code(), ErrorCode::TooManyRequests);
        let sent = tonic::Status::from(refusal)
            .get_chat_error(&chat_errors::Domain::default())
            .expect("a chat error");
        let delay = sent.retry_delay().expect("a retry delay");
        assert!(
            delay > Duration::ZERO && delay <= Duration::from_secs(2),
            "{delay:?}"
        );
        assert_eq!(
            sent.metadata().get("limit").map(String::as_str),
            Some("3 messages, then 1 every 2s")
        );
        assert_eq!(sent.metadata().len(), 3, "code, message and limit");
    }
}
