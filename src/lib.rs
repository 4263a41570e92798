//! Carry a chat platform's numbered error catalogue over gRPC.
//!
//! The platform has 57 numbered error codes, such as `2003 ChannelNotFound`
//! and `2027 MutedInChannel`. This crate lets a [tonic] service raise any of
//! them as a [`tonic::Status`] with the right gRPC code and a standard
//! `google.rpc.ErrorInfo`, and lets a client, in Rust or any language with a
//! gRPC library, read the exact code back.
//!
//! The catalogue is declared once, in `proto/chat/errors/v1/chat_errors.proto`:
//! every `ErrorCode` value carries its gRPC code, whether it is retryable,
//! its original name and its description in each of the catalogue's
//! [`Locale`]s as options. The build script reads those options and
//! generates [`ErrorCode`], [`Locale`] and their lookup tables; a value with
//! a missing or wrong option, or without a declared locale's description,
//! fails the build.
//!
//! # The wire contract
//!
//! For every code `C`, a status carries:
//!
//! | trailer | value |
//! |---|---|
//! | `grpc-status` | `C`'s gRPC code ([`ErrorCode::grpc_code`]) |
//! | `grpc-message` | `C`'s English description, or the custom message; identical to the message inside the details. A [`Localizer`] may send the caller's locale instead, when told to |
//! | `grpc-status-details-bin` | a `google.rpc.Status{code, message, details}` |
//!
//! and the details are, in this order, each type at most once:
//!
//! 1. `google.rpc.ErrorInfo{reason, domain, metadata}`: the AIP-193 reason
//!    ([`ErrorCode::reason`], e.g. `CHANNEL_NOT_FOUND`), the domain
//!    ([`DEFAULT_DOMAIN`] unless the service picks its own [`Domain`]), and
//!    metadata `"code": "2003"` and `"message": "ChannelNotFound"` plus any
//!    extra keys the server added;
//! 2. `google.rpc.LocalizedMessage{locale, message}`, exactly one: the
//!    description in the caller's locale as a [`layer::LocaleLayer`]
//!    negotiates it from `accept-language`, or else in the service's default
//!    locale, `ko-KR` (the Korean description, byte for byte as in the
//!    platform's document) unless the service picks another;
//! 3. then, when given: `google.rpc.RetryInfo`, `google.rpc.BadRequest`,
//!    `google.rpc.ResourceInfo`, `google.rpc.RequestInfo`.
//!
//! A client finds the ErrorInfo of the domain it expects and takes the code
//! from metadata `code`, falling back to the reason.
//!
//! # Server: raising errors
//!
//! A handler returns an [`ErrorCode`] or a [`ChatError`] as its `Status`:
//!
//! ```
//! use std::time::Duration;
//! use chat_errors::{ChatError, ErrorCode};
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
//!         // The bare code: the cheapest path, sent with shared, pre-encoded details.
//!         return Err(ErrorCode::ChannelNotFound.into());
//!     }
//!     if message.text.len() > 4 {
//!         return Err(ChatError::new(ErrorCode::MsgSizeLimitExceeded)
//!             .with_message(format!("{} bytes is over the 4-byte limit", message.text.len()))
//!             .with_metadata("limitBytes", "4")
//!             .map_err(|bad_key| Status::internal(bad_key.to_string()))?
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
//! A cause kept with [`ChatError::with_source`] reaches the server's logs
//! through [`std::error::Error::source`], never the client.
//!
//! # Client: reading errors back
//!
//! [`ChatStatusExt`] reads a chat error out of any `Status`. As in
//! `tonic-types`, `check_*` is strict and `get_*` is lenient:
//!
//! ```
//! use chat_errors::{ChatStatusExt, ErrorCode};
//! use tonic::Status;
//!
//! fn explain(status: &Status) -> String {
//!     match status.get_chat_error() {
//!         Some(err) if err.is(ErrorCode::MutedInChannel) => "you are muted here".to_owned(),
//!         Some(err) => match err.retry_delay() {
//!             Some(delay) => format!("{err}; retry in {delay:?}"),
//!             None => err.to_string(),
//!         },
//!         // Not a chat error: some other layer failed.
//!         None => format!("transport or proxy error: {}", status.message()),
//!     }
//! }
//!
//! assert_eq!(explain(&ErrorCode::MutedInChannel.into()), "you are muted here");
//! assert_eq!(
//!     explain(&ErrorCode::UserNotFound.into()),
//!     "3003 UserNotFound: The user does not exist."
//! );
//! assert_eq!(
//!     explain(&Status::unavailable("connection reset")),
//!     "transport or proxy error: connection reset"
//! );
//!
//! // Strict decoding reports broken details as a typed error.
//! let garbage = Status::with_details(tonic::Code::Internal, "x", vec![0xff, 0xff].into());
//! assert!(garbage.check_chat_error().is_err());
//! ```
//!
//! Strict decoding checks the whole contract: the details parse as prost
//! parses them, no detail the crate reads is repeated, `google.rpc.Status`
//! repeats `grpc-status` and `grpc-message`, metadata `code` is canonical
//! decimal and names the same code as the reason, and a code this build
//! knows arrives with its own gRPC code and original name. Each breach is
//! its own [`DecodeError`] variant. Lenient decoding checks none of the
//! agreements and skips what it cannot read. [`ChatStatusExt`] lists both
//! exactly.
//!
//! A client that owns the status and wants it back when it is not a chat
//! error uses [`Domain::decode`] (or `DecodedChatError::try_from`), whose
//! [`NotChatError`] hands the original `Status` back.
//!
//! A code this build does not know, sent by a newer server, is kept:
//! [`DecodedChatError::code`] is `None` while [`DecodedChatError::number`]
//! and [`DecodedChatError::reason`] hold what was sent.
//!
//! # Locales
//!
//! [`layer::LocaleLayer`], on a server, negotiates each caller's [`Locale`]
//! from `accept-language` (RFC 9110 weights, RFC 4647 lookup falling back by
//! language: `ko` finds `ko-KR`, `en-GB` finds `en-US`), hands it to
//! handlers as a [`NegotiatedLocale`] in the request's extensions, and sends
//! every error's LocalizedMessage in it, whoever built the error. While it
//! polls a call, that locale is the call's, so the errors a handler builds
//! are in it from the start and the layer has nothing to rebuild. Its
//! settings are a [`Localizer`], which other front ends can use directly.
//! A caller that sends no `accept-language` gets the default locale's bytes,
//! exactly what a status carries without the layer.
//!
//! # Limits, hostile peers and internal errors
//!
//! - A status never grows past [`MAX_TRAILER_BYTES`] as sent: optional
//!   parts give way in a documented order and ErrorInfo metadata
//!   [`truncated`](METADATA_TRUNCATED_KEY) says what went. Custom messages
//!   lose control characters, line separators and bidi controls, and are
//!   cut to [`MAX_MESSAGE_BYTES`].
//! - [`layer::TrailerShieldLayer`] keeps a malformed
//!   `grpc-status-details-bin` from panicking a tonic client;
//!   [`status_from_headers`] reads a header map without that panic.
//! - [`layer::InternalErrorLayer`] turns a handler panic, or an error that
//!   is not a chat error, into `1003 InternalServerError` with a request
//!   id, and logs the cause instead of sending it.
//!
//! # Clients in other languages
//!
//! Python (`grpcio-status`), Go (`status.FromError(err).Details()`) and Node
//! (`@grpc/grpc-js` with `google-rpc` protos) read the same
//! `grpc-status-details-bin`: unpack the `google.rpc.ErrorInfo` whose domain
//! is [`DEFAULT_DOMAIN`] and read metadata `code`. The proto is the contract
//! to generate their enums from.
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
pub mod pb;
mod wire;

pub use code::{ErrorCode, UnknownErrorCode};
pub use decode::{ChatStatusExt, DecodeError, DecodedChatError, MalformedProtobuf, NotChatError};
pub use domain::{DEFAULT_DOMAIN, Domain, InvalidDomain};
pub use encode::{
    ChatError, MAX_MESSAGE_BYTES, MAX_METADATA_KEY_LEN, MAX_TRAILER_BYTES, MetadataError,
};
pub use grpc_code::grpc_code_name;
pub use headers::{StatusHeaderError, status_from_headers};
pub use http_status::http_status_for;
pub use locale::{
    ACCEPT_LANGUAGE, Locale, Localizer, MAX_ACCEPT_LANGUAGE_BYTES, MAX_LANGUAGE_RANGES,
    NegotiatedLocale, UnknownLocale,
};
/// The `google.rpc` detail messages a chat error can carry, as prost types.
pub use tonic_types::pb::{
    LocalizedMessage, RequestInfo, ResourceInfo, bad_request::FieldViolation,
};
pub use wire::{KOREAN_LOCALE, METADATA_CODE_KEY, METADATA_NAME_KEY, METADATA_TRUNCATED_KEY};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
