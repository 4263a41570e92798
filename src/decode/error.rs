//! What can go wrong when a client decodes a `tonic::Status`.

use std::fmt;

use tonic::Code;

use crate::ErrorCode;
use crate::wire::read::WireError;

/// A status that the strict decoders refuse: details that do not parse, or
/// a chat error that contradicts itself or the status it travelled with.
///
/// The lenient decoders ([`ChatStatusExt::get_chat_error`](crate::ChatStatusExt::get_chat_error))
/// never return it: they skip what they cannot read and check no agreement.
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
    /// ErrorInfo metadata `code` is not a number.
    InvalidCodeMetadata(String),
    /// ErrorInfo metadata `code` is a number written other than as its
    /// canonical decimal digits, e.g. `"02003"`, `"+2003"` or `" 2003"`:
    /// peers that compare the text would read another code.
    NonCanonicalCode(String),
    /// ErrorInfo metadata `code` and `ErrorInfo.reason` name different codes:
    /// one of them is in this build's catalogue and the other is not its
    /// number or reason.
    CodeReasonMismatch {
        /// The number from metadata `code`.
        number: i32,
        /// `ErrorInfo.reason`.
        reason: String,
    },
    /// ErrorInfo metadata `message` is not the code's original name.
    NameMismatch {
        /// The code, as metadata `code` and the reason agree on it.
        code: ErrorCode,
        /// The name that was sent.
        name: String,
    },
    /// `grpc-status` is not the gRPC code the catalogue sends the code with.
    GrpcCodeMismatch {
        /// The code, as metadata `code` and the reason agree on it.
        code: ErrorCode,
        /// The `grpc-status` that was sent.
        grpc_status: Code,
    },
    /// `RetryInfo.retry_delay` is negative once normalised, as prost-types
    /// normalises it (seconds and nanos of opposite signs are summed first).
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
            DecodeError::NonCanonicalCode(value) => write!(
                f,
                "ErrorInfo metadata code {value:?} is not written as canonical decimal digits"
            ),
            DecodeError::CodeReasonMismatch { number, reason } => write!(
                f,
                "ErrorInfo metadata code {number} and reason {reason:?} name different codes"
            ),
            DecodeError::NameMismatch { code, name } => write!(
                f,
                "ErrorInfo metadata message {name:?} is not the name of {}, {:?}",
                code.as_i32(),
                code.name()
            ),
            DecodeError::GrpcCodeMismatch { code, grpc_status } => write!(
                f,
                "grpc-status is {} ({grpc_status:?}) but {code} is sent as {} ({:?})",
                *grpc_status as i32,
                code.grpc_code() as i32,
                code.grpc_code()
            ),
            DecodeError::InvalidRetryDelay => f.write_str("RetryInfo.retry_delay is negative"),
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
