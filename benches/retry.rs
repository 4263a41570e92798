//! What the client retry layer adds to a call that succeeds first time,
//! around a transport that answers at once, so that nothing but the
//! layer's own work differs. The loopback benchmark (`e2e-bench`, case
//! `ok via retry`) measures the same end to end.

mod common;

use std::convert::Infallible;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use chat_errors::retry::{RetryLayer, RetryPolicy};
use criterion::{Criterion, criterion_group, criterion_main};
use http::{HeaderMap, HeaderValue, Request, Response};
use http_body::{Body as _, Frame};
use http_body_util::{BodyExt, Full, combinators::UnsyncBoxBody};
use tonic::Status;
use tonic::body::Body;
use tower::{Layer, Service};

type ResponseBody = UnsyncBoxBody<Bytes, Infallible>;

/// One message, then `grpc-status: 0`, as a server answers a unary call.
fn success(_: Request<Body>) -> std::future::Ready<Result<Response<ResponseBody>, Infallible>> {
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

/// A unary request as tonic's client makes it: the headers it sets, the
/// method in the extensions, and a body whose one message is ready.
fn unary_request() -> Request<Body> {
    let message = tokio_stream::once(Ok::<_, Status>(Frame::data(Bytes::from_static(
        b"\0\0\0\0\x04\x08\x01\x10\x02",
    ))));
    let mut request = Request::builder()
        .method("POST")
        .uri(http::Uri::from_static(
            "http://127.0.0.1:50051/chat.demo.v1.ChatService/GetChannel",
        ))
        .header("content-type", "application/grpc")
        .header("te", "trailers")
        .body(Body::new(http_body_util::StreamBody::new(message)))
        .expect("a valid request");
    request.extensions_mut().insert(tonic::GrpcMethod::new(
        "chat.demo.v1.ChatService",
        "GetChannel",
    ));
    request
}

/// One call through `service`, which answers at once, read to the end.
fn call_to_the_end<S>(service: &mut S) -> usize
where
    S: Service<Request<Body>, Response = Response<ResponseBody>>,
    S::Error: std::fmt::Debug,
{
    let mut context = Context::from_waker(Waker::noop());
    assert!(service.poll_ready(&mut context).is_ready());
    let Poll::Ready(response) = pin!(service.call(unary_request())).poll(&mut context) else {
        panic!("the service answers at once");
    };
    let mut body = pin!(response.expect("a response").into_body());
    let mut frames = 0;
    while let Poll::Ready(Some(frame)) = body.as_mut().poll_frame(&mut context) {
        frame.expect("a frame");
        frames += 1;
    }
    frames
}

fn retry(c: &mut Criterion) {
    let mut group = c.benchmark_group("retry");
    let mut bare = tower::service_fn(success);
    group.bench_function("ok/bare", |b| b.iter(|| call_to_the_end(&mut bare)));
    let mut retrying = RetryLayer::new(RetryPolicy::default()).layer(tower::service_fn(success));
    group.bench_function("ok/retry", |b| b.iter(|| call_to_the_end(&mut retrying)));
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = retry
}
criterion_main!(benches);
