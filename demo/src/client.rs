//! Connecting to a `ChatService`, over gRPC or gRPC-Web, and acting as one
//! of its users.

use http::Uri;
use hyper_util::client::legacy::Client as HttpClient;
use hyper_util::rt::TokioExecutor;
use tonic::body::Body;
use tonic::transport::Endpoint;
use tonic::{Request, Status};
use tonic_web::GrpcWebClientLayer;
use tower::util::BoxCloneSyncService;
use tower::{BoxError, ServiceBuilder, ServiceExt};

use chat_errors::layer::TrailerShield;
use chat_errors::metrics::ClientMetrics;
use opentelemetry::metrics::Meter;

use crate::auth::AUTHORIZATION;
use crate::pb::chat_service_client::ChatServiceClient;
use crate::pb::{
    BanUserRequest, BlockUserRequest, ChannelType, CreateChannelRequest, LoginRequest,
    SignUpRequest,
};
use crate::server::MAX_REQUEST_BYTES;

/// How a client reaches the server: gRPC on HTTP/2, or gRPC-Web on HTTP/1.1.
pub type Transport = BoxCloneSyncService<http::Request<Body>, http::Response<Body>, TransportError>;

/// Why a call did not reach the server, or its answer did not come back.
#[derive(Debug)]
pub struct TransportError(BoxError);

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

fn transport_error(error: impl Into<BoxError>) -> TransportError {
    TransportError(error.into())
}

/// A `ChatService` client; clones share its connections. Both transports
/// are shielded, so that a peer's malformed status details end the call
/// with an ordinary `Status` instead of a panic.
pub type Client = ChatServiceClient<Transport>;

/// Connects to the server at `addr` (`HOST:PORT`) over one HTTP/2
/// connection, through a [`TrailerShield`].
///
/// # Errors
///
/// When `addr` is not a valid authority or nothing answers there.
pub async fn connect(addr: &str) -> Result<Client, tonic::transport::Error> {
    let channel = Endpoint::from_shared(format!("http://{addr}"))?
        .connect()
        .await?;
    let shielded = ServiceBuilder::new()
        .layer_fn(TrailerShield::new)
        .service(channel)
        .map_response(|response| response.map(Body::new))
        .map_err(transport_error);
    let transport = BoxCloneSyncService::new(shielded);
    Ok(ChatServiceClient::new(transport).max_encoding_message_size(MAX_REQUEST_BYTES))
}

/// [`connect`], recording every call's `rpc.client.call.duration` with
/// `meter` through chat-errors' `ClientMetrics`, which shields the channel
/// as [`TrailerShield`] does.
///
/// # Errors
///
/// When `addr` is not a valid authority or nothing answers there.
pub async fn connect_metered(addr: &str, meter: &Meter) -> Result<Client, tonic::transport::Error> {
    let channel = Endpoint::from_shared(format!("http://{addr}"))?
        .connect()
        .await?;
    let metered = ServiceBuilder::new()
        .layer(ClientMetrics::new(meter))
        .service(channel)
        .map_response(|response| response.map(Body::new))
        .map_err(transport_error);
    let transport = BoxCloneSyncService::new(metered);
    Ok(ChatServiceClient::new(transport).max_encoding_message_size(MAX_REQUEST_BYTES))
}

/// A client of the server at `addr` (`HOST:PORT`) that speaks gRPC-Web
/// over HTTP/1.1, as a browser does, through a [`TrailerShield`]; it
/// connects on the first call.
///
/// # Errors
///
/// When `addr` is not a valid authority.
pub fn connect_grpc_web(addr: &str) -> Result<Client, http::uri::InvalidUri> {
    let origin: Uri = format!("http://{addr}").parse()?;
    let http1 = HttpClient::builder(TokioExecutor::new()).build_http();
    // The shield reads the trailers after the translation has taken them
    // back out of the body.
    let grpc_web = ServiceBuilder::new()
        .layer_fn(TrailerShield::new)
        .layer(GrpcWebClientLayer::new())
        .service(http1)
        .map_response(|response| response.map(Body::new))
        .map_err(transport_error);
    let transport = BoxCloneSyncService::new(grpc_web);
    Ok(ChatServiceClient::with_origin(transport, origin)
        .max_encoding_message_size(MAX_REQUEST_BYTES))
}

/// A signed-up, logged-in user.
#[derive(Clone, Debug)]
pub struct Actor {
    /// The user id.
    pub id: String,
    /// The login token SignUp issued.
    pub login_token: String,
    /// The session token Login issued.
    pub session_token: String,
    client: Client,
}

impl Actor {
    /// Signs `user_id` up and logs in.
    ///
    /// # Errors
    ///
    /// The status of whichever call failed.
    pub async fn sign_up(client: &Client, user_id: String) -> Result<Actor, Status> {
        let mut client = client.clone();
        let login_token = client
            .sign_up(SignUpRequest {
                user_id: user_id.clone(),
                nickname: String::new(),
            })
            .await?
            .into_inner()
            .login_token;
        let session_token = client
            .login(LoginRequest {
                user_id: user_id.clone(),
                login_token: login_token.clone(),
            })
            .await?
            .into_inner()
            .session_token;
        Ok(Actor {
            id: user_id,
            login_token,
            session_token,
            client,
        })
    }

    /// `message` as a request from this user's session.
    pub fn auth<T>(&self, message: T) -> Request<T> {
        let mut request = Request::new(message);
        let bearer = format!("Bearer {}", self.session_token)
            .parse()
            .expect("session tokens are ASCII");
        request.metadata_mut().insert(AUTHORIZATION, bearer);
        request
    }

    /// The client to call with; pass it requests made by [`auth`](Self::auth).
    pub fn rpc(&self) -> Client {
        self.client.clone()
    }

    /// Creates a channel and returns its id.
    ///
    /// # Errors
    ///
    /// The status CreateChannel failed with.
    pub async fn create(&self, request: CreateChannelRequest) -> Result<String, Status> {
        let created = self.rpc().create_channel(self.auth(request)).await?;
        Ok(created
            .into_inner()
            .channel
            .map(|channel| channel.channel_id)
            .unwrap_or_default())
    }

    /// Bans `member` from the channel `channel_id`, which this user owns.
    ///
    /// # Errors
    ///
    /// The status BanUser failed with.
    pub async fn ban(&self, channel_id: &str, member: &Actor) -> Result<(), Status> {
        let request = BanUserRequest {
            channel_id: channel_id.to_owned(),
            user_id: member.id.clone(),
        };
        self.rpc().ban_user(self.auth(request)).await?;
        Ok(())
    }

    /// Blocks `other`.
    ///
    /// # Errors
    ///
    /// The status BlockUser failed with.
    pub async fn block(&self, other: &Actor) -> Result<(), Status> {
        let request = BlockUserRequest {
            user_id: other.id.clone(),
        };
        self.rpc().block_user(self.auth(request)).await?;
        Ok(())
    }
}

/// A CreateChannel request for `channel_id` of `channel_type`, with defaults
/// elsewhere.
pub fn new_channel(channel_id: String, channel_type: ChannelType) -> CreateChannelRequest {
    CreateChannelRequest {
        channel_id,
        channel_type: channel_type.into(),
        ..CreateChannelRequest::default()
    }
}
