//! The demo server as a browser meets it: gRPC-Web on HTTP/1.1 beside gRPC
//! on HTTP/2, CORS, errors in trailers-only headers and in the trailer frame,
//! a handler panic, and bad input answered as over gRPC.

mod common;

use std::convert::Infallible;
use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Buf, Bytes};
use chat_demo::client::{Actor, connect, connect_grpc_web};
use chat_demo::pb::{
    ChannelType, CreateChannelRequest, SendMessageRequest, SignUpRequest, WatchChannelRequest,
    WatchChannelResponse,
};
use chat_demo::server::{AllowedOrigins, ServerConfig, serve_service};
use chat_errors::{ChatStatusExt, DecodedChatError, ErrorCode};
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Response};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as HttpClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use prost::Message;
use tokio::net::TcpListener;
use tonic::Status;
use tonic::server::NamedService;
use tonic::transport::Endpoint;
use tower::{Service, ServiceExt};

const SERVICE: &str = "chat.demo.v1.ChatService";
const GRPC_WEB: &str = "application/grpc-web+proto";
const TRAILER_FLAG: u8 = 0x80;

type Http1 = HttpClient<HttpConnector, Full<Bytes>>;

fn http1() -> Http1 {
    HttpClient::builder(TokioExecutor::new()).build_http()
}

/// `payload` as one length-prefixed gRPC message.
fn framed(payload: &[u8]) -> Vec<u8> {
    let mut frame = vec![0];
    frame.extend_from_slice(&u32::try_from(payload.len()).unwrap().to_be_bytes());
    frame.extend_from_slice(payload);
    frame
}

/// A gRPC-Web response body: its messages, then its trailer frame.
#[derive(Debug, Default)]
struct WebBody {
    messages: Vec<Bytes>,
    trailers: Option<HeaderMap>,
}

fn parse_web_body(mut body: Bytes) -> WebBody {
    let mut parsed = WebBody::default();
    while body.has_remaining() {
        assert!(parsed.trailers.is_none(), "a frame after the trailers");
        assert!(body.len() >= 5, "a truncated frame header: {body:?}");
        let flag = body.get_u8();
        let len = body.get_u32() as usize;
        assert!(body.len() >= len, "a truncated frame");
        let payload = body.split_to(len);
        if flag == TRAILER_FLAG {
            parsed.trailers = Some(parse_trailer_block(&payload));
        } else {
            assert_eq!(flag, 0, "an unexpected frame flag");
            parsed.messages.push(payload);
        }
    }
    parsed
}

/// `name: value\r\n` lines, as the gRPC-Web protocol writes trailers.
fn parse_trailer_block(block: &[u8]) -> HeaderMap {
    let text = std::str::from_utf8(block).expect("trailers are ASCII");
    let mut trailers = HeaderMap::new();
    for line in text.split("\r\n").filter(|line| !line.is_empty()) {
        let (name, value) = line.split_once(':').expect("name: value");
        trailers.append(
            HeaderName::from_bytes(name.trim().as_bytes()).unwrap(),
            HeaderValue::from_str(value.trim()).unwrap(),
        );
    }
    trailers
}

/// The status in a trailers-only response's headers, or else in its trailers.
fn status_in(headers: &HeaderMap, trailers: Option<&HeaderMap>) -> Status {
    Status::from_header_map(headers)
        .or_else(|| trailers.and_then(Status::from_header_map))
        .unwrap_or_else(|| panic!("no grpc-status in {headers:?} or {trailers:?}"))
}

fn chat_error(status: &Status) -> DecodedChatError {
    status
        .check_chat_error(&chat_errors::Domain::default())
        .unwrap_or_else(|error| panic!("malformed details: {error}"))
        .unwrap_or_else(|| panic!("not a chat error: {status:?}"))
}

/// A raw request to the chat service's `method`.
struct RawCall {
    method: &'static str,
    http_method: Method,
    content_type: &'static str,
    body: Vec<u8>,
    headers: Vec<(&'static str, HeaderValue)>,
}

impl RawCall {
    fn post(method: &'static str, body: Vec<u8>) -> RawCall {
        RawCall {
            method,
            http_method: Method::POST,
            content_type: GRPC_WEB,
            body,
            headers: Vec::new(),
        }
    }

    fn header(mut self, name: &'static str, value: &str) -> RawCall {
        self.headers
            .push((name, HeaderValue::from_str(value).unwrap()));
        self
    }

