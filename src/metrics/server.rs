//! The server's histogram, kept by [`Settings`](crate::Settings) once
//! [`with_meter`](crate::Settings::with_meter) gives it a meter; the
//! server stack (`layer/server.rs`) starts a [`CallTimer`] per call and
//! records it with the status the caller gets, after masking.

use http::uri::PathAndQuery;
use opentelemetry::metrics::{Histogram, Meter};

use super::attributes::Side;
use super::call::CallTimer;
use super::duration_histogram;

/// `rpc.server.call.duration`.
#[derive(Clone, Debug)]
pub(crate) struct ServerMetrics {
    duration: Histogram<f64>,
}

impl ServerMetrics {
    pub(crate) fn new(meter: &Meter) -> ServerMetrics {
        ServerMetrics {
            duration: duration_histogram(
                meter,
                "rpc.server.call.duration",
                "How long the server took over a call, from its request headers to its status.",
            ),
        }
    }

    pub(crate) fn start(&self, path: Option<&PathAndQuery>) -> CallTimer {
        CallTimer::start(&self.duration, Side::Server, path)
    }
}
