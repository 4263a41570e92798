//! `IntoResponse` for chat errors (feature `axum`), so that an axum handler
//! returns `Result<_, ChatError>` and fails with an AIP-193 response, and
//! the caller's locale as an extractor.

use std::convert::Infallible;

use axum_core::body::Body;
use axum_core::extract::FromRequestParts;
use axum_core::response::{IntoResponse, Response};
use http::request::Parts;

use crate::locale::negotiate_headers;
use crate::{ChatError, ErrorCode, Locale};

/// The response of [`status_response`](super::status_response) for the error.
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
///
/// Behind a [`JsonErrorLayer`](super::JsonErrorLayer), the caller gets it
/// in its locale.
impl IntoResponse for ChatError {
    fn into_response(self) -> Response {
        self.into_http_response().map(Body::from)
    }
}

/// The response of `ChatError::new(code)`.
impl IntoResponse for ErrorCode {
    fn into_response(self) -> Response {
        ChatError::new(self).into_response()
    }
}

/// The caller's locale, as the [`JsonErrorLayer`](super::JsonErrorLayer)
/// in front of the route negotiated it; without that layer, as the default
/// [`Settings`](crate::Settings) negotiate it from the request's
/// `accept-language`.
///
/// ```
/// use axum::{Router, routing::get};
/// use chat_errors::{ErrorCode, Locale, Settings};
/// use http_body_util::BodyExt;
/// use tower::ServiceExt;
///
/// async fn help(locale: Locale) -> &'static str {
///     ErrorCode::LoginRequired.description(locale)
/// }
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let app = Router::new()
///     .route("/help", get(help))
///     .layer(Settings::default().with_default_locale(Locale::EN_US).json_layer());
/// let request = http::Request::get("/help").body(axum::body::Body::empty()).unwrap();
/// let body = app.oneshot(request).await.unwrap().into_body().collect().await.unwrap();
/// assert_eq!(body.to_bytes(), "Login required.");
/// # });
/// ```
impl<S: Send + Sync> FromRequestParts<S> for Locale {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Infallible> {
        Ok(match parts.extensions.get::<Locale>() {
            Some(locale) => *locale,
            None => negotiate_headers(&parts.headers, Locale::default()).locale,
        })
    }
}
