//! Which catalogue codes are retried, and on which methods.

use tonic::Code;

use crate::ErrorCode;

/// On which methods a chat error of one code may be retried.
///
/// Derived from the catalogue's options alone, so a code added to the
/// proto gets its rule without an edit here:
///
/// - a code whose `(retryable)` option is false is never retried;
/// - a retryable code sent as `RESOURCE_EXHAUSTED` (rate limiting) is a
///   refusal at the door: the server did not act on the request, so a
///   resend cannot do anything twice, and it is retried on any method;
/// - any other retryable code (server errors, a failed upload) may come
///   after the server acted, so it is retried only on a method marked
///   idempotent with
///   [`RetryPolicy::with_idempotent_method`](super::RetryPolicy::with_idempotent_method).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetryRule {
    /// Never retried: the same request would fail the same way.
    Never,
    /// Retried on a method marked idempotent only.
    IdempotentOnly,
    /// Retried on any method: the request was not processed.
    AnyMethod,
}

impl RetryRule {
    /// The rule for `code`.
    ///
    /// ```
    /// use chat_errors::ErrorCode;
    /// use chat_errors::retry::RetryRule;
    ///
    /// assert_eq!(RetryRule::of(ErrorCode::TooManyRequests), RetryRule::AnyMethod);
    /// assert_eq!(RetryRule::of(ErrorCode::InternalServerError1003), RetryRule::IdempotentOnly);
    /// assert_eq!(RetryRule::of(ErrorCode::ChannelNotFound), RetryRule::Never);
    /// ```
    pub fn of(code: ErrorCode) -> RetryRule {
        if !code.is_retryable() {
            RetryRule::Never
        } else if code.grpc_code() == Code::ResourceExhausted {
            RetryRule::AnyMethod
        } else {
            RetryRule::IdempotentOnly
        }
    }

    /// Whether an error under this rule may be retried on a method that is
    /// (`true`) or is not (`false`) marked idempotent.
    pub fn allows(self, idempotent: bool) -> bool {
        match self {
            RetryRule::Never => false,
            RetryRule::IdempotentOnly => idempotent,
            RetryRule::AnyMethod => true,
        }
    }
}
