//! [`RetryPolicy`]: the settings, and the verdict on one attempt's response.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use http::{HeaderMap, StatusCode};
use tonic::Code;

use super::backoff::Backoff;
use super::rule::RetryRule;
use crate::wire::GRPC_STATUS;
use crate::{ChatStatusExt, Domain, status_from_headers};

/// gRFC A6's header through which a server tells the client when, or
/// whether, to retry.
pub(crate) const RETRY_PUSHBACK_MS: &str = "grpc-retry-pushback-ms";

/// What the retry layer does: which errors it retries, how often, how long
/// it waits, and what it keeps to resend.
///
/// [`RetryPolicy::default`] is safe on any service: it retries rate
/// limiting (`1010 TooManyRequests`, which the server refused before
/// acting) on every method, and nothing else until methods are marked
/// idempotent. See the [module](super) for the rule of each code.
///
/// ```
/// use std::time::Duration;
/// use chat_errors::retry::{RetryLayer, RetryPolicy};
///
/// let policy = RetryPolicy::default()
///     .with_idempotent_method("/chat.v1.ChatService/GetChannel")
///     .with_max_attempts(4)
///     .with_max_delay(Duration::from_secs(2));
/// let _layer = RetryLayer::new(policy);
/// ```
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    pub(crate) domain: Domain,
    pub(crate) max_attempts: u32,
    pub(crate) max_delay: Duration,
    pub(crate) backoff: Backoff,
    pub(crate) max_tokens: u32,
    pub(crate) token_ratio: f64,
    pub(crate) body_limit: usize,
    idempotent_methods: Arc<HashSet<Box<str>>>,
    plain_retryable_codes: Vec<Code>,
    #[cfg(feature = "opentelemetry")]
    pub(crate) metrics: Option<super::metrics::RetryMetrics>,
}

impl Default for RetryPolicy {
    /// Three attempts; a server-given delay of up to 5 s is waited;
    /// otherwise backoff from 100 ms doubling up to 1 s, with full jitter;
    /// gRFC A6's throttling with 10 tokens and a ratio of 0.1; request
    /// bodies kept up to 64 KiB; no method idempotent; statuses without a
    /// chat error never retried; chat errors of [`Domain::default`].
    fn default() -> RetryPolicy {
        RetryPolicy {
            domain: Domain::default(),
            max_attempts: 3,
            max_delay: Duration::from_secs(5),
            backoff: Backoff {
                initial: Duration::from_millis(100),
                max: Duration::from_secs(1),
                multiplier: 2.0,
            },
            max_tokens: 10,
            token_ratio: 0.1,
            body_limit: 64 * 1024,
            idempotent_methods: Arc::default(),
            plain_retryable_codes: Vec::new(),
            #[cfg(feature = "opentelemetry")]
            metrics: None,
        }
    }
}

impl RetryPolicy {
    /// Reads chat errors of `domain` rather than [`Domain::default`]; an
    /// ErrorInfo of another domain is then a status without a chat error.
    pub fn with_domain(mut self, domain: Domain) -> RetryPolicy {
        self.domain = domain;
        self
    }

