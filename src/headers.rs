//! Reading a status out of the headers or trailers it arrived in, with
//! every check tonic skips or answers with a panic.

use std::fmt;

use base64::Engine as _;
use http::HeaderMap;
use percent_encoding::percent_decode;
use tonic::{Code, Status};

use crate::wire::{DETAILS_BASE64, GRPC_MESSAGE, GRPC_STATUS, GRPC_STATUS_DETAILS};

/// Why [`status_from_headers`] refused a header map.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StatusHeaderError {
    /// `grpc-status` is not one of `0` to `16`, written as those digits.
    InvalidGrpcStatus(String),
    /// `grpc-status-details-bin` is not base64 (standard alphabet, padding
    /// optional); the base64 decoder's complaint.
    DetailsNotBase64(String),
    /// `grpc-message` is not UTF-8 once percent-decoded.
    MessageNotUtf8,
}

impl fmt::Display for StatusHeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatusHeaderError::InvalidGrpcStatus(value) => {
                write!(
                    f,
                    "grpc-status {value:?} is not a gRPC status code (0 to 16)"
                )
            }
            StatusHeaderError::DetailsNotBase64(complaint) => write!(
                f,
                "grpc-status-details-bin is not base64 (standard alphabet, padded or not): {complaint}"
            ),
            StatusHeaderError::MessageNotUtf8 => {
                f.write_str("grpc-message is not UTF-8 once percent-decoded")
            }
        }
    }
}

impl std::error::Error for StatusHeaderError {}

/// The status in `headers`, as [`Status::from_header_map`] reads it, but
/// never panicking and never guessing: `None` when there is no
/// `grpc-status`, and a [`StatusHeaderError`] where tonic 0.14 would panic
/// (details that are not base64) or quietly read something else (a
/// `grpc-status` it does not know becomes `Unknown`; a `grpc-message` that
/// is not UTF-8 becomes an `Unknown` status with tonic's own message).
///
/// Other headers become the status's metadata, as in tonic.
///
/// ```
/// use chat_errors::{ChatStatusExt, Domain, ErrorCode, StatusHeaderError, status_from_headers};
/// use http::{HeaderMap, HeaderValue};
///
/// let mut headers = HeaderMap::new();
/// tonic::Status::from(ErrorCode::ChannelNotFound).add_header(&mut headers).unwrap();
/// let status = status_from_headers(&headers)?.expect("grpc-status is there");
/// assert_eq!(
///     status.chat_error_code(&Domain::default()),
///     Some(ErrorCode::ChannelNotFound)
/// );
///
/// headers.insert("grpc-status-details-bin", HeaderValue::from_static("not*base64!"));
/// assert!(matches!(
///     status_from_headers(&headers),
///     Err(StatusHeaderError::DetailsNotBase64(_))
/// ));
/// # Ok::<(), StatusHeaderError>(())
/// ```
///
/// # Errors
///
/// A [`StatusHeaderError`] for a `grpc-status`, `grpc-message` or
/// `grpc-status-details-bin` that tonic cannot read as sent.
pub fn status_from_headers(headers: &HeaderMap) -> Result<Option<Status>, StatusHeaderError> {
    let Some(grpc_status) = headers.get(GRPC_STATUS) else {
        return Ok(None);
    };
    let sent = grpc_status.as_bytes();
    // tonic reads what it does not know as Unknown; only the digits of a
    // code read back to themselves.
    if (Code::from_bytes(sent) as i32).to_string().as_bytes() != sent {
        return Err(StatusHeaderError::InvalidGrpcStatus(
            String::from_utf8_lossy(sent).into_owned(),
        ));
    }
    if let Some(details) = headers.get(GRPC_STATUS_DETAILS) {
        DETAILS_BASE64
            .decode(details.as_bytes())
            .map_err(|complaint| StatusHeaderError::DetailsNotBase64(complaint.to_string()))?;
    }
    if let Some(message) = headers.get(GRPC_MESSAGE)
        && percent_decode(message.as_bytes()).decode_utf8().is_err()
    {
        return Err(StatusHeaderError::MessageNotUtf8);
    }
    // Everything tonic could panic on or replace is checked above.
    Ok(Status::from_header_map(headers))
}
