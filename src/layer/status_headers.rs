//! Reading and replacing the status in trailers, as the server layers do.

use std::borrow::Cow;

use http::HeaderMap;
use http_body::Frame;
use tonic::{Code, Status};

use super::shield::sanitize_status_headers;
use crate::wire::{GRPC_MESSAGE, GRPC_STATUS, GRPC_STATUS_DETAILS};

/// The `grpc-status` in `headers` (a trailers-only response's headers, or
/// trailers), when there is one.
pub(crate) fn status_code(headers: &HeaderMap) -> Option<Code> {
    Some(Code::from_bytes(headers.get(GRPC_STATUS)?.as_bytes()))
}

/// [`status_code`], when it is not `OK`.
pub(crate) fn error_code(headers: &HeaderMap) -> Option<Code> {
    status_code(headers).filter(|&code| code != Code::Ok)
}

/// The status `headers` carry: `left`, the `Status` tonic left in the
/// response's extensions, when there is one, so nothing is decoded again;
/// or else the one read from `headers`, once what tonic cannot read is
/// dropped from them.
pub(crate) fn sent_status<'a>(
    headers: &mut HeaderMap,
    left: Option<&'a Status>,
) -> Option<Cow<'a, Status>> {
    match left {
        Some(status) => Some(Cow::Borrowed(status)),
        None => {
            sanitize_status_headers(headers);
            Status::from_header_map(headers).map(Cow::Owned)
        }
    }
}

/// Puts `status` in place of the status in `headers`.
pub(crate) fn replace_status(headers: &mut HeaderMap, status: &Status) {
    headers.remove(GRPC_STATUS);
    headers.remove(GRPC_MESSAGE);
    headers.remove(GRPC_STATUS_DETAILS);
    // A status built by this crate has nothing `add_header` can refuse.
    let _ = status.add_header(headers);
}

/// `frame`, with `edit` applied to its trailers when it is the trailers
/// frame: how each response body of the layers reaches a stream's status.
pub(crate) fn edit_trailers<D>(frame: Frame<D>, edit: impl FnOnce(&mut HeaderMap)) -> Frame<D> {
    match frame.into_trailers() {
        Ok(mut trailers) => {
            edit(&mut trailers);
            Frame::trailers(trailers)
        }
        Err(frame) => frame,
    }
}
