//! A service with a domain of its own, set in exactly one place (its
//! `Settings`), through the whole recommended stack over loopback: the
//! server's `settings.layer()` and the client's `TrailerShield`. Every
//! catalogue code arrives unmasked in that domain and decodes on the
//! client; a chat error of another domain is masked and logged as what it
//! is; errors built in the call are in the domain from the start.

mod common;
mod loopback;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chat_errors::layer::TrailerShield;
use chat_errors::{ChatError, ChatStatusExt, Domain, ErrorCode, Locale, MetadataKey, Settings};
use common::{Row, fixture_rows};
use loopback::{
    LogCapture, Probe, Replies, Running, call_stream, call_unary, channel, masked_request_id_in,
    serve,
};
use tonic::{Request, Status};

const DOMAIN: &str = "chat.example.com";

fn domain() -> Domain {
    Domain::new(DOMAIN).expect("a valid domain")
}

/// The one place the service names its domain.
fn settings() -> Settings {
    Settings::new(domain())
}

fn code_of(request: &str) -> ErrorCode {
    let number = request.parse().expect("a code number");
    ErrorCode::from_i32(number).expect("a catalogue code")
}

/// A probe whose methods fail with the code numbered by the request, as
/// handlers raise them: the unary method with `ErrorCode::into`, the
/// stream after one reply with a `ChatError` carrying extras.
fn failing_with_the_requested_code() -> Probe {
    Probe::new(
        |request| async move { Err(code_of(&request).into()) },
        |request| -> Replies {
            let error = ChatError::new(code_of(&request))
                .with_retry_delay(Duration::from_secs(3))
                .with_metadata(MetadataKey::from_static("channelId"), "c-1");
            Box::pin(tokio_stream::iter([
                Ok("first".to_owned()),
                Err(error.into()),
            ]))
        },
    )
}

fn with_language(body: &str, accept_language: Option<&'static str>) -> Request<String> {
    let mut request = Request::new(body.to_owned());
    if let Some(value) = accept_language {
        request
            .metadata_mut()
            .insert("accept-language", value.parse().unwrap());
    }
    request
}

fn description(row: &Row, locale: &str) -> String {
    match locale {
        "ko-KR" => row.description_ko.clone(),
        "en-US" => row.description_en.clone(),
        other => panic!("the fixture has no {other} column"),
    }
}

/// Checks that `status` is `row`'s chat error of the service's domain,
/// unmasked, with its LocalizedMessage in `locale`, as the client decodes it.
fn assert_arrived(status: &Status, row: &Row, locale: &str, context: &str) {
    let domain = domain();
    assert_eq!(status.code(), row.grpc_code, "{context}");
    assert_eq!(status.message(), row.description_en, "{context}");
    let decoded = status
        .check_chat_error(&domain)
        .unwrap_or_else(|error| panic!("{context}: {error}"))
        .unwrap_or_else(|| panic!("{context}: no chat error of {DOMAIN}"));
    assert_eq!(decoded.number(), Some(row.code), "{context}: masked?");
    assert_eq!(decoded.code(), ErrorCode::from_i32(row.code), "{context}");
    assert_eq!(decoded.reason(), row.reason, "{context}");
    assert_eq!(decoded.name(), Some(row.name.as_str()), "{context}");
    assert_eq!(decoded.domain(), DOMAIN, "{context}");
    assert_eq!(decoded.grpc_code(), row.grpc_code, "{context}");
    assert_eq!(
        decoded.request_info(),
        None,
        "{context}: a masked error has a request id"
    );
    assert_eq!(
        decoded
            .localized_message()
            .map(|m| (m.locale.clone(), m.message.clone())),
        Some((locale.to_owned(), description(row, locale))),
        "{context}"
    );
    assert_eq!(
        status.get_chat_error(&domain).as_ref(),
        Some(&decoded),
        "{context}"
    );
    assert_eq!(status.chat_error_code(&domain), decoded.code(), "{context}");
    // Nothing of it is in the default domain.
    assert_eq!(
        status.check_chat_error(&Domain::default()),
        Ok(None),
        "{context}"
    );
}