    /// At most `attempts` attempts per call, the first included; 1 turns
    /// retries off, and 0 is read as 1.
    pub fn with_max_attempts(mut self, attempts: u32) -> RetryPolicy {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The longest server-given delay (`RetryInfo`, or
    /// `grpc-retry-pushback-ms`) the layer waits. A server asking for
    /// longer is not retried early: its error goes to the caller, with the
    /// delay, to schedule as it sees fit.
    pub fn with_max_delay(mut self, max_delay: Duration) -> RetryPolicy {
        self.max_delay = max_delay;
        self
    }

    /// The backoff when the server gives no delay: retry `n` waits a
    /// uniformly random time up to `min(initial * multiplier^(n-1), max)`,
    /// as gRFC A6 defines it.
    ///
    /// # Panics
    ///
    /// When `multiplier` is not a finite number of at least 1.
    pub fn with_backoff(
        mut self,
        initial: Duration,
        max: Duration,
        multiplier: f64,
    ) -> RetryPolicy {
        assert!(
            multiplier.is_finite() && multiplier >= 1.0,
            "a backoff multiplier must be a finite number >= 1, not {multiplier}"
        );
        self.backoff = Backoff {
            initial,
            max,
            multiplier,
        };
        self
    }

    /// gRFC A6's retry throttling, shared by every call through one
    /// [`RetryLayer`](super::RetryLayer): the bucket starts with
    /// `max_tokens`, each failure the policy would retry takes one, each
    /// success gives `token_ratio` back, and no call is retried while the
    /// bucket is at or below half full.
    ///
    /// # Panics
    ///
    /// When `max_tokens` is 0 or over 1000, or `token_ratio` is not in
    /// `(0, 1]`: A6's bounds.
    pub fn with_budget(mut self, max_tokens: u32, token_ratio: f64) -> RetryPolicy {
        assert!(
            (1..=1000).contains(&max_tokens),
            "max_tokens must be in 1..=1000, not {max_tokens}"
        );
        assert!(
            token_ratio > 0.0 && token_ratio <= 1.0,
            "token_ratio must be in (0, 1], not {token_ratio}"
        );
        self.max_tokens = max_tokens;
        self.token_ratio = token_ratio;
        self
    }

    /// Request bodies of up to `bytes` (as framed on the wire) are kept to
    /// be resent; a call with a larger body is sent once, unretried.
    pub fn with_body_limit(mut self, bytes: usize) -> RetryPolicy {
        self.body_limit = bytes;
        self
    }

    /// Marks the method at `path`, e.g. `"/chat.v1.ChatService/GetChannel"`,
    /// as idempotent: doing it twice has the effect of doing it once, so
    /// errors the server may have raised after acting are retried on it too.
    pub fn with_idempotent_method(mut self, path: impl Into<String>) -> RetryPolicy {
        Arc::make_mut(&mut self.idempotent_methods).insert(path.into().into_boxed_str());
        self
    }

    /// Statuses that carry no chat error (from a proxy, a load balancer or
    /// the transport) are retried when their code is in `codes`, on
    /// idempotent methods only, with backoff. None are by default: such a
    /// status does not say whether the server acted.
    pub fn with_plain_retryable_codes(
        mut self,
        codes: impl IntoIterator<Item = Code>,
    ) -> RetryPolicy {
        self.plain_retryable_codes = codes.into_iter().collect();
        self
    }

    /// Records gRFC A96's `grpc.client.call.retries` and
    /// `grpc.client.call.retry_delay` with `meter`, for every call that was
    /// retried (A96 records nothing for a call without retries), labelled
    /// `grpc.method` and `grpc.target`: `target` is the channel's target
    /// URI, e.g. `"dns:///chat.example.com:443"`, which the layer cannot see
    /// (feature `opentelemetry`).
    #[cfg(feature = "opentelemetry")]
    pub fn with_meter(
        mut self,
        meter: &opentelemetry::metrics::Meter,
        target: impl Into<String>,
    ) -> RetryPolicy {
        self.metrics = Some(super::metrics::RetryMetrics::new(meter, target.into()));
        self
    }

    fn is_idempotent(&self, path: &str) -> bool {
        self.idempotent_methods.contains(path)
    }

    /// What to do with the response to one attempt of a call to `path`.
    pub(crate) fn verdict<B>(&self, path: &str, response: &http::Response<B>) -> Verdict {
        let headers = response.headers();
        if !headers.contains_key(GRPC_STATUS) {
            if response.status() == StatusCode::OK {
                // A6: the call is committed once the server's headers arrive,
                // unless they are trailers-only; its messages are the caller's.
                return Verdict::Deliver { success: true };
            }
            return self.plain_verdict(path, http_fallback_code(response.status()), headers);
        }
        let Ok(Some(status)) = status_from_headers(headers) else {
            // A status that cannot be read cannot be known to be safe to resend.
            return Verdict::Deliver { success: false };
        };
        if status.code() == Code::Ok {
            return Verdict::Deliver { success: true };
        }
        match status.check_chat_error(&self.domain) {
            Err(_) => Verdict::Deliver { success: false },
            Ok(None) => self.plain_verdict(path, status.code(), headers),
            Ok(Some(chat_error)) => {
                // A code of a newer catalogue: its retryability is unknown.
                let Some(code) = chat_error.code() else {
                    return Verdict::Deliver { success: false };
                };
                if !RetryRule::of(code).allows(self.is_idempotent(path)) {
                    return Verdict::Deliver { success: false };
                }
                server_verdict(chat_error.retry_delay(), headers)
            }
        }
    }

    fn plain_verdict(&self, path: &str, code: Code, headers: &HeaderMap) -> Verdict {
        if self.plain_retryable_codes.contains(&code) && self.is_idempotent(path) {
            server_verdict(None, headers)
        } else {
            Verdict::Deliver { success: false }
        }
    }
}

/// The verdict on an error the policy retries, once the server's own word
/// (RetryInfo, pushback) is heard.
fn server_verdict(retry_info: Option<Duration>, headers: &HeaderMap) -> Verdict {
    match pushback(headers) {
        Pushback::DoNotRetry => Verdict::Refused,
        Pushback::After(pushback) => Verdict::Retry {
            // Both are the server's wish; waiting the longer honours both.
            server_delay: Some(retry_info.map_or(pushback, |delay| delay.max(pushback))),
        },
        Pushback::None => Verdict::Retry {
            server_delay: retry_info,
        },
    }
}

enum Pushback {
    None,
    After(Duration),
    DoNotRetry,
}

/// gRFC A6: a non-negative decimal integer of milliseconds is the delay;
/// anything else, a negative value included, means "do not retry".
fn pushback(headers: &HeaderMap) -> Pushback {
    let Some(value) = headers.get(RETRY_PUSHBACK_MS) else {
        return Pushback::None;
    };
    let digits = value.as_bytes();
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Pushback::DoNotRetry;
    }
    // All digits, so only an overflow fails: a delay past any cap.
    std::str::from_utf8(digits)
        .ok()
        .and_then(|text| text.parse::<u64>().ok())
        .map_or(Pushback::After(Duration::MAX), |ms| {
            Pushback::After(Duration::from_millis(ms))
        })
}

/// The gRPC code of an HTTP response that has no `grpc-status`, as the
/// gRPC spec's HTTP-to-gRPC mapping gives it (and tonic reads it).
fn http_fallback_code(status: StatusCode) -> Code {
    match status.as_u16() {
        400 => Code::Internal,
        401 => Code::Unauthenticated,
        403 => Code::PermissionDenied,
        404 => Code::Unimplemented,
        429 | 502 | 503 | 504 => Code::Unavailable,
        _ => Code::Unknown,
    }
}

/// The policy's verdict on one attempt's response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The response goes to the caller.
    Deliver {
        /// Whether it counts as a success towards the retry budget.
        success: bool,
    },
    /// An error the policy retries; the server's delay, if it gave one.
    Retry { server_delay: Option<Duration> },
    /// An error the policy would retry, but the server said not to.
    Refused,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ChatError, ErrorCode};

    const PATH: &str = "/chat.v1.ChatService/GetChannel";

    fn trailers_only(status: tonic::Status) -> http::Response<()> {
        status.into_http()
    }

    fn with_header(
        mut response: http::Response<()>,
        name: &'static str,
        value: &'static str,
    ) -> http::Response<()> {
        response
            .headers_mut()
            .insert(name, http::HeaderValue::from_static(value));
        response
    }

    #[test]
    fn with_retry_info_and_pushback_the_longer_is_waited() {
        let policy = RetryPolicy::default();
        let limited = |delay| {
            trailers_only(
                ChatError::new(ErrorCode::TooManyRequests)
                    .with_retry_delay(Duration::from_millis(delay))
                    .into(),
            )
        };
        for (retry_info, pushback, expected) in [(300, "100", 300), (100, "300", 300)] {
            let response = with_header(limited(retry_info), RETRY_PUSHBACK_MS, pushback);
            assert_eq!(
                policy.verdict(PATH, &response),
                Verdict::Retry {
                    server_delay: Some(Duration::from_millis(expected))
                }
            );
        }
    }

    #[test]
    fn a_pushback_too_large_for_a_number_is_a_delay_past_any_cap() {
        let response = with_header(
            trailers_only(ErrorCode::TooManyRequests.into()),
            RETRY_PUSHBACK_MS,
            "99999999999999999999999",
        );
        assert_eq!(
            RetryPolicy::default().verdict(PATH, &response),
            Verdict::Retry {
                server_delay: Some(Duration::MAX)
            }
        );
    }

    #[test]
    fn an_http_error_without_grpc_status_reads_as_the_spec_maps_it() {
        let policy = RetryPolicy::default()
            .with_idempotent_method(PATH)
            .with_plain_retryable_codes([Code::Unavailable]);
        for (http_status, retried) in [
            (503, true),
            (502, true),
            (504, true),
            (429, true),
            (500, false),
            (404, false),
        ] {
            let mut response = http::Response::new(());
            *response.status_mut() = StatusCode::from_u16(http_status).unwrap();
            let verdict = policy.verdict(PATH, &response);
            assert_eq!(
                verdict == (Verdict::Retry { server_delay: None }),
                retried,
                "HTTP {http_status}: {verdict:?}"
            );
        }
    }

    #[test]
    fn a_started_response_is_a_success_and_never_retried() {
        let policy = RetryPolicy::default().with_idempotent_method(PATH);
        assert_eq!(
            policy.verdict(PATH, &http::Response::new(())),
            Verdict::Deliver { success: true }
        );
    }

    #[test]
    fn details_that_do_not_decode_strictly_are_not_retried() {
        // 1003 sent as UNAVAILABLE contradicts the catalogue (INTERNAL).
        let mut status: tonic::Status = ErrorCode::InternalServerError1003.into();
        status = tonic::Status::with_details(
            Code::Unavailable,
            status.message(),
            status.details().to_vec().into(),
        );
        let policy = RetryPolicy::default()
            .with_idempotent_method(PATH)
            .with_plain_retryable_codes([Code::Unavailable]);
        assert_eq!(
            policy.verdict(PATH, &trailers_only(status)),
            Verdict::Deliver { success: false }
        );
    }
}
