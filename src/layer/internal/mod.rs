//! The masking half of the server stack: what is not a chat error leaves
//! as `1003 InternalServerError`, and its cause goes to the logs.
//!
//! This file holds the tower plumbing and the panic catching; `call`
//! decides what a status becomes, `report` logs it, and `grpc_web` spots a
//! misplaced layer.

mod call;
mod grpc_web;
mod report;

#[cfg(feature = "http-json")]
use std::any::Any;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::HeaderMap;
use http::header::CONTENT_TYPE;
use http_body::{Body, Frame, SizeHint};
use pin_project_lite::pin_project;
use tonic::server::NamedService;
use tonic::{Code, Status};
use tower_layer::Layer;
use tower_service::Service;

use self::call::{Call, CodeSet, Place, write_status};
use self::grpc_web::status_is_out_of_sight;
use self::report::panic_text;
use crate::Domain;

/// The masking half of [`ServerLayer`](super::ServerLayer): what a client
/// must not see leaves as `1003 InternalServerError`, and its cause goes to
/// the logs. Like `grpc-java`, which answers an uncaught handler exception
/// with a bare status and logs the exception, the cause stays on the server.
#[derive(Clone, Debug)]
pub(crate) struct InternalErrorLayer {
    policy: Arc<Policy>,
}

#[derive(Debug)]
struct Policy {
    domain: Domain,
    passing: CodeSet,
}

impl InternalErrorLayer {
    /// Recognises chat errors of `domain` and sends 1003 in it.
    pub(crate) fn new(domain: Domain) -> InternalErrorLayer {
        InternalErrorLayer {
            policy: Arc::new(Policy {
                domain,
                passing: CodeSet::of([
                    Code::Cancelled,
                    Code::DeadlineExceeded,
                    Code::Unimplemented,
                ]),
            }),
        }
    }
}

impl InternalErrorLayer {
    /// The layer's decisions for one request, for front ends that carry
    /// statuses some other way (the HTTP JSON layer).
    #[cfg(feature = "http-json")]
    pub(crate) fn masking<B>(&self, request: &http::Request<B>) -> Masking {
        Masking(Call::new(&self.policy, request))
    }
}

/// [`InternalErrorLayer`]'s decisions for one request.
#[cfg(feature = "http-json")]
#[derive(Clone, Debug)]
pub(crate) struct Masking(Call);

#[cfg(feature = "http-json")]
impl Masking {
    /// What the client gets instead of `status`, logged as the layer logs
    /// it, or `None` to send `status` as it is.
    pub(crate) fn mask(&self, status: &Status) -> Option<Status> {
        if status.code() == Code::Ok {
            return None;
        }
        self.0.replacement(status)
    }

    /// What the client gets when the handler panicked with `payload`.
    pub(crate) fn panicked(&self, payload: &(dyn Any + Send)) -> Status {
        self.0.panicked(&panic_text(payload))
    }
}

impl<S> Layer<S> for InternalErrorLayer {
    type Service = InternalErrorService<S>;

    fn layer(&self, inner: S) -> InternalErrorService<S> {
        InternalErrorService {
            inner,
            policy: Arc::clone(&self.policy),
        }
    }
}

/// The service [`InternalErrorLayer`] wraps a server in.
#[derive(Clone, Debug)]
pub struct InternalErrorService<S> {
    inner: S,
    policy: Arc<Policy>,
}

impl<S, ReqBody, ResBody> Service<http::Request<ReqBody>> for InternalErrorService<S>
where
    S: Service<http::Request<ReqBody>, Response = http::Response<ResBody>>,
{
    type Response = http::Response<GuardedBody<ResBody>>;
    type Error = S::Error;
    type Future = GuardedFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<ReqBody>) -> GuardedFuture<S::Future> {
        let call = Call::new(&self.policy, &request);
        match catch_unwind(AssertUnwindSafe(|| self.inner.call(request))) {
            Ok(inner) => GuardedFuture {
                inner: Some(inner),
                call: Some(call),
                panic: None,
            },
            Err(payload) => GuardedFuture {
                inner: None,
                call: Some(call),
                panic: Some(panic_text(&*payload)),
            },
        }
    }
}

