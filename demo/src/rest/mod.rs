//! The REST routes the proto's `google.api.http` options declare (AIP-127),
//! served beside gRPC on the same address by the same `ChatService`
//! handlers.
//!
//! Request and response bodies use the proto3 JSON mapping; path variables
//! fill their request fields over the body's, or, on a route without a
//! body, over the query string's. The request's headers become
//! the call's metadata, so `Authorization: Bearer <session token>` works as
//! on gRPC. Every failure, whether the handler's or a body that does not
//! parse, is an AIP-193 JSON error from chat-errors, which the server's
//! `JsonErrorLayer` masks and sends in the locale `accept-language` asks for.

mod bindings;
mod dispatch;
mod query;
mod template;

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use chat_errors::ChatError;
use chat_errors::http_json::status_response;

/// The content type of the JSON the routes answer with, as chat-errors' own
/// error bodies have it.
const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";
use prost_reflect::{DeserializeOptions, DynamicMessage, Value};
use tonic::Status;
use tonic::metadata::MetadataMap;

use crate::service::ChatServiceImpl;
use crate::validate::malformed;
use bindings::{Binding, Route, route};
use query::query_message;

/// The most bytes a REST request body may have; the routes carry ids,
/// names and messages of at most 5000 bytes.
pub const MAX_REST_BODY_BYTES: usize = 64 * 1024;

/// The prefix every REST route starts with.
const PREFIX: &str = "/v1/";

/// The REST routes over `service`.
pub(crate) fn router(service: Arc<ChatServiceImpl>) -> Router {
    Router::new()
        .route(&format!("{PREFIX}{{*path}}"), any(serve))
        .with_state(service)
}

async fn serve(State(service): State<Arc<ChatServiceImpl>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let (binding, fields) = match route(&parts.method, parts.uri.path()) {
        Route::Found(binding, fields) => (binding, fields),
        Route::BadSegment(bad) => {
            return malformed(&bad.field, "is not UTF-8 once percent-decoded").into_response();
        }
        Route::WrongMethod => {
            let message = format!("{} is not served for {}", parts.method, parts.uri.path());
            return routing_answer(&Status::unimplemented(message));
        }
        Route::Unrouted => {
            let message = format!("no REST route {}", parts.uri.path());
            return routing_answer(&Status::not_found(message));
        }
    };
    let body = match to_bytes(body, MAX_REST_BODY_BYTES).await {
        Ok(body) => body,
        Err(_) => {
            let limit = format!("must be at most {MAX_REST_BODY_BYTES} bytes");
            return malformed("body", limit).into_response();
        }
    };
    let request = match request_message(binding, &body, parts.uri.query(), fields) {
        Ok(request) => request,
        Err(error) => return error.into_response(),
    };
    let metadata = MetadataMap::from_headers(parts.headers);
    // The extensions carry the negotiated locale to the handler, as on gRPC.
    match dispatch::call(&service, &binding.rpc, request, metadata, parts.extensions).await {
        Ok(json) => {
            let mut response = Response::new(Body::from(json));
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static(JSON_CONTENT_TYPE));
            *response.status_mut() = StatusCode::OK;
            response
        }
        Err(status) => status_response(&status).map(Body::from),
    }
}

/// The router's own answer to a request no route takes, in AIP-193's form
/// but without the status it was rendered from: it names no handler's
/// error, so the `json_layer` (which masks a bare `NOT_FOUND` from a
/// handler, and finds that status in the extensions) sends it as it is.
fn routing_answer(status: &Status) -> Response {
    let mut response = status_response(status).map(Body::from);
    response.extensions_mut().clear();
    response
}

/// The request message: the body in the proto3 JSON mapping (an empty body
/// is the empty message, as grpc-gateway reads it) or, for a route without
/// a body, the query string, then the path's fields.
fn request_message(
    binding: &Binding,
    body: &[u8],
    query: Option<&str>,
    fields: Vec<(String, String)>,
) -> Result<DynamicMessage, ChatError> {
    let query = query.filter(|query| !query.is_empty());
    let mut message = if !binding.has_body {
        query_message(&binding.input(), query.unwrap_or_default())?
    } else if query.is_some() {
        // The body carries every field the path does not (`body: "*"`).
        return Err(malformed(
            "query",
            "is not read: this route takes its fields from the body",
        ));
    } else if !body.is_empty() {
        let mut json = serde_json::Deserializer::from_slice(body);
        DynamicMessage::deserialize_with_options(
            binding.input(),
            &mut json,
            &DeserializeOptions::new(),
        )
        .and_then(|message| json.end().map(|()| message))
        .map_err(|error| {
            malformed(
                "body",
                format!("is not a {}: {error}", binding.input().name()),
            )
        })?
    } else {
        DynamicMessage::new(binding.input())
    };
    for (field, value) in fields {
        message.set_field_by_name(&field, Value::String(value));
    }
    Ok(message)
}

/// One REST route the proto declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestRoute {
    /// The RPC it calls, e.g. `JoinChannel`.
    pub rpc: String,
    /// The HTTP method, e.g. `POST`.
    pub method: String,
    /// The path template, e.g. `/v1/channels/{channel_id}:join`.
    pub template: String,
    /// Whether the request message comes from a JSON body.
    pub has_body: bool,
}

/// Every REST route, in the proto's order.
pub fn routes() -> Vec<RestRoute> {
    bindings::bindings()
        .iter()
        .map(|binding| RestRoute {
            rpc: binding.rpc.name().to_owned(),
            method: binding.http_method.to_string(),
            template: binding.template_text.clone(),
            has_body: binding.has_body,
        })
        .collect()
}
