//! Serving `ChatService` on a TCP listener.

use std::future::Future;
use std::io;
use std::net::SocketAddr;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;

use crate::pb::chat_service_server::ChatServiceServer;
use crate::service::ChatServiceImpl;

pub use crate::rate_limit::RateLimit;
pub use crate::service::{MAX_CHANNEL_MEMBERS, MAX_FILE_BYTES, MAX_MESSAGE_BYTES};
pub use crate::store::{CHANNEL_RESOURCE, DEFAULT_MAX_MEMBERS, USER_RESOURCE};

/// The most bytes a request may have: room for a file just over
/// [`MAX_FILE_BYTES`] and the request's other fields, so that the handler,
/// not the codec, refuses it as FILE_SIZE_LIMIT_EXCEEDED.
pub const MAX_REQUEST_BYTES: usize = MAX_FILE_BYTES + 1024 * 1024;

/// How the server behaves; the default is what the demo runs with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ServerConfig {
    /// How fast each user may send messages.
    pub message_rate: RateLimit,
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
    let service = ChatServiceServer::new(ChatServiceImpl::new(config.message_rate))
        .max_decoding_message_size(MAX_REQUEST_BYTES);
    Server::builder()
        .add_service(service)
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