/// Keeps the wrapped service's name, so that a wrapped generated service
/// goes straight into `Server::add_service`.
impl<S: NamedService> NamedService for InternalErrorService<S> {
    const NAME: &'static str = S::NAME;
}

pin_project! {
    /// The response future of an [`InternalErrorService`].
    pub struct GuardedFuture<F> {
        #[pin]
        inner: Option<F>,
        call: Option<Call>,
        // Set when the inner service panicked in `call` itself.
        panic: Option<String>,
    }
}

impl<F, ResBody, E> Future for GuardedFuture<F>
where
    F: Future<Output = Result<http::Response<ResBody>, E>>,
{
    type Output = Result<http::Response<GuardedBody<ResBody>>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let outcome = match this.inner.as_pin_mut() {
            Some(inner) => match catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
                Ok(Poll::Pending) => return Poll::Pending,
                Ok(Poll::Ready(result)) => Ok(result),
                Err(payload) => Err(panic_text(&*payload)),
            },
            None => Err(this.panic.take().unwrap_or_default()),
        };
        let call = this
            .call
            .take()
            .expect("GuardedFuture polled after it completed");
        Poll::Ready(match outcome {
            Ok(Ok(mut response)) => {
                if status_is_out_of_sight(response.headers()) {
                    let mut refused = call.misplaced().into_http::<()>();
                    if let Some(content_type) = response.headers_mut().remove(CONTENT_TYPE) {
                        refused.headers_mut().insert(CONTENT_TYPE, content_type);
                    }
                    return Poll::Ready(Ok(refused.map(|()| GuardedBody::empty())));
                }
                // tonic leaves a trailers-only status in the extensions,
                // source and all; a masked one must not outlive this layer,
                // so what is sent instead takes its place.
                let (mut parts, body) = response.into_parts();
                let original = parts.extensions.get::<Status>();
                if let Some(sent) = call.guard(&mut parts.headers, Place::Headers, original) {
                    parts.extensions.insert(sent);
                }
                Ok(http::Response::from_parts(
                    parts,
                    GuardedBody::new(body, call),
                ))
            }
            Ok(Err(error)) => Err(error),
            Err(panic) => Ok(call
                .panicked(&panic)
                .into_http::<()>()
                .map(|()| GuardedBody::empty())),
        })
    }
}

pin_project! {
    /// A response body whose trailers pass the same check as
    /// [`InternalErrorService`]'s response headers, and which ends with
    /// 1003 trailers when the stream behind it panics.
    pub struct GuardedBody<B> {
        #[pin]
        inner: Option<B>,
        call: Option<Call>,
    }
}

impl<B> GuardedBody<B> {
    fn new(inner: B, call: Call) -> GuardedBody<B> {
        GuardedBody {
            inner: Some(inner),
            call: Some(call),
        }
    }

    fn empty() -> GuardedBody<B> {
        GuardedBody {
            inner: None,
            call: None,
        }
    }
}

impl<B: Body> Body for GuardedBody<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<B::Data>, B::Error>>> {
        let mut this = self.project();
        let Some(inner) = this.inner.as_mut().as_pin_mut() else {
            return Poll::Ready(None);
        };
        match catch_unwind(AssertUnwindSafe(|| inner.poll_frame(cx))) {
            Ok(Poll::Ready(Some(Ok(frame)))) => {
                Poll::Ready(Some(Ok(match frame.into_trailers() {
                    Ok(mut trailers) => {
                        if let Some(call) = this.call.take() {
                            call.guard(&mut trailers, Place::Trailers, None);
                        }
                        Frame::trailers(trailers)
                    }
                    Err(frame) => frame,
                })))
            }
            Ok(other) => other,
            Err(payload) => {
                this.inner.set(None);
                let Some(call) = this.call.take() else {
                    return Poll::Ready(None);
                };
                let mut trailers = HeaderMap::new();
                write_status(&mut trailers, &call.panicked(&panic_text(&*payload)));
                Poll::Ready(Some(Ok(Frame::trailers(trailers))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.as_ref().is_none_or(Body::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        self.inner
            .as_ref()
            .map_or_else(|| SizeHint::with_exact(0), Body::size_hint)
    }
}
