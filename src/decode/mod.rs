//! The client direction: reading a chat error back out of a `tonic::Status`.

mod error;
mod ext;

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use prost::Message;
use tonic::{Code, Status};
use tonic_types::pb;

use crate::{FieldViolation, LocalizedMessage, RequestInfo, ResourceInfo};

use crate::ErrorCode;
use crate::domain::Domain;
use crate::wire::{
    BAD_REQUEST, ERROR_INFO, LOCALIZED_MESSAGE, METADATA_CODE_KEY, METADATA_NAME_KEY, REQUEST_INFO,
    RESOURCE_INFO, RETRY_INFO, type_name,
};

pub use error::{DecodeError, NotChatError};
pub use ext::ChatStatusExt;

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

    /// Every `LocalizedMessage` detail, in the order sent.
    pub fn localized_messages(&self) -> &[LocalizedMessage] {
        &self.localized_messages
    }

    /// The message localized for `locale`, e.g. `ko-KR`.
    pub fn localized_message(&self, locale: &str) -> Option<&str> {
        self.localized_messages
            .iter()
            .find(|localized| localized.locale == locale)
            .map(|localized| localized.message.as_str())
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

impl Domain {
    /// Takes `status` apart as a chat error of this domain, strictly, or
    /// hands it back when it is not one.
    ///
    /// ```
    /// use chat_errors::{Domain, ErrorCode};
    /// let domain = Domain::default();
    /// let err = domain.decode(ErrorCode::ChannelNotFound.into()).expect("a chat error");
    /// assert!(err.is(ErrorCode::ChannelNotFound));
    ///
    /// let plain = tonic::Status::not_found("no such route");
    /// let handed_back = domain.decode(plain).unwrap_err().into_status();
    /// assert_eq!(handed_back.message(), "no such route");
    /// ```
    pub fn decode(&self, status: Status) -> Result<DecodedChatError, NotChatError> {
        match decode_status(&status, self.as_str(), Strictness::Strict) {
            Ok(Some(decoded)) => Ok(decoded),
            Ok(None) => Err(NotChatError::new(status, None)),
            Err(cause) => Err(NotChatError::new(status, Some(cause))),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strictness {
    /// Any detail the crate reads that is broken, repeated or inconsistent is an error.
    Strict,
    /// Broken details are skipped; the first of repeated ones wins.
    Lenient,
}

/// `Ok(None)` when `status` carries no ErrorInfo of `domain`.
pub(crate) fn decode_status(
    status: &Status,
    domain: &str,
    strictness: Strictness,
) -> Result<Option<DecodedChatError>, DecodeError> {
    if status.details().is_empty() {
        return Ok(None);
    }
    let rpc_status = pb::Status::decode(status.details()).map_err(DecodeError::MalformedStatus)?;
    let strict = strictness == Strictness::Strict;

    let mut reader = DetailReader {
        strict,
        seen: Vec::new(),
    };
    let mut error_info: Option<pb::ErrorInfo> = None;
    for detail in &rpc_status.details {
        if type_name(&detail.type_url) != ERROR_INFO {
            continue;
        }
        let Some(info) = reader.read::<pb::ErrorInfo>(ERROR_INFO, &detail.value)? else {
            continue;
        };
        if info.domain != domain {
            continue;
        }
        if error_info.is_some() {
            if strict {
                return Err(DecodeError::DuplicateDetail {
                    type_name: ERROR_INFO,
                });
            }
            continue;
        }
        error_info = Some(info);
    }
    let Some(error_info) = error_info else {
        return Ok(None);
    };

    if strict {
        let header = status.code() as i32;
        if rpc_status.code != header {
            return Err(DecodeError::CodeMismatch {
                header,
                details: rpc_status.code,
            });
        }
        if rpc_status.message != status.message() {
            return Err(DecodeError::MessageMismatch);
        }
    }

    let (code, number) = resolve_code(&error_info, strict)?;
    let mut decoded = DecodedChatError {
        code,
        number,
        grpc_code: status.code(),
        reason: error_info.reason,
        domain: error_info.domain,
        metadata: error_info.metadata,
        message: status.message().to_owned(),
        localized_messages: Vec::new(),
        retry_delay: None,
        field_violations: Vec::new(),
        resource_info: None,
        request_info: None,
    };

    for detail in &rpc_status.details {
        let value = &detail.value[..];
        match type_name(&detail.type_url) {
            LOCALIZED_MESSAGE => {
                if let Some(m) = reader.read::<LocalizedMessage>(LOCALIZED_MESSAGE, value)? {
                    decoded.localized_messages.push(m);
                }
            }
            RETRY_INFO => {
                if let Some(info) = reader.read_once::<pb::RetryInfo>(RETRY_INFO, value)? {
                    decoded.retry_delay = retry_delay(info, strict)?;
                }
            }
            BAD_REQUEST => {
                if let Some(bad_request) = reader.read_once::<pb::BadRequest>(BAD_REQUEST, value)? {
                    decoded.field_violations = bad_request.field_violations;
                }
            }
            RESOURCE_INFO => {
                if let Some(r) = reader.read_once::<ResourceInfo>(RESOURCE_INFO, value)? {
                    decoded.resource_info = Some(r);
                }
            }
            REQUEST_INFO => {
                if let Some(r) = reader.read_once::<RequestInfo>(REQUEST_INFO, value)? {
                    decoded.request_info = Some(r);
                }
            }
            // Other detail types, from this server or a proxy, are not ours to judge.
            _ => {}
        }
    }
    Ok(Some(decoded))
}

/// The code from metadata `code`, or from the reason when that is absent.
/// A number this catalogue lacks is kept as `(None, Some(number))`.
fn resolve_code(
    info: &pb::ErrorInfo,
    strict: bool,
) -> Result<(Option<ErrorCode>, Option<i32>), DecodeError> {
    match info.metadata.get(METADATA_CODE_KEY) {
        Some(text) => match text.parse::<i32>() {
            Ok(number) => Ok((ErrorCode::from_i32(number), Some(number))),
            Err(_) if strict => Err(DecodeError::InvalidCodeMetadata(text.clone())),
            Err(_) => Ok(from_reason(&info.reason)),
        },
        None => Ok(from_reason(&info.reason)),
    }
}

fn from_reason(reason: &str) -> (Option<ErrorCode>, Option<i32>) {
    let code = ErrorCode::from_reason(reason);
    (code, code.map(ErrorCode::as_i32))
}

fn retry_delay(info: pb::RetryInfo, strict: bool) -> Result<Option<Duration>, DecodeError> {
    match info.retry_delay.map(Duration::try_from) {
        None => Ok(None),
        Some(Ok(delay)) => Ok(Some(delay)),
        Some(Err(_)) if strict => Err(DecodeError::InvalidRetryDelay),
        Some(Err(_)) => Ok(None),
    }
}

/// Decodes detail values, failing on bad ones when strict and skipping them
/// otherwise, and remembers which once-only types it has seen.
struct DetailReader {
    strict: bool,
    seen: Vec<&'static str>,
}

impl DetailReader {
    fn read<M: Message + Default>(
        &self,
        type_name: &'static str,
        value: &[u8],
    ) -> Result<Option<M>, DecodeError> {
        match M::decode(value) {
            Ok(message) => Ok(Some(message)),
            Err(error) if self.strict => Err(DecodeError::MalformedDetail { type_name, error }),
            Err(_) => Ok(None),
        }
    }

    /// Like `read`, for a type that may appear once: a repeat is an error
    /// when strict and ignored otherwise.
    fn read_once<M: Message + Default>(
        &mut self,
        type_name: &'static str,
        value: &[u8],
    ) -> Result<Option<M>, DecodeError> {
        if self.seen.contains(&type_name) {
            return if self.strict {
                Err(DecodeError::DuplicateDetail { type_name })
            } else {
                Ok(None)
            };
        }
        self.seen.push(type_name);
        self.read(type_name, value)
    }
}
