//! The REST routes over loopback HTTP/1.1: every scenario of
//! `demo/rest_scenarios.json` fails with its catalogue error as the
//! fixture defines it, in AIP-193's JSON form, and every annotated route
//! answers an empty body, malformed JSON and a missing token with a
//! catalogue error body.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::net::SocketAddr;

use std::convert::Infallible;
use std::net::Ipv4Addr;
use std::task::{Context, Poll};

use axum::routing::get;
use chat_demo::rest::routes;
use chat_demo::server::{ServerConfig, serve_service_with_rest};
use chat_errors::http_json::{check_error, status_response};
use chat_errors::{DecodedChatError, Domain};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::net::TcpStream;
use tonic::Status;
use tonic::server::NamedService;

struct Reply {
    status: StatusCode,
    headers: hyper::HeaderMap,
    body: Bytes,
}

async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    authorization: Option<&str>,
    body: &str,
) -> Reply {
    send_with(addr, method, path, authorization, &[], body).await
}

async fn send_with(
    addr: SocketAddr,
    method: &str,
    path: &str,
    authorization: Option<&str>,
    headers: &[(&str, &str)],
    body: &str,
) -> Reply {
    let stream = TcpStream::connect(addr).await.expect("connect");
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .expect("an HTTP/1.1 handshake");
    let connection = tokio::spawn(connection);
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header("host", addr.to_string());
    if !body.is_empty() {
        request = request.header("content-type", "application/json");
    }
    if let Some(authorization) = authorization {
        request = request.header("authorization", authorization);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request
        .body(Full::new(Bytes::from(body.to_owned())))
        .expect("a valid request");
    let response = sender.send_request(request).await.expect("a response");
    let (parts, body) = response.into_parts();
    let body = body.collect().await.expect("the whole body").to_bytes();
    drop(sender);
    let _ = connection.await;
    Reply {
        status: parts.status,
        headers: parts.headers,
        body,
    }
}

/// The reply as a chat error, checked strictly against the fixture, in the
/// server's default locale.
fn chat_error(reply: &Reply, context: &str) -> DecodedChatError {
    chat_error_in(reply, context, "ko-KR")
}

/// The reply as a chat error in `locale`, checked strictly against the fixture.
fn chat_error_in(reply: &Reply, context: &str, locale: &str) -> DecodedChatError {
    let table = common::fixture();
    assert_eq!(
        reply.headers["content-type"], "application/json; charset=utf-8",
        "{context}"
    );
    let decoded = check_error(reply.status, &reply.body, &Domain::default())
        .unwrap_or_else(|error| panic!("{context}: {error}: {:?}", reply.body))
        .unwrap_or_else(|| panic!("{context}: not a chat error: {:?}", reply.body));
    let number = decoded.number().expect("a numeric code");
    let row = &table[&number];
    let json: Value = serde_json::from_slice(&reply.body).expect("JSON");
    assert_eq!(json["error"]["status"], row.grpc_code.as_str(), "{context}");
    assert_eq!(decoded.reason(), row.reason, "{context}");
    assert_eq!(decoded.name(), Some(row.name.as_str()), "{context}");
    assert_eq!(
        decoded
            .localized_message()
            .map(|m| (m.locale.as_str(), m.message.as_str())),
        Some((locale, description(row, locale))),
        "{context}"
    );
    assert_eq!(reply.headers["content-language"], locale, "{context}");
    assert!(
        reply
            .headers
            .get_all("vary")
            .iter()
            .any(|vary| vary == "accept-language"),
        "{context}: {:?}",
        reply.headers
    );
    assert_eq!(
        reply.headers.get("www-authenticate").is_some(),
        row.grpc_code == "UNAUTHENTICATED",
        "{context}"
    );
    decoded
}

fn description<'a>(row: &'a common::Expected, locale: &str) -> &'a str {
    match locale {
        "ko-KR" => &row.description_ko,
        "en-US" => &row.description_en,
        other => panic!("the fixture has no descriptions in {other}"),
    }
}

