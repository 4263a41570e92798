//! [`ServerLayer`]: the server stack, locale outside masking, as one
//! service, one response future and one response body, so that each
//! response's status is looked up, read and checked once.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::HeaderMap;
use http::header::CONTENT_TYPE;
use http_body::{Body, Frame, SizeHint};
use pin_project_lite::pin_project;
use tonic::Status;
use tonic::server::NamedService;
use tower_layer::Layer;
use tower_service::Service;

use super::internal::{
    Guarded, InternalErrorLayer, MaskingCall, is_grpc_web, panic_text, write_status,
};
use super::locale::LocaleCall;
use super::status_headers::{edit_trailers, error_code, status_code};
#[cfg(feature = "opentelemetry")]
use crate::metrics::{ChatCode, Outcome, chat_code_in_headers};
use crate::{ErrorCode, Settings};

/// The recommended server stack, made by [`Settings::layer`]: every error
/// leaves in the caller's locale, and nothing internal leaves at all.
///
/// Per call, from outside in:
///
/// 1. **Locale.** The caller's locale is negotiated from `accept-language`
///    and put in the request's extensions as a [`Locale`](crate::Locale).
///    While the call is polled, its errors are built in that locale and in
///    the settings' domain. On the way out, any chat error of the domain
///    still in another locale (built on another task, say) is rewritten so
///    that its one `LocalizedMessage` is in the caller's.
/// 2. **Masking.** A handler panic, or an error status with no chat error
///    of the domain in it (`Status::internal(format!("db: {e}"))`, a chat
///    error of another domain), becomes `1003 InternalServerError` with a
///    `RequestInfo` request id: the request's `x-request-id` when that is a
///    plain token (letters, digits, `.`, `_`, `:`, `-`, at most 128), or a
///    fresh random one. The cause, with that id, goes to a `tracing` error
///    event, never to the peer. A request body the service cannot decode
///    (with [`ChatCodec`](crate::codec::ChatCodec)) becomes `1001
///    ParamsBindingError`. `Cancelled`, `DeadlineExceeded` and
///    `Unimplemented` pass unchanged, as they say nothing about the
///    server's inside; a status that passes with a
///    [source](crate::ChatError::with_source) has that source logged.
///
/// It goes on a tonic `Server`, or around one service. tonic-web's
/// `GrpcWebLayer` moves trailers into the response body, where no layer can
/// read them, so for gRPC-Web this layer goes inside it (added after it):
/// placed outside, it refuses every streamed gRPC-Web response with 1003
/// and logs why, so that the mistake fails the first test.
#[derive(Clone, Debug)]
pub struct ServerLayer {
    settings: Arc<Settings>,
    masking: InternalErrorLayer,
}

impl ServerLayer {
    pub(crate) fn new(settings: Settings) -> ServerLayer {
        ServerLayer {
            masking: InternalErrorLayer::new(settings.domain().clone()),
            settings: Arc::new(settings),
        }
    }
}

impl<S> Layer<S> for ServerLayer {
    type Service = ServerService<S>;