    fn request<B>(&self, addr: SocketAddr, content_type: &str, body: B) -> Request<B> {
        let mut request = Request::builder()
            .method(self.http_method.clone())
            .uri(format!("http://{addr}/{SERVICE}/{}", self.method))
            .header("content-type", content_type)
            .body(body)
            .unwrap();
        for (name, value) in &self.headers {
            request.headers_mut().insert(*name, value.clone());
        }
        request
    }

    /// Sends the call over HTTP/1.1 as it is and returns the status.
    async fn over_grpc_web(&self, addr: SocketAddr) -> (Response<()>, WebBody, Status) {
        let body = Full::new(Bytes::from(self.body.clone()));
        let response = http1()
            .request(self.request(addr, self.content_type, body))
            .await
            .expect("an HTTP response");
        let (parts, body) = response.into_parts();
        let body = parse_web_body(body.collect().await.unwrap().to_bytes());
        let status = status_in(&parts.headers, body.trailers.as_ref());
        (Response::from_parts(parts, ()), body, status)
    }

    /// Sends the same call over HTTP/2 as native gRPC and returns the status.
    async fn over_grpc(&self, addr: SocketAddr) -> Status {
        let channel = Endpoint::from_shared(format!("http://{addr}"))
            .unwrap()
            .connect()
            .await
            .expect("connect over HTTP/2");
        let body = tonic::body::Body::new(Full::new(Bytes::from(self.body.clone())));
        let mut request = self.request(addr, "application/grpc", body);
        request
            .headers_mut()
            .insert("te", HeaderValue::from_static("trailers"));
        let response = channel.oneshot(request).await.expect("an HTTP/2 response");
        let (parts, body) = response.into_parts();
        let collected = body.collect().await.expect("the whole body");
        status_in(&parts.headers, collected.trailers())
    }
}

async fn start(config: ServerConfig) -> (chat_demo::server::RunningServer, SocketAddr) {
    let loopback = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let server = chat_demo::server::RunningServer::start(loopback, config)
        .await
        .expect("bind 127.0.0.1:0");
    let addr = server.addr();
    (server, addr)
}

#[tokio::test]
async fn a_watch_ends_with_its_error_in_the_trailer_frame_after_the_messages() {
    let (server, addr) = start(ServerConfig::default()).await;
    let client = connect(&addr.to_string()).await.unwrap();
    let alice = Actor::sign_up(&client, "web-alice".to_owned())
        .await
        .unwrap();
    let bob = Actor::sign_up(&client, "web-bob".to_owned()).await.unwrap();
    let general = alice
        .create(CreateChannelRequest {
            channel_id: "web-general".to_owned(),
            channel_type: ChannelType::Public.into(),
            member_ids: vec![bob.id.clone()],
            ..CreateChannelRequest::default()
        })
        .await
        .unwrap();
    let welcome = SendMessageRequest {
        channel_id: general.clone(),
        text: "환영합니다".to_owned(),
        ..SendMessageRequest::default()
    };
    alice.rpc().send_message(alice.auth(welcome)).await.unwrap();

    let watch = WatchChannelRequest {
        channel_id: general.clone(),
    };
    let call = RawCall::post("WatchChannel", framed(&watch.encode_to_vec()))
        .header("authorization", &format!("Bearer {}", bob.session_token));
    let response = http1()
        .request(call.request(addr, GRPC_WEB, Full::new(Bytes::from(call.body.clone()))))
        .await
        .unwrap();
    assert_eq!(response.headers()["content-type"], GRPC_WEB);
    assert!(
        !response.headers().contains_key("grpc-status"),
        "not a trailers-only response: {:?}",
        response.headers()
    );
    let mut body = response.into_body();
    // The first message arrives while the stream stays open.
    let mut received = Vec::new();
    while !holds_a_whole_frame(&received) {
        let frame = body.frame().await.expect("a frame").unwrap();
        received.extend_from_slice(&frame.into_data().expect("data"));
    }
    alice.ban(&general, &bob).await.unwrap();
    received.extend_from_slice(&body.collect().await.unwrap().to_bytes());

    let web_body = parse_web_body(Bytes::from(received));
    let [message] = web_body.messages.as_slice() else {
        panic!("one message before the error: {web_body:?}");
    };
    let message = WatchChannelResponse::decode(message.clone())
        .unwrap()
        .message
        .unwrap();
    assert_eq!(
        (message.sender_id.as_str(), message.text.as_str()),
        ("web-alice", "환영합니다")
    );
    let trailers = web_body.trailers.expect("a trailer frame");
    let status = status_in(&HeaderMap::new(), Some(&trailers));
    let table = common::fixture();
    let decoded = chat_error(&status);
    assert_eq!(decoded.code(), Some(ErrorCode::BannedFromChannel));
    assert_eq!(decoded.reason(), table[&2018].reason);
    assert_eq!(status.message(), table[&2018].description_en);
    server.stop().await.unwrap();
}

fn holds_a_whole_frame(received: &[u8]) -> bool {
    received.len() >= 5
        && received.len() >= 5 + u32::from_be_bytes(received[1..5].try_into().unwrap()) as usize
}

#[tokio::test]
async fn cors_lets_any_origin_read_the_status_by_default() {
    let (server, addr) = start(ServerConfig::default()).await;
    let preflight = Request::builder()
        .method(Method::OPTIONS)
        .uri(format!("http://{addr}/{SERVICE}/SignUp"))
        .header("origin", "http://page.example")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type,x-grpc-web,x-user-agent,authorization,accept-language,x-request-id",
        )
        .body(Full::default())
        .unwrap();
    let answer = http1().request(preflight).await.unwrap();
    assert!(answer.status().is_success(), "{answer:?}");
    let headers = answer.headers();
    assert_eq!(headers["access-control-allow-origin"], "*");
    let allowed = headers["access-control-allow-headers"].to_str().unwrap();
    for needed in [
        "content-type",
        "x-grpc-web",
        "authorization",
        "accept-language",
    ] {
        assert!(allowed.contains(needed), "{needed} in {allowed}");
    }

