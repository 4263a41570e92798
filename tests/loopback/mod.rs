//! A gRPC service with one unary and one server-streaming method whose
//! handlers each test supplies, served by tonic on 127.0.0.1 with an
//! ephemeral port; a client for it; and a log capture for `tracing`.
#![allow(dead_code)]

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use http::uri::PathAndQuery;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::body::Body;
use tonic::server::{Grpc, NamedService, ServerStreamingService, UnaryService};
use tonic::transport::{Channel, Endpoint};
use tonic::{IntoRequest, Request, Response, Status};
use tonic_prost::ProstCodec;

pub const UNARY: &str = "/probe.v1.Probe/Unary";
pub const STREAM: &str = "/probe.v1.Probe/Stream";

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;
pub type Replies = Pin<Box<dyn tokio_stream::Stream<Item = Result<String, Status>> + Send>>;
type UnaryHandler = Arc<dyn Fn(Request<String>) -> BoxFuture<Result<String, Status>> + Send + Sync>;
type StreamHandler = Arc<dyn Fn(String) -> Replies + Send + Sync>;

/// `probe.v1.Probe`: `Unary(string) -> string` and `Stream(string) -> stream string`.
#[derive(Clone)]
pub struct Probe {
    unary: UnaryHandler,
    stream: StreamHandler,
}

impl Probe {
    /// A probe whose unary method answers with `unary` and whose stream
    /// method yields `stream`'s items.
    pub fn new<U, Fut, S>(unary: U, stream: S) -> Probe
    where
        U: Fn(String) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<String, Status>> + Send + 'static,
        S: Fn(String) -> Replies + Send + Sync + 'static,
    {
        Probe {
            unary: Arc::new(move |request: Request<String>| Box::pin(unary(request.into_inner()))),
            stream: Arc::new(stream),
        }
    }

    /// A probe whose unary method sees the whole request, extensions and
    /// all; the stream method yields nothing.
    pub fn unary_request<U, Fut>(unary: U) -> Probe
    where
        U: Fn(Request<String>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<String, Status>> + Send + 'static,
    {
        Probe {
            unary: Arc::new(move |request| Box::pin(unary(request))),
            stream: Arc::new(|_| Box::pin(tokio_stream::empty())),
        }
    }

    /// A probe with only a unary method; the stream method yields nothing.
    pub fn unary<U, Fut>(unary: U) -> Probe
    where
        U: Fn(String) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<String, Status>> + Send + 'static,
    {
        Probe::new(unary, |_| Box::pin(tokio_stream::empty()))
    }
}

impl Probe {
    /// A probe with only a stream method; the unary method answers "".
    pub fn stream<S>(stream: S) -> Probe
    where
        S: Fn(String) -> Replies + Send + Sync + 'static,
    {
        Probe::new(|_| async { Ok(String::new()) }, stream)
    }
}

impl NamedService for Probe {
    const NAME: &'static str = "probe.v1.Probe";
}

impl tower::Service<http::Request<Body>> for Probe {
    type Response = http::Response<Body>;
    type Error = Infallible;
    type Future = BoxFuture<Result<http::Response<Body>, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<Body>) -> Self::Future {
        let probe = self.clone();
        Box::pin(async move {
            let mut grpc = Grpc::new(ProstCodec::<String, String>::default());
            Ok(match request.uri().path() {
                UNARY => grpc.unary(UnaryCall(probe.unary), request).await,
                STREAM => {
                    grpc.server_streaming(StreamCall(probe.stream), request)
                        .await
                }
                _ => Status::unimplemented("").into_http(),
            })
        })
    }
}

struct UnaryCall(UnaryHandler);

impl UnaryService<String> for UnaryCall {
    type Response = String;
    type Future = BoxFuture<Result<Response<String>, Status>>;

    fn call(&mut self, request: Request<String>) -> Self::Future {
        let reply = (self.0)(request);
        Box::pin(async move { reply.await.map(Response::new) })
    }
}

struct StreamCall(StreamHandler);

impl ServerStreamingService<String> for StreamCall {
    type Response = String;
    type ResponseStream = Replies;
    type Future = BoxFuture<Result<Response<Replies>, Status>>;

    fn call(&mut self, request: Request<String>) -> Self::Future {
        let replies = (self.0)(request.into_inner());
        Box::pin(async move { Ok(Response::new(replies)) })
    }
}

