//! Turning found trailers into the `tonic::Status` a client would have,
//! through the library's own checked reading of status headers.

use chat_errors::{StatusHeaderError, grpc_code_name, status_from_headers};
use http::{HeaderMap, HeaderValue};
use prost::Message as _;
use tonic::{Code, Status};

use crate::failure::{Class, Failure};
use crate::trailers::{FoundTrailers, MessageText};

/// A missing grpc-status or grpc-message is taken from the details, which
/// repeat both: a paste from a log may lack either.
pub fn from_trailers(found: FoundTrailers) -> Result<Status, Failure> {
    let code = found.status.as_deref().map(parse_code).transpose()?;
    let mut headers = HeaderMap::new();
    // The library reads a status only with a grpc-status; until the details
    // name the real one, Unknown stands in.
    let stand_in = code.unwrap_or(Code::Unknown) as i32;
    headers.insert(Status::GRPC_STATUS, HeaderValue::from(stand_in));
    if let Some(details) = &found.details {
        let value = HeaderValue::from_bytes(details.as_bytes()).map_err(|_| {
            failure(StatusHeaderError::DetailsNotBase64(
                "it holds characters no header value can".to_owned(),
            ))
        })?;
        headers.insert(Status::GRPC_STATUS_DETAILS, value);
    }
    if let Some(MessageText::PercentEncoded(encoded)) = &found.message {
        let value =
            HeaderValue::from_bytes(encoded.as_bytes()).map_err(|_| not_utf8_message(encoded))?;
        headers.insert(Status::GRPC_MESSAGE, value);
    }
    let status = match status_from_headers(&headers) {
        Ok(Some(status)) => status,
        Ok(None) => unreachable!("grpc-status was inserted above"),
        Err(StatusHeaderError::MessageNotUtf8) => {
            let encoded = match &found.message {
                Some(MessageText::PercentEncoded(encoded)) => encoded.as_str(),
                _ => "",
            };
            return Err(not_utf8_message(encoded));
        }
        Err(refused) => return Err(failure(refused)),
    };
    let details = bytes::Bytes::copy_from_slice(status.details());
    let code = match code {
        Some(code) => code,
        None => Code::from(embedded_status(&details)?.code),
    };
    let message = match found.message {
        Some(MessageText::Plain(message)) => message,
        Some(MessageText::PercentEncoded(_)) => status.message().to_owned(),
        None if details.is_empty() => String::new(),
        None => embedded_status(&details)?.message,
    };
    Ok(Status::with_details(code, message, details))
}

fn failure(refused: StatusHeaderError) -> Failure {
    let class = match refused {
        StatusHeaderError::DetailsNotBase64(_) => Class::InvalidBase64,
        _ => Class::MalformedTrailers,
    };
    Failure::new(class, refused.to_string())
}

fn not_utf8_message(encoded: &str) -> Failure {
    Failure::new(
        Class::MalformedTrailers,
        format!("grpc-message {encoded:?} is not UTF-8 once percent-decoded"),
    )
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

/// A grpc-status value: its number (`5`), or a name as logs and tools print
/// it (`NOT_FOUND`, `NotFound`, Go's spelling `Canceled`).
fn parse_code(text: &str) -> Result<Code, Failure> {
    let folded: String = text
        .chars()
        .filter(|c| *c != '_')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let folded = if folded == "CANCELED" {
        "CANCELLED".to_owned()
    } else {
        folded
    };
    let by_number = text
        .parse::<i32>()
        .ok()
        .filter(|number| (0..=16).contains(number))
        .map(Code::from_i32);
    by_number
        .or_else(|| {
            (0..=16)
                .map(Code::from_i32)
                .find(|code| grpc_code_name(*code).replace('_', "") == folded)
        })
        .ok_or_else(|| {
            Failure::new(
                Class::MalformedTrailers,
                format!(
                    "grpc-status {text:?} is not a gRPC status code (0 to 16, or a name like NOT_FOUND)"
                ),
            )
        })
}
