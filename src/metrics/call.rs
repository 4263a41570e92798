//! One call being timed, on either end.

use std::time::Instant;

use base64::Engine as _;
use http::HeaderMap;
use http::uri::PathAndQuery;
use opentelemetry::metrics::Histogram;
use tonic::Code;

use super::attributes::{ChatCode, Outcome, Side, method_of, record_on_span, with_attributes};
use crate::Domain;
use crate::layer::status_code;
use crate::wire::{DETAILS_BASE64, GRPC_STATUS_DETAILS};

/// Times one call and records it exactly once: when its end knows the
/// status the call ended with, or, if the call is dropped before that (the
/// caller went away), as `CANCELLED`. Fields are recorded on the span that
/// was current when the call started.
#[derive(Debug)]
pub(crate) struct CallTimer {
    duration: Histogram<f64>,
    side: Side,
    path: Option<PathAndQuery>,
    span: tracing::Span,
    started: Instant,
    recorded: bool,
}

impl CallTimer {
    pub(crate) fn start(
        duration: &Histogram<f64>,
        side: Side,
        path: Option<&PathAndQuery>,
    ) -> CallTimer {
        CallTimer {
            duration: duration.clone(),
            side,
            path: path.cloned(),
            span: tracing::Span::current(),
            started: Instant::now(),
            recorded: false,
        }
    }

    pub(crate) fn record(mut self, outcome: Outcome) {
        self.record_once(outcome);
    }

    fn record_once(&mut self, outcome: Outcome) {
        if std::mem::replace(&mut self.recorded, true) {
            return;
        }
        let seconds = self.started.elapsed().as_secs_f64();
        let method = self.path.as_ref().and_then(|path| method_of(path.path()));
        with_attributes(self.side, method, outcome, |attributes| {
            self.duration.record(seconds, attributes);
        });
        record_on_span(&self.span, self.side, method, outcome);
    }
}

impl Drop for CallTimer {
    fn drop(&mut self) {
        self.record_once(Outcome::cancelled());
    }
}

/// The outcome the status in `headers` (a trailers-only response's headers,
/// or trailers) says, or `None` when they hold no `grpc-status`. Only
/// `grpc-status-details-bin` is decoded, not the whole status: building a
/// `Status` would copy every other header into its metadata, and tonic
/// reads the status again anyway.
pub(crate) fn outcome_in(headers: &HeaderMap, domain: &Domain) -> Option<Outcome> {
    let code = status_code(headers)?;
    if code == Code::Ok {
        return Some(Outcome::status(code, None));
    }
    Some(Outcome::status(code, chat_code_in_headers(headers, domain)))
}

/// The chat error of `domain` in the `grpc-status-details-bin` of `headers`.
pub(crate) fn chat_code_in_headers(headers: &HeaderMap, domain: &Domain) -> Option<ChatCode> {
    let details = DETAILS_BASE64
        .decode(headers.get(GRPC_STATUS_DETAILS)?.as_bytes())
        .ok()?;
    ChatCode::in_details(&details, domain)
}
