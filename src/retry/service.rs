//! [`RetryLayer`] and [`RetryService`]: the attempts of one call.

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::HeaderValue;
use pin_project_lite::pin_project;
use tonic::body::Body;
use tower_layer::Layer;
use tower_service::Service;

use super::body::{RequestBody, ResendBody};
use super::budget::RetryBudget;
use super::policy::{RetryPolicy, Verdict};
use super::report::{CallRetries, StopReason, report};

/// gRFC A6: each retry tells the server how many attempts came before it.
const PREVIOUS_ATTEMPTS: &str = "grpc-previous-rpc-attempts";

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
            shared: Arc::clone(&self.shared),
        }
    }
}

/// A tonic client transport (a `Channel`, layered or not) that retries
/// calls as its [`RetryPolicy`] says. Made by [`RetryLayer`].
#[derive(Clone)]
pub struct RetryService<S> {
    inner: S,
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

type Attempts<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S, ResBody> Service<http::Request<Body>> for RetryService<S>
where
    S: Service<http::Request<Body>, Response = http::Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send,
    S::Error: Send,
    ResBody: Send + 'static,
{
    type Response = http::Response<ResBody>;
    type Error = S::Error;
    type Future = RetryFuture<S::Future, Result<http::Response<ResBody>, S::Error>>;

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
        // The ready service makes the first attempt; its clone waits for
        // readiness before each retry, as a tower service must.
        let ready = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, ready);
        let shared = Arc::clone(&self.shared);
        RetryFuture::attempts(Box::pin(attempts(inner, shared, parts, body)))
    }
}

async fn attempts<S, ResBody>(
    mut inner: S,
    shared: Arc<Shared>,
    parts: http::request::Parts,
    body: Bytes,
) -> Result<http::Response<ResBody>, S::Error>
where
    S: Service<http::Request<Body>, Response = http::Response<ResBody>>,
{
    let Shared { policy, budget } = &*shared;
    let path = parts.uri.path();
    let mut call = CallRetries {
        retries: 0,
        retry_delay: Duration::ZERO,
        stopped: None,
    };
    let mut backoff_retry = 0;
    let response = loop {
        let request = attempt_request(&parts, &body, call.retries);
        let response = inner.call(request).await?;
        let server_delay = match policy.verdict(path, &response) {
            Verdict::Deliver { success } => {
                if success {
                    budget.record_success();
                }
                break response;
            }
            Verdict::Refused => {
                budget.record_failure();
                call.stopped = Some(StopReason::PushedBack);
                break response;
            }
            Verdict::Retry { server_delay } => {
                budget.record_failure();
                server_delay
            }
        };
        let stop = if call.retries + 1 >= policy.max_attempts {
            Some(StopReason::AttemptsExhausted)
        } else if !budget.allows_retry() {
            Some(StopReason::Throttled)
        } else {
            None
        };
        let delay = match server_delay {
            // A6: the backoff starts over after a server-given delay.
            Some(delay) => {
                backoff_retry = 0;
                delay
            }
            None => {
                backoff_retry += 1;
                policy.backoff.jittered(backoff_retry)
            }
        };
        call.stopped = stop.or((delay > policy.max_delay).then_some(StopReason::DelayOverCap));
        if call.stopped.is_some() {
            break response;
        }
        drop(response);
        tokio::time::sleep(delay).await;
        call.retry_delay += delay;
        call.retries += 1;
        poll_fn(|cx| inner.poll_ready(cx)).await?;
    };
    report(path, &call);
    Ok(response)
}

fn attempt_request(
    parts: &http::request::Parts,
    body: &Bytes,
    previous_attempts: u32,
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
    request
}

pin_project! {
    /// The response future of a [`RetryService`].
    pub struct RetryFuture<F, T> {
        #[pin]
        state: State<F, T>,
    }
}

pin_project! {
    #[project = StateProjection]
    enum State<F, T> {
        // A body that cannot be resent: one attempt, the inner future as is.
        Once { #[pin] future: F },
        Attempts { future: Attempts<T> },
    }
}

impl<F, T> RetryFuture<F, T> {
    fn once(future: F) -> RetryFuture<F, T> {
        RetryFuture {
            state: State::Once { future },
        }
    }

    fn attempts(future: Attempts<T>) -> RetryFuture<F, T> {
        RetryFuture {
            state: State::Attempts { future },
        }
    }
}

impl<F: Future<Output = T>, T> Future for RetryFuture<F, T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        match self.project().state.project() {
            StateProjection::Once { future } => future.poll(cx),
            StateProjection::Attempts { future } => future.as_mut().poll(cx),
        }
    }
}
