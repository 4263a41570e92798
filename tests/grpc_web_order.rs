//! The server stack (`Settings::layer()`) under tonic-web's `GrpcWebLayer`:
//! inside it (the documented order) a streamed internal error reaches a
//! gRPC-Web client masked as 1003, and every chat error of the service's
//! own domain unmasked; outside it, where the trailers have already moved
//! into the body, the layer refuses the call instead of letting the error
//! through.

mod common;
mod loopback;

use bytes::{Buf, Bytes};
use chat_errors::{ChatStatusExt, Domain, ErrorCode, Settings};
use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderName, HeaderValue};
use http_body_util::BodyExt;
use loopback::{Probe, Replies, STREAM};
use tonic::Status;
use tonic::body::Body;
use tonic_types::StatusExt;
use tonic_web::GrpcWebLayer;
use tower::{Layer, ServiceExt};

const SECRET: &str = "db password is hunter2";

/// A stream that yields one reply and then fails with an internal error
/// whose message must never reach a client.
fn leaky_stream() -> Probe {
    Probe::stream(|_| -> Replies {
        Box::pin(tokio_stream::iter([
            Ok("first".to_owned()),
            Err(Status::internal(SECRET)),
        ]))
    })
}

/// A gRPC-Web call of the probe's stream method, as a browser sends it.
fn grpc_web_request() -> http::Request<Body> {
    grpc_web_request_of("hello")
}

/// The same call with `request` as its message.
fn grpc_web_request_of(request: &str) -> http::Request<Body> {
    let message = prost::Message::encode_to_vec(&request.to_owned());
    let mut frame = vec![0u8];
    frame.extend_from_slice(&u32::try_from(message.len()).unwrap().to_be_bytes());
    frame.extend_from_slice(&message);
    http::Request::post(STREAM)
        .header(CONTENT_TYPE, "application/grpc-web+proto")
        .header("x-grpc-web", "1")
        .body(Body::new(http_body_util::Full::new(Bytes::from(frame))))
        .unwrap()
}

/// What a gRPC-Web client reads: the headers, the data frames' messages
/// and the trailer frame's lines, parsed by hand from the body.
struct GrpcWebResponse {
    headers: HeaderMap,
    messages: Vec<String>,
    trailers: HeaderMap,
    raw_body: Bytes,
}

async fn call<S, B>(service: S) -> GrpcWebResponse
where
    S: tower::Service<http::Request<Body>, Response = http::Response<B>>,
    S::Error: std::fmt::Debug,
    B: http_body::Body<Data = Bytes>,
    B::Error: std::fmt::Debug,
{
    call_with(service, grpc_web_request()).await
}

async fn call_with<S, B>(service: S, request: http::Request<Body>) -> GrpcWebResponse
where
    S: tower::Service<http::Request<Body>, Response = http::Response<B>>,
    S::Error: std::fmt::Debug,
    B: http_body::Body<Data = Bytes>,
    B::Error: std::fmt::Debug,
{
    let response = service.oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let raw_body = body.collect().await.unwrap().to_bytes();
    let mut messages = Vec::new();
    let mut trailers = HeaderMap::new();
    let mut rest = raw_body.clone();
    while rest.has_remaining() {
        let flag = rest.get_u8();
        let len = rest.get_u32() as usize;
        let payload = rest.split_to(len);
        if flag & 0x80 == 0 {
            messages.push(prost::Message::decode(payload).expect("a string message"));
        } else {
            for line in std::str::from_utf8(&payload).unwrap().split("\r\n") {
                if let Some((name, value)) = line.split_once(':') {
                    trailers.append(
                        HeaderName::from_bytes(name.trim().as_bytes()).unwrap(),
                        HeaderValue::from_str(value.trim()).unwrap(),
                    );
                }
            }
        }
    }
    GrpcWebResponse {
        headers: parts.headers,
        messages,
        trailers,
        raw_body,
    }
}

/// The status a gRPC-Web client reads from wherever it was sent, decoded
/// by tonic itself rather than by this crate.
fn received_status(response: &GrpcWebResponse) -> Status {
    Status::from_header_map(&response.trailers)
        .or_else(|| Status::from_header_map(&response.headers))
        .expect("a grpc-status in the trailer frame or the headers")
}

fn internal_server_error_row() -> common::Row {
    common::fixture_rows()
        .into_iter()
        .find(|row| row.code == 1003)
        .expect("the fixture has 1003")
}

