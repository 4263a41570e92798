//! The server side: what is not a chat error leaves as
//! `1003 InternalServerError`, and its cause goes to the logs.

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::header::CONTENT_TYPE;
use http::uri::PathAndQuery;
use http::{HeaderMap, HeaderValue};
use http_body::{Body, Frame, SizeHint};
use pin_project_lite::pin_project;
use tonic::metadata::KeyRef;
use tonic::server::NamedService;
use tonic::{Code, Status};
use tower_layer::Layer;
use tower_service::Service;

use super::request_id::{REQUEST_ID_HEADER, request_id};
use super::status_headers::sent_status;
use crate::codec::UndecodableMessage;
use crate::encode::shared_bare_status;
use crate::wire::{GRPC_MESSAGE, GRPC_STATUS, GRPC_STATUS_DETAILS};
use crate::{ChatError, ChatStatusExt, Domain, ErrorCode, RequestInfo};

/// Turns what a client must not see into `1003 InternalServerError`:
/// a handler that panics, and an error status with no chat error of the
/// layer's domain in it (`Status::internal(format!("db: {e}"))`, say).
///
/// The client gets the error as [`ChatError::new`] builds it, with the
/// English description as its message and a `RequestInfo` whose
/// `request_id` is the request's `x-request-id` when that is a plain token
/// (letters, digits, `.`, `_`, `:`, `-`, at most 128), or else a fresh
/// random one, and nothing else: the replaced status's metadata is not
/// sent. The server logs the panic message, or the original code, message,
/// source chain and metadata, with that request id, as a `tracing` error
/// event, so one search finds the cause of what a user reports.
///
/// A request the service could not decode is the caller's fault, not an
/// internal error: when the status carries an
/// [`UndecodableMessage`] (as [`ChatCodec`](crate::codec::ChatCodec)'s
/// decoder returns it), or is tonic's refusal of a unary call whose body
/// holds no message, the client gets `1001 ParamsBindingError` with a
/// `BadRequest` violation of the field `request` saying why, and the
/// server logs it at debug level.
///
/// Statuses with these codes pass unchanged, as they say nothing about the
/// server's inside and clients act on them: `Cancelled`,
/// `DeadlineExceeded` and `Unimplemented` (an unknown method);
/// [`passing`](Self::passing) changes the list. A status that goes out
/// unchanged but has a [source](ChatError::with_source) is logged as a
/// `tracing` warning with that source.
///
/// # Where it goes
///
/// Innermost, next to the service, so that it sees every status before a
/// layer that changes the protocol. tonic-web's `GrpcWebLayer` moves
/// trailers into the response body, where no layer can check them, so
/// this layer goes inside it:
/// `ServiceBuilder::new().layer(GrpcWebLayer::new()).layer(InternalErrorLayer::new())`.
/// Placed outside, it still masks a trailers-only gRPC-Web error, whose
/// status stays in the headers, but it refuses every other gRPC-Web
/// response with 1003 and logs why, so that the mistake fails the first
/// test instead of letting a streamed error through unchecked.
///
/// Like `grpc-java`, which answers an uncaught handler exception with a
/// bare status and logs the exception, the cause stays on the server.
#[derive(Clone, Debug)]
pub struct InternalErrorLayer {
    policy: Arc<Policy>,
}

#[derive(Debug)]
struct Policy {
    domain: Domain,
    passing: CodeSet,
}

impl InternalErrorLayer {
    /// A layer for the [default domain](crate::DEFAULT_DOMAIN).
    pub fn new() -> InternalErrorLayer {
        InternalErrorLayer {
            policy: Arc::new(Policy {
                domain: Domain::default(),
                passing: CodeSet::of([
                    Code::Cancelled,
                    Code::DeadlineExceeded,
                    Code::Unimplemented,
                ]),
            }),
        }
    }

    /// Recognises chat errors of `domain` and sends 1003 in it.
    #[must_use]
    pub fn with_domain(self, domain: Domain) -> InternalErrorLayer {
        InternalErrorLayer {
            policy: Arc::new(Policy {
                domain,
                passing: self.policy.passing,
            }),
        }
    }

