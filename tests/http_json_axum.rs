//! An axum handler returns `Result<_, ChatError>` and its caller gets the
//! AIP-193 response; behind `Settings::json_layer()`, in the caller's
//! locale and with nothing internal in it.

mod common;

use axum::Router;
use axum::extract::Path;
use axum::routing::get;
use chat_errors::http_json::{check_error, status_response};
use chat_errors::{
    ChatError, ChatStatusExt, DecodedChatError, Domain, ErrorCode, Locale, Settings,
};
use http::{Request, StatusCode};
use http_body_util::BodyExt;
use tonic::Status;
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
    assert_eq!(decoded.code(), Some(ErrorCode::ChannelNotFound));

    let (status, _, body) = call("/channels/Bad%20Id").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let decoded = check_error(status, &body, &Domain::default())
        .unwrap()
        .unwrap();
    assert_eq!(decoded.code(), Some(ErrorCode::ParamsBindingError));
    assert_eq!(decoded.field_violations()[0].field, "channel_id");
}

async fn fail_with(Path(number): Path<i32>) -> Result<String, ChatError> {
    Err(ErrorCode::from_i32(number)
        .expect("a catalogue code")
        .into())
}

async fn fail_with_status(Path(kind): Path<String>) -> axum::response::Response {
    let status = match kind.as_str() {
        "internal" => Status::internal("db: password=hunter2"),
        "unknown" => Status::unknown("password=hunter2"),
        "chat" => ErrorCode::ChannelNotFound.into(),
        _ => panic!("a handler fell over with password=hunter2"),
    };
    status_response(&status).map(axum::body::Body::from)
}

async fn locale_of(locale: Locale) -> String {
    locale.to_string()
}

/// The locale of the LocalizedMessage of an error the handler builds.
async fn locale_built_in() -> String {
    let status = ChatError::new(ErrorCode::MutedInChannel).into_status();
    let decoded = status
        .get_chat_error(&Domain::default())
        .expect("a chat error");
    decoded
        .localized_message()
        .expect("a LocalizedMessage")
        .locale
        .clone()
}

fn app() -> Router {
    Router::new()
        .route("/codes/{number}", get(fail_with))
        .route("/built", get(locale_built_in))
        .route("/statuses/{kind}", get(fail_with_status))
        .route("/locale", get(locale_of))
        .layer(
            Settings::default()
                .with_localized_status_message(true)
                .json_layer(),
        )
}

struct Reply {
    status: StatusCode,
    headers: http::HeaderMap,
    body: Vec<u8>,
}

async fn call_app(app: Router, uri: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app
        .oneshot(request.body(axum::body::Body::empty()).unwrap())
        .await
        .expect("axum routers are infallible");
    let (parts, body) = response.into_parts();
    let body = body.collect().await.expect("a full body").to_bytes();
    Reply {
        status: parts.status,
        headers: parts.headers,
        body: body.to_vec(),
    }
}

fn decoded(reply: &Reply, context: &str) -> DecodedChatError {
    check_error(reply.status, &reply.body, &Domain::default())
        .unwrap_or_else(|error| panic!("{context}: {error}"))
        .unwrap_or_else(|| panic!("{context}: not a chat error"))
}

/// `(locale, text)` of the reply's one LocalizedMessage, and its Content-Language.
fn localized(reply: &Reply, context: &str) -> (String, String, String) {
    let decoded = decoded(reply, context);
    let message = decoded.localized_message().expect("a LocalizedMessage");
    let content_language = reply.headers["content-language"].to_str().unwrap();
    (
        message.locale.clone(),
        message.message.clone(),
        content_language.to_owned(),
    )
}

#[tokio::test]
async fn every_code_leaves_in_the_locale_the_caller_asked_for() {
    for row in common::fixture_rows() {
        let uri = format!("/codes/{}", row.code);
        let context = format!("{} {}", row.code, row.name);

        let reply = call_app(app(), &uri, &[]).await;
        assert_eq!(reply.status.as_u16(), row.http_status, "{context}");
        assert_eq!(
            localized(&reply, &context),
            ("ko-KR".into(), row.description_ko.clone(), "ko-KR".into()),
            "{context}: no accept-language"
        );
        assert_eq!(
            decoded(&reply, &context).message(),
            row.description_en,
            "{context}"
        );
        assert_eq!(reply.headers["vary"], "accept-language", "{context}");

        let asked = [("accept-language", "en-GB,en;q=0.9,ko;q=0.5")];
        let reply = call_app(app(), &uri, &asked).await;
        assert_eq!(reply.status.as_u16(), row.http_status, "{context}");
        assert_eq!(
            localized(&reply, &context),
            ("en-US".into(), row.description_en.clone(), "en-US".into()),
            "{context}: en-GB"
        );
        assert_eq!(
            reply.headers.get("www-authenticate").is_some(),
            row.grpc_code_name == "UNAUTHENTICATED",
            "{context}"
        );

        let asked = [("accept-language", "ko-KR,ko;q=0.9,en;q=0.8")];
        let reply = call_app(app(), &uri, &asked).await;
        assert_eq!(
            localized(&reply, &context),
            ("ko-KR".into(), row.description_ko.clone(), "ko-KR".into()),
            "{context}: ko-KR"
        );
        // Asked for, the status message follows the locale too.
        assert_eq!(
            decoded(&reply, &context).message(),
            row.description_ko,
            "{context}"
        );
    }
}