/// Signs `user_id` up and logs it in over REST: its session token.
async fn sign_up_and_log_in(addr: SocketAddr, user_id: &str) -> String {
    let body = format!(r#"{{"userId":"{user_id}"}}"#);
    let signed_up = send(addr, "POST", "/v1/users", None, &body).await;
    assert_eq!(
        signed_up.status,
        StatusCode::OK,
        "{user_id}: {:?}",
        signed_up.body
    );
    let login_token = serde_json::from_slice::<Value>(&signed_up.body).unwrap()["loginToken"]
        .as_str()
        .expect("a login token")
        .to_owned();
    let body = format!(r#"{{"userId":"{user_id}","loginToken":"{login_token}"}}"#);
    let logged_in = send(addr, "POST", "/v1/sessions", None, &body).await;
    assert_eq!(logged_in.status, StatusCode::OK, "{user_id}");
    serde_json::from_slice::<Value>(&logged_in.body).unwrap()["sessionToken"]
        .as_str()
        .expect("a session token")
        .to_owned()
}

struct Scenarios {
    users: Vec<String>,
    steps: Vec<Value>,
}

fn scenarios() -> Scenarios {
    let json: Value = serde_json::from_str(include_str!("../rest_scenarios.json")).expect("JSON");
    let users = json["users"]
        .as_array()
        .expect("users")
        .iter()
        .map(|user| user.as_str().expect("a name").to_owned())
        .collect();
    let steps = json["steps"].as_array().expect("steps").clone();
    Scenarios { users, steps }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_rest_scenario_fails_with_its_catalogue_error() {
    let (server, _) = common::start().await;
    let addr = server.addr();
    let run = "rest";
    let scenarios = scenarios();

    let mut tokens = HashMap::new();
    for user in &scenarios.users {
        let session = sign_up_and_log_in(addr, &format!("{user}-{run}")).await;
        tokens.insert(user.clone(), format!("Bearer {session}"));
    }

    let table = common::fixture();
    let mut reached = BTreeSet::new();
    for step in &scenarios.steps {
        let id = step["id"].as_str().expect("an id");
        let authorization = step["as"]
            .as_str()
            .map(|who| tokens.get(who).map_or(who, String::as_str));
        let path = step["path"].as_str().unwrap().replace("{run}", run);
        let body = step["body"].as_str().unwrap().replace("{run}", run);
        let method = step["method"].as_str().unwrap();
        let repeat = step["repeat"].as_u64().unwrap_or(1);
        let accept_language = step["acceptLanguage"].as_str();
        let locale = step["locale"].as_str().unwrap_or("ko-KR");
        let mut reply = None;
        for _ in 0..repeat {
            let headers: Vec<_> = accept_language
                .map(|value| ("accept-language", value))
                .into_iter()
                .collect();
            let sent = send_with(addr, method, &path, authorization, &headers, &body);
            reply = Some(sent.await);
        }
        let reply = reply.expect("at least one request");
        match step["expect"].as_i64() {
            None => assert_eq!(reply.status, StatusCode::OK, "{id}: {:?}", reply.body),
            Some(expected) => {
                let decoded = chat_error_in(&reply, id, locale);
                assert_eq!(decoded.number(), Some(expected as i32), "{id}");
                let row = &table[&(expected as i32)];
                // The demo sends the status message in the locale asked for.
                let message_locale = if accept_language.is_some() {
                    locale
                } else {
                    "en-US"
                };
                assert_eq!(decoded.message(), description(row, message_locale), "{id}");
                reached.insert(expected);
                if id == "too-many-messages" {
                    let delay = decoded.retry_delay().expect("RetryInfo");
                    let whole = delay.as_secs() + u64::from(delay.subsec_nanos() > 0);
                    assert_eq!(reply.headers["retry-after"], whole.to_string().as_str());
                }
            }
        }
    }
    assert!(
        reached.len() >= 15,
        "{} distinct codes: {reached:?}",
        reached.len()
    );
    server.stop().await.expect("a clean stop");
}

/// `/v1/channels/{channel_id}:join` with each variable filled in.
fn concrete(template: &str) -> String {
    let mut path = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let end = rest[start..].find('}').expect("a closed variable") + start;
        path.push_str(&rest[..start]);
        path.push('x');
        rest = &rest[end + 1..];
    }
    path + rest
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_bad_requests_with_a_catalogue_error() {
    let (server, _) = common::start().await;
    let addr = server.addr();
    let routes = routes();
    let rpcs: BTreeSet<&str> = routes.iter().map(|route| route.rpc.as_str()).collect();
    let expected = [
        "BanUser",
        "BlockUser",
        "CreateChannel",
        "GetChannel",
        "InviteMembers",
        "JoinChannel",
        "Login",
        "MuteUser",
        "SendMessage",
        "SignUp",
    ];
    assert_eq!(rpcs, expected.into_iter().collect());

    for route in &routes {
        let path = concrete(&route.template);
        let public = matches!(route.rpc.as_str(), "SignUp" | "Login");
        let context = format!("{} {path}", route.method);

        // No body and no token: the handler's own refusal.
        let reply = send(addr, &route.method, &path, None, "").await;
        let decoded = chat_error(&reply, &context);
        let expected = if public { 1002 } else { 1007 };
        assert_eq!(decoded.number(), Some(expected), "{context}: empty");

        if route.has_body {
            for malformed in [
                "{",
                "[]",
                "{\"no_such_field\": 1}",
                "\u{0}",
                "{\"channelId\": 5}",
            ] {
                let reply = send(addr, &route.method, &path, None, malformed).await;
                let decoded = chat_error(&reply, &context);
                assert_eq!(decoded.number(), Some(1001), "{context}: {malformed:?}");
                assert_eq!(reply.status, StatusCode::BAD_REQUEST);
                assert_eq!(decoded.field_violations()[0].field, "body", "{context}");
            }
            if !public {
                let reply = send(addr, &route.method, &path, None, "{}").await;
                assert_eq!(
                    chat_error(&reply, &context).number(),
                    Some(1007),
                    "{context}"
                );
            }
        }
    }

    // Not a route, and a route with the wrong method: JSON errors too.
    let reply = send(addr, "GET", "/v1/nowhere", None, "").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        serde_json::from_slice::<Value>(&reply.body).unwrap()["error"]["status"],
        "NOT_FOUND"
    );
    let reply = send(addr, "DELETE", "/v1/users", None, "").await;
    assert_eq!(reply.status, StatusCode::NOT_IMPLEMENTED);
    let huge = format!(
        "{{\"userId\":\"{}\"}}",
        "a".repeat(chat_demo::rest::MAX_REST_BODY_BYTES)
    );
    let reply = send(addr, "POST", "/v1/users", None, &huge).await;
    assert_eq!(chat_error(&reply, "oversized").number(), Some(1001));
    server.stop().await.expect("a clean stop");
}

/// A gRPC service the REST tests never call.
#[derive(Clone)]
struct NoGrpc;

impl NamedService for NoGrpc {
    const NAME: &'static str = "chat.demo.v1.ChatService";
}

impl tower::Service<hyper::Request<tonic::body::Body>> for NoGrpc {
    type Response = hyper::Response<tonic::body::Body>;
    type Error = Infallible;
    type Future = std::future::Ready<Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: hyper::Request<tonic::body::Body>) -> Self::Future {
        std::future::ready(Ok(Status::unimplemented("").into_http()))
    }
}

const SECRET: &str = "password=hunter2";

fn rendered(status: &Status) -> axum::response::Response {
    status_response(status).map(axum::body::Body::from)
}

/// REST handlers that fail as no handler should: each leaks [`SECRET`].
fn leaky_routes() -> axum::Router {
    axum::Router::new()
        .route(
            "/v1/internal",
            get(|| async { rendered(&Status::internal(format!("db: {SECRET}"))) }),
        )
        .route(
            "/v1/unknown",
            get(|| async { rendered(&Status::unknown(SECRET)) }),
        )
        .route(
            "/v1/not-found",
            get(|| async { rendered(&Status::not_found(format!("row of {SECRET}"))) }),
        )
        .route(
            "/v1/panic",
            get(|| async {
                if SECRET.is_empty() {
                    return "unreachable";
                }
                panic!("the handler fell over with {SECRET}")
            }),
        )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rest_handler_s_internal_failure_is_1003_in_the_caller_s_locale() {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let config = ServerConfig::default();
        serve_service_with_rest(listener, &config, NoGrpc, leaky_routes(), async {
            let _ = stopped.await;
        })
        .await
    });

    let table = common::fixture();
    let internal = &table[&1003];
    for path in ["/v1/internal", "/v1/unknown", "/v1/not-found", "/v1/panic"] {
        for (accept_language, locale) in [(None, "ko-KR"), (Some("en-US"), "en-US")] {
            let context = format!("{path} {accept_language:?}");
            let mut headers = vec![("x-request-id", "req-rest-7")];
            headers.extend(accept_language.map(|value| ("accept-language", value)));
            let reply = send_with(addr, "GET", path, None, &headers, "").await;
            assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR, "{context}");
            let decoded = chat_error_in(&reply, &context, locale);
            assert_eq!(decoded.number(), Some(1003), "{context}");
            let message_locale = if accept_language.is_some() {
                locale
            } else {
                "en-US"
            };
            assert_eq!(
                decoded.message(),
                description(internal, message_locale),
                "{context}"
            );
            let request_info = decoded.request_info().expect("a RequestInfo");
            assert_eq!(request_info.request_id, "req-rest-7", "{context}");
            let body = String::from_utf8_lossy(&reply.body);
            assert!(!body.contains("hunter2"), "{context}: {body}");
        }
    }
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_get_route_takes_the_fields_its_path_does_not_bind_from_the_query() {
    let (server, _) = common::start().await;
    let addr = server.addr();
    let owner = format!("Bearer {}", sign_up_and_log_in(addr, "quinn").await);
    let owner = Some(owner.as_str());
    let created = send(
        addr,
        "POST",
        "/v1/channels",
        owner,
        r#"{"channelId": "plaza", "channelType": "CHANNEL_TYPE_PUBLIC"}"#,
    )
    .await;
    assert_eq!(created.status, StatusCode::OK, "{:?}", created.body);

    let members_of = |reply: &Reply| {
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let json: Value = serde_json::from_slice(&reply.body).expect("JSON");
        assert_eq!(json["channel"]["channelId"], "plaza");
        json["channel"]["memberIds"].clone()
    };
    let get_plaza = |query: &str| {
        let path = format!("/v1/channels/plaza{query}");
        async move { send(addr, "GET", &path, owner, "").await }
    };
    let full = Value::from(vec!["quinn"]);
    for (query, members) in [
        ("", &full),
        ("?view=CHANNEL_VIEW_FULL", &full),
        ("?view=CHANNEL_VIEW_BASIC", &Value::Null),
        // The enum's number, a percent-encoded name and the proto name of
        // the path's field (which the path overrides) read the same.
        ("?view=1", &Value::Null),
        ("?%76iew=CHANNEL%5FVIEW%5FBASIC", &Value::Null),
        (
            "?channel_id=elsewhere&view=CHANNEL_VIEW_BASIC",
            &Value::Null,
        ),
    ] {
        let reply = get_plaza(query).await;
        assert_eq!(&members_of(&reply), members, "{query}");
    }

    for (query, parameter) in [
        ("?view=CHANNEL_VIEW_HUGE", "view"),
        ("?view=", "view"),
        ("?view=CHANNEL_VIEW_BASIC&view=CHANNEL_VIEW_FULL", "view"),
        ("?colour=blue", "colour"),
        ("?view.name=x", "view.name"),
        ("?view=%FF", "view"),
    ] {
        let reply = get_plaza(query).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}");
        let decoded = chat_error(&reply, query);
        assert_eq!(decoded.number(), Some(1001), "{query}");
        assert_eq!(decoded.field_violations()[0].field, parameter, "{query}");
    }

    // A route whose body carries every field reads no query.
    let reply = send(addr, "POST", "/v1/channels/plaza:join?view=1", owner, "{}").await;
    let decoded = chat_error(&reply, "a query on a body route");
    assert_eq!(decoded.number(), Some(1001));
    assert_eq!(decoded.field_violations()[0].field, "query");
    server.stop().await.expect("a clean stop");
}
