//! The trailers a `tonic::Status` goes out as, written by tonic itself.

use http::HeaderMap;
use tonic::Status;

use crate::failure::{Class, Failure};

/// The trailers a chat error occupies, in the order they are printed.
pub static TRAILER_NAMES: [http::HeaderName; 3] = [
    Status::GRPC_STATUS,
    Status::GRPC_MESSAGE,
    Status::GRPC_STATUS_DETAILS,
];

/// One trailer as it is sent.
#[derive(Debug)]
pub struct Trailer {
    pub name: &'static str,
    pub value: String,
}

/// `status`'s trailers through tonic's own `add_header`: grpc-message
/// percent-encoded, grpc-status-details-bin in unpadded base64. A trailer
/// tonic leaves out, like grpc-message for an empty message, is left out here.
pub fn trailers(status: &Status) -> Result<Vec<Trailer>, Failure> {
    let mut headers = HeaderMap::new();
    status.add_header(&mut headers).map_err(|refused| {
        Failure::new(
            Class::Usage,
            format!("tonic cannot send this status: {}", refused.message()),
        )
    })?;
    Ok(TRAILER_NAMES
        .iter()
        .filter_map(|name| {
            let value = headers.get(name)?;
            Some(Trailer {
                name: name.as_str(),
                value: String::from_utf8_lossy(value.as_bytes()).into_owned(),
            })
        })
        .collect())
}
