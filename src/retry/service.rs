//! [`RetryLayer`] and [`RetryService`]: the attempts of one call.

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderName, HeaderValue};
use pin_project_lite::pin_project;
use tonic::body::Body;
use tower_layer::Layer;
use tower_service::Service;

use super::body::{RequestBody, ResendBody};
use super::budget::RetryBudget;
use super::deadline::{self, GRPC_TIMEOUT};
use super::policy::{RetryPolicy, Verdict};
use super::report::{CallRetries, StopReason, report};

/// gRFC A6: each retry tells the server how many attempts came before it.
const PREVIOUS_ATTEMPTS: HeaderName = HeaderName::from_static("grpc-previous-rpc-attempts");

struct Shared {
    policy: RetryPolicy,
    budget: RetryBudget,
}

/// The tower layer of [`RetryService`]. Every service it makes, and their
/// clones, share one retry budget.
///
/// ```no_run
/// # async fn connect() -> Result<(), tonic::transport::Error> {
/// use chat_errors::layer::TrailerShield;
/// use chat_errors::retry::{RetryLayer, RetryPolicy};
/// use tower_layer::Layer as _;
///
/// let channel = tonic::transport::Channel::from_static("http://127.0.0.1:50051").connect().await?;
/// let retry = RetryLayer::new(
///     RetryPolicy::default().with_idempotent_method("/chat.v1.ChatService/GetChannel"),
/// );
/// let _grpc = tonic::client::Grpc::new(retry.layer(TrailerShield::new(channel)));
/// // or any generated client: `ChatServiceClient::new(retry.layer(channel))`.
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct RetryLayer {
    shared: Arc<Shared>,
}

impl RetryLayer {
    /// A layer that retries as `policy` says.
    pub fn new(policy: RetryPolicy) -> RetryLayer {
        let budget = RetryBudget::new(policy.max_tokens, policy.token_ratio);
        RetryLayer {
            shared: Arc::new(Shared { policy, budget }),
        }
    }
}

impl std::fmt::Debug for RetryLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RetryLayer")
            .field("policy", &self.shared.policy)
            .finish_non_exhaustive()
    }
}

impl<S> Layer<S> for RetryLayer {
    type Service = RetryService<S>;

    fn layer(&self, inner: S) -> RetryService<S> {
        RetryService {
            inner,
            spare: None,
            shared: Arc::clone(&self.shared),
        }
    }
}

/// A tonic client transport (a `Channel`, layered or not) that retries
/// calls as its [`RetryPolicy`] says. Made by [`RetryLayer`].
#[derive(Clone)]
pub struct RetryService<S> {
    inner: S,
    /// A clone of `inner` made on the first call, which each call that
    /// retries clones again: a call that does not retry, the common case,
    /// then costs a reference count rather than a clone of the transport.
    spare: Option<Arc<Mutex<S>>>,
    shared: Arc<Shared>,
}

impl<S> RetryService<S> {
    /// `inner` with retries as `policy` says, and a budget of its own.
    pub fn new(inner: S, policy: RetryPolicy) -> RetryService<S> {
        RetryLayer::new(policy).layer(inner)
    }
}

impl<S: std::fmt::Debug> std::fmt::Debug for RetryService<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RetryService")
            .field("inner", &self.inner)
            .field("policy", &self.shared.policy)
            .finish_non_exhaustive()
    }
}

type Retries<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S, ResBody> Service<http::Request<Body>> for RetryService<S>
where
    S: Service<http::Request<Body>, Response = http::Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send,
    S::Error: Send,
    ResBody: Send + 'static,
{
    type Response = http::Response<ResBody>;
    type Error = S::Error;
    type Future = RetryFuture<S, ResBody>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<Body>) -> Self::Future {
        let (parts, body) = request.into_parts();
        let body = match RequestBody::take(body, self.shared.policy.body_limit) {
            RequestBody::SendOnce(body) => {
                return RetryFuture::once(self.inner.call(http::Request::from_parts(parts, body)));
            }
            RequestBody::Resendable(bytes) => bytes,
        };
        let spare = Arc::clone(
            self.spare
                .get_or_insert_with(|| Arc::new(Mutex::new(self.inner.clone()))),
        );
        let first = self.inner.call(attempt_request(&parts, &body, 0, None));
        RetryFuture::first(
            first,
            Resend {
                deadline: deadline::deadline(&parts.headers),
                spare,
                shared: Arc::clone(&self.shared),
                parts,
                body,
            },
        )
    }
}

/// What a retry needs: a service to send it, and the request to send again.
struct Resend<S> {
    /// The caller's deadline, from the request's `grpc-timeout`.
    deadline: Option<tokio::time::Instant>,
    /// Cloned into the service that sends the retries, which waits for
    /// readiness before each as a tower service must; the ready one made
    /// the first attempt.
    spare: Arc<Mutex<S>>,
    shared: Arc<Shared>,
    parts: http::request::Parts,
    body: Bytes,
}

/// The attempts of one call so far.
struct Progress {
    call: CallRetries,
    /// Retries since the last server-given delay, which A6's backoff counts.
    backoff_retry: u32,
}

impl Progress {
    fn new() -> Progress {
        Progress {
            call: CallRetries {
                retries: 0,
                retry_delay: Duration::ZERO,
                stopped: None,
            },
            backoff_retry: 0,
        }
    }

