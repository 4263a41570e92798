//! The client direction: reading a chat error back out of a `tonic::Status`.

mod error;
mod ext;
mod read;

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use tonic::Code;

use crate::wire::METADATA_NAME_KEY;
use crate::{ErrorCode, FieldViolation, LocalizedMessage, RequestInfo, ResourceInfo};

pub(crate) use crate::wire::read::{AnyView, ErrorInfoView, StatusView};
pub use error::{DecodeError, MalformedProtobuf};
pub use ext::ChatStatusExt;
#[cfg(feature = "opentelemetry")]
pub(crate) use read::chat_code_in;
#[cfg(feature = "http-json")]
pub(crate) use read::non_negative_delay;
pub(crate) use read::{code_of, foreign_chat_error};

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
        crate::http_status::http_status_for(self.grpc_code)
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

    /// Every `LocalizedMessage` detail, in the order sent: kept beside
    /// [`localized_message`](Self::localized_message) for a peer that sends
    /// one per locale, where a chat server sends exactly one.
    pub fn localized_messages(&self) -> &[LocalizedMessage] {
        &self.localized_messages
    }

    /// The user-facing message that was sent, with its locale: the first
    /// `LocalizedMessage`. A server behind
    /// [`Settings::layer`](crate::Settings::layer) sends it in the locale
    /// negotiated from the caller's `accept-language`.
    ///
    /// ```
    /// use chat_errors::{ChatStatusExt, Domain, ErrorCode};
    /// let status = tonic::Status::from(ErrorCode::MutedInChannel);
    /// let sent = status.get_chat_error(&Domain::default()).unwrap();
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