fn assert_masked_as_1003(response: &GrpcWebResponse) {
    let row = internal_server_error_row();
    let status = received_status(response);
    assert_eq!(status.code(), row.grpc_code);
    let info = status
        .get_error_details()
        .error_info()
        .cloned()
        .expect("an ErrorInfo");
    assert_eq!(info.reason, row.reason);
    assert_eq!(info.metadata["code"], row.code.to_string());
    let seen = String::from_utf8_lossy(&response.raw_body).into_owned()
        + &format!("{:?}", response.headers)
        + &format!("{:?}", response.trailers);
    assert!(!seen.contains("hunter2"), "the cause leaked: {seen}");
}

#[tokio::test]
async fn inside_grpc_web_a_streamed_internal_error_is_masked_after_the_data() {
    let service = GrpcWebLayer::new().layer(Settings::default().layer().layer(leaky_stream()));
    let response = call(service).await;
    assert_eq!(response.messages, ["first"], "the data before the error");
    assert!(
        !response.trailers.is_empty(),
        "the status comes in the trailer frame"
    );
    assert_masked_as_1003(&response);
}

#[tokio::test]
async fn outside_grpc_web_the_layer_refuses_rather_than_passing_the_error_through() {
    let service = Settings::default()
        .layer()
        .layer(GrpcWebLayer::new().layer(leaky_stream()));
    let response = call(service).await;
    assert!(
        response.messages.is_empty(),
        "nothing the misplaced layer cannot check is sent"
    );
    assert_masked_as_1003(&response);
}

#[tokio::test]
async fn outside_grpc_web_even_a_successful_call_is_refused_so_the_mistake_shows() {
    let healthy =
        Probe::stream(|_| -> Replies { Box::pin(tokio_stream::iter([Ok("ok".to_owned())])) });
    let response = call(
        Settings::default()
            .layer()
            .layer(GrpcWebLayer::new().layer(healthy)),
    )
    .await;
    assert!(response.messages.is_empty());
    assert_masked_as_1003(&response);
}

/// A stream that yields one reply and then fails with the catalogue code
/// numbered by the request, as a handler raises it.
fn failing_with_the_requested_code() -> Probe {
    Probe::stream(|request| -> Replies {
        let code = ErrorCode::from_i32(request.parse().unwrap()).unwrap();
        Box::pin(tokio_stream::iter([
            Ok("first".to_owned()),
            Err(code.into()),
        ]))
    })
}

#[tokio::test]
async fn a_custom_domain_set_once_reaches_a_grpc_web_client_unmasked_for_every_code() {
    let domain = Domain::new("chat.example.com").unwrap();
    let settings = Settings::new(domain.clone());
    for row in common::fixture_rows() {
        let service =
            GrpcWebLayer::new().layer(settings.layer().layer(failing_with_the_requested_code()));
        let response = call_with(service, grpc_web_request_of(&row.code.to_string())).await;
        let context = format!("{} {}", row.code, row.name);
        assert_eq!(response.messages, ["first"], "{context}");
        let status = received_status(&response);
        assert_eq!(status.code(), row.grpc_code, "{context}");
        let decoded = status
            .check_chat_error(&domain)
            .unwrap_or_else(|error| panic!("{context}: {error}"))
            .unwrap_or_else(|| panic!("{context}: no chat error of {domain}"));
        assert_eq!(decoded.number(), Some(row.code), "{context}: masked?");
        assert_eq!(decoded.domain(), "chat.example.com", "{context}");
        assert_eq!(decoded.request_info(), None, "{context}");
        assert_eq!(
            status.check_chat_error(&Domain::default()),
            Ok(None),
            "{context}"
        );
    }
}

#[tokio::test]
async fn under_grpc_web_an_internal_error_is_masked_in_the_services_domain() {
    let domain = Domain::new("chat.example.com").unwrap();
    let service =
        GrpcWebLayer::new().layer(Settings::new(domain.clone()).layer().layer(leaky_stream()));
    let response = call(service).await;
    assert_eq!(response.messages, ["first"]);
    assert_masked_as_1003(&response);
    let status = received_status(&response);
    assert_eq!(
        status.chat_error_code(&domain),
        Some(ErrorCode::InternalServerError1003)
    );
    assert_eq!(status.chat_error_code(&Domain::default()), None);
}
