//! The layer for REST routes: every chat error leaves in the caller's
//! locale, and nothing internal leaves at all.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::header::{
    ACCEPT_LANGUAGE, CONTENT_LANGUAGE, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER, VARY,
    WWW_AUTHENTICATE,
};
use http::{HeaderValue, Request, Response};
use http_body::{Body, Frame, SizeHint};
use pin_project_lite::pin_project;
use tonic::Status;
use tower_layer::Layer;
use tower_service::Service;

use super::render::render;
use crate::Settings;
use crate::layer::{InternalErrorLayer, Masking};
use crate::locale::{Negotiated, enter_call};

/// What a response rendered by this crate was rendered from, left in its
/// extensions so that [`JsonErrorLayer`] can render it again for the
/// caller. Private: only the crate's own renderings are re-rendered, never
/// a response that merely looks like one.
#[derive(Clone, Debug)]
pub(crate) enum RenderedFrom {
    #[cfg(feature = "axum")]
    Error(crate::ChatError),
    Status(Status),
}

impl RenderedFrom {
    fn into_status(self) -> Status {
        match self {
            #[cfg(feature = "axum")]
            RenderedFrom::Error(error) => error.into_status(),
            RenderedFrom::Status(status) => status,
        }
    }
}

/// Sends the errors of REST routes as the gRPC
/// [`ServerLayer`](crate::layer::ServerLayer) of the same [`Settings`]
/// sends them: in the caller's locale, and with nothing internal in them.
///
/// Per request it negotiates the caller's locale from `accept-language`
/// and puts the [`Locale`](crate::Locale) in the request's extensions (an
/// axum handler takes it as an extractor, with the feature `axum`) and in
/// the response's. As on gRPC, errors a handler builds are in that locale
/// and the settings' domain from the start. A response this crate rendered
/// ([`status_response`](super::status_response), `IntoResponse` for
/// [`ChatError`](crate::ChatError)) is then, in this order:
///
/// 1. masked as the gRPC stack masks: a status
///    with no chat error of the domain, such as `Status::internal(format!("db: {e}"))`,
///    becomes `1003 InternalServerError` with a request id, and its cause
///    goes to the logs through `tracing`;
/// 2. localized: its one `LocalizedMessage` (and, as the settings say,
///    its message) in the negotiated locale, with that `Content-Language`;
/// 3. rendered again, with `Vary: accept-language`, as what it says
///    depends on that header.
///
/// A handler that panics answers 1003 in the caller's locale too, rather
/// than dropping the connection. Other responses pass untouched: a
/// success, and anything this crate did not render, since the layer
/// cannot know what such a body says. An error already in the right
/// locale, such as any error to a caller who named no locale, keeps its
/// bytes.
///
/// ```
/// use axum::{Router, routing::get};
/// use chat_errors::http_json::check_error;
/// use chat_errors::{ChatError, Domain, ErrorCode, Settings};
/// use http_body_util::BodyExt;
/// use tower::ServiceExt;
///
/// async fn get_channel() -> Result<String, ChatError> {
///     // The handler knows nothing of locales; its error is built in the caller's.
///     Err(ErrorCode::ChannelNotFound.into())
/// }
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let app = Router::new()
///     .route("/v1/channels/lobby", get(get_channel))
///     .layer(Settings::default().json_layer());
/// let request = http::Request::get("/v1/channels/lobby")
///     .header("accept-language", "en-US,en;q=0.9")
///     .body(axum::body::Body::empty())
///     .unwrap();
/// let response = app.oneshot(request).await.unwrap();
/// assert_eq!(response.headers()["content-language"], "en-US");
///
/// let status = response.status();
/// let body = response.into_body().collect().await.unwrap().to_bytes();
/// let error = check_error(status, &body, &Domain::default()).unwrap().unwrap();
/// assert_eq!(error.localized_message().unwrap().message, "The channel does not exist.");
/// # });
/// ```
///
/// Put it on the REST routes alone (`Router::layer` on their router), not
/// around gRPC services, whose statuses travel in trailers.
#[derive(Clone, Debug)]
pub struct JsonErrorLayer {
    settings: Arc<LayerSettings>,
}

#[derive(Debug)]
struct LayerSettings {
    settings: Settings,
    internal_errors: InternalErrorLayer,
}

impl Settings {
    /// The stack for REST routes; see [`JsonErrorLayer`].
    pub fn json_layer(&self) -> JsonErrorLayer {
        JsonErrorLayer {
            settings: Arc::new(LayerSettings {
                settings: self.clone(),
                internal_errors: InternalErrorLayer::new(self.domain().clone()),
            }),
        }
    }
}

impl<S> Layer<S> for JsonErrorLayer {
    type Service = JsonErrorService<S>;

    fn layer(&self, inner: S) -> JsonErrorService<S> {
        JsonErrorService {
            inner,
            settings: Arc::clone(&self.settings),
        }
    }
}

/// The service [`JsonErrorLayer`] wraps REST routes in.
#[derive(Clone, Debug)]
pub struct JsonErrorService<S> {
    inner: S,
    settings: Arc<LayerSettings>,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for JsonErrorService<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: Body<Data = Bytes>,
{
    type Response = Response<JsonErrorBody<ResBody>>;
    type Error = S::Error;
    type Future = JsonErrorFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> JsonErrorFuture<S::Future> {
        let negotiated = self.settings.settings.negotiate(request.headers());
        request.extensions_mut().insert(negotiated.locale);
        let call = Call {
            settings: Arc::clone(&self.settings),
            masking: self.settings.internal_errors.masking(&request),
            negotiated,
        };
        let _call = call.enter();
        let (inner, panicked) = match catch_unwind(AssertUnwindSafe(|| self.inner.call(request))) {
            Ok(inner) => (Some(inner), None),
            Err(payload) => (None, Some(call.masking.panicked(&*payload))),
        };
        JsonErrorFuture {
            inner,
            call: Some(call),
            panicked,
        }
    }
}

/// One request's locale and masking, kept until its response.
struct Call {
    settings: Arc<LayerSettings>,
    masking: Masking,
    negotiated: Negotiated,
}

impl Call {
    fn enter(&self) -> crate::locale::CallGuard {
        enter_call(
            self.negotiated.locale,
            self.settings.settings.domain(),
            None,
        )
    }

