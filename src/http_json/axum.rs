//! `IntoResponse` for chat errors (feature `axum`), so that an axum handler
//! returns `Result<_, ChatError>` and fails with an AIP-193 response.

use axum_core::body::Body;
use axum_core::response::{IntoResponse, Response};

use super::render::render_error;
use crate::{ChatError, ErrorCode};

/// The response of [`ChatError::to_http_response`].
///
/// ```
/// use axum_core::response::IntoResponse;
/// use chat_errors::{ChatError, ErrorCode};
///
/// fn get_channel(id: &str) -> Result<String, ChatError> {
///     Err(ChatError::new(ErrorCode::ChannelNotFound).with_message(format!("no channel {id}")))
/// }
///
/// let response = get_channel("lobby").into_response();
/// assert_eq!(response.status(), http::StatusCode::NOT_FOUND);
/// ```
impl IntoResponse for ChatError {
    fn into_response(self) -> Response {
        render_error(&self).into_response().map(Body::from)
    }
}

/// The response of `ChatError::new(code)`.
impl IntoResponse for ErrorCode {
    fn into_response(self) -> Response {
        ChatError::new(self).into_response()
    }
}
