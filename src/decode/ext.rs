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
/// As in `tonic-types`, `check_*` is strict and `get_*` is lenient. Each
/// takes the [`Domain`] whose chat error to look for; an ErrorInfo of
/// another domain is not the caller's, and reads as no chat error.
///
/// **Strict** (`check_*`) answers `Ok(None)` when the details hold no
/// ErrorInfo of the domain, and a [`DecodeError`] naming the first problem
/// when any of these holds:
///
/// - `grpc-status-details-bin` is not a `google.rpc.Status`, a detail is not
///   a well-formed `google.protobuf.Any`, or a string in either is not UTF-8;
/// - a detail of a type the crate reads (`ErrorInfo`, `LocalizedMessage`,
///   `RetryInfo`, `BadRequest`, `ResourceInfo`, `RequestInfo`) does not
///   decode as that type, or the domain's `ErrorInfo`, `RetryInfo`,
///   `BadRequest`, `ResourceInfo` or `RequestInfo` appears twice;
/// - `google.rpc.Status.code` is not `grpc-status`, or its message is not
///   `grpc-message`;
/// - ErrorInfo metadata `code` is not a number, or not canonical decimal
///   (`"02003"`, `"+2003"`, `" 2003"`);
/// - metadata `code` and the reason name different codes: one of them is
///   in this build's catalogue and the other is not its number or reason;
/// - for a code in this build's catalogue: `grpc-status` is not its gRPC
///   code, or metadata `message` is not its original name;
/// - `RetryInfo.retry_delay` is negative once normalised. A delay past
///   protobuf's documented range (about 10,000 years) is read as sent, as
///   prost reads it.
///
/// A code from a newer catalogue (a number and a reason this build both do
/// not know) is accepted and kept. Without metadata `code` the reason gives
/// the code; without metadata `message` there is no name to check. Detail
/// types the crate does not read are passed over once they parse as `Any`.
///
/// **Lenient** (`get_*`) checks none of the agreements above. A detail that
/// does not parse is passed over, the first of repeated ones wins, text
/// that is not UTF-8 is read lossily, metadata `code` that is not a number
/// gives way to the reason, and a bad retry delay is dropped; they answer
/// `None` only when no chat error can be found (or the details are not a
/// `google.rpc.Status` at all): lenient is strict or nothing, with the
/// checks dropped.
///
/// This trait is sealed: only `tonic::Status` implements it.
///
/// ```
/// use chat_errors::{ChatStatusExt, Domain, ErrorCode};
///
/// let domain = Domain::default();
/// let status = tonic::Status::from(ErrorCode::MutedInChannel);
/// assert_eq!(status.chat_error_code(&domain), Some(ErrorCode::MutedInChannel));
///
/// let err = status.check_chat_error(&domain)?.expect("a chat error");
/// assert_eq!(err.reason(), "MUTED_IN_CHANNEL");
/// assert_eq!(err.localized_message().unwrap().message, "채널에서 mute된 상태입니다");
///
/// let plain = tonic::Status::internal("boom");
/// assert_eq!(plain.check_chat_error(&domain)?, None);
/// # Ok::<(), chat_errors::DecodeError>(())
/// ```
pub trait ChatStatusExt: sealed::Sealed {
    /// The chat error of `domain`, strictly.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] for any of the problems listed on the
    /// [trait](ChatStatusExt): broken or repeated details, or a chat error
    /// that contradicts itself or its status.
    fn check_chat_error(&self, domain: &Domain) -> Result<Option<DecodedChatError>, DecodeError>;

    /// The chat error of `domain`, leniently: what
    /// [`check_chat_error`](Self::check_chat_error) finds, with none of its
    /// agreements checked and what cannot be read passed over.
    fn get_chat_error(&self, domain: &Domain) -> Option<DecodedChatError>;

    /// Only the code of the chat error of `domain`, read leniently without
    /// allocating: `None` when there is none, or when its code is not in
    /// this build's catalogue.
    fn chat_error_code(&self, domain: &Domain) -> Option<ErrorCode>;
}

impl ChatStatusExt for Status {
    fn check_chat_error(&self, domain: &Domain) -> Result<Option<DecodedChatError>, DecodeError> {
        decode_status(self, domain.as_str(), Strictness::Strict)
    }

    fn get_chat_error(&self, domain: &Domain) -> Option<DecodedChatError> {
        decode_status(self, domain.as_str(), Strictness::Lenient).unwrap_or(None)
    }

    fn chat_error_code(&self, domain: &Domain) -> Option<ErrorCode> {
        code_of(self, domain.as_str())
    }
}