    fn localize(&self, status: &Status) -> Option<Status> {
        self.settings
            .settings
            .relocalize(status, None, self.negotiated)
    }

    /// The status to send instead of `status`, if it changes.
    fn replacement(&self, status: &Status) -> Option<Status> {
        let masked = self.masking.mask(status);
        let sent = masked.as_ref().unwrap_or(status);
        self.localize(sent).or(masked)
    }

    fn respond<B>(&self, mut response: Response<JsonErrorBody<B>>) -> Response<JsonErrorBody<B>> {
        let extensions = response.extensions_mut();
        extensions.insert(self.negotiated.locale);
        let Some(rendered_from) = extensions.remove::<RenderedFrom>() else {
            return response;
        };
        let status = rendered_from.into_status();
        let response = match self.replacement(&status) {
            Some(replacement) => rerender(response, replacement),
            None => {
                response
                    .extensions_mut()
                    .insert(RenderedFrom::Status(status));
                response
            }
        };
        vary_by_language(response)
    }

    fn respond_to_panic<B>(&self, masked: Status) -> Response<JsonErrorBody<B>> {
        let status = self.localize(&masked).unwrap_or(masked);
        let mut response = Response::new(JsonErrorBody::empty());
        response.extensions_mut().insert(self.negotiated.locale);
        vary_by_language(rerender(response, status))
    }
}

/// `response` with `status` rendered in place of its error, keeping the
/// headers and extensions the rendering does not own.
fn rerender<B>(response: Response<JsonErrorBody<B>>, status: Status) -> Response<JsonErrorBody<B>> {
    let rendered = render(&status);
    let (mut parts, _) = response.into_parts();
    for owned in [
        CONTENT_TYPE,
        CONTENT_LENGTH,
        CONTENT_LANGUAGE,
        RETRY_AFTER,
        WWW_AUTHENTICATE,
    ] {
        parts.headers.remove(owned);
    }
    parts.headers.extend(rendered.headers);
    parts.status = rendered.status;
    parts.extensions.insert(RenderedFrom::Status(status));
    Response::from_parts(parts, JsonErrorBody::rendered(rendered.body))
}

fn vary_by_language<B>(mut response: Response<B>) -> Response<B> {
    response
        .headers_mut()
        .append(VARY, HeaderValue::from_static(ACCEPT_LANGUAGE.as_str()));
    response
}

pin_project! {
    /// The response future of a [`JsonErrorService`].
    pub struct JsonErrorFuture<F> {
        #[pin]
        inner: Option<F>,
        call: Option<Call>,
        // Set when the inner service panicked in `call` itself.
        panicked: Option<Status>,
    }
}

impl<F, ResBody, E> Future for JsonErrorFuture<F>
where
    F: Future<Output = Result<Response<ResBody>, E>>,
{
    type Output = Result<Response<JsonErrorBody<ResBody>>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let _call = this.call.as_ref().map(Call::enter);
        let outcome = match this.inner.as_pin_mut() {
            Some(inner) => match catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
                Ok(Poll::Pending) => return Poll::Pending,
                Ok(Poll::Ready(result)) => Ok(result.map(Some)),
                Err(payload) => Err(payload),
            },
            None => Ok(Ok(None)),
        };
        let call = this
            .call
            .take()
            .expect("JsonErrorFuture polled after it completed");
        Poll::Ready(match outcome {
            Ok(Ok(Some(response))) => Ok(call.respond(response.map(JsonErrorBody::inner))),
            Ok(Ok(None)) => {
                let masked = this.panicked.take().expect("a panic in `call`");
                Ok(call.respond_to_panic(masked))
            }
            Ok(Err(error)) => Err(error),
            Err(payload) => Ok(call.respond_to_panic(call.masking.panicked(&*payload))),
        })
    }
}

pin_project! {
    /// A REST response's body: the route's own, or an error rendered again.
    pub struct JsonErrorBody<B> {
        #[pin]
        inner: Option<B>,
        rendered: Option<Bytes>,
    }
}

impl<B> JsonErrorBody<B> {
    fn inner(inner: B) -> JsonErrorBody<B> {
        JsonErrorBody {
            inner: Some(inner),
            rendered: None,
        }
    }

    fn rendered(body: Bytes) -> JsonErrorBody<B> {
        JsonErrorBody {
            inner: None,
            rendered: Some(body),
        }
    }

    fn empty() -> JsonErrorBody<B> {
        JsonErrorBody {
            inner: None,
            rendered: None,
        }
    }
}

impl<B: Body<Data = Bytes>> Body for JsonErrorBody<B> {
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, B::Error>>> {
        let this = self.project();
        match this.inner.as_pin_mut() {
            Some(inner) => inner.poll_frame(cx),
            None => Poll::Ready(this.rendered.take().map(|body| Ok(Frame::data(body)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.inner {
            Some(inner) => inner.is_end_stream(),
            None => self.rendered.is_none(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.inner {
            Some(inner) => inner.size_hint(),
            None => {
                SizeHint::with_exact(self.rendered.as_ref().map_or(0, |body| body.len() as u64))
            }
        }
    }
}
