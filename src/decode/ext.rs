//! [`ChatStatusExt`]: the client-side entry points on `tonic::Status`.

use tonic::Status;

use super::read::{Strictness, code_of, decode_status};
use super::{DecodeError, DecodedChatError};
use crate::ErrorCode;
use crate::domain::Domain;

mod sealed {
    pub trait Sealed {}
    impl Sealed for tonic::Status {}
}

/// Reads chat errors out of a [`tonic::Status`].
///
/// The `check_*` methods are strict: broken, repeated or inconsistent details
/// are a [`DecodeError`]. The `get_*` methods are lenient: a detail that
/// does not parse is passed over, the first of repeated ones wins, text that
/// is not UTF-8 is read lossily, and they answer `None` only when no chat
/// error can be found (or the details are not a `google.rpc.Status` at all).
/// [`chat_error_code`](Self::chat_error_code) reads leniently too, and finds
/// the code without allocating. Methods without `_in` expect the
/// [default domain](crate::DEFAULT_DOMAIN).
///
/// This trait is sealed: only `tonic::Status` implements it.
///
/// ```
/// use chat_errors::{ChatStatusExt, ErrorCode};
///
/// let status = tonic::Status::from(ErrorCode::MutedInChannel);
/// assert!(status.is_chat_error(ErrorCode::MutedInChannel));
///
/// let err = status.check_chat_error()?.expect("a chat error");
/// assert_eq!(err.reason(), "MUTED_IN_CHANNEL");
/// assert_eq!(err.localized_message("ko-KR"), Some("채널에서 mute된 상태입니다"));
///
/// let plain = tonic::Status::internal("boom");
/// assert_eq!(plain.check_chat_error()?, None);
/// # Ok::<(), chat_errors::DecodeError>(())
/// ```
pub trait ChatStatusExt: sealed::Sealed {
    /// The chat error in the default domain, strictly.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] when `grpc-status-details-bin` is not a
    /// `google.rpc.Status`, or, once the domain's ErrorInfo is found, when a
    /// detail is malformed or repeated or the details disagree with the
    /// status code or message.
    fn check_chat_error(&self) -> Result<Option<DecodedChatError>, DecodeError>;

    /// The chat error in `domain`, strictly; see [`check_chat_error`](Self::check_chat_error).
    ///
    /// # Errors
    ///
    /// As [`check_chat_error`](Self::check_chat_error).
    fn check_chat_error_in(&self, domain: &Domain)
    -> Result<Option<DecodedChatError>, DecodeError>;

    /// The chat error in the default domain, leniently.
    fn get_chat_error(&self) -> Option<DecodedChatError>;

    /// The chat error in `domain`, leniently.
    fn get_chat_error_in(&self, domain: &Domain) -> Option<DecodedChatError>;

    /// Only the code of the chat error in the default domain: `None` when
    /// there is none, or when its code is not in this build's catalogue.
    fn chat_error_code(&self) -> Option<ErrorCode>;

    /// Only the code of the chat error in `domain`.
    fn chat_error_code_in(&self, domain: &Domain) -> Option<ErrorCode>;

    /// Whether this is the chat error `code` in the default domain.
    fn is_chat_error(&self, code: ErrorCode) -> bool {
        self.chat_error_code() == Some(code)
    }
}

impl ChatStatusExt for Status {
    fn check_chat_error(&self) -> Result<Option<DecodedChatError>, DecodeError> {
        decode_status(self, crate::DEFAULT_DOMAIN, Strictness::Strict)
    }

    fn check_chat_error_in(
        &self,
        domain: &Domain,
    ) -> Result<Option<DecodedChatError>, DecodeError> {
        decode_status(self, domain.as_str(), Strictness::Strict)
    }

    fn get_chat_error(&self) -> Option<DecodedChatError> {
        decode_status(self, crate::DEFAULT_DOMAIN, Strictness::Lenient).unwrap_or(None)
    }

    fn get_chat_error_in(&self, domain: &Domain) -> Option<DecodedChatError> {
        decode_status(self, domain.as_str(), Strictness::Lenient).unwrap_or(None)
    }

    fn chat_error_code(&self) -> Option<ErrorCode> {
        code_of(self, crate::DEFAULT_DOMAIN)
    }

    fn chat_error_code_in(&self, domain: &Domain) -> Option<ErrorCode> {
        code_of(self, domain.as_str())
    }
}
