//! The client direction: reading a chat error back out of a `tonic::Status`.

mod error;
mod ext;
mod read;
mod scan;

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use tonic::{Code, Status};

use crate::domain::Domain;
use crate::wire::METADATA_NAME_KEY;
use crate::{ErrorCode, FieldViolation, LocalizedMessage, RequestInfo, ResourceInfo};
pub(crate) use read::{Strictness, decode_status};

pub use error::{DecodeError, MalformedProtobuf, NotChatError};
pub use ext::ChatStatusExt;
pub(crate) use read::code_of;
pub(crate) use scan::{AnyView, ErrorInfoView, StatusView};

/// A chat error as a client received it.
///
/// Everything comes from the wire, so a peer running a newer catalogue can
/// send a code this build does not know: [`code`](Self::code) is then `None`
/// while [`number`](Self::number) and [`reason`](Self::reason) keep what was
/// sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedChatError {
    code: Option<ErrorCode>,
    number: Option<i32>,
    grpc_code: Code,
    reason: String,
    domain: String,
    metadata: HashMap<String, String>,
    message: String,
    localized_messages: Vec<LocalizedMessage>,
    retry_delay: Option<Duration>,
    field_violations: Vec<FieldViolation>,
    resource_info: Option<ResourceInfo>,
    request_info: Option<RequestInfo>,
}

impl DecodedChatError {
    /// The error code, if this build's catalogue has it.
    pub fn code(&self) -> Option<ErrorCode> {
        self.code
    }

    /// Whether this is the error `code`.
    ///
    /// ```
    /// use chat_errors::{ChatStatusExt, ErrorCode};
    /// let status = tonic::Status::from(ErrorCode::MutedInChannel);
    /// let err = status.get_chat_error().expect("a chat error");
    /// assert!(err.is(ErrorCode::MutedInChannel));
    /// assert!(!err.is(ErrorCode::BannedFromChannel));
    /// ```
    pub fn is(&self, code: ErrorCode) -> bool {
        self.code == Some(code)
    }

    /// The numeric code as sent: from ErrorInfo metadata `code`, or else
    /// from the reason. Kept even when [`code`](Self::code) is `None`.
    pub fn number(&self) -> Option<i32> {
        self.number
    }

    /// The `grpc-status` the error arrived with.
    pub fn grpc_code(&self) -> Code {
        self.grpc_code
    }

    /// The HTTP status of [`grpc_code`](Self::grpc_code) under the standard mapping.
    pub fn http_status(&self) -> http::StatusCode {
        crate::http_status_for(self.grpc_code)
    }

    /// `ErrorInfo.reason`, e.g. `CHANNEL_NOT_FOUND`.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// `ErrorInfo.domain`.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The original error name from ErrorInfo metadata `message`, e.g. `ChannelNotFound`.
    pub fn name(&self) -> Option<&str> {
        self.metadata.get(METADATA_NAME_KEY).map(String::as_str)
    }

    /// All of `ErrorInfo.metadata`, `code` and `message` included.
    pub fn metadata(&self) -> &HashMap<String, String> {
        &self.metadata
    }

    /// The status message (`grpc-message`).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Every `LocalizedMessage` detail, in the order sent. A chat server
    /// sends exactly one; see [`localized_message`](Self::localized_message).
    pub fn localized_messages(&self) -> &[LocalizedMessage] {
        &self.localized_messages
    }

    /// The user-facing message that was sent, with its locale: the first
    /// `LocalizedMessage`. A server behind a
    /// [`LocaleLayer`](crate::layer::LocaleLayer) sends it in the locale
    /// negotiated from the caller's `accept-language`.
    ///
    /// ```
    /// use chat_errors::{ChatStatusExt, ErrorCode};
    /// let sent = tonic::Status::from(ErrorCode::MutedInChannel).get_chat_error().unwrap();
    /// let localized = sent.localized_message().expect("one LocalizedMessage");
    /// assert_eq!(localized.locale, "ko-KR");
    /// assert_eq!(localized.message, "채널에서 mute된 상태입니다");
    /// ```
    pub fn localized_message(&self) -> Option<&LocalizedMessage> {
        self.localized_messages.first()
    }

    /// `RetryInfo.retry_delay`, if the server sent one.
    pub fn retry_delay(&self) -> Option<Duration> {
        self.retry_delay
    }

    /// The `BadRequest` field violations, if the server sent any.
    pub fn field_violations(&self) -> &[FieldViolation] {
        &self.field_violations
    }

    /// `ResourceInfo`, if the server sent one.
    pub fn resource_info(&self) -> Option<&ResourceInfo> {
        self.resource_info.as_ref()
    }

    /// `RequestInfo`, if the server sent one.
    pub fn request_info(&self) -> Option<&RequestInfo> {
        self.request_info.as_ref()
    }
}

/// `2003 ChannelNotFound: The channel does not exist.`; an unknown code
/// shows its number and reason.
impl fmt::Display for DecodedChatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.code, self.number) {
            (Some(code), _) => write!(f, "{code}: {}", self.message),
            (None, Some(number)) => write!(f, "{number} {}: {}", self.reason, self.message),
            (None, None) => write!(f, "{}: {}", self.reason, self.message),
        }
    }
}

impl std::error::Error for DecodedChatError {}

/// Decodes with the default domain, strictly; see [`Domain::decode`].
impl TryFrom<Status> for DecodedChatError {
    type Error = NotChatError;

    fn try_from(status: Status) -> Result<DecodedChatError, NotChatError> {
        Domain::default().decode(status)
    }
}
