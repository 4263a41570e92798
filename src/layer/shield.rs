//! The client side: a `grpc-status-details-bin` that tonic cannot read is
//! dropped before tonic reads it.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use base64::Engine as _;
use http::{HeaderMap, HeaderValue};
use http_body::{Body, Frame, SizeHint};
use pin_project_lite::pin_project;
use tonic::Status;
use tower_layer::Layer;
use tower_service::Service;

use crate::wire::{DETAILS_BASE64, GRPC_MESSAGE, GRPC_STATUS_DETAILS};

/// The metadata key that [`sanitize_status_headers`] adds when it drops
/// `grpc-status-details-bin`; its value says why, e.g.
/// `not base64: Invalid symbol 33, offset 0.`
pub const DETAILS_DROPPED_KEY: &str = "chat-errors-details-dropped";

/// The text [`sanitize_status_headers`] appends to `grpc-message` when it
/// drops `grpc-status-details-bin`, so that logs which print only the
/// status message still show that the details were lost.
pub const DETAILS_DROPPED_MARKER: &str = "[grpc-status-details-bin dropped: not base64]";

/// Drops a `grpc-status-details-bin` that tonic could not base64-decode,
/// and says so. Returns whether it changed `headers`.
///
/// What it leaves is always safe for [`Status::from_header_map`], which
/// panics on such a value in tonic 0.14. `grpc-status` is kept as sent:
/// it was read on its own and still tells the caller what kind of failure
/// this is (whether to retry, say). `grpc-message` gets
/// [`DETAILS_DROPPED_MARKER`] appended and the metadata gets
/// [`DETAILS_DROPPED_KEY`] with the decoder's complaint, read back with
/// [`dropped_details`].
///
/// ```
/// use chat_errors::layer::{dropped_details, sanitize_status_headers};
/// use http::{HeaderMap, HeaderValue};
///
/// let mut trailers = HeaderMap::new();
/// trailers.insert("grpc-status", HeaderValue::from_static("5"));
/// trailers.insert("grpc-message", HeaderValue::from_static("no such channel"));
/// trailers.insert("grpc-status-details-bin", HeaderValue::from_static("not*base64!"));
///
/// assert!(sanitize_status_headers(&mut trailers));
/// let status = tonic::Status::from_header_map(&trailers).expect("grpc-status is there");
/// assert_eq!(status.code(), tonic::Code::NotFound);
/// assert_eq!(
///     status.message(),
///     "no such channel [grpc-status-details-bin dropped: not base64]"
/// );
/// assert!(status.details().is_empty());
/// assert_eq!(
///     dropped_details(&status),
///     Some("not base64: Invalid symbol 42, offset 3.")
/// );
/// ```
pub fn sanitize_status_headers(headers: &mut HeaderMap) -> bool {
    let Some(details) = headers.get(GRPC_STATUS_DETAILS) else {
        return false;
    };
    if decodes(details.as_bytes()) {
        return false;
    }
    // Only a value about to be dropped is decoded whole, for the complaint.
    let complaint = match DETAILS_BASE64.decode(details.as_bytes()) {
        Ok(_) => return false,
        Err(complaint) => complaint,
    };
    headers.remove(GRPC_STATUS_DETAILS);

    let message = match headers.get(GRPC_MESSAGE).map(HeaderValue::as_bytes) {
        Some(sent) if !sent.is_empty() => [sent, b" ", DETAILS_DROPPED_MARKER.as_bytes()].concat(),
        _ => DETAILS_DROPPED_MARKER.as_bytes().to_vec(),
    };
    // A valid header value with printable ASCII appended is still valid,
    // and the marker holds no `%`, so grpc-message's percent-decoding keeps it.
    if let Ok(message) = HeaderValue::from_bytes(&message) {
        headers.insert(GRPC_MESSAGE, message);
    }
    // base64's complaints are plain ASCII sentences.
    let reason = HeaderValue::from_str(&format!("not base64: {complaint}"))
        .unwrap_or(HeaderValue::from_static("not base64"));
    headers.insert(DETAILS_DROPPED_KEY, reason);
    true
}

