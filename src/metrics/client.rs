//! The client's half: `rpc.client.call.duration` around a channel, read
//! after the [`TrailerShield`], so a malformed status cannot panic it.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use http_body::{Body, Frame, SizeHint};
use opentelemetry::metrics::{Histogram, Meter};
use pin_project_lite::pin_project;
use tower_layer::Layer;
use tower_service::Service;

use super::attributes::{Outcome, Side};
use super::call::{CallTimer, outcome_in};
use super::duration_histogram;
use crate::Domain;
use crate::layer::{ShieldBody, ShieldFuture, TrailerShield};

/// Records `rpc.client.call.duration` for every call through a channel,
/// with the attributes docs/metrics.md lists, and shields the channel as
/// [`TrailerShield`] does: the shield runs first, so what the metrics read
/// is always safe to read.
///
/// `chat.error.code` and `chat.error.reason` name chat errors of the
/// domain given with [`with_domain`](Self::with_domain) (the
/// [default domain](crate::DEFAULT_DOMAIN) unless it is set).
///
/// ```no_run
/// # async fn connect() -> Result<(), tonic::transport::Error> {
/// use chat_errors::metrics::{ClientMetrics, MeteredChannel};
///
/// let meter = opentelemetry::global::meter("chat-client");
/// let metrics = ClientMetrics::new(&meter);
/// let channel = tonic::transport::Channel::from_static("http://127.0.0.1:50051").connect().await?;
/// let _grpc = tonic::client::Grpc::new(MeteredChannel::new(channel, &metrics));
/// // or, in a tower stack, `ServiceBuilder::new().layer(metrics)`.
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct ClientMetrics {
    duration: Histogram<f64>,
    domain: Domain,
}

impl ClientMetrics {
    /// The histogram, made with `meter`.
    pub fn new(meter: &Meter) -> ClientMetrics {
        ClientMetrics {
            duration: duration_histogram(
                meter,
                "rpc.client.call.duration",
                "How long a call took as the client saw it, from sending its headers to its status.",
            ),
            domain: Domain::default(),
        }
    }

    /// Names chat errors of `domain`, the server's.
    #[must_use]
    pub fn with_domain(mut self, domain: Domain) -> ClientMetrics {
        self.domain = domain;
        self
    }
}

impl<S> Layer<S> for ClientMetrics {
    type Service = MeteredChannel<S>;

    fn layer(&self, inner: S) -> MeteredChannel<S> {
        MeteredChannel::new(inner, self)
    }
}

/// A shielded channel whose calls are timed; made by [`ClientMetrics`].
#[derive(Clone, Debug)]
pub struct MeteredChannel<S> {
    inner: TrailerShield<S>,
    metrics: ClientMetrics,
}

impl<S> MeteredChannel<S> {
    /// `inner`, shielded, with its calls timed by `metrics`: no `Layer`
    /// import needed, as [`TrailerShield::new`] needs none.
    pub fn new(inner: S, metrics: &ClientMetrics) -> MeteredChannel<S> {
        MeteredChannel {
            inner: TrailerShield::new(inner),
            metrics: metrics.clone(),
        }
    }
}

impl<S, ReqBody, ResBody> Service<http::Request<ReqBody>> for MeteredChannel<S>
where
    S: Service<http::Request<ReqBody>, Response = http::Response<ResBody>>,
{
    type Response = http::Response<MeteredBody<ResBody>>;
    type Error = S::Error;
    type Future = MeteredFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<ReqBody>) -> MeteredFuture<S::Future> {
        let timer = CallTimer::start(
            &self.metrics.duration,
            Side::Client,
            request.uri().path_and_query(),
        );
        MeteredFuture {
            inner: self.inner.call(request),
            timer: Some(timer),
            domain: self.metrics.domain.clone(),
        }
    }
}

pin_project! {
    /// The response future of a [`MeteredChannel`].
    pub struct MeteredFuture<F> {
        #[pin]
        inner: ShieldFuture<F>,
        timer: Option<CallTimer>,
        domain: Domain,
    }
}

impl<F, ResBody, E> Future for MeteredFuture<F>
where
    F: Future<Output = Result<http::Response<ResBody>, E>>,
{
    type Output = Result<http::Response<MeteredBody<ResBody>>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let result = ready!(this.inner.poll(cx));
        let timer = this.timer.take();
        let response = match result {
            Ok(response) => response,
            Err(error) => {
                if let Some(timer) = timer {
                    timer.record(Outcome::transport_failed());
                }
                return Poll::Ready(Err(error));
            }
        };
        // A trailers-only response ends the call with its headers.
        let timer = match (timer, outcome_in(response.headers(), this.domain)) {
            (Some(timer), Some(outcome)) => {
                timer.record(outcome);
                None
            }
            (timer, _) => timer,
        };
        let domain = this.domain.clone();
        Poll::Ready(Ok(response.map(|inner| MeteredBody {
            inner,
            timer,
            domain,
        })))
    }
}

pin_project! {
    /// A response body whose trailers end its call's timing.
    pub struct MeteredBody<B> {
        #[pin]
        inner: ShieldBody<B>,
        timer: Option<CallTimer>,
        domain: Domain,
    }
}

impl<B: Body> Body for MeteredBody<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<B::Data>, B::Error>>> {
        let this = self.project();
        let frame = ready!(this.inner.poll_frame(cx));
        let outcome = match &frame {
            Some(Ok(frame)) => frame.trailers_ref().map(|trailers| {
                outcome_in(trailers, this.domain).unwrap_or_else(Outcome::transport_failed)
            }),
            // A body that fails, or ends with no status, gave none.
            Some(Err(_)) | None => Some(Outcome::transport_failed()),
        };
        if let Some(outcome) = outcome
            && let Some(timer) = this.timer.take()
        {
            timer.record(outcome);
        }
        Poll::Ready(frame)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