    let call = RawCall::post("SignUp", framed(&SignUpRequest::default().encode_to_vec()))
        .header("origin", "http://page.example");
    let (response, _, status) = call.over_grpc_web(addr).await;
    let exposed = response.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap();
    for name in ["grpc-status", "grpc-message", "grpc-status-details-bin"] {
        assert!(exposed.contains(name), "{name} in {exposed}");
    }
    assert_eq!(chat_error(&status).code(), Some(ErrorCode::InvalidParams));
    server.stop().await.unwrap();
}

#[tokio::test]
async fn cors_admits_only_the_configured_origins() {
    let config = ServerConfig {
        allowed_origins: AllowedOrigins::parse(["http://chat.example:8080"]).unwrap(),
        ..ServerConfig::default()
    };
    let (server, addr) = start(config).await;
    for (origin, allowed) in [
        ("http://chat.example:8080", true),
        ("http://evil.example", false),
    ] {
        let call = RawCall::post("SignUp", framed(&[])).header("origin", origin);
        let (response, _, _) = call.over_grpc_web(addr).await;
        let granted = response.headers().get("access-control-allow-origin");
        assert_eq!(granted.is_some(), allowed, "{origin}: {response:?}");
        if allowed {
            assert_eq!(granted.unwrap(), origin);
        }
    }
    server.stop().await.unwrap();
}

/// Bad input from a browser gets the catalogue error a gRPC client gets.
#[tokio::test]
async fn bad_input_gets_the_same_catalogue_error_over_grpc_web_as_over_grpc() {
    let (server, addr) = start(ServerConfig::default()).await;
    let empty = framed(&[]);
    let cases = [
        // Not protobuf, an empty body, a frame shorter than it says, and a
        // compressed frame that names no compression.
        (RawCall::post("SignUp", framed(&[0xff, 0xff, 0xff])), None),
        (RawCall::post("SignUp", Vec::new()), None),
        (
            RawCall::post("SignUp", vec![0, 0, 0, 0, 100, 0x0a, 0x01]),
            None,
        ),
        (
            RawCall::post("SignUp", vec![1, 0, 0, 0, 2, 0x0a, 0x00]),
            None,
        ),
        (
            RawCall::post("GetChannel", empty.clone()),
            Some(ErrorCode::LoginRequired),
        ),
        (
            RawCall::post("GetChannel", empty.clone()).header("authorization", "Basic YWxpY2U6"),
            Some(ErrorCode::InvalidMetaData),
        ),
        (
            RawCall::post("GetChannel", empty.clone())
                .header("authorization", "Bearer sess_../../etc/passwd"),
            Some(ErrorCode::SessionTokenInvalid),
        ),
        (
            RawCall::post("SignUp", empty.clone()).header("grpc-timeout", "soon"),
            Some(ErrorCode::InvalidParams),
        ),
        (
            RawCall::post("SignUp", empty.clone())
                .header("x-request-id", "<script>alert(1)</script>"),
            Some(ErrorCode::InvalidParams),
        ),
    ];
    for (index, (call, expected)) in cases.iter().enumerate() {
        let (_, _, web) = call.over_grpc_web(addr).await;
        let native = call.over_grpc(addr).await;
        let (web_error, native_error) = (chat_error(&web), chat_error(&native));
        assert_eq!(web.code(), native.code(), "case {index}");
        assert_eq!(web_error.code(), native_error.code(), "case {index}");
        assert_eq!(web.message(), native.message(), "case {index}");
        if let Some(expected) = expected {
            assert_eq!(web_error.code(), Some(*expected), "case {index}");
        }
    }
    server.stop().await.unwrap();
}

