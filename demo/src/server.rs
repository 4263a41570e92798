//! Serving `ChatService` on a TCP listener, to gRPC clients over HTTP/2 and
//! to browsers over gRPC-Web on HTTP/1.1, with the web chat page beside it.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;

use std::sync::Arc;

use chat_errors::Settings;
use opentelemetry::metrics::Meter;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tonic::body::Body;
use tonic::server::NamedService;
use tonic::service::Routes;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tonic_web::GrpcWebLayer;
use tower::{Service, ServiceBuilder};

use crate::grpc_web::RefuseNonGrpcWebLayer;
use crate::pb::chat_service_server::ChatServiceServer;
use crate::rest;
use crate::service::ChatServiceImpl;
use crate::web;

pub use crate::rate_limit::RateLimit;
pub use crate::service::{MAX_CHANNEL_MEMBERS, MAX_FILE_BYTES, MAX_MESSAGE_BYTES};
pub use crate::store::{CHANNEL_RESOURCE, DEFAULT_MAX_MEMBERS, USER_RESOURCE};
pub use crate::web::{AllowedOrigins, DEFAULT_WEB_DIR};

/// The most bytes a request may have: room for a file just over
/// [`MAX_FILE_BYTES`] and the request's other fields, so that the handler,
/// not the codec, refuses it as FILE_SIZE_LIMIT_EXCEEDED.
pub const MAX_REQUEST_BYTES: usize = MAX_FILE_BYTES + 1024 * 1024;

/// How the server behaves; the default is what the demo runs with.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// How fast each user may send messages.
    pub message_rate: RateLimit,
    /// The pages that may call the service from a browser.
    pub allowed_origins: AllowedOrigins,
    /// The built web chat, served at `/`.
    pub web_dir: PathBuf,
    /// Where the gRPC stack records `rpc.server.call.duration`, if anywhere
    /// (`chat-demo-server --metrics-addr`).
    pub meter: Option<Meter>,
}

impl Default for ServerConfig {
    fn default() -> ServerConfig {
        ServerConfig {
            message_rate: RateLimit::default(),
            allowed_origins: AllowedOrigins::Any,
            web_dir: PathBuf::from(DEFAULT_WEB_DIR),
            meter: None,
        }
    }
}

/// How the demo sends errors, the one setting its whole stack is built
/// from: the default domain, the LocalizedMessage in the caller's locale
/// (ko-KR when it names none), and the status message in it too when the
/// caller asked for one.
pub fn error_settings() -> Settings {
    Settings::default().with_localized_status_message(true)
}

/// Serves a fresh, empty chat service on `listener` until `shutdown` completes.
///
/// # Errors
///
/// The transport's error when serving fails.
pub async fn serve(
    listener: TcpListener,
    config: ServerConfig,
    shutdown: impl Future<Output = ()>,
) -> Result<(), tonic::transport::Error> {
    let service = Arc::new(ChatServiceImpl::new(config.message_rate));
    let grpc = ChatServiceServer::from_arc(Arc::clone(&service))
        .max_decoding_message_size(MAX_REQUEST_BYTES);
    // The REST routes share the handlers, and so the state, with gRPC.
    serve_service_with_rest(listener, &config, grpc, rest::router(service), shutdown).await
}

/// Serves `service` (a generated tonic server) as [`serve`] serves the chat
/// service: behind the same layers, beside the web page.
///
/// # Errors
///
/// The transport's error when serving fails.
pub async fn serve_service<S>(
    listener: TcpListener,
    config: &ServerConfig,
    service: S,
    shutdown: impl Future<Output = ()>,
) -> Result<(), tonic::transport::Error>
where
    S: Service<http::Request<Body>, Response = http::Response<Body>, Error = Infallible>
        + NamedService
        + Clone
        + Send
        + Sync
        + 'static,
    S::Future: Send + 'static,
{
    serve_service_with_rest(listener, config, service, axum::Router::new(), shutdown).await
}

/// [`serve_service`] with `rest`'s routes beside gRPC, outside the gRPC
/// layers (they answer in JSON, and the layers read gRPC trailers) and
/// behind the REST one: chat-errors' `json_layer`, from the same
/// [`error_settings`] as gRPC.
///
/// # Errors
///
/// The transport's error when serving fails.
pub async fn serve_service_with_rest<S>(
    listener: TcpListener,
    config: &ServerConfig,
    service: S,
    rest: axum::Router,
    shutdown: impl Future<Output = ()>,
) -> Result<(), tonic::transport::Error>
where
    S: Service<http::Request<Body>, Response = http::Response<Body>, Error = Infallible>
        + NamedService
        + Clone
        + Send
        + Sync
        + 'static,
    S::Future: Send + 'static,
{
    // The recommended stack, and the one place the demo assembles it.
    // Outermost first: the gRPC-Web translation wraps the service alone (it
    // answers every other HTTP/1.1 request with a bare 400, so the page must
    // not sit behind it); chat-errors' layer reads and rewrites
    // `grpc-status`, so it goes inside it, where the trailers are still
    // trailers, next to the service.
    let mut settings = error_settings();
    if let Some(meter) = &config.meter {
        settings = settings.with_meter(meter);
    }
    let grpc = ServiceBuilder::new()
        .layer(RefuseNonGrpcWebLayer)
        .layer(GrpcWebLayer::new())
        .layer(settings.layer())
        .service(service);
    let routes = Routes::default()
        .into_axum_router()
        .route_service(&format!("/{}/{{*method}}", S::NAME), grpc)
        .merge(rest.layer(settings.json_layer()));
    Server::builder()
        // Browsers reach a plain-HTTP server over HTTP/1.1.
        .accept_http1(true)
        .layer(web::cors(&config.allowed_origins))
        .add_routes(Routes::from(web::add_page(routes, &config.web_dir)))
        .serve_with_incoming_shutdown(TcpIncoming::from(listener), shutdown)
        .await
}

/// A server running on a background task, stopped by [`stop`](Self::stop).
pub struct RunningServer {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<(), tonic::transport::Error>>,
}

impl RunningServer {
    /// Binds `addr` (port 0 picks a free port) and serves on a new task.
    ///
    /// # Errors
    ///
    /// When `addr` cannot be bound.
    pub async fn start(addr: SocketAddr, config: ServerConfig) -> io::Result<RunningServer> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, config, async {
            // A dropped sender stops the server as surely as a sent ().
            let _ = stopped.await;
        }));
        Ok(RunningServer { addr, stop, task })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting calls, lets those in flight finish, and waits.
    ///
    /// # Errors
    ///
    /// The transport's error if serving had failed.
    ///
    /// # Panics
    ///
    /// When the serving task panicked.
    pub async fn stop(self) -> Result<(), tonic::transport::Error> {
        let _ = self.stop.send(());
        self.task.await.expect("the server task panicked")
    }
}
