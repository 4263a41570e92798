//! A handler that panics, behind `Settings::layer()`: the client gets
//! 1003 with a request id, never the panic text, and the log gets both.

mod loopback;

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use chat_errors::{ChatStatusExt, Domain, Settings};
use loopback::{LogCapture, Probe, call_stream, channel, masked_request_id, serve, unary_error};
use tonic::Status;
use tower::layer::util::Identity;
use tower::{Layer, ServiceExt};

const PANIC_TEXT: &str = "index out of bounds in shard 7 (token=sk_live_123)";

fn assert_masked(status: &Status) -> String {
    assert!(!format!("{status:?}").contains("sk_live"), "{status:?}");
    masked_request_id(status)
}

#[tokio::test]
async fn a_panicking_handler_answers_1003_and_logs_the_panic() {
    let log = LogCapture::default();
    let _guard = log.install();
    let server = serve(
        Settings::default().layer(),
        Probe::unary(|_| async { panic!("{PANIC_TEXT}") }),
    )
    .await;
    let status = unary_error(&server).await;
    let request_id = assert_masked(&status);
    log.assert_logged(&request_id, PANIC_TEXT);
    log.assert_logged(&request_id, "handler panicked");

    // The server lives on: the next call is answered too.
    let again = unary_error(&server).await;
    assert_ne!(assert_masked(&again), request_id);
}

#[tokio::test]
async fn without_the_layer_a_panic_is_no_chat_error() {
    let server = serve(
        Identity::new(),
        Probe::unary(|_| async { panic!("{PANIC_TEXT}") }),
    )
    .await;
    let status = unary_error(&server).await;
    assert_eq!(status.chat_error_code(&Domain::default()), None);
    assert!(status.details().is_empty());
}

#[tokio::test]
async fn a_stream_that_panics_midway_ends_with_1003_trailers() {
    let log = LogCapture::default();
    let _guard = log.install();
    let server = serve(
        Settings::default().layer(),
        Probe::stream(|_| Box::pin(PanicsAfterTwo::default())),
    )
    .await;
    let (replies, status) = call_stream(channel(server.addr).await, "hi").await;
    assert_eq!(replies, ["reply 1", "reply 2"]);
    let request_id = assert_masked(&status.expect("the stream ends with an error"));
    log.assert_logged(&request_id, PANIC_TEXT);
}

/// Two replies, each after a turn of the runtime so that tonic sends it
/// on its own, then a panic.
#[derive(Default)]
struct PanicsAfterTwo {
    sent: usize,
    waited: bool,
}

impl tokio_stream::Stream for PanicsAfterTwo {
    type Item = Result<String, Status>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if !self.waited {
            self.waited = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        self.waited = false;
        self.sent += 1;
        if self.sent > 2 {
            panic!("{PANIC_TEXT}");
        }
        Poll::Ready(Some(Ok(format!("reply {}", self.sent))))
    }
}

#[tokio::test]
async fn a_service_that_panics_inside_call_answers_1003() {
    let log = LogCapture::default();
    let _guard = log.install();
    let panics_in_call =
        tower::service_fn(|_: http::Request<()>| -> std::future::Ready<Result<http::Response<tonic::body::Body>, Infallible>> {
            panic!("{PANIC_TEXT}")
        });
    let response = Settings::default()
        .layer()
        .layer(panics_in_call)
        .oneshot(http::Request::new(()))
        .await
        .expect("an answer, not a panic");
    assert_eq!(response.status(), http::StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/grpc");
    let status = Status::from_header_map(response.headers()).expect("a trailers-only status");
    let request_id = assert_masked(&status);
    assert!(log.text().contains(&request_id));
}
