//! The server layer (`Settings::layer()`) on a real tonic server over loopback: every code, unary
//! and streaming, leaves in the caller's negotiated locale, whoever built
//! the status; a caller that sends no `accept-language` gets today's bytes
//! exactly, checked against prost's own encoding.

mod common;
mod loopback;

use std::collections::BTreeMap;
use std::time::Duration;

use chat_errors::{
    ChatError, ChatStatusExt, DecodedChatError, Domain, ErrorCode, Locale, MetadataKey, Settings,
};
use common::{Row, fixture_rows};
use loopback::{Probe, Replies, Running, call_stream, call_unary, channel, serve};
use prost::Message;
use tonic::{Code, Request, Status};
use tower::ServiceExt;
use tower::layer::Layer;

/// The server's stack as the README recommends it.
async fn serve_localized(settings: Settings, probe: Probe) -> Running {
    serve(settings.layer(), probe).await
}

/// A probe whose methods fail with the code numbered by the request.
fn failing_with_the_requested_code() -> Probe {
    let code = |request: &str| ErrorCode::from_i32(request.parse().unwrap()).unwrap();
    Probe::new(
        move |request| async move { Err(code(&request).into()) },
        move |request| -> Replies {
            let error = ChatError::new(code(&request))
                .with_retry_delay(Duration::from_secs(7))
                .with_metadata(MetadataKey::from_static("channelId"), "c-1");
            Box::pin(tokio_stream::iter([
                Ok("first".to_owned()),
                Err(error.into()),
            ]))
        },
    )
}

fn with_language(body: &str, accept_language: Option<&str>) -> Request<String> {
    let mut request = Request::new(body.to_owned());
    if let Some(value) = accept_language {
        request
            .metadata_mut()
            .insert("accept-language", value.parse().unwrap());
    }
    request
}

fn decoded(status: &Status) -> DecodedChatError {
    status
        .check_chat_error(&Domain::default())
        .expect("well-formed details whose message matches grpc-message")
        .expect("a chat error")
}

/// The one LocalizedMessage of `status`, as `(locale, message)`.
fn localized(status: &Status) -> (String, String) {
    let decoded = decoded(status);
    assert_eq!(decoded.localized_messages().len(), 1, "{status:?}");
    let sent = decoded.localized_message().unwrap();
    (sent.locale.clone(), sent.message.clone())
}

fn expected(row: &Row, locale: &str) -> (String, String) {
    let text = match locale {
        "ko-KR" => &row.description_ko,
        "en-US" => &row.description_en,
        other => panic!("the fixture has no {other} column"),
    };
    (locale.to_owned(), text.clone())
}

/// `(accept-language, the locale expected)`: the interop checks' three, and
/// lookup's fallbacks.
const CALLERS: [(Option<&str>, &str); 5] = [
    (Some("ko-KR,ko;q=0.9,en;q=0.8"), "ko-KR"),
    (Some("en-US"), "en-US"),
    (None, "ko-KR"),
    (Some("en-GB, fr;q=0.5"), "en-US"),
    (Some("ko"), "ko-KR"),
];

#[tokio::test]
async fn every_code_leaves_a_unary_call_in_the_callers_locale() {
    let server = serve_localized(Settings::default(), failing_with_the_requested_code()).await;
    let channel = channel(server.addr).await;
    for row in fixture_rows() {
        for (language, locale) in CALLERS {
            let request = with_language(&row.code.to_string(), language);
            let status = call_unary(channel.clone(), request).await.unwrap_err();
            assert_eq!(status.code(), row.grpc_code, "{} {language:?}", row.code);
            assert_eq!(status.message(), row.description_en, "English by default");
            assert_eq!(localized(&status), expected(&row, locale), "{language:?}");
            assert_eq!(decoded(&status).number(), Some(row.code));
        }
    }
}

#[tokio::test]
async fn every_code_leaves_a_stream_in_the_callers_locale_with_its_extras() {
    let server = serve_localized(Settings::default(), failing_with_the_requested_code()).await;
    let channel = channel(server.addr).await;
    for row in fixture_rows() {
        let mut grpc = tonic::client::Grpc::new(channel.clone());
        grpc.ready().await.unwrap();
        let request = with_language(&row.code.to_string(), Some("en-US,en;q=0.9"));
        let mut stream = grpc
            .server_streaming(
                request,
                http::uri::PathAndQuery::from_static(loopback::STREAM),
                tonic_prost::ProstCodec::<String, String>::default(),
            )
            .await
            .unwrap()
            .into_inner();
        assert_eq!(stream.message().await.unwrap().as_deref(), Some("first"));
        let status = stream.message().await.unwrap_err();
        assert_eq!(localized(&status), expected(&row, "en-US"), "{}", row.code);
        let sent = decoded(&status);
        assert_eq!(sent.retry_delay(), Some(Duration::from_secs(7)));
        assert_eq!(sent.metadata()["channelId"], "c-1");
        assert_eq!(sent.number(), Some(row.code));
    }
    // Without a header the stream's trailers keep the default locale.
    let (replies, status) = call_stream(channel, "2003").await;
    assert_eq!(replies, ["first"]);
    let row = &fixture_rows()[..]
        .iter()
        .find(|row| row.code == 2003)
        .map(|row| expected(row, "ko-KR"))
        .unwrap();
    assert_eq!(&localized(&status.unwrap()), row);
}

