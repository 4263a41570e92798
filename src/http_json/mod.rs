//! Chat errors over HTTP with JSON bodies (feature `http-json`).
//!
//! A REST route that fails with a [`ChatError`] answers with the HTTP
//! status of its gRPC code (the mapping of `google/rpc/code.proto`, see
//! [`ErrorCode::http_status`](crate::ErrorCode::http_status)) and AIP-193's
//! JSON form:
//!
//! ```json
//! {"error": {"code": 404, "message": "The channel does not exist.", "status": "NOT_FOUND",
//!   "details": [
//!     {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "CHANNEL_NOT_FOUND",
//!      "domain": "chat.errors.v1", "metadata": {"code": "2003", "message": "ChannelNotFound"}},
//!     {"@type": "type.googleapis.com/google.rpc.LocalizedMessage", "locale": "ko-KR",
//!      "message": "존재하지 않는 채널"}]}}
//! ```
//!
//! The details are those of the gRPC status, in the same order, written by
//! prost-reflect's proto3 JSON mapping: lowerCamelCase fields, a
//! `RetryInfo.retryDelay` such as `"3s"`. The headers are:
//!
//! | header | when |
//! |---|---|
//! | `content-type: application/json; charset=utf-8` | always |
//! | `retry-after`: whole seconds, rounded up | with `RetryInfo` |
//! | `content-language`: the `LocalizedMessage`'s locale | with a `LocalizedMessage` |
//! | `www-authenticate: Bearer` | `UNAUTHENTICATED` (401) |
//!
//! The object order of ErrorInfo's `metadata` is not fixed, as JSON objects
//! are unordered; everything else is written in a fixed order.
//!
//! ```
//! use chat_errors::ErrorCode;
//! use chat_errors::http_json::status_response;
//!
//! let response = status_response(&ErrorCode::ChannelNotFound.into());
//! assert_eq!(response.status(), http::StatusCode::NOT_FOUND);
//! assert_eq!(response.headers()["content-language"], "ko-KR");
//!
//! let body: serde_json::Value = serde_json::from_slice(response.body())?;
//! assert_eq!(body["error"]["status"], "NOT_FOUND");
//! assert_eq!(body["error"]["details"][0]["reason"], "CHANNEL_NOT_FOUND");
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! A [`JsonErrorLayer`] on the REST routes, made by
//! [`Settings::json_layer`](crate::Settings::json_layer), sends these errors
//! as the gRPC stack does: in the locale the caller's `accept-language`
//! asks for, with nothing internal in them.
//!
//! [`gateway_body`] writes the form grpc-gateway and Envoy's JSON
//! transcoder send instead (`{"code": <gRPC code>, "message", "details"}`),
//! and [`check_error`] and [`get_error`] read either form back into a
//! [`DecodedChatError`](crate::DecodedChatError).

#[cfg(feature = "axum")]
mod axum;
mod descriptors;
mod layer;
mod parse;
mod render;

use bytes::Bytes;
use tonic::Status;

use crate::ChatError;
use layer::RenderedFrom;

pub use layer::JsonErrorLayer;
pub use parse::{HttpJsonDecodeError, check_error, get_error};

/// `status` as an HTTP response: its HTTP status, AIP-193's JSON body and
/// the headers above. A status that is not a chat error renders too, with
/// whichever of its details the JSON mapping knows.
///
/// Behind a [`JsonErrorLayer`], the response is sent masked and in the
/// caller's locale.
pub fn status_response(status: &Status) -> http::Response<Bytes> {
    let mut response = render::render(status).into_response();
    response
        .extensions_mut()
        .insert(RenderedFrom::Status(status.clone()));
    response
}

/// `status` in the gateway form that grpc-gateway and Envoy's
/// `grpc_json_transcoder` send: the proto3 JSON of `google.rpc.Status`,
/// `{"code": <gRPC code>, "message", "details": [...]}`.
pub fn gateway_body(status: &Status) -> Bytes {
    render::gateway_body(status)
}

impl ChatError {
    /// The response of `IntoResponse`, which keeps the error itself for the
    /// layer to render again.
    #[cfg(feature = "axum")]
    pub(crate) fn into_http_response(self) -> http::Response<Bytes> {
        let mut response = render::render(&self.to_status()).into_response();
        response.extensions_mut().insert(RenderedFrom::Error(self));
        response
    }
}