/// `(accept-language, the locale expected)`.
const CALLERS: [(Option<&str>, &str); 3] = [
    (None, "ko-KR"),
    (Some("en-US"), "en-US"),
    (Some("ko-KR,ko;q=0.9,en;q=0.8"), "ko-KR"),
];

async fn serve_custom_domain(probe: Probe) -> Running {
    serve(settings().layer(), probe).await
}

#[tokio::test]
async fn every_code_of_a_custom_domain_arrives_unmasked_and_decodes_on_the_client() {
    let rows = fixture_rows();
    assert_eq!(rows.len(), 57);
    assert_eq!(ErrorCode::iter().len(), rows.len());
    let server = serve_custom_domain(failing_with_the_requested_code()).await;
    let client = TrailerShield::new(channel(server.addr).await);
    for row in &rows {
        for (language, locale) in CALLERS {
            let request = with_language(&row.code.to_string(), language);
            let status = call_unary(client.clone(), request)
                .await
                .expect_err("the call fails");
            let context = format!("unary {} {} {language:?}", row.code, row.name);
            assert_arrived(&status, row, locale, &context);
        }
    }
}

#[tokio::test]
async fn every_code_of_a_custom_domain_ends_a_stream_unmasked_with_its_extras() {
    let server = serve_custom_domain(failing_with_the_requested_code()).await;
    let client = TrailerShield::new(channel(server.addr).await);
    for row in fixture_rows() {
        let (replies, status) = call_stream(client.clone(), &row.code.to_string()).await;
        let context = format!("stream {} {}", row.code, row.name);
        assert_eq!(replies, ["first"], "{context}");
        let status = status.expect("the stream ends with an error");
        assert_arrived(&status, &row, "ko-KR", &context);
        let decoded = status.check_chat_error(&domain()).unwrap().unwrap();
        assert_eq!(
            decoded.retry_delay(),
            Some(Duration::from_secs(3)),
            "{context}"
        );
        assert_eq!(decoded.metadata()["channelId"], "c-1", "{context}");
    }
}

/// How a handler of the custom-domain service comes by a chat error that
/// is not of its domain.
fn foreign_chat_error(how: &str) -> Probe {
    let how = how.to_owned();
    Probe::unary(move |_| {
        let how = how.clone();
        async move {
            let status: Status = match how.as_str() {
                // Another service's (here the default) settings.
                "default-settings" => Settings::default().error(ErrorCode::ChannelNotFound).into(),
                // Built on a task of its own, outside the call.
                "spawned-task" => tokio::spawn(async { Status::from(ErrorCode::ChannelNotFound) })
                    .await
                    .expect("the task runs"),
                // Built on another thread, outside the call.
                "thread" => std::thread::spawn(|| Status::from(ErrorCode::ChannelNotFound))
                    .join()
                    .expect("the thread runs"),
                other => panic!("no way {other}"),
            };
            // The handler holds a chat error, just not one of the service's.
            assert_eq!(
                status.chat_error_code(&Domain::default()),
                Some(ErrorCode::ChannelNotFound),
                "{how}"
            );
            assert_eq!(status.chat_error_code(&domain()), None, "{how}");
            Err(status)
        }
    })
}

#[tokio::test]
async fn a_chat_error_of_another_domain_is_masked_and_logged_as_such() {
    let log = LogCapture::default();
    let _guard = log.install();
    for how in ["default-settings", "spawned-task", "thread"] {
        let server = serve_custom_domain(foreign_chat_error(how)).await;
        let client = TrailerShield::new(channel(server.addr).await);
        let status = call_unary(client, "hi".to_owned())
            .await
            .expect_err("the call fails");
        // 1003 in the service's own domain, with a request id.
        let request_id = masked_request_id_in(&status, &domain());
        assert_eq!(status.check_chat_error(&Domain::default()), Ok(None));
        log.assert_logged(&request_id, "chat error of another domain");
        log.assert_logged(&request_id, "domain=chat.errors.v1");
        log.assert_logged(&request_id, "expected_domain=chat.example.com");
        log.assert_logged(&request_id, "ChannelNotFound");
        let text = log.text();
        let tag = format!("request_id={request_id}");
        assert!(
            text.lines()
                .filter(|line| line.contains(&tag))
                .all(|line| !line.contains("unmapped")),
            "{how}: logged as unmapped:\n{text}"
        );
    }
}