    /// How long to wait before retrying after `response`, or `None` when it
    /// goes to the caller; the budget hears of it either way.
    fn next_wait<S, B>(
        &mut self,
        resend: &Resend<S>,
        response: &http::Response<B>,
    ) -> Option<Duration> {
        let Shared { policy, budget } = &*resend.shared;
        let path = resend.parts.uri.path();
        let server_delay = match policy.verdict(path, response) {
            Verdict::Deliver { success } => {
                if success {
                    budget.record_success();
                }
                return None;
            }
            Verdict::Refused => {
                budget.record_failure();
                self.call.stopped = Some(StopReason::PushedBack);
                return None;
            }
            Verdict::Retry { server_delay } => {
                budget.record_failure();
                server_delay
            }
        };
        let delay = match server_delay {
            // A6: the backoff starts over after a server-given delay.
            Some(delay) => {
                self.backoff_retry = 0;
                delay
            }
            None => {
                self.backoff_retry += 1;
                policy.backoff.jittered(self.backoff_retry)
            }
        };
        self.call.stopped = if self.call.retries + 1 >= policy.max_attempts {
            Some(StopReason::AttemptsExhausted)
        } else if !budget.allows_retry() {
            Some(StopReason::Throttled)
        } else if delay > policy.max_delay {
            Some(StopReason::DelayOverCap)
        } else if resend
            .deadline
            .is_some_and(|deadline| tokio::time::Instant::now() + delay >= deadline)
        {
            Some(StopReason::DeadlineTooClose)
        } else {
            None
        };
        self.call.stopped.is_none().then_some(delay)
    }
}

/// The retries of a call whose first attempt is to be retried after `wait`.
async fn retries<S, ResBody>(
    resend: Resend<S>,
    mut progress: Progress,
    mut wait: Duration,
) -> Result<http::Response<ResBody>, S::Error>
where
    S: Service<http::Request<Body>, Response = http::Response<ResBody>> + Clone,
{
    let mut inner = resend
        .spare
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    loop {
        tokio::time::sleep(wait).await;
        progress.call.retry_delay += wait;
        progress.call.retries += 1;
        poll_fn(|cx| inner.poll_ready(cx)).await?;
        let remaining = resend
            .deadline
            .map(|deadline| deadline.saturating_duration_since(tokio::time::Instant::now()));
        let request = attempt_request(
            &resend.parts,
            &resend.body,
            progress.call.retries,
            remaining,
        );
        let response = inner.call(request).await?;
        if let Some(next) = progress.next_wait(&resend, &response) {
            wait = next;
            continue;
        }
        report(
            &resend.shared.policy,
            resend.parts.uri.path(),
            &progress.call,
        );
        return Ok(response);
    }
}

fn attempt_request(
    parts: &http::request::Parts,
    body: &Bytes,
    previous_attempts: u32,
    remaining: Option<Duration>,
) -> http::Request<Body> {
    let mut request = http::Request::new(Body::new(ResendBody::new(body.clone())));
    *request.method_mut() = parts.method.clone();
    *request.uri_mut() = parts.uri.clone();
    *request.version_mut() = parts.version;
    *request.headers_mut() = parts.headers.clone();
    *request.extensions_mut() = parts.extensions.clone();
    if previous_attempts > 0 {
        request
            .headers_mut()
            .insert(PREVIOUS_ATTEMPTS, HeaderValue::from(previous_attempts));
    }
    if let Some(remaining) = remaining {
        request
            .headers_mut()
            .insert(GRPC_TIMEOUT, deadline::encode(remaining));
    }
    request
}

pin_project! {
    /// The response future of a [`RetryService`].
    pub struct RetryFuture<S, ResBody>
    where
        S: Service<http::Request<Body>, Response = http::Response<ResBody>>,
    {
        #[pin]
        state: State<S, ResBody>,
    }
}

pin_project! {
    #[project = StateProjection]
    enum State<S, ResBody>
    where
        S: Service<http::Request<Body>, Response = http::Response<ResBody>>,
    {
        // A body that cannot be resent: one attempt, the inner future as is.
        Once { #[pin] future: S::Future },
        // The first attempt, polled in place so that a call which succeeds
        // allocates no future of its own.
        First { #[pin] future: S::Future, resend: Option<Resend<S>> },
        Retrying { future: Retries<Result<http::Response<ResBody>, S::Error>> },
    }
}

impl<S, ResBody> RetryFuture<S, ResBody>
where
    S: Service<http::Request<Body>, Response = http::Response<ResBody>>,
{
    fn once(future: S::Future) -> RetryFuture<S, ResBody> {
        RetryFuture {
            state: State::Once { future },
        }
    }

    fn first(future: S::Future, resend: Resend<S>) -> RetryFuture<S, ResBody> {
        RetryFuture {
            state: State::First {
                future,
                resend: Some(resend),
            },
        }
    }
}

impl<S, ResBody> Future for RetryFuture<S, ResBody>
where
    S: Service<http::Request<Body>, Response = http::Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send,
    S::Error: Send,
    ResBody: Send + 'static,
{
    type Output = Result<http::Response<ResBody>, S::Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        loop {
            let mut state = self.as_mut().project().state;
            let retrying = match state.as_mut().project() {
                StateProjection::Once { future } => return future.poll(cx),
                StateProjection::Retrying { future } => return future.as_mut().poll(cx),
                StateProjection::First { future, resend } => {
                    let response = ready!(future.poll(cx))?;
                    let resend = resend
                        .take()
                        .expect("RetryFuture polled after it completed");
                    let mut progress = Progress::new();
                    let Some(wait) = progress.next_wait(&resend, &response) else {
                        report(
                            &resend.shared.policy,
                            resend.parts.uri.path(),
                            &progress.call,
                        );
                        return Poll::Ready(Ok(response));
                    };
                    drop(response);
                    Box::pin(retries(resend, progress, wait))
                }
            };
            state.set(State::Retrying { future: retrying });
        }
    }
}
