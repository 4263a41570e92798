//! Turning found trailers into the `tonic::Status` a client would have.
//!
//! `tonic::Status::from_header_map` panics on bad base64, so the details
//! are decoded here first and the status is assembled from its parts.

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use bytes::Bytes;
use percent_encoding::percent_decode_str;
use prost::Message as _;
use tonic::{Code, Status};

use crate::failure::{Class, Failure};
use crate::grpc_code;
use crate::trailers::{FoundTrailers, MessageText};

/// gRPC peers send `-bin` values padded or not; accept both.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A missing grpc-status or grpc-message is taken from the details, which
/// repeat both: a paste from a log may lack either.
pub fn from_trailers(found: FoundTrailers) -> Result<Status, Failure> {
    let details = match &found.details {
        Some(text) => decode_base64(text)?,
        None => Bytes::new(),
    };
    let code = match &found.status {
        Some(text) => parse_code(text)?,
        None => Code::from(embedded_status(&details)?.code),
    };
    let message = match found.message {
        Some(text) => decode_message(text)?,
        None if details.is_empty() => String::new(),
        None => embedded_status(&details)?.message,
    };
    Ok(Status::with_details(code, message, details))
}

fn decode_base64(text: &str) -> Result<Bytes, Failure> {
    BASE64.decode(text).map(Bytes::from).map_err(|error| {
        Failure::new(
            Class::InvalidBase64,
            format!(
                "grpc-status-details-bin is not base64 (standard alphabet, padded or not): {error}"
            ),
        )
    })
}

fn embedded_status(details: &[u8]) -> Result<tonic_types::Status, Failure> {
    if details.is_empty() {
        return Err(Failure::new(
            Class::MalformedTrailers,
            "the input has no grpc-status, and no grpc-status-details-bin to take it from",
        ));
    }
    tonic_types::Status::decode(details).map_err(|error| {
        Failure::new(
            Class::GarbageProtobuf,
            format!("grpc-status-details-bin is not a google.rpc.Status: {error}"),
        )
    })
}

fn parse_code(text: &str) -> Result<Code, Failure> {
    grpc_code::parse(text).ok_or_else(|| {
        Failure::new(
            Class::MalformedTrailers,
            format!(
                "grpc-status {text:?} is not a gRPC status code (0 to 16, or a name like NOT_FOUND)"
            ),
        )
    })
}

fn decode_message(text: MessageText) -> Result<String, Failure> {
    match text {
        MessageText::Plain(message) => Ok(message),
        MessageText::PercentEncoded(encoded) => percent_decode_str(&encoded)
            .decode_utf8()
            .map(|message| message.into_owned())
            .map_err(|_| {
                Failure::new(
                    Class::MalformedTrailers,
                    format!("grpc-message {encoded:?} is not UTF-8 once percent-decoded"),
                )
            }),
    }
}