/// What tonic-web alone would refuse with a bare 400 or 405.
#[tokio::test]
async fn requests_that_are_not_grpc_web_get_a_catalogue_error_too() {
    let (server, addr) = start(ServerConfig::default()).await;
    let plain_text = RawCall {
        content_type: "text/plain",
        ..RawCall::post("SignUp", b"user_id=alice".to_vec())
    };
    let get = RawCall {
        http_method: Method::GET,
        ..RawCall::post("SignUp", Vec::new())
    };
    let broken_base64 = RawCall {
        content_type: "application/grpc-web-text",
        ..RawCall::post("SignUp", b"AAAA!!not base64".to_vec())
    };
    for (call, metadata) in [
        (plain_text, Some(("header", "content-type"))),
        (get, Some(("method", "GET"))),
        (broken_base64, None),
    ] {
        let (response, _, status) = call.over_grpc_web(addr).await;
        assert_eq!(response.status(), 200, "{response:?}");
        let decoded = chat_error(&status);
        if let Some((key, value)) = metadata {
            assert_eq!(decoded.code(), Some(ErrorCode::InvalidMetaData));
            assert_eq!(decoded.metadata()[key], value);
        }
    }
    server.stop().await.unwrap();
}

/// A `ChatService` whose every handler panics.
#[derive(Clone)]
struct Panicking;

impl NamedService for Panicking {
    const NAME: &'static str = SERVICE;
}

impl Service<Request<tonic::body::Body>> for Panicking {
    type Response = Response<tonic::body::Body>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<tonic::body::Body>) -> Self::Future {
        panic!("the handler of {} fell over", request.uri().path())
    }
}

#[tokio::test]
async fn a_handler_panic_reaches_a_grpc_web_client_as_1003_with_its_request_id() {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let config = ServerConfig::default();
    let server = tokio::spawn(async move {
        serve_service(listener, &config, Panicking, async {
            let _ = stopped.await;
        })
        .await
    });

    let table = common::fixture();
    for (transport, client) in [
        ("gRPC-Web", connect_grpc_web(&addr.to_string()).unwrap()),
        ("gRPC", connect(&addr.to_string()).await.unwrap()),
    ] {
        let mut request = tonic::Request::new(SignUpRequest::default());
        request
            .metadata_mut()
            .insert("x-request-id", "req-7f3a".parse().unwrap());
        let status = client.clone().sign_up(request).await.unwrap_err();
        let decoded = chat_error(&status);
        assert_eq!(
            decoded.code(),
            Some(ErrorCode::InternalServerError1003),
            "{transport}"
        );
        assert_eq!(status.message(), table[&1003].description_en, "{transport}");
        assert!(!status.message().contains("fell over"), "{transport}");
        let request_info = decoded.request_info().expect("a RequestInfo");
        assert_eq!(request_info.request_id, "req-7f3a", "{transport}");
    }
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

#[tokio::test]
async fn the_page_is_served_over_http1_beside_the_service() {
    let dir = std::env::temp_dir().join(format!("chat-demo-page-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>chat</title>").unwrap();
    std::fs::write(dir.join("app.js"), "console.log('chat')").unwrap();
    let config = ServerConfig {
        web_dir: dir.clone(),
        ..ServerConfig::default()
    };
    let (server, addr) = start(config).await;
    for (path, status, content_type) in [
        ("/", 200, Some("text/html; charset=utf-8")),
        ("/app.js", 200, Some("text/javascript; charset=utf-8")),
        ("/missing.css", 404, None),
        ("/..%2fCargo.toml", 404, None),
        ("/.env", 404, None),
    ] {
        let request = Request::get(format!("http://{addr}{path}"))
            .body(Full::default())
            .unwrap();
        let response = http1().request(request).await.unwrap();
        assert_eq!(response.status(), status, "{path}");
        if let Some(content_type) = content_type {
            assert_eq!(response.headers()["content-type"], content_type, "{path}");
            assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        }
    }
    server.stop().await.unwrap();
    std::fs::remove_dir_all(dir).unwrap();
}
