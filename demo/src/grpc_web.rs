//! The requests tonic-web refuses with a bare HTTP status, answered with a
//! catalogue error instead, so that every caller of the chat service's
//! paths gets one.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use chat_errors::{ChatError, ErrorCode};
use http::header::CONTENT_TYPE;
use http::{HeaderValue, Method, Request, Response, Version};
use tonic::body::Body;
use tower::{Layer, Service};

use crate::errors::with_metadata;

/// What a gRPC-Web client names its requests, as tonic-web recognises them.
const GRPC_WEB_CONTENT_TYPES: [&str; 4] = [
    "application/grpc-web",
    "application/grpc-web+proto",
    "application/grpc-web-text",
    "application/grpc-web-text+proto",
];

/// Answers, before tonic-web sees them, the requests it would refuse with
/// a bare 400 (HTTP/1.1 that is not gRPC-Web) or 405 (gRPC-Web that is not
/// a POST): with INVALID_META_DATA and a metadata entry naming the fault.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct RefuseNonGrpcWebLayer;

impl<S> Layer<S> for RefuseNonGrpcWebLayer {
    type Service = RefuseNonGrpcWeb<S>;

    fn layer(&self, inner: S) -> RefuseNonGrpcWeb<S> {
        RefuseNonGrpcWeb { inner }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct RefuseNonGrpcWeb<S> {
    inner: S,
}

impl<S, B> Service<Request<B>> for RefuseNonGrpcWeb<S>
where
    S: Service<Request<B>, Response = Response<Body>>,
    S::Future: Send + 'static,
{
    type Response = Response<Body>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response<Body>, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        match refusal(&request) {
            None => Box::pin(self.inner.call(request)),
            Some(error) => {
                let response = trailers_only(error, request.version());
                Box::pin(async { Ok(response) })
            }
        }
    }
}

fn refusal<B>(request: &Request<B>) -> Option<ChatError> {
    let content_type = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let media_type = content_type.split(';').next().unwrap_or_default().trim();
    let grpc_web = GRPC_WEB_CONTENT_TYPES
        .iter()
        .any(|known| media_type.eq_ignore_ascii_case(known));
    let malformed = ChatError::new(ErrorCode::InvalidMetaData);
    if grpc_web && request.method() != Method::POST {
        return Some(with_metadata(malformed, "method", request.method()));
    }
    if !grpc_web && request.version() < Version::HTTP_2 {
        return Some(with_metadata(malformed, "header", CONTENT_TYPE));
    }
    None
}

/// The error as a trailers-only response, typed so that a gRPC-Web client
/// on HTTP/1.1 reads it.
fn trailers_only(error: ChatError, version: Version) -> Response<Body> {
    let mut response = error.into_status().into_http::<Body>();
    if version < Version::HTTP_2 {
        response.headers_mut().insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/grpc-web+proto"),
        );
    }
    response
}
