//! What can go wrong when a client decodes a `tonic::Status`.

use std::fmt;

use tonic::Status;

use super::scan::WireError;

/// `grpc-status-details-bin` that the strict decoders refuse.
///
/// The lenient decoders ([`ChatStatusExt::get_chat_error`](crate::ChatStatusExt::get_chat_error))
/// never return it: they skip what they cannot read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// The details are not a `google.rpc.Status`.
    MalformedStatus(MalformedProtobuf),
    /// A detail of a type the crate reads did not decode as that type.
    MalformedDetail {
        /// The detail's message name, e.g. `google.rpc.ErrorInfo`.
        type_name: &'static str,
        /// What is wrong with it.
        error: MalformedProtobuf,
    },
    /// A detail type that may appear once appeared again.
    DuplicateDetail {
        /// The detail's message name.
        type_name: &'static str,
    },
    /// `google.rpc.Status.code` is not the `grpc-status` it travelled with.
    CodeMismatch {
        /// The code from `grpc-status`.
        header: i32,
        /// The code inside the details.
        details: i32,
    },
    /// `google.rpc.Status.message` is not the `grpc-message` it travelled with.
    MessageMismatch,
    /// ErrorInfo metadata `code` is not a decimal number.
    InvalidCodeMetadata(String),
    /// `RetryInfo.retry_delay` is negative or out of protobuf's range.
    InvalidRetryDelay,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::MalformedStatus(error) => {
                write!(
                    f,
                    "grpc-status-details-bin is not a google.rpc.Status: {error}"
                )
            }
            DecodeError::MalformedDetail { type_name, error } => {
                write!(f, "malformed {type_name} detail: {error}")
            }
            DecodeError::DuplicateDetail { type_name } => {
                write!(f, "{type_name} appears more than once in the details")
            }
            DecodeError::CodeMismatch { header, details } => {
                write!(f, "grpc-status is {header} but the details say {details}")
            }
            DecodeError::MessageMismatch => {
                f.write_str("grpc-message differs from the message inside the details")
            }
            DecodeError::InvalidCodeMetadata(value) => {
                write!(f, "ErrorInfo metadata code {value:?} is not a number")
            }
            DecodeError::InvalidRetryDelay => {
                f.write_str("RetryInfo.retry_delay is negative or out of range")
            }
        }
    }
}

/// Why bytes did not parse as the protobuf message they should be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MalformedProtobuf(Malformed);

#[derive(Clone, Debug, PartialEq, Eq)]
enum Malformed {
    Wire(WireError),
    Prost(prost::DecodeError),
}

impl From<WireError> for MalformedProtobuf {
    fn from(error: WireError) -> MalformedProtobuf {
        MalformedProtobuf(Malformed::Wire(error))
    }
}

impl From<prost::DecodeError> for MalformedProtobuf {
    fn from(error: prost::DecodeError) -> MalformedProtobuf {
        MalformedProtobuf(Malformed::Prost(error))
    }
}

impl fmt::Display for MalformedProtobuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Malformed::Wire(error) => error.fmt(f),
            Malformed::Prost(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for MalformedProtobuf {}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DecodeError::MalformedStatus(error) | DecodeError::MalformedDetail { error, .. } => {
                Some(error)
            }
            _ => None,
        }
    }
}

/// A `Status` that is not a chat error of the expected domain, handed back
/// whole so the caller can pass it on.
#[derive(Debug)]
pub struct NotChatError {
    status: Status,
    cause: Option<DecodeError>,
}

impl NotChatError {
    pub(crate) fn new(status: Status, cause: Option<DecodeError>) -> NotChatError {
        NotChatError { status, cause }
    }

    /// The original status.
    pub fn status(&self) -> &Status {
        &self.status
    }

    /// Why its details could not be read, when they were there but broken.
    /// `None` means the status simply carries no ErrorInfo of the domain.
    pub fn decode_error(&self) -> Option<&DecodeError> {
        self.cause.as_ref()
    }

    /// Gives the original status back.
    pub fn into_status(self) -> Status {
        self.status
    }
}

impl From<NotChatError> for Status {
    fn from(not_chat: NotChatError) -> Status {
        not_chat.status
    }
}

impl fmt::Display for NotChatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.cause {
            Some(cause) => write!(f, "not a chat error ({cause}): {}", self.status),
            None => write!(f, "not a chat error: {}", self.status),
        }
    }
}

impl std::error::Error for NotChatError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause
            .as_ref()
            .map(|cause| cause as &(dyn std::error::Error + 'static))
    }
}
