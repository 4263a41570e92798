//! Carry a chat platform's numbered error catalogue over gRPC.
//!
//! The platform has 57 numbered error codes, such as `2003 ChannelNotFound`
//! and `2027 MutedInChannel`. This crate lets a [tonic] service raise any of
//! them as a [`tonic::Status`] with the right gRPC code, a standard
//! `google.rpc.ErrorInfo` and a `LocalizedMessage` in the caller's locale,
//! and lets a client read the exact code back.
//!
//! The catalogue is declared once, in `proto/chat/errors/v1/chat_errors.proto`:
//! every `ErrorCode` value carries its gRPC code, whether it is retryable,
//! its original name and its description in each of the catalogue's
//! [`Locale`]s as options. The build script reads those options and
//! generates [`ErrorCode`] and [`Locale`]; a value with a missing or wrong
//! option fails the build.
//!
//! # The wire contract
//!
//! For every code `C`, a status carries:
//!
//! | trailer | value |
//! |---|---|
//! | `grpc-status` | `C`'s gRPC code ([`ErrorCode::grpc_code`]) |
//! | `grpc-message` | `C`'s English description, or the custom message |
//! | `grpc-status-details-bin` | a `google.rpc.Status{code, message, details}` repeating both |
//!
//! and the details are, in this order, each type at most once:
//!
//! 1. `google.rpc.ErrorInfo{reason, domain, metadata}`: the AIP-193 reason
//!    ([`ErrorCode::reason`], e.g. `CHANNEL_NOT_FOUND`), the service's
//!    [`Domain`] ([`DEFAULT_DOMAIN`] unless it picks its own), and metadata
//!    `code` (`"2003"`) and `message` (the original name,
//!    `"ChannelNotFound"`) plus any extra keys the server added;
//! 2. `google.rpc.LocalizedMessage{locale, message}`, exactly one: the
//!    description in the caller's locale, negotiated from `accept-language`,
//!    or else in the service's default locale, `ko-KR` (byte for byte as in
//!    the platform's document) unless it picks another;
//! 3. then, when given: `google.rpc.RetryInfo`, `google.rpc.BadRequest`,
//!    `google.rpc.ResourceInfo`, `google.rpc.RequestInfo`.
//!
//! A status never grows past [`MAX_TRAILER_BYTES`] as sent: optional parts
//! give way in a documented order, and ErrorInfo metadata `truncated` says
//! what went. Every text is cleaned of control and bidi characters and cut
//! to [`MAX_MESSAGE_BYTES`]. A client finds the ErrorInfo of the domain it
//! expects and takes the code from metadata `code`, or else from the reason.
//!
//! # Server
//!
//! One [`Settings`] value holds the service's domain and locales; its
//! [`layer`](Settings::layer) is the whole server stack. Handlers return an
//! [`ErrorCode`] or a [`ChatError`] as their `Status`:
//!
//! ```
//! use std::time::Duration;
//! use chat_errors::{ChatError, ErrorCode, MetadataKey};
//! use tonic::{Request, Response, Status};
//!
//! struct SendMessage { channel_id: String, text: String }
//! struct Sent;
//!
//! fn send_message(request: Request<SendMessage>) -> Result<Response<Sent>, Status> {
//!     let message = request.into_inner();
//!     if message.channel_id.is_empty() {
//!         return Err(ChatError::new(ErrorCode::InvalidParams)
//!             .with_field_violation("channel_id", "is required")
//!             .into());
//!     }
//!     if message.channel_id != "general" {
//!         return Err(ErrorCode::ChannelNotFound.into());
//!     }
//!     if message.text.len() > 4 {
//!         return Err(ChatError::new(ErrorCode::MsgSizeLimitExceeded)
//!             .with_message(format!("{} bytes is over the 4-byte limit", message.text.len()))
//!             .with_metadata(MetadataKey::from_static("limitBytes"), "4")
//!             .into());
//!     }
//!     Ok(Response::new(Sent))
//! }
//!
//! let status = send_message(Request::new(SendMessage {
//!     channel_id: "random".into(),
//!     text: "hi".into(),
//! }))
//! .err()
//! .unwrap();
//! assert_eq!(status.code(), tonic::Code::NotFound);
//! assert_eq!(status.message(), "The channel does not exist.");
//!
//! // Rate limiting tells the client when to come back.
//! let limited: Status = ChatError::new(ErrorCode::TooManyRequests)
//!     .with_retry_delay(Duration::from_secs(2))
//!     .into();
//! assert_eq!(limited.code(), tonic::Code::ResourceExhausted);
//! ```
//!
//! # Client
//!
//! [`ChatStatusExt`] reads a chat error out of any `Status`, strictly
//! (`check_chat_error`) or leniently (`get_chat_error`), and
//! [`layer::TrailerShield`] keeps a malformed `grpc-status-details-bin`
//! from panicking a tonic client:
//!
//! ```
//! use chat_errors::{ChatStatusExt, Domain, ErrorCode};
//! use tonic::Status;
//!
//! fn explain(status: &Status) -> String {
//!     match status.get_chat_error(&Domain::default()) {
//!         Some(err) if err.code() == Some(ErrorCode::MutedInChannel) => "you are muted here".to_owned(),
//!         Some(err) => match err.retry_delay() {
//!             Some(delay) => format!("{err}; retry in {delay:?}"),
//!             None => err.to_string(),
//!         },
//!         None => format!("transport or proxy error: {}", status.message()),
//!     }
//! }
//!
//! assert_eq!(explain(&ErrorCode::MutedInChannel.into()), "you are muted here");
//! assert_eq!(
//!     explain(&ErrorCode::UserNotFound.into()),
//!     "3003 UserNotFound: The user does not exist."
//! );
//! ```
//!
//! With the opt-in feature `retry`, the `retry` module's `RetryLayer` goes
//! around the channel and retries a call only when the catalogue marks its
//! code retryable, the method allows it and the server agrees.
//!
//! A code this build does not know, sent by a newer server, is kept:
//! [`DecodedChatError::code`] is `None` while [`DecodedChatError::number`]
//! and [`DecodedChatError::reason`] hold what was sent.
//!
//! [tonic]: https://docs.rs/tonic

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod code;
pub mod codec;
mod decode;
mod domain;
mod encode;
mod grpc_code;
mod headers;
#[cfg(feature = "http-json")]
pub mod http_json;
mod http_status;
pub mod layer;
mod locale;
#[cfg(feature = "opentelemetry")]
pub mod metrics;
mod pb;
#[cfg(feature = "retry")]
pub mod retry;
mod settings;
mod wire;

pub use code::{ErrorCode, UnknownErrorCode};
pub use decode::{ChatStatusExt, DecodeError, DecodedChatError, MalformedProtobuf};
pub use domain::{DEFAULT_DOMAIN, Domain, InvalidDomain};
pub use encode::{
    ChatError, InvalidMetadataKey, MAX_MESSAGE_BYTES, MAX_TRAILER_BYTES, MetadataKey,
};
pub use grpc_code::grpc_code_name;
pub use headers::{StatusHeaderError, status_from_headers};
pub use locale::Locale;
pub use settings::Settings;
/// The `google.rpc` detail messages a chat error can carry, as prost types,
/// so that a service needs no `tonic-types` dependency of its own.
pub use tonic_types::pb::{
    LocalizedMessage, RequestInfo, ResourceInfo, bad_request::FieldViolation,
};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
