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
use tower_service::Service;

use super::status_headers::edit_trailers;
use crate::wire::{DETAILS_BASE64, GRPC_MESSAGE, GRPC_STATUS_DETAILS};

/// The metadata key the shield adds when it drops
/// `grpc-status-details-bin`; its value says why, e.g.
/// `not base64: Invalid symbol 33, offset 0.`
const DETAILS_DROPPED_KEY: &str = "chat-errors-details-dropped";

/// The text the shield appends to `grpc-message` when it drops
/// `grpc-status-details-bin`, so that logs which print only the status
/// message still show that the details were lost.
const DETAILS_DROPPED_MARKER: &str = "[grpc-status-details-bin dropped: not base64]";

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
pub(crate) fn sanitize_status_headers(headers: &mut HeaderMap) -> bool {
    let Some(details) = headers.get(GRPC_STATUS_DETAILS) else {
        return false;
    };
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

/// Why a [`TrailerShield`] dropped this status's `grpc-status-details-bin`
/// (the base64 decoder's complaint), or `None` when it did not. The
/// status's message then ends with
/// `[grpc-status-details-bin dropped: not base64]`, so that logs which
/// print only the message still show that the details were lost.
pub fn dropped_details(status: &Status) -> Option<&str> {
    status.metadata().get(DETAILS_DROPPED_KEY)?.to_str().ok()
}

/// A client channel that a malformed `grpc-status-details-bin` cannot
/// panic.
///
/// tonic 0.14 panics when it reads a `grpc-status-details-bin` that is not
/// base64. The shield drops such a value from the headers of every
/// response (where a trailers-only error puts its status) and from its
/// trailers before tonic reads them, so the caller gets an ordinary
/// `Status` with its `grpc-status` as sent; [`dropped_details`] says what
/// was dropped.
///
/// ```no_run
/// # async fn connect() -> Result<(), tonic::transport::Error> {
/// use chat_errors::layer::TrailerShield;
///
/// let channel = tonic::transport::Channel::from_static("http://127.0.0.1:50051").connect().await?;
/// let _grpc = tonic::client::Grpc::new(TrailerShield::new(channel));
/// // or any generated client: `ChatServiceClient::new(TrailerShield::new(channel))`.
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct TrailerShield<S> {
    inner: S,
}

impl<S> TrailerShield<S> {
    /// Shields `inner`, such as a tonic `Channel`.
    pub fn new(inner: S) -> TrailerShield<S> {
        TrailerShield { inner }
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
    /// A response body whose trailers pass through the shield.
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
            frame.map(|frame| {
                edit_trailers(frame, |trailers| {
                    sanitize_status_headers(trailers);
                })
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

    fn trailers_with_details(value: &[u8]) -> HeaderMap {
        let mut trailers = HeaderMap::new();
        trailers.insert("grpc-status", HeaderValue::from_static("5"));
        if let Ok(value) = HeaderValue::from_bytes(value) {
            trailers.insert(GRPC_STATUS_DETAILS, value);
        }
        trailers
    }

    proptest! {
        #[test]
        fn exactly_what_tonic_cannot_decode_is_dropped(
            value in proptest::collection::vec(
                prop::sample::select(b"AQgw+/=-_!a9 ".to_vec()),
                0..40,
            ),
        ) {
            let mut trailers = trailers_with_details(&value);
            let sent = trailers.get(GRPC_STATUS_DETAILS).cloned();
            let dropped = sanitize_status_headers(&mut trailers);
            let decodes = sent.as_ref().is_none_or(|v| DETAILS_BASE64.decode(v.as_bytes()).is_ok());
            prop_assert_eq!(dropped, !decodes);
            // What is left never panics tonic.
            let status = Status::from_header_map(&trailers).expect("grpc-status is there");
            prop_assert_eq!(dropped_details(&status).is_some(), dropped);
        }
    }

    #[test]
    fn a_dropped_value_is_marked_in_the_message_and_the_metadata() {
        let mut trailers = trailers_with_details(b"not*base64!");
        trailers.insert(GRPC_MESSAGE, HeaderValue::from_static("no such channel"));
        assert!(sanitize_status_headers(&mut trailers));
        let status = Status::from_header_map(&trailers).expect("grpc-status is there");
        assert_eq!(status.code(), tonic::Code::NotFound);
        assert_eq!(
            status.message(),
            "no such channel [grpc-status-details-bin dropped: not base64]"
        );
        assert!(status.details().is_empty());
        assert_eq!(
            dropped_details(&status),
            Some("not base64: Invalid symbol 42, offset 3.")
        );
    }
}
