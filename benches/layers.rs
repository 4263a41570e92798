//! What the recommended server stack (`Settings::layer()`: locale outside
//! masking) adds to one call, measured around a service that
//! answers at once, so that nothing but the layers' own work differs: a
//! call that succeeds, a catalogue error, and the same error for a caller
//! whose `accept-language` asks for another locale: built in the call, so
//! in that locale from the start, or built in the default locale, as on
//! another task, so that it is resent.
//! With the feature `opentelemetry`, the ok and error calls also run
//! through the stack recording `rpc.server.call.duration`
//! (`Settings::with_meter`) into an SDK pull reader, as a Prometheus
//! endpoint's, for what the metrics add beside the stack without them.
//! The loopback benchmark (`e2e-bench`) measures the same stack end to
//! end, where network and scheduling noise is a hundred times larger.

mod common;

#[path = "../tests/stack_harness/mod.rs"]
mod stack_harness;

use std::convert::Infallible;

use bytes::Bytes;
use chat_errors::{ChatError, ErrorCode, Locale, Settings};
use criterion::{Criterion, criterion_group, criterion_main};
use http::{HeaderMap, HeaderValue, Request, Response};
use http_body_util::{BodyExt, Empty, Full, combinators::UnsyncBoxBody};
use stack_harness::{call_to_the_end, grpc_request};
use tonic::Status;
use tower::ServiceBuilder;

type ResponseBody = UnsyncBoxBody<Bytes, Infallible>;

/// One message, then `grpc-status: 0`, as tonic answers a unary call.
fn success(_: Request<()>) -> std::future::Ready<Result<Response<ResponseBody>, Infallible>> {
    let mut trailers = HeaderMap::new();
    trailers.insert("grpc-status", HeaderValue::from_static("0"));
    let body = Full::new(Bytes::from_static(b"\0\0\0\0\x02\x08\x01"))
        .with_trailers(std::future::ready(Some(Ok(trailers))))
        .boxed_unsync();
    let mut response = Response::new(body);
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/grpc"),
    );
    std::future::ready(Ok(response))
}

/// `ErrorCode::ChannelNotFound.into()`, as tonic sends a handler's error.
fn failure(_: Request<()>) -> std::future::Ready<Result<Response<ResponseBody>, Infallible>> {
    let response = Status::from(ErrorCode::ChannelNotFound).into_http::<()>();
    std::future::ready(Ok(response.map(|()| Empty::new().boxed_unsync())))
}

/// The same error in the default locale whatever the call's, as a status
/// made on another task would be, so that the server layer resends it.
fn failure_in_the_default_locale(
    _: Request<()>,
) -> std::future::Ready<Result<Response<ResponseBody>, Infallible>> {
    let status = ChatError::new(ErrorCode::ChannelNotFound)
        .with_locale(Locale::default())
        .into_status();
    let response = status.into_http::<()>();
    std::future::ready(Ok(response.map(|()| Empty::new().boxed_unsync())))
}

type Handler = fn(Request<()>) -> std::future::Ready<Result<Response<ResponseBody>, Infallible>>;

fn layers(c: &mut Criterion) {
    let english = Some("en-US,en;q=0.9,ko;q=0.8");
    let cases: [(&str, Handler, Option<&'static str>); 4] = [
        ("ok", success, None),
        ("error", failure, None),
        ("error_in_english", failure, english),
        (
            "error_resent_in_english",
            failure_in_the_default_locale,
            english,
        ),
    ];
    #[cfg(feature = "opentelemetry")]
    let meters = Meters::new();
    let mut group = c.benchmark_group("layers");
    for (name, handler, accept_language) in cases {
        let mut bare = tower::service_fn(handler);
        group.bench_function(format!("{name}/bare"), |b| {
            b.iter(|| call_to_the_end(&mut bare, grpc_request(accept_language)))
        });
        let mut stack = ServiceBuilder::new()
            .layer(Settings::default().layer())
            .service_fn(handler);
        group.bench_function(format!("{name}/stack"), |b| {
            b.iter(|| call_to_the_end(&mut stack, grpc_request(accept_language)))
        });
        #[cfg(feature = "opentelemetry")]
        if accept_language.is_none() {
            let mut metered = ServiceBuilder::new()
                .layer(Settings::default().with_meter(&meters.meter).layer())
                .service_fn(handler);
            group.bench_function(format!("{name}/stack_metrics"), |b| {
                b.iter(|| call_to_the_end(&mut metered, grpc_request(accept_language)))
            });
        }
    }
    group.finish();
}

/// A meter aggregating into a pull reader that is never collected, as a
/// Prometheus endpoint between scrapes.
#[cfg(feature = "opentelemetry")]
struct Meters {
    _provider: opentelemetry_sdk::metrics::SdkMeterProvider,
    meter: opentelemetry::metrics::Meter,
}

#[cfg(feature = "opentelemetry")]
impl Meters {
    fn new() -> Meters {
        use opentelemetry::metrics::MeterProvider as _;
        let provider = opentelemetry_sdk::metrics::SdkMeterProvider::builder()
            .with_reader(opentelemetry_sdk::metrics::ManualReader::builder().build())
            .build();
        Meters {
            meter: provider.meter("layers-bench"),
            _provider: provider,
        }
    }
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = layers
}
criterion_main!(benches);
