//! The server's call metrics in Prometheus' text format at `/metrics`, as
//! OpenTelemetry's Prometheus mapping writes them: chat-errors records
//! `rpc.server.call.duration` through an SDK meter, and the exporter turns
//! it into `rpc_server_call_duration_seconds` with labels such as
//! `chat_error_code` and `chat_error_reason`.

use std::future::Future;
use std::io;

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::get;
use opentelemetry::metrics::{Meter, MeterProvider as _};
use opentelemetry_sdk::metrics::SdkMeterProvider;
use prometheus::{Encoder, Registry, TextEncoder};
use tokio::net::TcpListener;

/// The instrumentation scope the demo's meter reports under.
const SCOPE: &str = "chat-demo";

/// A meter whose instruments are read out as Prometheus text. Clones share
/// the same instruments.
#[derive(Clone, Debug)]
pub struct PrometheusMetrics {
    registry: Registry,
    provider: SdkMeterProvider,
}

impl PrometheusMetrics {
    /// A fresh registry and the SDK meter provider that fills it.
    ///
    /// # Errors
    ///
    /// When the exporter cannot be registered.
    pub fn new() -> Result<PrometheusMetrics, opentelemetry_sdk::error::OTelSdkError> {
        let registry = Registry::new();
        let exporter = opentelemetry_prometheus::exporter()
            .with_registry(registry.clone())
            .build()?;
        let provider = SdkMeterProvider::builder().with_reader(exporter).build();
        Ok(PrometheusMetrics { registry, provider })
    }

    /// The meter for `Settings::with_meter`.
    pub fn meter(&self) -> Meter {
        self.provider.meter(SCOPE)
    }

    /// Everything recorded so far, in Prometheus' text exposition format.
    ///
    /// # Errors
    ///
    /// When a metric cannot be encoded.
    pub fn render(&self) -> Result<String, prometheus::Error> {
        let mut text = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut text)?;
        String::from_utf8(text).map_err(|error| prometheus::Error::Msg(error.to_string()))
    }
}

/// Serves [`PrometheusMetrics::render`] at `GET /metrics` on `listener`
/// until `shutdown` completes; every other path is 404.
///
/// # Errors
///
/// When serving fails.
pub async fn serve_metrics(
    listener: TcpListener,
    metrics: PrometheusMetrics,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let router = Router::new().route(
        "/metrics",
        get(move || {
            let metrics = metrics.clone();
            async move {
                match metrics.render() {
                    Ok(text) => (
                        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
                        text,
                    )
                        .into_response(),
                    Err(error) => (
                        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                        error.to_string(),
                    )
                        .into_response(),
                }
            }
        }),
    );
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
}