    /// Lets statuses with these codes through unchanged, in place of the
    /// default list. `Ok` always passes.
    #[must_use]
    pub fn passing(self, codes: impl IntoIterator<Item = Code>) -> InternalErrorLayer {
        InternalErrorLayer {
            policy: Arc::new(Policy {
                domain: self.policy.domain.clone(),
                passing: CodeSet::of(codes),
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

impl Default for InternalErrorLayer {
    fn default() -> InternalErrorLayer {
        InternalErrorLayer::new()
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

/// What the guard needs to know about one call, kept until its trailers.
#[derive(Clone, Debug)]
struct Call {
    policy: Arc<Policy>,
    /// For the logs: the path names the gRPC method.
    method: Option<PathAndQuery>,
    request_id: Option<HeaderValue>,
}

impl Call {
    fn new<B>(policy: &Arc<Policy>, request: &http::Request<B>) -> Call {
        Call {
            policy: Arc::clone(policy),
            method: request.uri().path_and_query().cloned(),
            request_id: request.headers().get(REQUEST_ID_HEADER).cloned(),
        }
    }

    fn method(&self) -> &str {
        self.method.as_ref().map_or("", PathAndQuery::path)
    }

    /// Replaces an unmapped error status in `headers` (a trailers-only
    /// response's headers, or trailers) with what the client may see and
    /// returns the status sent instead. It logs the cause of what it
    /// replaces and the source, if any, of what it lets through.
    /// `original` is the status as the handler returned it, when tonic left
    /// it in the response's extensions: the verdict is read from it, so
    /// that nothing is decoded from the headers again.
    fn guard(
        &self,
        headers: &mut HeaderMap,
        place: Place,
        original: Option<&Status>,
    ) -> Option<Status> {
        let code = Code::from_bytes(headers.get(GRPC_STATUS)?.as_bytes());
        if code == Code::Ok {
            return None;
        }
        let cause = sent_status(headers, original)?;
        let status = self.replacement(&cause)?;
        replace_status(headers, place, &cause, &status);
        Some(status)
    }

    /// What the client gets instead of the error `status`, logged as this
    /// layer logs it, or `None` to send `status` as it is (after logging
    /// its source, if it has one).
    fn replacement(&self, status: &Status) -> Option<Status> {
        match self.verdict(status) {
            Verdict::Pass => {
                self.log_source(status);
                None
            }
            Verdict::Undecodable(undecodable) => Some(self.undecodable(status, undecodable)),
            Verdict::Internal => Some(self.unmapped(status)),
        }
    }

    fn verdict(&self, status: &Status) -> Verdict {
        let policy = &self.policy;
        if policy.passing.contains(status.code())
            // A bare code's status is recognised by its shared buffer; the
            // cheap code-only read finds every other catalogue code; the
            // full decode is for codes of a newer catalogue.
            || shared_bare_status(&policy.domain, status.details()).is_some()
            || status.chat_error_code_in(&policy.domain).is_some()
            || (!status.details().is_empty()
                && status.get_chat_error_in(&policy.domain).is_some())
        {
            return Verdict::Pass;
        }
        if let Some(undecodable) = UndecodableMessage::find(status) {
            return Verdict::Undecodable(undecodable.to_string());
        }
        if is_missing_request_message(status) {
            return Verdict::Undecodable(MISSING_REQUEST_MESSAGE.to_owned());
        }
        Verdict::Internal
    }

    /// 1001 for a request body that holds no message the service can
    /// decode: the caller's fault, told to the caller, and only worth a
    /// debug line here.
    fn undecodable(&self, cause: &Status, why: String) -> Status {
        tracing::debug!(
            method = %self.method(),
            cause = ?why,
            dropped_metadata = ?cause.metadata(),
            "undecodable request answered with 1001 ParamsBindingError",
        );
        ChatError::new(ErrorCode::ParamsBindingError)
            .with_domain(self.policy.domain.clone())
            .with_field_violation(REQUEST_BODY_FIELD, why)
            .into_status()
    }

    fn unmapped(&self, cause: &Status) -> Status {
        let (status, request_id) = self.internal_error();
        tracing::error!(
            request_id = %request_id,
            method = %self.method(),
            code = ?cause.code(),
            cause = ?cause.message(),
            source = ?SourceChain(cause),
            dropped_metadata = ?cause.metadata(),
            "unmapped error status answered with 1003 InternalServerError",
        );
        status
    }

    /// A status that goes out as it is may still carry a cause, as
    /// [`ChatError::with_source`] keeps it: this is where it is logged.
    fn log_source(&self, status: &Status) {
        if std::error::Error::source(status).is_some() {
            tracing::warn!(
                method = %self.method(),
                code = ?status.code(),
                cause = ?status.message(),
                source = ?SourceChain(status),
                "error status sent; its source stays on the server",
            );
        }
    }

    fn panicked(&self, panic: &str) -> Status {
        let (status, request_id) = self.internal_error();
        tracing::error!(
            request_id = %request_id,
            method = %self.method(),
            panic = ?panic,
            "handler panicked; answered with 1003 InternalServerError",
        );
        status
    }

    /// The layer sits outside a gRPC-Web translation, which moves trailers
    /// into the body where no layer can check them: every call is refused,
    /// so that the mistake shows in the first test rather than in a leak.
    fn misplaced(&self) -> Status {
        let (status, request_id) = self.internal_error();
        tracing::error!(
            request_id = %request_id,
            method = %self.method(),
            "InternalErrorLayer sees a gRPC-Web response whose status is in the body; \
             place it inside GrpcWebLayer (add it to the Server after GrpcWebLayer). \
             Answered with 1003 InternalServerError",
        );
        status
    }

    fn internal_error(&self) -> (Status, String) {
        let request_id = request_id(self.request_id.as_ref());
        let status = ChatError::new(ErrorCode::InternalServerError1003)
            .with_domain(self.policy.domain.clone())
            .with_request_info(RequestInfo {
                request_id: request_id.clone(),
                serving_data: String::new(),
            })
            .into_status();
        (status, request_id)
    }
}

/// What the guard does with an error status.
enum Verdict {
    /// A chat error of the layer's domain, or a passing code.
    Pass,
    /// The request holds no message the service can decode, for this reason.
    Undecodable(String),
    /// Anything else.
    Internal,
}

/// The `BadRequest` field a 1001 for an undecodable request names.
pub(crate) const REQUEST_BODY_FIELD: &str = "request";

/// What a 1001 says of a unary request whose body holds no message.
const MISSING_REQUEST_MESSAGE: &str = "is missing: the body holds no message";

/// Whether tonic refused a unary call whose body ended before a message.
/// tonic says so only in text (`Status::internal("Missing request
/// message.")`, tonic 0.14's `Grpc::map_request_unary`), so the text is
/// matched, and a test sending an empty body fails when tonic changes it.
fn is_missing_request_message(status: &Status) -> bool {
    status.code() == Code::Internal
        && status.message() == "Missing request message."
        && std::error::Error::source(status).is_none()
}

/// Where a status is read and written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// A trailers-only response's headers, which also hold its content type.
    Headers,
    /// Trailers, which hold nothing but the status.
    Trailers,
}

/// Puts `status` in `headers` in place of `cause`, leaving none of
/// `cause`'s metadata behind.
fn replace_status(headers: &mut HeaderMap, place: Place, cause: &Status, status: &Status) {
    if place == Place::Headers {
        let content_type = headers.remove(CONTENT_TYPE);
        for key in cause.metadata().keys() {
            match key {
                KeyRef::Ascii(key) => headers.remove(key.as_str()),
                KeyRef::Binary(key) => headers.remove(key.as_str()),
            };
        }
        headers.remove(GRPC_STATUS);
        headers.remove(GRPC_MESSAGE);
        headers.remove(GRPC_STATUS_DETAILS);
        if let Some(content_type) = content_type {
            headers.insert(CONTENT_TYPE, content_type);
        }
    } else {
        headers.clear();
    }
    write_status(headers, status);
}

fn write_status(headers: &mut HeaderMap, status: &Status) {
    // A status built by `ChatError` has nothing `add_header` can refuse.
    let _ = status.add_header(headers);
}

/// Whether the response is gRPC-Web with its status still to come in the
/// body, where this layer cannot read it: the layer is outside the
/// translation. A trailers-only gRPC-Web response keeps its status in the
/// headers, where the layer checks it as usual.
fn status_is_out_of_sight(headers: &HeaderMap) -> bool {
    headers.get(CONTENT_TYPE).is_some_and(|content_type| {
        content_type
            .as_bytes()
            .starts_with(GRPC_WEB_CONTENT_TYPE.as_bytes())
    }) && !headers.contains_key(GRPC_STATUS)
}

const GRPC_WEB_CONTENT_TYPE: &str = "application/grpc-web";

fn panic_text(payload: &(dyn Any + Send)) -> String {
    match payload.downcast_ref::<&str>() {
        Some(text) => (*text).to_owned(),
        None => match payload.downcast_ref::<String>() {
            Some(text) => text.clone(),
            None => "a panic payload that is not a string".to_owned(),
        },
    }
}

/// The `source()` chain of a status, for the log line.
struct SourceChain<'a>(&'a Status);

impl fmt::Debug for SourceChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut chain = f.debug_list();
        let mut source = std::error::Error::source(self.0);
        while let Some(error) = source {
            chain.entry(&format_args!("{error}"));
            source = error.source();
        }
        chain.finish()
    }
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

/// A set of gRPC codes, one bit each.
#[derive(Clone, Copy, Debug)]
struct CodeSet(u32);

impl CodeSet {
    fn of(codes: impl IntoIterator<Item = Code>) -> CodeSet {
        CodeSet(
            codes
                .into_iter()
                .fold(0, |bits, code| bits | (1 << code as u32)),
        )
    }

    fn contains(self, code: Code) -> bool {
        self.0 & (1 << code as u32) != 0
    }
}