#[tokio::test]
async fn what_is_not_a_chat_error_leaves_as_1003_in_the_caller_s_locale() {
    let rows = common::fixture_rows();
    let internal = rows.iter().find(|row| row.code == 1003).unwrap();
    for kind in ["internal", "unknown", "panic"] {
        for (asked, locale, text) in [
            (None, "ko-KR", &internal.description_ko),
            (Some("en-US"), "en-US", &internal.description_en),
        ] {
            let mut headers = vec![("x-request-id", "req-json-1")];
            headers.extend(asked.map(|value| ("accept-language", value)));
            let reply = call_app(app(), &format!("/statuses/{kind}"), &headers).await;
            let context = format!("{kind} {asked:?}");
            assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR, "{context}");
            let error = decoded(&reply, &context);
            assert_eq!(error.number(), Some(1003), "{context}");
            assert_eq!(error.request_info().unwrap().request_id, "req-json-1");
            assert_eq!(
                localized(&reply, &context),
                (locale.into(), text.clone(), locale.into()),
                "{context}"
            );
            let body = String::from_utf8_lossy(&reply.body);
            assert!(!body.contains("hunter2"), "{context}: {body}");
        }
    }
    // A chat error status passes the masking and is localized.
    let reply = call_app(app(), "/statuses/chat", &[("accept-language", "en")]).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        decoded(&reply, "chat").code(),
        Some(ErrorCode::ChannelNotFound)
    );
    assert_eq!(reply.headers["content-language"], "en-US");
}

#[tokio::test]
async fn a_handler_reads_the_negotiated_locale_and_successes_pass_untouched() {
    let reply = call_app(app(), "/locale", &[("accept-language", "en-AU")]).await;
    assert_eq!(
        (reply.status, reply.body.as_slice()),
        (StatusCode::OK, &b"en-US"[..])
    );
    assert!(reply.headers.get("content-language").is_none());
    assert!(reply.headers.get("vary").is_none());
    let reply = call_app(app(), "/locale", &[("accept-language", "fr")]).await;
    assert_eq!(reply.body, b"ko-KR");

    // Errors a handler builds are in the caller's locale from the start.
    let reply = call_app(app(), "/built", &[("accept-language", "en-AU")]).await;
    assert_eq!(reply.body, b"en-US");
    let reply = call_app(app(), "/built", &[]).await;
    assert_eq!(reply.body, b"ko-KR");

    // Without the layer, the extractor negotiates with the default settings.
    let bare = Router::new().route("/locale", get(locale_of));
    let reply = call_app(bare.clone(), "/locale", &[("accept-language", "en")]).await;
    assert_eq!(reply.body, b"en-US");
    let reply = call_app(bare, "/locale", &[]).await;
    assert_eq!(reply.body, b"ko-KR");
}

async fn body_bytes(response: axum::response::Response) -> Vec<u8> {
    let body = response.into_body().collect().await.expect("a full body");
    body.to_bytes().to_vec()
}

#[tokio::test]
async fn a_bare_codes_response_is_rendered_once_per_code_and_locale() {
    use axum::response::IntoResponse;
    for code in ErrorCode::iter() {
        for locale in Locale::iter() {
            let error = || ChatError::new(code).with_locale(locale);
            let first = body_bytes(error().into_response()).await;
            // The same bytes again: the rendering is shared, not rebuilt.
            assert_eq!(
                body_bytes(error().into_response()).await,
                first,
                "{code} {locale}"
            );
            // It is the status's AIP-193 body, in that locale.
            let rendered = status_response(&error().into_status()).into_body();
            let as_json = |bytes: &[u8]| -> serde_json::Value {
                serde_json::from_slice(bytes).expect("JSON")
            };
            assert_eq!(as_json(&first), as_json(&rendered), "{code} {locale}");
            assert_eq!(
                as_json(&first)["error"]["details"][1]["locale"],
                locale.as_str()
            );
        }
    }
}

/// REST routes of a service with its own domain, set once in its `Settings`.
fn custom_domain_app(settings: &Settings) -> Router {
    Router::new()
        .route("/codes/{number}", get(fail_with))
        .route("/statuses/{kind}", get(fail_with_status))
        .layer(settings.json_layer())
}

#[tokio::test]
async fn a_custom_domain_set_once_reaches_every_rest_error() {
    let domain = Domain::new("chat.example.com").unwrap();
    let settings = Settings::new(domain.clone());
    for row in common::fixture_rows() {
        let reply = call_app(
            custom_domain_app(&settings),
            &format!("/codes/{}", row.code),
            &[],
        )
        .await;
        let context = format!("{} {}", row.code, row.name);
        assert_eq!(reply.status.as_u16(), row.http_status, "{context}");
        let error = check_error(reply.status, &reply.body, &domain)
            .unwrap_or_else(|error| panic!("{context}: {error}"))
            .unwrap_or_else(|| panic!("{context}: no chat error of {domain}"));
        assert_eq!(error.number(), Some(row.code), "{context}: unmasked");
        assert_eq!(error.domain(), "chat.example.com", "{context}");
        assert_eq!(
            check_error(reply.status, &reply.body, &Domain::default()),
            Ok(None),
            "{context}: nothing in the default domain"
        );
    }
    // What is not a chat error leaves as 1003 of the service's domain.
    let reply = call_app(custom_domain_app(&settings), "/statuses/internal", &[]).await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    let error = check_error(reply.status, &reply.body, &domain)
        .unwrap()
        .expect("a chat error of the service's domain");
    assert_eq!(error.code(), Some(ErrorCode::InternalServerError1003));
    assert!(!String::from_utf8_lossy(&reply.body).contains("hunter2"));
}
