//! The server stack and `ClientMetrics` record the call's attributes on the
//! span current when the call reaches them, as tracing-opentelemetry reads
//! span fields, under a subscriber that keeps every field recorded on every
//! span: the server driven by hand (`stack_harness`), the client over
//! loopback on one thread.

mod loopback;
mod otel;
#[path = "stack_harness/mod.rs"]
mod stack_harness;

use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use chat_errors::metrics::{ClientMetrics, client_span, server_span};
use chat_errors::{ErrorCode, Settings};
use http::{HeaderMap, HeaderValue, Request, Response};
use http_body_util::{BodyExt, Empty, Full, combinators::UnsyncBoxBody};
use stack_harness::{call_to_the_end, grpc_request};
use tonic::Status;
use tower::Layer;
use tower::ServiceBuilder;
use tracing::Instrument;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use tracing_core::span::Current;

type Fields = BTreeMap<String, String>;

/// Keeps the fields of every span, as given at creation and as recorded
/// later, and which span is entered, for `Span::current`.
#[derive(Clone, Default)]
struct SpanFields {
    spans: Arc<Mutex<HashMap<u64, Fields>>>,
    metadata: Arc<Mutex<HashMap<u64, &'static Metadata<'static>>>>,
    entered: Arc<Mutex<Vec<u64>>>,
    next: Arc<AtomicU64>,
}

struct Collect<'a>(&'a mut Fields);

impl Visit for Collect<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl Subscriber for SpanFields {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let mut fields = Fields::new();
        span.record(&mut Collect(&mut fields));
        self.spans.lock().unwrap().insert(id, fields);
        self.metadata.lock().unwrap().insert(id, span.metadata());
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut spans = self.spans.lock().unwrap();
        let fields = spans.entry(span.into_u64()).or_default();
        values.record(&mut Collect(fields));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, span: &Id) {
        self.entered.lock().unwrap().push(span.into_u64());
    }

    fn exit(&self, _: &Id) {
        self.entered.lock().unwrap().pop();
    }

    fn current_span(&self) -> Current {
        let entered = self.entered.lock().unwrap();
        match entered.last() {
            Some(&id) => Current::new(Id::from_u64(id), self.metadata.lock().unwrap()[&id]),
            None => Current::none(),
        }
    }
}

type ResponseBody = UnsyncBoxBody<Bytes, Infallible>;
type Answer = std::future::Ready<Result<Response<ResponseBody>, Infallible>>;

fn success(_: Request<()>) -> Answer {
    let mut trailers = HeaderMap::new();
    trailers.insert("grpc-status", HeaderValue::from_static("0"));
    let body = Full::new(Bytes::from_static(b"\0\0\0\0\x02\x08\x01"))
        .with_trailers(std::future::ready(Some(Ok(trailers))))
        .boxed_unsync();
    std::future::ready(Ok(Response::new(body)))
}

fn channel_not_found(_: Request<()>) -> Answer {
    let response = Status::from(ErrorCode::ChannelNotFound).into_http::<()>();
    std::future::ready(Ok(response.map(|()| Empty::new().boxed_unsync())))
}

fn panics(_: Request<()>) -> Answer {
    panic!("the handler broke")
}

/// The fields of the span `server_span` made for one call through the
/// stack with a meter, `handler` behind it.
fn span_fields_of_a_call(handler: fn(Request<()>) -> Answer) -> Fields {
    let subscriber = SpanFields::default();
    let meters = otel::Meters::new();
    let mut stack = ServiceBuilder::new()
        .layer(Settings::default().with_meter(&meters.meter()).layer())
        .service_fn(handler);
    tracing::subscriber::with_default(subscriber.clone(), || {
        let request = grpc_request(None);
        let span = server_span(&request);
        let _entered = span.enter();
        call_to_the_end(&mut stack, request);
    });
    let spans = subscriber.spans.lock().unwrap();
    assert_eq!(spans.len(), 1, "one span: {spans:?}");
    spans.values().next().cloned().unwrap()
}

fn fields(pairs: &[(&str, &str)]) -> Fields {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

const METHOD: &str = "chat.demo.v1.ChatService/GetChannel";

#[test]
fn a_success_records_its_status_and_no_error() {
    assert_eq!(
        span_fields_of_a_call(success),
        fields(&[
            ("otel.name", METHOD),
            ("otel.kind", "server"),
            ("rpc.system.name", "grpc"),
            ("rpc.method", METHOD),
            ("rpc.response.status_code", "OK"),
        ])
    );
}

#[test]
fn a_chat_error_records_its_code_and_reason_but_is_no_server_failure() {
    assert_eq!(
        span_fields_of_a_call(channel_not_found),
        fields(&[
            ("otel.name", METHOD),
            ("otel.kind", "server"),
            ("rpc.system.name", "grpc"),
            ("rpc.method", METHOD),
            ("rpc.response.status_code", "NOT_FOUND"),
            ("chat.error.code", "2003"),
            ("chat.error.reason", "CHANNEL_NOT_FOUND"),
        ])
    );
}

#[test]
fn a_masked_panic_records_1003_and_an_error_status() {
    assert_eq!(
        span_fields_of_a_call(panics),
        fields(&[
            ("otel.name", METHOD),
            ("otel.kind", "server"),
            ("otel.status_code", "error"),
            ("rpc.system.name", "grpc"),
            ("rpc.method", METHOD),
            ("rpc.response.status_code", "INTERNAL"),
            ("error.type", "INTERNAL"),
            ("chat.error.code", "1003"),
            ("chat.error.reason", "INTERNAL_SERVER_ERROR_1003"),
        ])
    );
}

#[test]
fn the_client_records_on_the_span_its_call_runs_in() {
    let subscriber = SpanFields::default();
    tracing::subscriber::with_default(subscriber.clone(), || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let probe = loopback::Probe::unary(|_| async { Err(ErrorCode::MutedInChannel.into()) });
            let server = loopback::serve(Settings::default().layer(), probe).await;
            let meters = otel::Meters::new();
            let client =
                ClientMetrics::new(&meters.meter()).layer(loopback::channel(server.addr).await);
            loopback::call_unary(client, "x".to_owned())
                .instrument(client_span("probe.v1.Probe/Unary"))
                .await
                .expect_err("the call fails");
        });
    });
    let spans = subscriber.spans.lock().unwrap();
    let client: Vec<&Fields> = spans
        .values()
        .filter(|fields| fields.get("otel.kind").map(String::as_str) == Some("client"))
        .collect();
    assert_eq!(
        client,
        [&fields(&[
            ("otel.name", "probe.v1.Probe/Unary"),
            ("otel.kind", "client"),
            ("otel.status_code", "error"),
            ("rpc.system.name", "grpc"),
            ("rpc.method", "probe.v1.Probe/Unary"),
            ("rpc.response.status_code", "PERMISSION_DENIED"),
            ("error.type", "PERMISSION_DENIED"),
            ("chat.error.code", "2027"),
            ("chat.error.reason", "MUTED_IN_CHANNEL"),
        ])]
    );
}
