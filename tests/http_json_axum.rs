//! An axum handler returns `Result<_, ChatError>` and its caller gets the
//! AIP-193 response.

use axum::Router;
use axum::extract::Path;
use axum::routing::get;
use chat_errors::http_json::check_error;
use chat_errors::{ChatError, Domain, ErrorCode};
use http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn get_channel(Path(id): Path<String>) -> Result<String, ChatError> {
    match id.as_str() {
        "lobby" => Ok("lobby".to_owned()),
        "secret" => Err(ErrorCode::ChannelNotFound.into()),
        _ => Err(ChatError::new(ErrorCode::ParamsBindingError)
            .with_field_violation("channel_id", "must be a known channel")),
    }
}

async fn call(uri: &str) -> (StatusCode, http::HeaderMap, Vec<u8>) {
    let app = Router::new().route("/channels/{id}", get(get_channel));
    let response = app
        .oneshot(Request::get(uri).body(axum::body::Body::empty()).unwrap())
        .await
        .expect("axum routers are infallible");
    let (parts, body) = response.into_parts();
    let body = body.collect().await.expect("a full body").to_bytes();
    (parts.status, parts.headers, body.to_vec())
}

#[tokio::test]
async fn a_handler_error_is_an_aip193_response() {
    let (status, headers, body) = call("/channels/lobby").await;
    assert_eq!((status, body.as_slice()), (StatusCode::OK, &b"lobby"[..]));
    assert!(headers.get("content-language").is_none());

    let (status, headers, body) = call("/channels/secret").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(headers["content-type"], "application/json; charset=utf-8");
    let decoded = check_error(status, &body, &Domain::default())
        .unwrap()
        .unwrap();
    assert!(decoded.is(ErrorCode::ChannelNotFound));

    let (status, _, body) = call("/channels/Bad%20Id").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let decoded = check_error(status, &body, &Domain::default())
        .unwrap()
        .unwrap();
    assert!(decoded.is(ErrorCode::ParamsBindingError));
    assert_eq!(decoded.field_violations()[0].field, "channel_id");
}
