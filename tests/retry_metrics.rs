//! gRFC A96's retry instruments, recorded by the retry layer over loopback
//! into the OpenTelemetry SDK's in-memory exporter. Expected values come
//! from each test's script: how many attempts the server is told to fail,
//! and the RetryInfo delays it sends.

mod loopback;
mod otel;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chat_errors::retry::{RetryLayer, RetryPolicy};
use chat_errors::{ChatError, ErrorCode};
use loopback::{Probe, Running, UNARY, call_unary, channel, serve};
use otel::{Meters, attributes, total};
use tonic::{Request, Status};
use tower::Layer as _;
use tower::layer::util::Identity;

const TARGET: &str = "dns:///chat.example.com:443";

/// A server whose attempt `n` (from 0) is answered with `answer(n)`.
async fn scripted(answer: fn(usize) -> Result<String, Status>) -> Running {
    let attempts = Arc::new(AtomicUsize::new(0));
    let probe = Probe::unary_request(move |_: Request<String>| {
        let reply = answer(attempts.fetch_add(1, Ordering::SeqCst));
        async move { reply }
    });
    serve(Identity::new(), probe).await
}

fn rate_limited(seconds: u64) -> Status {
    ChatError::new(ErrorCode::TooManyRequests)
        .with_retry_delay(Duration::from_secs(seconds))
        .into()
}

async fn call(meters: &Meters, server: &Running) -> Result<String, Status> {
    let layer = RetryLayer::new(RetryPolicy::default().with_meter(&meters.meter(), TARGET));
    call_unary(layer.layer(channel(server.addr).await), "hello".to_owned()).await
}

fn labels() -> otel::Attributes {
    attributes(&[
        ("grpc.method", UNARY.trim_start_matches('/')),
        ("grpc.target", TARGET),
    ])
}

#[tokio::test(start_paused = true)]
async fn a_call_retried_twice_records_two_retries_and_the_delays_it_waited() {
    let server = scripted(|attempt| match attempt {
        0 => Err(rate_limited(1)),
        1 => Err(rate_limited(2)),
        _ => Ok("sent".to_owned()),
    })
    .await;
    let meters = Meters::new();
    assert_eq!(call(&meters, &server).await.unwrap(), "sent");

    let (unit, retries) = meters.histogram("grpc.client.call.retries");
    assert_eq!(unit, "{retry}");
    assert_eq!(retries.len(), 1, "{retries:?}");
    assert_eq!(retries[0].attributes, labels());
    assert_eq!((retries[0].count, retries[0].sum), (1, 2.0));

    let delay = meters.points("grpc.client.call.retry_delay");
    assert_eq!(delay.len(), 1, "{delay:?}");
    assert_eq!(delay[0].attributes, labels());
    assert_eq!(delay[0].count, 1);
    assert!(
        (delay[0].sum - 3.0).abs() < 1e-9,
        "waited {} s",
        delay[0].sum
    );
}

#[tokio::test(start_paused = true)]
async fn a_call_out_of_attempts_records_the_retries_it_made() {
    let server = scripted(|_| Err(rate_limited(1))).await;
    let meters = Meters::new();
    let status = call(&meters, &server).await.unwrap_err();
    assert_eq!(status.code(), tonic::Code::ResourceExhausted);

    // Three attempts by default: two retries, each after the 1 s asked for.
    let (_, retries) = meters.histogram("grpc.client.call.retries");
    assert_eq!(
        retries
            .iter()
            .map(|point| (point.count, point.sum))
            .collect::<Vec<_>>(),
        [(1, 2.0)]
    );
    let delay = meters.points("grpc.client.call.retry_delay");
    assert!(
        (delay[0].sum - 2.0).abs() < 1e-9,
        "waited {} s",
        delay[0].sum
    );
}

#[tokio::test(start_paused = true)]
async fn calls_without_retries_record_nothing() {
    let server = scripted(|attempt| match attempt {
        0 => Ok("sent".to_owned()),
        _ => Err(ChatError::new(ErrorCode::ChannelNotFound).into()),
    })
    .await;
    let meters = Meters::new();
    assert_eq!(call(&meters, &server).await.unwrap(), "sent");
    // 2003 is not retryable: one attempt, and no retry to count.
    assert_eq!(
        call(&meters, &server).await.unwrap_err().code(),
        tonic::Code::NotFound
    );
    assert_eq!(total(&meters.histogram("grpc.client.call.retries").1), 0);
    assert_eq!(total(&meters.points("grpc.client.call.retry_delay")), 0);
}
