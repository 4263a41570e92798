//! What a failing call must decode to, and the check that it does.

use std::fmt;

use chat_errors::layer::dropped_details;
use chat_errors::{
    ChatStatusExt, DEFAULT_DOMAIN, DecodeError, DecodedChatError, Domain, ErrorCode, Locale,
};

/// The wire contract's ErrorInfo metadata keys and default locale, as the
/// crate's docs state them, read here independently of the crate.
const METADATA_CODE_KEY: &str = "code";
const METADATA_NAME_KEY: &str = "message";
const KOREAN_LOCALE: &str = "ko-KR";
use tonic::Status;

/// The catalogue error a call must fail with, and a detail it must carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expectation {
    /// The error code.
    pub code: ErrorCode,
    /// A detail besides ErrorInfo and the Korean LocalizedMessage.
    pub detail: Detail,
}

impl Expectation {
    /// `code` with `detail`.
    pub fn new(code: ErrorCode, detail: Detail) -> Expectation {
        Expectation { code, detail }
    }

    /// Decodes `status` strictly and checks it is the expected error,
    /// exactly as the catalogue defines it, with the expected detail.
    ///
    /// # Errors
    ///
    /// A [`Failure`] saying what is missing or different.
    pub fn verify(&self, status: &Status) -> Result<DecodedChatError, Failure> {
        let decoded = match status.check_chat_error(&Domain::default()) {
            Ok(Some(decoded)) => decoded,
            Ok(None) => return Err(Failure::NotChatError(status.clone())),
            Err(error) => return Err(Failure::Malformed(error)),
        };
        match self.problem(status, &decoded) {
            None => Ok(decoded),
            Some(problem) => Err(Failure::Mismatch {
                decoded: Box::new(decoded),
                problem,
            }),
        }
    }

    fn problem(&self, status: &Status, decoded: &DecodedChatError) -> Option<String> {
        let expected = self.code;
        let number = expected.as_i32().to_string();
        let checks = [
            (decoded.code() == Some(expected), "code"),
            (status.code() == expected.grpc_code(), "gRPC status"),
            (decoded.reason() == expected.reason(), "reason"),
            (decoded.domain() == DEFAULT_DOMAIN, "domain"),
            (
                decoded.metadata().get(METADATA_CODE_KEY) == Some(&number),
                "metadata code",
            ),
            (
                decoded
                    .metadata()
                    .get(METADATA_NAME_KEY)
                    .map(String::as_str)
                    == Some(expected.name()),
                "metadata message",
            ),
            (
                decoded.localized_message().is_some_and(|m| {
                    m.locale == KOREAN_LOCALE && m.message == expected.description(Locale::KO_KR)
                }),
                "Korean message",
            ),
            (self.has_detail(decoded), "detail"),
        ];
        let wrong: Vec<&str> = checks
            .iter()
            .filter(|(ok, _)| !ok)
            .map(|(_, what)| *what)
            .collect();
        if wrong.is_empty() {
            return None;
        }
        Some(format!(
            "expected {expected} with {}, got {} {:?}: wrong {}",
            self.detail,
            decoded
                .number()
                .map_or("no code".to_owned(), |n| n.to_string()),
            decoded.reason(),
            wrong.join(", ")
        ))
    }

    fn has_detail(&self, decoded: &DecodedChatError) -> bool {
        match self.detail {
            Detail::None => true,
            Detail::FieldViolation(field) => decoded
                .field_violations()
                .iter()
                .any(|violation| violation.field == field),
            Detail::RetryDelay => decoded.retry_delay().is_some_and(|delay| !delay.is_zero()),
            Detail::Resource(resource_type) => decoded
                .resource_info()
                .is_some_and(|resource| resource.resource_type == resource_type),
            Detail::Metadata(key, value) => {
                decoded.metadata().get(key).map(String::as_str) == Some(value)
            }
        }
    }
}

/// A detail an error carries on top of what every chat error has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// Nothing more.
    None,
    /// A `BadRequest` violation of this field.
    FieldViolation(&'static str),
    /// A `RetryInfo` with a positive delay.
    RetryDelay,
    /// A `ResourceInfo` of this resource type.
    Resource(&'static str),
    /// This extra ErrorInfo metadata entry.
    Metadata(&'static str, &'static str),
}

impl fmt::Display for Detail {
    /// The form `chat-demo-client --list` prints: `-`, `field=user_id`,
    /// `retry`, `resource=chat.demo.v1.User` or `metadata=maxBytes:5000`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Detail::None => f.write_str("-"),
            Detail::FieldViolation(field) => write!(f, "field={field}"),
            Detail::RetryDelay => f.write_str("retry"),
            Detail::Resource(resource_type) => write!(f, "resource={resource_type}"),
            Detail::Metadata(key, value) => write!(f, "metadata={key}:{value}"),
        }
    }
}

/// Why a scenario did not end in the error it expects.
#[derive(Debug)]
pub enum Failure {
    /// A call that sets the scenario up failed.
    Setup(Status),
    /// The call that should fail succeeded.
    Succeeded,
    /// The status holds no chat error of the default domain.
    NotChatError(Status),
    /// The status holds a chat error whose details are broken.
    Malformed(DecodeError),
    /// A chat error, but not the expected one or not as expected.
    Mismatch {
        /// What was decoded.
        decoded: Box<DecodedChatError>,
        /// What differs.
        problem: String,
    },
}

impl From<Status> for Failure {
    fn from(status: Status) -> Failure {
        Failure::Setup(status)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Setup(status) => {
                write!(f, "a set-up call failed: {}", BrokenStatus(status))
            }
            Failure::Succeeded => f.write_str("the call succeeded"),
            Failure::NotChatError(status) => {
                write!(f, "not a chat error: {}", BrokenStatus(status))
            }
            Failure::Malformed(error) => write!(f, "malformed chat error: {error}"),
            Failure::Mismatch { problem, .. } => f.write_str(problem),
        }
    }
}

/// A status as a report shows it: its code and message, and what is wrong
/// with its details when they were dropped or do not decode.
struct BrokenStatus<'a>(&'a Status);

impl fmt::Display for BrokenStatus<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.0;
        write!(f, "{:?} {}", status.code(), status.message())?;
        if let Some(why) = dropped_details(status) {
            return write!(f, " (details dropped: {why})");
        }
        match status.check_chat_error(&Domain::default()) {
            Err(broken) => write!(f, " (malformed details: {broken})"),
            Ok(Some(decoded)) => write!(f, " ({decoded})"),
            Ok(None) => Ok(()),
        }
    }
}
