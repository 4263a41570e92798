//! Keeping a request body so that it can be sent again.
//!
//! tonic encodes a unary (or server-streaming) request as a body whose one
//! message is ready the moment the call starts. The layer drains what is
//! ready without waiting: a body that ends within the limit is kept as
//! bytes and can be resent; a body still producing (a client or bidi
//! stream) or over the limit is passed on whole, the frames already read
//! first, and its call is never retried.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use bytes::{Bytes, BytesMut};
use http_body::{Body as _, Frame, SizeHint};
use tonic::Status;
use tonic::body::Body;

pub(crate) enum RequestBody {
    /// The whole body, which can be sent any number of times.
    Resendable(Bytes),
    /// A body that is sent once.
    SendOnce(Body),
}

impl RequestBody {
    pub(crate) fn take(mut body: Body, limit: usize) -> RequestBody {
        if body.is_end_stream() {
            return RequestBody::Resendable(Bytes::new());
        }
        // Only what is already there is read: a noop waker is never woken,
        // and a body that is not ready is polled again, with the transport's
        // waker, once passed on.
        let mut context = Context::from_waker(Waker::noop());
        let mut chunks = Chunks::default();
        loop {
            match Pin::new(&mut body).poll_frame(&mut context) {
                Poll::Ready(None) => return RequestBody::Resendable(chunks.concat()),
                Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                    Ok(data) => {
                        let length = chunks.push(data);
                        if length > limit {
                            return RequestBody::send_once(chunks, None, body);
                        }
                    }
                    Err(frame) => {
                        // Request trailers are no part of gRPC; whoever
                        // sends them gets them passed on, once.
                        let trailers = frame.into_trailers().ok();
                        return RequestBody::SendOnce(Body::new(PrefixedBody {
                            chunks: chunks.into_queue(),
                            trailers,
                            error: None,
                            rest: body,
                        }));
                    }
                },
                Poll::Ready(Some(Err(status))) => {
                    return RequestBody::send_once(chunks, Some(status), body);
                }
                Poll::Pending => return RequestBody::send_once(chunks, None, body),
            }
        }
    }

    fn send_once(chunks: Chunks, error: Option<Status>, rest: Body) -> RequestBody {
        if chunks.first.is_none() && error.is_none() {
            return RequestBody::SendOnce(rest);
        }
        RequestBody::SendOnce(Body::new(PrefixedBody {
            chunks: chunks.into_queue(),
            trailers: None,
            error,
            rest,
        }))
    }
}

/// A kept body, sent once more. Its size hint is not exact, as tonic's own
/// request bodies' are not: hyper adds `content-length` to a request whose
/// size is exact, a header the server would then parse on every call. It
/// ends on its one DATA frame, where tonic's body sends an empty one after:
/// one frame fewer for the server, which measured cheaper end to end.
pub(crate) struct ResendBody(Option<Bytes>);

impl ResendBody {
    pub(crate) fn new(bytes: Bytes) -> ResendBody {
        ResendBody((!bytes.is_empty()).then_some(bytes))
    }
}

impl http_body::Body for ResendBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        Poll::Ready(self.0.take().map(|bytes| Ok(Frame::data(bytes))))
    }

    fn is_end_stream(&self) -> bool {
        self.0.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        let mut hint = SizeHint::new();
        hint.set_lower(self.0.as_ref().map_or(0, Bytes::len) as u64);
        hint
    }
}

/// The data frames read so far. tonic's unary body is one frame, kept
/// without allocating; a body of several is copied into one when it ends.
#[derive(Default)]
struct Chunks {
    first: Option<Bytes>,
    more: Vec<Bytes>,
    length: usize,
}

impl Chunks {
    /// Adds `data` and returns the length so far.
    fn push(&mut self, data: Bytes) -> usize {
        self.length += data.len();
        if self.first.is_none() {
            self.first = Some(data);
        } else {
            self.more.push(data);
        }
        self.length
    }

    fn concat(self) -> Bytes {
        let Some(first) = self.first else {
            return Bytes::new();
        };
        if self.more.is_empty() {
            return first;
        }
        let mut whole = BytesMut::with_capacity(self.length);
        whole.extend_from_slice(&first);
        for chunk in &self.more {
            whole.extend_from_slice(chunk);
        }
        whole.freeze()
    }