#[tokio::test]
async fn the_services_settings_build_an_error_off_the_call_that_passes() {
    let settings = settings();
    let probe = Probe::unary(move |_| {
        let settings = settings.clone();
        async move {
            let status =
                tokio::spawn(
                    async move { settings.error(ErrorCode::MutedInChannel).into_status() },
                )
                .await
                .expect("the task runs");
            Err(status)
        }
    });
    let server = serve_custom_domain(probe).await;
    let client = TrailerShield::new(channel(server.addr).await);
    let row = fixture_rows()
        .into_iter()
        .find(|row| row.code == 2027)
        .expect("the fixture has 2027");
    for (language, locale) in CALLERS {
        let status = call_unary(client.clone(), with_language("", language))
            .await
            .expect_err("the call fails");
        // Built in the default locale, it is still sent in the caller's.
        assert_arrived(&status, &row, locale, &format!("{language:?}"));
    }
}

/// The details of each status a handler builds, kept to compare with what
/// the client receives.
type Built = Arc<Mutex<Vec<Vec<u8>>>>;

#[tokio::test]
async fn a_status_built_in_the_call_has_the_domain_and_locale_without_a_rebuild() {
    let built = Built::default();
    let kept = Arc::clone(&built);
    let probe = Probe::unary(move |request| {
        let kept = Arc::clone(&kept);
        async move {
            let status: Status = match request.as_str() {
                "into" => ErrorCode::MutedInChannel.into(),
                "new" => ChatError::new(ErrorCode::MutedInChannel).into(),
                "custom" => ChatError::new(ErrorCode::MutedInChannel)
                    .with_message("muted until noon")
                    .into(),
                other => panic!("no way {other}"),
            };
            // In the handler, before any layer sees it.
            assert_eq!(
                status.chat_error_code(&domain()),
                Some(ErrorCode::MutedInChannel),
                "{request}: built in the service's domain"
            );
            kept.lock().unwrap().push(status.details().to_vec());
            Err(status)
        }
    });
    let server = serve_custom_domain(probe).await;
    let client = TrailerShield::new(channel(server.addr).await);
    for (language, locale) in CALLERS {
        for way in ["into", "new", "custom"] {
            let status = call_unary(client.clone(), with_language(way, language))
                .await
                .expect_err("the call fails");
            let context = format!("{way} {language:?}");
            let sent = built.lock().unwrap().pop().expect("the handler ran");
            assert_eq!(
                status.details(),
                sent,
                "{context}: the layer rebuilt what the handler built"
            );
            let decoded = status.check_chat_error(&domain()).unwrap().unwrap();
            assert_eq!(decoded.code(), Some(ErrorCode::MutedInChannel), "{context}");
            assert_eq!(decoded.domain(), DOMAIN, "{context}");
            assert_eq!(decoded.localized_message().unwrap().locale, locale);
        }
    }
    // Outside any call, the same code is in the default domain and locale.
    let outside = Status::from(ErrorCode::MutedInChannel);
    assert_eq!(outside.chat_error_code(&domain()), None);
    let decoded = outside
        .check_chat_error(&Domain::default())
        .unwrap()
        .unwrap();
    assert_eq!(
        decoded.localized_message().unwrap().locale,
        Locale::default().as_str()
    );
}

#[tokio::test]
async fn what_is_not_a_chat_error_is_masked_in_the_services_domain() {
    let log = LogCapture::default();
    let _guard = log.install();
    let probe = Probe::unary(|_| async { Err(Status::internal("db: password=hunter2")) });
    let server = serve_custom_domain(probe).await;
    let client = TrailerShield::new(channel(server.addr).await);
    let status = call_unary(client, with_language("", Some("en-US")))
        .await
        .expect_err("the call fails");
    let request_id = masked_request_id_in(&status, &domain());
    assert!(!format!("{status:?}").contains("hunter2"));
    let decoded = status.check_chat_error(&domain()).unwrap().unwrap();
    assert_eq!(decoded.localized_message().unwrap().locale, "en-US");
    log.assert_logged(&request_id, "unmapped error status");
    log.assert_logged(&request_id, "password=hunter2");
}