/// Whether tonic's decoder accepts `value`, found without decoding it into
/// a buffer: whole groups of four before the last two groups decode exactly
/// when every byte is in the alphabet, so only the end, where padding and
/// trailing bits are judged, goes through the decoder, into the stack.
fn decodes(value: &[u8]) -> bool {
    let head_len = value.len().saturating_sub(8) / 4 * 4;
    let (head, tail) = value.split_at(head_len);
    let mut decoded = [0; 9];
    head.iter()
        .all(|&b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
        && DETAILS_BASE64.decode_slice(tail, &mut decoded).is_ok()
}

/// Why the shield dropped this status's `grpc-status-details-bin`, or
/// `None` when it did not.
pub fn dropped_details(status: &Status) -> Option<&str> {
    status.metadata().get(DETAILS_DROPPED_KEY)?.to_str().ok()
}

/// Wraps a client `Service`, such as tonic's `Channel`, in a [`TrailerShield`].
///
/// ```
/// use chat_errors::layer::TrailerShieldLayer;
/// use tower_layer::Layer;
///
/// # fn wrap<S>(channel: S) -> chat_errors::layer::TrailerShield<S> {
/// let shielded = TrailerShieldLayer.layer(channel);
/// // tonic::client::Grpc::new(shielded), or any generated `XxxClient::new(shielded)`.
/// # shielded
/// # }
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct TrailerShieldLayer;

impl<S> Layer<S> for TrailerShieldLayer {
    type Service = TrailerShield<S>;

    fn layer(&self, inner: S) -> TrailerShield<S> {
        TrailerShield { inner }
    }
}

/// A client `Service` that runs [`sanitize_status_headers`] over the
/// headers of every response (where a trailers-only error puts its status)
/// and over its trailers, before the caller's tonic client reads them.
#[derive(Clone, Debug)]
pub struct TrailerShield<S> {
    inner: S,
}

impl<S> TrailerShield<S> {
    /// The wrapped service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// Unwraps the service.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S, ReqBody, ResBody> Service<http::Request<ReqBody>> for TrailerShield<S>
where
    S: Service<http::Request<ReqBody>, Response = http::Response<ResBody>>,
{
    type Response = http::Response<ShieldBody<ResBody>>;
    type Error = S::Error;
    type Future = ShieldFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<ReqBody>) -> ShieldFuture<S::Future> {
        ShieldFuture {
            inner: self.inner.call(request),
        }
    }
}

pin_project! {
    /// The response future of a [`TrailerShield`].
    pub struct ShieldFuture<F> {
        #[pin]
        inner: F,
    }
}

impl<F, ResBody, E> Future for ShieldFuture<F>
where
    F: Future<Output = Result<http::Response<ResBody>, E>>,
{
    type Output = Result<http::Response<ShieldBody<ResBody>>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut response = ready!(self.project().inner.poll(cx))?;
        sanitize_status_headers(response.headers_mut());
        Poll::Ready(Ok(response.map(|inner| ShieldBody { inner })))
    }
}

pin_project! {
    /// A response body whose trailers pass through [`sanitize_status_headers`].
    pub struct ShieldBody<B> {
        #[pin]
        inner: B,
    }
}

impl<B: Body> Body for ShieldBody<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<B::Data>, B::Error>>> {
        let frame = ready!(self.project().inner.poll_frame(cx));
        Poll::Ready(frame.map(|frame| {
            frame.map(|frame| match frame.into_trailers() {
                Ok(mut trailers) => {
                    sanitize_status_headers(&mut trailers);
                    Frame::trailers(trailers)
                }
                Err(frame) => frame,
            })
        }))
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_quick_check_agrees_with_the_decoder(
            value in proptest::collection::vec(
                prop::sample::select(b"AQgw+/=-_!a9\n ".to_vec()),
                0..40,
            ),
        ) {
            prop_assert_eq!(decodes(&value), DETAILS_BASE64.decode(&value).is_ok());
        }

        #[test]
        fn the_quick_check_agrees_on_encoded_values_with_one_byte_changed(
            bytes in proptest::collection::vec(any::<u8>(), 0..64),
            strip_padding in any::<bool>(),
            at in any::<prop::sample::Index>(),
            replacement in prop::sample::select(b"A=/+-_!\x00".to_vec()),
        ) {
            let encoded = DETAILS_BASE64.encode(&bytes);
            let mut value = if strip_padding {
                encoded.trim_end_matches('=').as_bytes().to_vec()
            } else {
                encoded.into_bytes()
            };
            prop_assert!(decodes(&value));
            if !value.is_empty() {
                let at = at.index(value.len());
                value[at] = replacement;
            }
            prop_assert_eq!(decodes(&value), DETAILS_BASE64.decode(&value).is_ok());
        }
    }

    #[test]
    fn every_length_of_valid_base64_passes_and_a_flipped_end_does_not() {
        for len in 0..64 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let padded = DETAILS_BASE64.encode(&bytes);
            assert!(decodes(padded.as_bytes()), "{padded}");
            let unpadded = padded.trim_end_matches('=');
            assert!(decodes(unpadded.as_bytes()), "{unpadded}");
            let mut broken = padded.into_bytes();
            if let Some(last) = broken.last_mut() {
                *last = b'!';
                assert!(!decodes(&broken));
            }
        }
    }
}
