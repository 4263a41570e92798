//! The server side: every error goes out in the caller's locale.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::HeaderMap;
use http_body::{Body, Frame, SizeHint};
use pin_project_lite::pin_project;
use tonic::Status;
use tonic::server::NamedService;
use tower_layer::Layer;
use tower_service::Service;

use super::status_headers::{error_code, replace_message_and_details, replace_status, sent_status};
use crate::Settings;
use crate::locale::{CallGuard, Negotiated, enter_call};

/// The locale half of [`ServerLayer`](super::ServerLayer): negotiates each
/// caller's locale and sends every chat error of the call in it, whatever
/// built the error. While it polls the call, the call's locale and domain
/// are the polling thread's, so most errors are built right and pass
/// untouched, byte for byte; a bare code's status built elsewhere is
/// resent from header values encoded once per code and locale.
#[derive(Clone, Debug)]
pub(crate) struct LocaleLayer {
    settings: Arc<Settings>,
}

impl LocaleLayer {
    pub(crate) fn new(settings: Arc<Settings>) -> LocaleLayer {
        LocaleLayer { settings }
    }
}

impl<S> Layer<S> for LocaleLayer {
    type Service = LocaleService<S>;

    fn layer(&self, inner: S) -> LocaleService<S> {
        LocaleService {
            inner,
            settings: Arc::clone(&self.settings),
        }
    }
}

/// The service [`LocaleLayer`] wraps a server in.
#[derive(Clone, Debug)]
pub struct LocaleService<S> {
    inner: S,
    settings: Arc<Settings>,
}

/// Keeps the wrapped service's name, so that a wrapped generated service
/// goes straight into `Server::add_service`.
impl<S: NamedService> NamedService for LocaleService<S> {
    const NAME: &'static str = S::NAME;
}

impl<S, ReqBody, ResBody> Service<http::Request<ReqBody>> for LocaleService<S>
where
    S: Service<http::Request<ReqBody>, Response = http::Response<ResBody>>,
{
    type Response = http::Response<LocalizedBody<ResBody>>;
    type Error = S::Error;
    type Future = LocalizedFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: http::Request<ReqBody>) -> LocalizedFuture<S::Future> {
        let negotiated = self.settings.negotiate(request.headers());
        request.extensions_mut().insert(negotiated.locale);
        let call = Call {
            settings: Arc::clone(&self.settings),
            negotiated,
        };
        let _call = call.enter();
        LocalizedFuture {
            inner: self.inner.call(request),
            call: Some(call),
        }
    }
}

/// One call's locale, kept until its status is sent.
#[derive(Clone, Debug)]
struct Call {
    settings: Arc<Settings>,
    negotiated: Negotiated,
}

impl Call {
    /// Makes the call's locale and domain the thread's while the guard lives.
    fn enter(&self) -> CallGuard {
        enter_call(self.negotiated.locale, self.settings.domain())
    }

    /// Localizes the error status in `headers`, if any; `sent` is the
    /// status tonic built them from, when it left it in the extensions.
    /// Returns the status as now sent, when it changed.
    fn localize(&self, headers: &mut HeaderMap, sent: Option<&Status>) -> Option<Status> {
        let code = error_code(headers)?;
        let sent = sent_status(headers, sent.filter(|status| status.code() == code))?;
        let relocalized = self.settings.relocalize(&sent, self.negotiated)?;
        match relocalized.header_values {
            // The code stays: only the message and details change.
            Some(values) => replace_message_and_details(headers, values),
            None => replace_status(headers, &relocalized.status),
        }
        Some(relocalized.status)
    }
}

pin_project! {
    /// The response future of a [`LocaleService`].
    pub struct LocalizedFuture<F> {
        #[pin]
        inner: F,
        call: Option<Call>,
    }
}

impl<F, ResBody, E> Future for LocalizedFuture<F>
where
    F: Future<Output = Result<http::Response<ResBody>, E>>,
{
    type Output = Result<http::Response<LocalizedBody<ResBody>>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let _call = this.call.as_ref().map(Call::enter);
        let response = match this.inner.poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
            Poll::Ready(Ok(response)) => response,
        };
        let call = this
            .call
            .take()
            .expect("LocalizedFuture polled after it completed");
        let (mut parts, body) = response.into_parts();
        let sent = parts.extensions.get::<Status>();
        if let Some(localized) = call.localize(&mut parts.headers, sent) {
            parts.extensions.insert(localized);
        }
        let body = LocalizedBody {
            inner: body,
            call: Some(call),
        };
        Poll::Ready(Ok(http::Response::from_parts(parts, body)))
    }
}

pin_project! {
    /// A response body whose trailers carry their status in the call's locale.
    pub struct LocalizedBody<B> {
        #[pin]
        inner: B,
        call: Option<Call>,
    }
}

impl<B: Body> Body for LocalizedBody<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<B::Data>, B::Error>>> {
        let this = self.project();
        let _call = this.call.as_ref().map(Call::enter);
        match this.inner.poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => Poll::Ready(Some(Ok(match frame.into_trailers() {
                Ok(mut trailers) => {
                    if let Some(call) = this.call.take() {
                        call.localize(&mut trailers, None);
                    }
                    Frame::trailers(trailers)
                }
                Err(frame) => frame,
            }))),
            other => other,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
