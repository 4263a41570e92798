//! Per-call metrics and span fields in OpenTelemetry's RPC semantic
//! conventions, release [`SEMCONV_VERSION`] (feature `opentelemetry`).
//!
//! - **Server:** [`Settings::with_meter`](crate::Settings::with_meter) makes
//!   [`Settings::layer`](crate::Settings::layer) record
//!   `rpc.server.call.duration` for every call, with the status the caller
//!   gets: after masking, so a handler's panic counts as `1003`.
//! - **Client:** [`ClientMetrics`] wraps a channel (and shields it, as
//!   [`TrailerShield`](crate::layer::TrailerShield) does) and records
//!   `rpc.client.call.duration`.
//!
//! Both are histograms in seconds with the attributes below; docs/metrics.md
//! has the table with examples. Every value is bounded: the gRPC codes, the
//! server's methods, the catalogue, and [`OTHER`].
//!
//! | attribute | when | value |
//! |---|---|---|
//! | [`RPC_SYSTEM_NAME`] | always | `grpc` |
//! | [`RPC_METHOD`] | always | `package.Service/Method`, or `_OTHER` for a method the server does not have |
//! | [`RPC_RESPONSE_STATUS_CODE`] | a status arrived | the gRPC code's name, e.g. `NOT_FOUND` |
//! | [`ERROR_TYPE`] | the call failed ([`is_failure`]) | the gRPC code's name, or `_OTHER` when no status arrived |
//! | [`CHAT_ERROR_CODE`] | a chat error of the domain | e.g. `2003`, or `_OTHER` for a code of a newer catalogue |
//! | [`CHAT_ERROR_REASON`] | a chat error of the domain | e.g. `CHANNEL_NOT_FOUND`, or `_OTHER` |
//!
//! The same attributes are recorded as fields of the span current when the
//! call reaches the layer, under the same names, with `otel.status_code =
//! "error"` when `error.type` is set: tracing-opentelemetry exports them as
//! span attributes. `tracing` records only fields a span declared, so make
//! the call's span with [`server_span`] (tonic's `Server::builder().trace_fn`)
//! or [`client_span`].

mod attributes;
mod call;
mod client;
mod server;

use opentelemetry::metrics::{Histogram, Meter};

#[cfg(feature = "retry")]
pub(crate) use attributes::method_of;
pub use attributes::{
    CHAT_ERROR_CODE, CHAT_ERROR_REASON, ERROR_TYPE, OTHER, RPC_METHOD, RPC_METHOD_ORIGINAL,
    RPC_RESPONSE_STATUS_CODE, RPC_SYSTEM_NAME, SEMCONV_VERSION, is_failure,
};
pub(crate) use attributes::{ChatCode, Outcome};
pub(crate) use call::{CallTimer, chat_code_in_headers};
pub use client::{ClientMetrics, MeteredBody, MeteredChannel, MeteredFuture};
pub(crate) use server::ServerMetrics;

/// The bucket boundaries, in seconds, that the conventions advise for
/// call durations; the SDK's default ones are for milliseconds.
const DURATION_BOUNDARIES: [f64; 14] = [
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
];

fn duration_histogram(
    meter: &Meter,
    name: &'static str,
    description: &'static str,
) -> Histogram<f64> {
    meter
        .f64_histogram(name)
        .with_unit("s")
        .with_description(description)
        .with_boundaries(DURATION_BOUNDARIES.to_vec())
        .build()
}

/// A span named `$name` declaring every field the metrics record, so that
/// `tracing` keeps them (it records only fields a span declared).
macro_rules! call_span {
    ($name:literal, $kind:literal, $method:expr) => {
        tracing::info_span!(
            $name,
            "otel.name" = $method,
            "otel.kind" = $kind,
            "otel.status_code" = tracing::field::Empty,
            "rpc.system.name" = "grpc",
            "rpc.method" = $method,
            "rpc.method_original" = tracing::field::Empty,
            "rpc.response.status_code" = tracing::field::Empty,
            "error.type" = tracing::field::Empty,
            "chat.error.code" = tracing::field::Empty,
            "chat.error.reason" = tracing::field::Empty,
        )
    };
}

/// A span for a call the server handles, with every field the metrics
/// layer records declared, for tonic's `Server::builder().trace_fn(|request|
/// chat_errors::metrics::server_span(request))`. It is named `rpc.server`;
/// `otel.name` gives tracing-opentelemetry the conventions' span name, the
/// method.
pub fn server_span<B>(request: &http::Request<B>) -> tracing::Span {
    let method = attributes::method_of(request.uri().path()).unwrap_or(OTHER);
    call_span!("rpc.server", "server", method)
}

/// A span for a call a client makes to `method` (`package.Service/Method`),
/// with every field [`ClientMetrics`] records declared; enter it around the
/// call.
pub fn client_span(method: &str) -> tracing::Span {
    call_span!("rpc.client", "client", method)
}