/// ErrorInfo with its metadata in key order, which is the order the crate
/// writes (`code`, then `message`); tonic-types' HashMap has no fixed order.
#[derive(Clone, PartialEq, Message)]
struct OrderedErrorInfo {
    #[prost(string, tag = "1")]
    reason: String,
    #[prost(string, tag = "2")]
    domain: String,
    #[prost(btree_map = "string, string", tag = "3")]
    metadata: BTreeMap<String, String>,
}

/// A bare code's details as prost encodes them from the fixture's row.
fn prost_details(row: &Row, locale: &str) -> Vec<u8> {
    let info = OrderedErrorInfo {
        reason: row.reason.clone(),
        domain: "chat.errors.v1".to_owned(),
        metadata: [
            ("code".to_owned(), row.code.to_string()),
            ("message".to_owned(), row.name.clone()),
        ]
        .into(),
    };
    let (locale, message) = expected(row, locale);
    let localized = tonic_types::pb::LocalizedMessage { locale, message };
    tonic_types::pb::Status {
        code: row.grpc_code as i32,
        message: row.description_en.clone(),
        details: vec![
            common::any("google.rpc.ErrorInfo", &info),
            common::any("google.rpc.LocalizedMessage", &localized),
        ],
    }
    .encode_to_vec()
}

#[tokio::test]
async fn a_caller_that_asks_nothing_gets_todays_bytes_exactly() {
    let server = serve_localized(Settings::default(), failing_with_the_requested_code()).await;
    let channel = channel(server.addr).await;
    for row in fixture_rows() {
        let code = ErrorCode::from_i32(row.code).unwrap();
        let bare = Status::from(code);
        assert_eq!(bare.details(), prost_details(&row, "ko-KR"), "{code}");
        let status = call_unary(channel.clone(), row.code.to_string())
            .await
            .unwrap_err();
        assert_eq!(status.details(), bare.details(), "{code}");
        assert_eq!(status.message(), bare.message(), "{code}");

        let english = call_unary(
            channel.clone(),
            with_language(&row.code.to_string(), Some("en")),
        )
        .await
        .unwrap_err();
        assert_eq!(english.details(), prost_details(&row, "en-US"), "{code}");
        let picked = ChatError::new(code)
            .with_locale(Locale::EN_US)
            .into_status();
        assert_eq!(picked.details(), english.details(), "{code}");
    }
}

#[tokio::test]
async fn a_service_can_send_the_localized_description_as_the_status_message() {
    let localizer = Settings::default().with_localized_status_message(true);
    let server = serve_localized(localizer, failing_with_the_requested_code()).await;
    let channel = channel(server.addr).await;
    for row in fixture_rows() {
        for (language, locale) in CALLERS {
            let request = with_language(&row.code.to_string(), language);
            let status = call_unary(channel.clone(), request).await.unwrap_err();
            let (_, text) = expected(&row, locale);
            let message = if language.is_some() {
                &text
            } else {
                &row.description_en
            };
            assert_eq!(status.message(), message, "{} {language:?}", row.code);
            assert_eq!(localized(&status), expected(&row, locale));
        }
    }
}

#[tokio::test]
async fn a_custom_message_stays_whatever_the_locale() {
    let localizer = Settings::default().with_localized_status_message(true);
    let probe = Probe::unary(|_| async {
        Err(ChatError::new(ErrorCode::MutedInChannel)
            .with_message("muted until 10:00")
            .into())
    });
    let server = serve_localized(localizer, probe).await;
    let status = call_unary(channel(server.addr).await, with_language("", Some("en-US")))
        .await
        .unwrap_err();
    assert_eq!(status.message(), "muted until 10:00");
    let row = fixture_rows()
        .into_iter()
        .find(|row| row.code == 2027)
        .unwrap();
    assert_eq!(localized(&status), expected(&row, "en-US"));
}

#[tokio::test]
async fn the_masked_internal_error_is_localized_too() {
    let probe = Probe::unary(|_| async { Err(Status::internal("db: connection refused")) });
    let server = serve_localized(Settings::default(), probe).await;
    let status = call_unary(channel(server.addr).await, with_language("", Some("en")))
        .await
        .unwrap_err();
    let request_id = loopback::masked_request_id(&status);
    assert!(!request_id.is_empty());
    let row = fixture_rows()
        .into_iter()
        .find(|row| row.code == 1003)
        .unwrap();
    assert_eq!(localized(&status), expected(&row, "en-US"));
}