    fn layer(&self, inner: S) -> ServerService<S> {
        ServerService {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service [`ServerLayer`] wraps a server in.
#[derive(Clone, Debug)]
pub struct ServerService<S> {
    inner: S,
    layer: ServerLayer,
}

/// Keeps the wrapped service's name, so that a wrapped generated service
/// goes straight into `Server::add_service`.
impl<S: NamedService> NamedService for ServerService<S> {
    const NAME: &'static str = S::NAME;
}

impl<S, ReqBody, ResBody> Service<http::Request<ReqBody>> for ServerService<S>
where
    S: Service<http::Request<ReqBody>, Response = http::Response<ResBody>>,
{
    type Response = http::Response<ServerBody<ResBody>>;
    type Error = S::Error;
    type Future = ServerFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: http::Request<ReqBody>) -> ServerFuture<S::Future> {
        let settings = &self.layer.settings;
        let negotiated = settings.negotiate(request.headers());
        request.extensions_mut().insert(negotiated.locale);
        let mut call = Call {
            masking: self.layer.masking.call(&request),
            locale: LocaleCall {
                settings: Arc::clone(settings),
                negotiated,
                built: None,
            },
            #[cfg(feature = "opentelemetry")]
            timer: settings
                .metrics()
                .map(|metrics| Box::new(metrics.start(request.uri().path_and_query()))),
        };
        let entered = call.locale.enter();
        let inner = catch_unwind(AssertUnwindSafe(|| self.inner.call(request)));
        call.locale.leave(&entered);
        drop(entered);
        match inner {
            Ok(inner) => ServerFuture {
                inner: Some(inner),
                call: Some(call),
                panic: None,
            },
            Err(payload) => ServerFuture {
                inner: None,
                call: Some(call),
                panic: Some(panic_text(&*payload)),
            },
        }
    }
}

/// What the stack keeps of one call until its status is sent.
#[derive(Debug)]
struct Call {
    masking: MaskingCall,
    locale: LocaleCall,
    /// Set when the settings have a meter; records the call once its final
    /// status is written, or as cancelled when dropped before. Boxed, so
    /// that a call without metrics does not move its room with every move
    /// of the future and the response.
    #[cfg(feature = "opentelemetry")]
    timer: Option<Box<crate::metrics::CallTimer>>,
}

impl Call {
    /// A trailers-only response, or the headers of one that streams: any
    /// status in them masked, then localized.
    fn respond<B>(mut self, response: http::Response<B>) -> http::Response<ServerBody<B>> {
        let (mut parts, body) = response.into_parts();
        let Some(code) = status_code(&parts.headers) else {
            if is_grpc_web(&parts.headers) {
                return self.misplaced(parts);
            }
            // The headers of a stream: its status comes in the trailers.
            return http::Response::from_parts(parts, ServerBody::new(body, self));
        };
        if code == tonic::Code::Ok {
            self.record_headers(&parts, code, None);
            return http::Response::from_parts(parts, ServerBody::new(body, self));
        }
        // tonic leaves a trailers-only status in the extensions.
        let built = parts
            .extensions
            .get::<Status>()
            .filter(|status| status.code() == code)
            .and_then(|status| self.locale.built_as_sent(status));
        match built {
            Some(built) => self.record_headers(&parts, code, Some(built)),
            None => self.check_headers(&mut parts, code),
        }
        http::Response::from_parts(parts, ServerBody::new(body, self))
    }

    /// Masks, then localizes, the error status in a trailers-only
    /// response's headers. Kept out of line, as every function off the
    /// common paths is here: the stack's code is fetched anew on each call,
    /// as the rest of the server evicts it in between, so the less of it a
    /// common call runs through, the less that call costs.
    #[inline(never)]
    fn check_headers(&mut self, parts: &mut http::response::Parts, code: tonic::Code) {
        // The status tonic left, source and all; a masked one must not
        // outlive the stack, so what is sent instead takes its place.
        let original = parts
            .extensions
            .get::<Status>()
            .filter(|status| status.code() == code);
        let left_by_tonic = original.is_some();
        let guarded = self.masking.guard(&mut parts.headers, code, original);
        let (code, checked) = match guarded {
            Some(Guarded::Replaced(sent)) => {
                let code = sent.code();
                parts.extensions.insert(sent);
                (code, None)
            }
            Some(Guarded::Passed(checked)) if left_by_tonic => (code, checked),
            _ => (code, None),
        };
        self.localize_headers(parts, code, checked);
        self.record_headers(parts, code, checked);
    }

    /// The answer to a gRPC-Web response whose status the stack cannot see
    /// (see [`is_grpc_web`]).
    #[cold]
    fn misplaced<B>(mut self, parts: http::response::Parts) -> http::Response<ServerBody<B>> {
        let mut headers = parts.headers;
        let content_type = headers.remove(CONTENT_TYPE);
        let refused = self.masking.misplaced();
        let code = refused.code();
        let (mut parts, ()) = refused.into_http::<()>().into_parts();
        if let Some(content_type) = content_type {
            parts.headers.insert(CONTENT_TYPE, content_type);
        }
        self.localize_headers(&mut parts, code, None);
        self.record_headers(&parts, code, None);
        http::Response::from_parts(parts, ServerBody::empty())
    }

    /// The answer to a call whose handler panicked.
    #[cold]
    fn panicked<B>(mut self, panic: &str) -> http::Response<ServerBody<B>> {
        let sent = self.masking.panicked(panic);
        let code = sent.code();
        let (mut parts, ()) = sent.into_http::<()>().into_parts();
        self.localize_headers(&mut parts, code, None);
        self.record_headers(&parts, code, Some(ErrorCode::InternalServerError1003));
        http::Response::from_parts(parts, ServerBody::empty())
    }

    fn localize_headers(
        &self,
        parts: &mut http::response::Parts,
        code: tonic::Code,
        checked: Option<ErrorCode>,
    ) {
        let sent = parts.extensions.get::<Status>();
        if let Some(localized) = self
            .locale
            .localize(&mut parts.headers, code, sent, checked)
        {
            parts.extensions.insert(localized);
        }
    }

    /// The trailers of a streamed response: masked, then localized, the
    /// status in them read once.
    fn finish(mut self, trailers: &mut HeaderMap) {
        match error_code(trailers) {
            Some(code) => self.finish_error(trailers, code),
            None => self.record_unchecked_trailers(trailers),
        }
    }

    #[inline(never)]
    fn finish_error(&mut self, trailers: &mut HeaderMap, code: tonic::Code) {
        let Some((sent, checked)) = self.masking.guard_trailers(trailers, code) else {
            self.record_unchecked_trailers(trailers);
            return;
        };
        self.locale
            .localize(trailers, sent.code(), Some(&sent), checked);
        self.record_error(&sent, checked);
    }

    /// Trailers in place of those of a stream that panicked.
    #[cold]
    fn panicked_trailers(mut self, panic: &str) -> HeaderMap {
        let mut trailers = HeaderMap::new();
        let sent = self.masking.panicked(panic);
        write_status(&mut trailers, &sent);
        self.locale
            .localize(&mut trailers, sent.code(), Some(&sent), None);
        self.record_error(&sent, Some(ErrorCode::InternalServerError1003));
        trailers
    }
}

/// What the metrics see of each end of a call: the status as sent, after
/// masking and localizing, whose code is passed on when the masking
/// already read it, so that it is not read again.
#[cfg(feature = "opentelemetry")]
impl Call {
    /// Records a trailers-only response; a streamed one has no status in
    /// its headers and is recorded by its trailers.
    fn record_headers(
        &mut self,
        parts: &http::response::Parts,
        code: tonic::Code,
        checked: Option<ErrorCode>,
    ) {
        if self.timer.is_none() {
            return;
        }
        let chat = self.chat_code(
            code,
            checked,
            parts.extensions.get::<Status>(),
            &parts.headers,
        );
        self.record(Outcome::status(code, chat));
    }

    /// Records trailers the masking had nothing to check in: `OK`, or no
    /// status at all, which the client reads as `UNKNOWN`.
    fn record_unchecked_trailers(&mut self, trailers: &HeaderMap) {
        if self.timer.is_none() {
            return;
        }
        let code = status_code(trailers).unwrap_or(tonic::Code::Unknown);
        let chat = self.chat_code(code, None, None, trailers);
        self.record(Outcome::status(code, chat));
    }

    fn record_error(&mut self, sent: &Status, checked: Option<ErrorCode>) {
        if self.timer.is_none() {
            return;
        }
        let chat = self.chat_code(sent.code(), checked, Some(sent), &HeaderMap::new());
        self.record(Outcome::status(sent.code(), chat));
    }

    fn chat_code(
        &self,
        code: tonic::Code,
        checked: Option<ErrorCode>,
        sent: Option<&Status>,
        headers: &HeaderMap,
    ) -> Option<ChatCode> {
        if code == tonic::Code::Ok {
            return None;
        }
        if let Some(known) = checked {
            return Some(ChatCode::Known(known));
        }
        let domain = self.locale.settings.domain();
        match sent {
            Some(sent) => ChatCode::of(sent, domain),
            None => chat_code_in_headers(headers, domain),
        }
    }

    fn record(&mut self, outcome: Outcome) {
        if let Some(timer) = self.timer.take() {
            timer.record(outcome);
        }
    }
}

// Without the feature there is no meter, so nothing to record; the calls
// compile away.
#[cfg(not(feature = "opentelemetry"))]
impl Call {
    fn record_headers(&mut self, _: &http::response::Parts, _: tonic::Code, _: Option<ErrorCode>) {}
    fn record_unchecked_trailers(&mut self, _: &HeaderMap) {}
    fn record_error(&mut self, _: &Status, _: Option<ErrorCode>) {}
}

pin_project! {
    /// The response future of a [`ServerService`].
    pub struct ServerFuture<F> {
        #[pin]
        inner: Option<F>,
        call: Option<Call>,
        // Set when the inner service panicked in `call` itself.
        panic: Option<String>,
    }
}

impl<F, ResBody, E> Future for ServerFuture<F>
where
    F: Future<Output = Result<http::Response<ResBody>, E>>,
{
    type Output = Result<http::Response<ServerBody<ResBody>>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let entered = this.call.as_ref().map(|call| call.locale.enter());
        let outcome = match this.inner.as_pin_mut() {
            Some(inner) => match catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
                Ok(Poll::Pending) => {
                    if let (Some(call), Some(entered)) = (this.call.as_mut(), &entered) {
                        call.locale.leave(entered);
                    }
                    return Poll::Pending;
                }
                Ok(Poll::Ready(result)) => Ok(result),
                Err(payload) => Err(panic_text(&*payload)),
            },
            None => Err(this.panic.take().unwrap_or_default()),
        };
        let mut call = this
            .call
            .take()
            .expect("ServerFuture polled after it completed");
        if let Some(entered) = &entered {
            call.locale.leave(entered);
        }
        let answer = match outcome {
            Ok(Ok(response)) => Ok(call.respond(response)),
            Ok(Err(error)) => Err(error),
            Err(panic) => Ok(call.panicked(&panic)),
        };
        drop(entered);
        Poll::Ready(answer)
    }
}

