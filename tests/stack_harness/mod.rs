//! One gRPC call driven by hand through a tower service, with no runtime,
//! as tonic's server would make it: shared by `benches/layers.rs` and
//! `tests/success_path_allocations.rs`.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use http::{HeaderValue, Request, Response};
use http_body::Body;
use tower::Service;

/// A request as tonic's server hands it to the layers: its URI and headers
/// from h2 (a static URI clones without allocating, as h2's shared buffers
/// do), its extensions already holding tonic's connection info.
pub fn grpc_request(accept_language: Option<&'static str>) -> Request<()> {
    let mut request = Request::builder()
        .method("POST")
        .uri(http::Uri::from_static(
            "/chat.demo.v1.ChatService/GetChannel",
        ))
        .header("content-type", "application/grpc")
        .header("te", "trailers")
        .body(())
        .expect("a valid request");
    if let Some(value) = accept_language {
        request
            .headers_mut()
            .insert("accept-language", HeaderValue::from_static(value));
    }
    request.extensions_mut().insert(ConnectInfo);
    request
}

/// What tonic's server puts in every request's extensions before any layer
/// sees it, standing in for its `TcpConnectInfo`.
#[derive(Clone, Copy)]
struct ConnectInfo;

/// Makes one call through `service`, which must answer at once, and reads
/// its body to the end; returns how many frames it had.
pub fn call_to_the_end<S, B>(service: &mut S, request: Request<()>) -> usize
where
    S: Service<Request<()>, Response = Response<B>>,
    S::Error: std::fmt::Debug,
    B: Body,
    B::Error: std::fmt::Debug,
{
    let mut context = Context::from_waker(Waker::noop());
    assert!(service.poll_ready(&mut context).is_ready());
    let Poll::Ready(response) = pin!(service.call(request)).poll(&mut context) else {
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