#[tokio::test]
async fn hostile_headers_fail_no_call_and_get_the_default_locale() {
    let server = serve_localized(
        Settings::default().with_default_locale(Locale::EN_US),
        failing_with_the_requested_code(),
    )
    .await;
    let channel = channel(server.addr).await;
    // As many as fit in hyper's 16 KiB of request headers.
    let thousands = vec!["ko;q=0.5"; 1500].join(",");
    let long = format!("ko-{}", "a".repeat(8000));
    for value in [
        "ko;q=1e999",
        "ko;q=-1",
        "ko;q=NaN",
        "ko;q=0.5;q=1",
        ";;;,,,==",
        "\t*\t;\tq=",
        thousands.as_str(),
        long.as_str(),
    ] {
        let request = with_language("2003", Some(value));
        let status = call_unary(channel.clone(), request).await.unwrap_err();
        assert_eq!(status.code(), Code::NotFound, "{value:.40}");
        assert_eq!(localized(&status).0, "en-US", "{value:.40}");
    }
}

#[tokio::test]
async fn handlers_read_the_negotiated_locale_from_the_request() {
    let probe = Probe::unary_request(|request| async move {
        let negotiated = request.extensions().get::<Locale>().copied();
        Ok(negotiated.map_or("none", Locale::as_str).to_owned())
    });
    let server = serve_localized(Settings::default(), probe).await;
    let channel = channel(server.addr).await;
    for (language, locale) in CALLERS {
        let reply = call_unary(channel.clone(), with_language("", language))
            .await
            .unwrap();
        assert_eq!(reply, locale, "{language:?}");
    }
    let reply = call_unary(channel, with_language("", Some("fr, en-AU;q=0.3")))
        .await
        .unwrap();
    assert_eq!(reply, "en-US");
}

/// The locale of the LocalizedMessage of each way a handler builds a
/// status, as the handler sees it before the layer does.
fn built_in_the_handler() -> String {
    let built = [
        Status::from(ErrorCode::ChannelNotFound),
        ChatError::new(ErrorCode::MutedInChannel).into(),
        ChatError::new(ErrorCode::MutedInChannel)
            .with_message("muted until noon")
            .into(),
    ];
    built
        .iter()
        .map(|status| localized(status).0)
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test]
async fn handlers_build_errors_in_the_callers_locale_from_the_start() {
    let probe = Probe::unary_request(|_| async { Ok(built_in_the_handler()) });
    let server = serve_localized(Settings::default(), probe).await;
    let channel = channel(server.addr).await;
    for (language, locale) in CALLERS {
        let reply = call_unary(channel.clone(), with_language("", language))
            .await
            .unwrap();
        assert_eq!(reply, [locale; 3].join(" "), "{language:?}");
    }
    // Outside any call, the default.
    assert_eq!(built_in_the_handler(), ["ko-KR"; 3].join(" "));
}

#[tokio::test]
async fn a_status_built_off_the_call_is_localized_on_the_way_out() {
    let probe = Probe::new(
        |request| async move {
            let off_the_call = match request.as_str() {
                "thread" => std::thread::spawn(|| Status::from(ErrorCode::MutedInChannel))
                    .join()
                    .unwrap(),
                _ => tokio::spawn(async { Status::from(ErrorCode::MutedInChannel) })
                    .await
                    .unwrap(),
            };
            assert_eq!(localized(&off_the_call).0, "ko-KR", "built off the call");
            Err(off_the_call)
        },
        |_| -> Replies { Box::pin(tokio_stream::empty()) },
    );
    let server = serve_localized(Settings::default(), probe).await;
    let channel = channel(server.addr).await;
    let row = fixture_rows()
        .into_iter()
        .find(|row| row.code == 2027)
        .unwrap();
    for built_on in ["thread", "task"] {
        let status = call_unary(channel.clone(), with_language(built_on, Some("en-US")))
            .await
            .unwrap_err();
        assert_eq!(localized(&status), expected(&row, "en-US"), "{built_on}");
    }
}

#[tokio::test]
async fn the_response_extensions_carry_the_localized_status() {
    // Built before the call, so in the default locale: the layer rewrites it.
    let built_before = Status::from(ErrorCode::ChannelNotFound);
    let inner = tower::service_fn(move |_: http::Request<()>| {
        let status = built_before.clone();
        async move { Ok::<_, std::convert::Infallible>(status.into_http::<()>()) }
    });
    let service = Settings::default().layer().layer(inner);
    let request = http::Request::builder()
        .header("accept-language", "en-US")
        .body(())
        .unwrap();
    let response = service.oneshot(request).await.unwrap();
    let status = response.extensions().get::<Status>().unwrap();
    let row = fixture_rows()
        .into_iter()
        .find(|row| row.code == 2003)
        .unwrap();
    assert_eq!(localized(status), expected(&row, "en-US"));
    let from_headers = Status::from_header_map(response.headers()).unwrap();
    assert_eq!(from_headers.details(), status.details());
}
