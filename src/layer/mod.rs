//! Tower layers for the two ends of a call.
//!
//! - [`TrailerShieldLayer`] goes on a client's `Channel`. tonic 0.14 panics
//!   on a `grpc-status-details-bin` that is not base64; the shield drops
//!   such a value before tonic reads it, so the caller gets an ordinary
//!   `Status` that says what was dropped. [`sanitize_status_headers`] is the
//!   same check for code that handles header maps itself.
//! - [`InternalErrorLayer`] goes on a tonic `Server`. It answers a handler
//!   panic, or an error status that carries no chat error, with
//!   `1003 InternalServerError` and a request id, and logs the cause through
//!   `tracing` instead of sending it.
//! - [`LocaleLayer`] goes on a tonic `Server`, outside `InternalErrorLayer`.
//!   It negotiates each caller's locale from `accept-language`, hands it to
//!   handlers in the request's extensions, and sends every error's
//!   `LocalizedMessage` in it.
//!
//! ```no_run
//! # async fn connect() -> Result<(), Box<dyn std::error::Error>> {
//! use chat_errors::Localizer;
//! use chat_errors::layer::{InternalErrorLayer, LocaleLayer, TrailerShieldLayer};
//! use tower_layer::Layer;
//!
//! // Client: wrap the channel, then build any generated client on it.
//! let channel = tonic::transport::Channel::from_static("http://127.0.0.1:50051").connect().await?;
//! let shielded = TrailerShieldLayer.layer(channel);
//! let _grpc = tonic::client::Grpc::new(shielded);
//!
//! // Server: the first layer added is the outermost.
//! let _server = tonic::transport::Server::builder()
//!     .layer(LocaleLayer::new(Localizer::new()))
//!     .layer(InternalErrorLayer::new());
//! # Ok(())
//! # }
//! ```

mod internal;
mod locale;
mod request_id;
mod shield;
mod status_headers;

#[cfg(feature = "http-json")]
pub(crate) use internal::Masking;
pub use internal::{GuardedBody, GuardedFuture, InternalErrorLayer, InternalErrorService};
pub use locale::{LocaleLayer, LocaleService, LocalizedBody, LocalizedFuture};
pub use shield::{
    DETAILS_DROPPED_KEY, DETAILS_DROPPED_MARKER, ShieldBody, ShieldFuture, TrailerShield,
    TrailerShieldLayer, dropped_details, sanitize_status_headers,
};
