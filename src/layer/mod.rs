//! The tower layers for the two ends of a call.
//!
//! - [`ServerLayer`], made by [`Settings::layer`](crate::Settings::layer),
//!   goes on a tonic `Server`: the whole server stack, locale and masking.
//! - [`TrailerShield`] goes around a client's `Channel`: tonic 0.14 panics
//!   on a `grpc-status-details-bin` that is not base64, and the shield drops
//!   such a value before tonic reads it.
//!
//! ```no_run
//! # async fn connect() -> Result<(), Box<dyn std::error::Error>> {
//! use chat_errors::Settings;
//! use chat_errors::layer::TrailerShield;
//!
//! // Server.
//! let _server = tonic::transport::Server::builder().layer(Settings::default().layer());
//!
//! // Client: wrap the channel, then build any generated client on it.
//! let channel = tonic::transport::Channel::from_static("http://127.0.0.1:50051").connect().await?;
//! let _grpc = tonic::client::Grpc::new(TrailerShield::new(channel));
//! # Ok(())
//! # }
//! ```

mod internal;
mod locale;
mod request_id;
mod server;
mod shield;
mod status_headers;

#[cfg(feature = "http-json")]
pub(crate) use internal::{InternalErrorLayer, Masking};
pub use server::ServerLayer;
#[cfg(feature = "opentelemetry")]
pub(crate) use shield::{ShieldBody, ShieldFuture};
pub use shield::{TrailerShield, dropped_details};
#[cfg(feature = "opentelemetry")]
pub(crate) use status_headers::status_code;