    fn into_queue(self) -> VecDeque<Bytes> {
        self.first.into_iter().chain(self.more).collect()
    }
}

/// A body of which some frames were read already: those first, then the rest.
struct PrefixedBody {
    chunks: VecDeque<Bytes>,
    trailers: Option<http::HeaderMap>,
    error: Option<Status>,
    rest: Body,
}

impl http_body::Body for PrefixedBody {
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        if let Some(chunk) = self.chunks.pop_front() {
            return Poll::Ready(Some(Ok(Frame::data(chunk))));
        }
        if let Some(status) = self.error.take() {
            return Poll::Ready(Some(Err(status)));
        }
        if let Some(trailers) = self.trailers.take() {
            return Poll::Ready(Some(Ok(Frame::trailers(trailers))));
        }
        Pin::new(&mut self.rest).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.chunks.is_empty()
            && self.error.is_none()
            && self.trailers.is_none()
            && self.rest.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        let read: usize = self.chunks.iter().map(Bytes::len).sum();
        let mut hint = self.rest.size_hint();
        hint.set_lower(hint.lower() + read as u64);
        if let Some(upper) = hint.upper() {
            hint.set_upper(upper + read as u64);
        }
        hint
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt as _;

    fn chunked(chunks: &[&'static [u8]]) -> Body {
        let frames = chunks
            .iter()
            .map(|chunk| Ok::<_, Status>(Frame::data(Bytes::from_static(chunk))))
            .collect::<Vec<_>>();
        Body::new(http_body_util::StreamBody::new(tokio_stream::iter(frames)))
    }

    async fn collected(body: Body) -> Vec<u8> {
        body.collect().await.expect("no error").to_bytes().to_vec()
    }

    #[tokio::test]
    async fn a_ready_body_within_the_limit_is_kept_whole() {
        match RequestBody::take(chunked(&[b"ab", b"cd", b"e"]), 5) {
            RequestBody::Resendable(bytes) => assert_eq!(&bytes[..], b"abcde"),
            RequestBody::SendOnce(_) => panic!("5 bytes fit a limit of 5"),
        }
    }

    #[tokio::test]
    async fn a_body_over_the_limit_is_sent_once_with_nothing_lost() {
        match RequestBody::take(chunked(&[b"ab", b"cd", b"ef"]), 3) {
            RequestBody::Resendable(_) => panic!("6 bytes are over a limit of 3"),
            RequestBody::SendOnce(body) => assert_eq!(collected(body).await, b"abcdef"),
        }
    }

    #[tokio::test]
    async fn a_body_still_producing_is_sent_once_with_nothing_lost() {
        let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Frame<Bytes>, Status>>(4);
        sender
            .try_send(Ok(Frame::data(Bytes::from_static(b"first "))))
            .unwrap();
        let body = Body::new(http_body_util::StreamBody::new(
            tokio_stream::wrappers::ReceiverStream::new(receiver),
        ));
        let RequestBody::SendOnce(body) = RequestBody::take(body, 1024) else {
            panic!("a body whose stream is open cannot be kept");
        };
        sender
            .try_send(Ok(Frame::data(Bytes::from_static(b"second"))))
            .unwrap();
        drop(sender);
        assert_eq!(collected(body).await, b"first second");
    }

    #[tokio::test]
    async fn a_resent_body_is_the_bytes_with_no_exact_size() {
        let body = ResendBody::new(Bytes::from_static(b"\0\0\0\0\x02hi"));
        assert_eq!(body.size_hint().exact(), None);
        assert!(!body.is_end_stream());
        assert_eq!(collected(Body::new(body)).await, b"\0\0\0\0\x02hi");
        assert!(ResendBody::new(Bytes::new()).is_end_stream());
    }

    #[tokio::test]
    async fn an_empty_body_is_resendable() {
        assert!(matches!(
            RequestBody::take(Body::empty(), 0),
            RequestBody::Resendable(bytes) if bytes.is_empty()
        ));
    }
}