/// A server running on loopback until dropped.
pub struct Running {
    pub addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves `probe` behind `layer` (`tower::layer::util::Identity` for
/// none) on 127.0.0.1 with an ephemeral port.
pub async fn serve<L, ResBody>(layer: L, probe: Probe) -> Running
where
    L: tower::Layer<tonic::service::Routes> + Clone + Send + 'static,
    L::Service: tower::Service<http::Request<Body>, Response = http::Response<ResBody>>
        + Clone
        + Send
        + 'static,
    <L::Service as tower::Service<http::Request<Body>>>::Future: Send + 'static,
    <L::Service as tower::Service<http::Request<Body>>>::Error: Into<BoxError> + Send,
    ResBody: http_body::Body<Data = bytes::Bytes> + Send + 'static,
    ResBody::Error: Into<BoxError>,
{
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local address");
    let router = tonic::transport::Server::builder()
        .layer(layer)
        .add_service(probe);
    let task = tokio::spawn(async move {
        router
            .serve_with_incoming(TcpListenerStream::new(listener))
            .await
            .expect("the test server runs until aborted");
    });
    Running { addr, task }
}

/// A channel to `addr`, connected.
pub async fn channel(addr: SocketAddr) -> Channel {
    Endpoint::from_shared(format!("http://{addr}"))
        .expect("a valid URI")
        .connect()
        .await
        .expect("connect to the loopback server")
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What a tonic client can call through: a channel, layered or not.
pub trait Transport:
    tonic::client::GrpcService<
        Body,
        Error: Into<BoxError>,
        ResponseBody: http_body::Body<Data = bytes::Bytes, Error: Into<BoxError>> + Send + 'static,
    >
{
}

impl<T> Transport for T where
    T: tonic::client::GrpcService<
            Body,
            Error: Into<BoxError>,
            ResponseBody: http_body::Body<Data = bytes::Bytes, Error: Into<BoxError>>
                              + Send
                              + 'static,
        >
{
}

/// Calls the unary method over `transport` (a channel, layered or not)
/// with a `String` or a `Request<String>` carrying metadata.
pub async fn call_unary<T: Transport>(
    transport: T,
    request: impl IntoRequest<String>,
) -> Result<String, Status> {
    let mut grpc = tonic::client::Grpc::new(transport);
    grpc.ready()
        .await
        .map_err(|error| Status::unavailable(error.into().to_string()))?;
    grpc.unary(
        request.into_request(),
        PathAndQuery::from_static(UNARY),
        ProstCodec::<String, String>::default(),
    )
    .await
    .map(Response::into_inner)
}

/// The error a plain unary call to `server` ends with.
pub async fn unary_error(server: &Running) -> Status {
    call_unary(channel(server.addr).await, "hi".to_owned())
        .await
        .expect_err("the call fails")
}

/// Checks that `status` is 1003 InternalServerError in the default domain,
/// as `Settings::default().layer()` masks an error, and returns its request id.
pub fn masked_request_id(status: &Status) -> String {
    masked_request_id_in(status, &chat_errors::Domain::default())
}

/// Checks that `status` is 1003 InternalServerError in `domain`, as the
/// layer of that domain's `Settings` masks an error, and returns its
/// request id.
pub fn masked_request_id_in(status: &Status, domain: &chat_errors::Domain) -> String {
    use chat_errors::{ChatStatusExt, ErrorCode, Locale};
    assert_eq!(status.code(), tonic::Code::Internal);
    assert_eq!(
        status.message(),
        ErrorCode::InternalServerError1003.description(Locale::EN_US)
    );
    let decoded = status
        .check_chat_error(domain)
        .expect("well-formed details")
        .expect("a chat error");
    assert_eq!(decoded.code(), Some(ErrorCode::InternalServerError1003));
    decoded
        .request_info()
        .expect("RequestInfo is sent")
        .request_id
        .clone()
}

/// Calls the streaming method and collects replies until the first error.
pub async fn call_stream<T: Transport>(
    transport: T,
    request: &str,
) -> (Vec<String>, Option<Status>) {
    let mut grpc = tonic::client::Grpc::new(transport);
    if let Err(error) = grpc.ready().await {
        return (
            Vec::new(),
            Some(Status::unavailable(error.into().to_string())),
        );
    }
    let response = grpc
        .server_streaming(
            Request::new(request.to_owned()),
            PathAndQuery::from_static(STREAM),
            ProstCodec::<String, String>::default(),
        )
        .await;
    let mut stream = match response {
        Ok(response) => response.into_inner(),
        Err(status) => return (Vec::new(), Some(status)),
    };
    let mut replies = Vec::new();
    loop {
        match stream.message().await {
            Ok(Some(reply)) => replies.push(reply),
            Ok(None) => return (replies, None),
            Err(status) => return (replies, Some(status)),
        }
    }
}

/// Everything `tracing` wrote on the test's thread while the capture was
/// installed. Tests using it run on tokio's current-thread runtime, so the
/// server's tasks log on the test's thread.
///
/// One global subscriber writes each event to the capture installed on the
/// thread that emits it. A per-thread default subscriber (`set_default`)
/// would do the same, but `tracing` caches each callsite's interest across
/// all threads, and a callsite first reached while another test's
/// subscriber comes or goes can be cached as uninteresting: the capture
/// then stays empty under a parallel test run.
#[derive(Clone, Default)]
pub struct LogCapture(Arc<Mutex<Vec<u8>>>);

thread_local! {
    static CAPTURE: std::cell::RefCell<Option<LogCapture>> = const { std::cell::RefCell::new(None) };
}

/// The capture installed on this thread until dropped.
pub struct CaptureGuard(());

impl Drop for CaptureGuard {
    fn drop(&mut self) {
        CAPTURE.with(|capture| capture.borrow_mut().take());
    }
}

/// The global subscriber's writer: the capture of the emitting thread, if any.
struct ThreadCapture;

impl io::Write for ThreadCapture {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        CAPTURE.with(|capture| {
            if let Some(capture) = capture.borrow().as_ref() {
                capture.0.lock().unwrap().extend_from_slice(bytes);
            }
        });
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl LogCapture {
    pub fn install(&self) -> CaptureGuard {
        static GLOBAL: std::sync::Once = std::sync::Once::new();
        GLOBAL.call_once(|| {
            let subscriber = tracing_subscriber::fmt()
                .with_ansi(false)
                .with_writer(|| ThreadCapture)
                .finish();
            tracing::subscriber::set_global_default(subscriber)
                .expect("no other global subscriber in the tests");
        });
        CAPTURE.with(|capture| *capture.borrow_mut() = Some(self.clone()));
        CaptureGuard(())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    /// Checks that one log line names `request_id` and holds `cause`.
    pub fn assert_logged(&self, request_id: &str, cause: &str) {
        let text = self.text();
        let tag = format!("request_id={request_id}");
        assert!(
            text.lines()
                .any(|line| line.contains(&tag) && line.contains(cause)),
            "no log line with {tag} and {cause:?} in:\n{text}"
        );
    }
}