pin_project! {
    /// A response body whose trailers pass the same masking and localizing
    /// as [`ServerService`]'s response headers, and which ends with 1003
    /// trailers when the stream behind it panics.
    pub struct ServerBody<B> {
        #[pin]
        inner: Option<B>,
        call: Option<Call>,
    }
}

impl<B> ServerBody<B> {
    fn new(inner: B, call: Call) -> ServerBody<B> {
        ServerBody {
            inner: Some(inner),
            call: Some(call),
        }
    }

    fn empty() -> ServerBody<B> {
        ServerBody {
            inner: None,
            call: None,
        }
    }
}

impl<B: Body> Body for ServerBody<B> {
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
        let _entered = this.call.as_ref().map(|call| call.locale.enter());
        match catch_unwind(AssertUnwindSafe(|| inner.poll_frame(cx))) {
            Ok(Poll::Ready(Some(Ok(frame)))) => {
                Poll::Ready(Some(Ok(edit_trailers(frame, |trailers| {
                    if let Some(call) = this.call.take() {
                        call.finish(trailers);
                    }
                }))))
            }
            Ok(other) => other,
            Err(payload) => {
                this.inner.set(None);
                let Some(call) = this.call.take() else {
                    return Poll::Ready(None);
                };
                let trailers = call.panicked_trailers(&panic_text(&*payload));
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
