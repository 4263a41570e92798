//! `IntoResponse` for chat errors (feature `axum`), so that an axum handler
//! returns `Result<_, ChatError>` and fails with an AIP-193 response, and
//! the caller's locale as an extractor.

use std::convert::Infallible;

use axum_core::body::Body;
use axum_core::extract::FromRequestParts;
use axum_core::response::{IntoResponse, Response};
use http::request::Parts;

use crate::{ChatError, ErrorCode, Localizer, NegotiatedLocale};

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
/// in front of the route negotiated it; without that layer, as
/// [`Localizer::new`] negotiates it from the request's `accept-language`.
///
/// ```
/// use axum::{Router, routing::get};
/// use chat_errors::{ErrorCode, Locale, Localizer, NegotiatedLocale};
/// use chat_errors::http_json::JsonErrorLayer;
/// use http_body_util::BodyExt;
/// use tower::ServiceExt;
///
/// async fn help(locale: NegotiatedLocale) -> &'static str {
///     ErrorCode::LoginRequired.description(locale.locale())
/// }
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let app = Router::new()
///     .route("/help", get(help))
///     .layer(JsonErrorLayer::new(Localizer::new().with_default_locale(Locale::EN_US)));
/// let request = http::Request::get("/help").body(axum::body::Body::empty()).unwrap();
/// let body = app.oneshot(request).await.unwrap().into_body().collect().await.unwrap();
/// assert_eq!(body.to_bytes(), "Login required.");
/// # });
/// ```
impl<S: Send + Sync> FromRequestParts<S> for NegotiatedLocale {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Infallible> {
        Ok(match parts.extensions.get::<NegotiatedLocale>() {
            Some(negotiated) => *negotiated,
            None => Localizer::new().negotiate(&parts.headers),
        })
    }
}
