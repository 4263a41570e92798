//! Internal causes stay on the server: a source error never reaches the
//! wire, and behind the server layer (`Settings::layer()`) an unmapped status reaches the
//! client as 1003 with a request id while its cause goes to the log.

mod loopback;

use std::io;

use chat_errors::{
    ChatError, ChatStatusExt, Domain, ErrorCode, MetadataKey, RequestInfo, Settings,
};
use http::HeaderMap;
use loopback::{
    LogCapture, Probe, call_stream, call_unary, channel, masked_request_id, serve, unary_error,
};
use tonic::metadata::MetadataValue;
use tonic::{Code, Request, Status};
use tower::layer::util::Identity;

const SECRET: &str = "password=hunter2 host=db-7.internal";

/// Every byte the client receives for `status`, decoded where it is
/// encoded: header values as sent, `grpc-message` percent-decoded, and the
/// details.
fn everything_sent(status: &Status) -> Vec<u8> {
    let mut headers = HeaderMap::new();
    status.add_header(&mut headers).expect("a sendable status");
    let mut sent = Vec::new();
    for value in headers.values() {
        sent.extend_from_slice(value.as_bytes());
    }
    let received = Status::from_header_map(&headers).expect("grpc-status is present");
    sent.extend_from_slice(received.message().as_bytes());
    sent.extend_from_slice(received.details());
    sent
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[test]
fn a_source_error_never_reaches_the_wire_for_any_code() {
    for code in ErrorCode::iter() {
        let plain = ChatError::new(code).with_source(io::Error::other(SECRET));
        let extras = ChatError::new(code)
            .with_message("public text")
            .with_metadata(MetadataKey::from_static("channelId"), "c-1")
            .with_field_violation("text", "too long")
            .with_source(io::Error::other(SECRET));
        for error in [plain, extras] {
            let status = error.into_status();
            // The source is still there for the server's logs ...
            let source = std::error::Error::source(&status).expect("the source is kept");
            assert!(source.to_string().contains(SECRET));
            // ... and nowhere in what is sent.
            let sent = everything_sent(&status);
            assert!(!contains(&sent, SECRET), "{code}: the source was sent");
            assert!(!contains(&sent, "hunter2"), "{code}: the source was sent");
            assert_eq!(status.chat_error_code(&Domain::default()), Some(code));
        }
    }
}

#[test]
fn the_check_would_see_a_leak() {
    // The same check on a status that does carry the text, so the test
    // above cannot pass by looking in the wrong place.
    let leaky = ChatError::new(ErrorCode::FileUploadFail)
        .with_message(SECRET)
        .into_status();
    assert!(contains(&everything_sent(&leaky), SECRET));
    let in_details = ChatError::new(ErrorCode::FileUploadFail)
        .with_metadata(MetadataKey::from_static("cause"), SECRET)
        .into_status();
    assert!(contains(&everything_sent(&in_details), SECRET));
}

#[tokio::test]
async fn an_unmapped_status_reaches_the_client_as_1003_and_its_cause_the_log() {
    let log = LogCapture::default();
    let _guard = log.install();
    let server = serve(
        Settings::default().layer(),
        Probe::unary(|_| async { Err(Status::internal(format!("query failed: {SECRET}"))) }),
    )
    .await;

    let status = unary_error(&server).await;
    let request_id = masked_request_id(&status);
    assert!(!contains(&everything_sent(&status), "hunter2"));
    assert!(!format!("{:?}", status.metadata()).contains("hunter2"));
    assert_eq!(request_id.len(), 32, "{request_id}");
    log.assert_logged(&request_id, "query failed: password=hunter2");
    log.assert_logged(&request_id, "/probe.v1.Probe/Unary");
}

#[tokio::test]
async fn without_the_layer_the_internal_message_reaches_the_client() {
    let server = serve(
        Identity::new(),
        Probe::unary(|_| async { Err(Status::internal(format!("query failed: {SECRET}"))) }),
    )
    .await;
    let status = unary_error(&server).await;
    assert!(status.message().contains("hunter2"));
}

#[tokio::test]
async fn the_callers_request_id_is_reused() {
    let server = serve(
        Settings::default().layer(),
        Probe::unary(|_| async { Err(Status::unknown("boom")) }),
    )
    .await;
    let mut request = Request::new("hi".to_owned());
    request
        .metadata_mut()
        .insert("x-request-id", MetadataValue::from_static("req-7f3a"));
    let status = call_unary(channel(server.addr).await, request)
        .await
        .unwrap_err();
    assert_eq!(masked_request_id(&status), "req-7f3a");
}

/// Serves `probe` behind the stack and checks that its `ChannelNotFound`
/// reaches the client without [`SECRET`], which the log has in a warning;
/// returns what the client got.
async fn channel_not_found_with_its_source_logged(probe: Probe) -> Status {
    let log = LogCapture::default();
    let _guard = log.install();
    let server = serve(Settings::default().layer(), probe).await;
    let status = unary_error(&server).await;
    assert_eq!(
        status.chat_error_code(&Domain::default()),
        Some(ErrorCode::ChannelNotFound)
    );
    assert!(!contains(&everything_sent(&status), "hunter2"));
    let logged = log.text();
    assert!(
        logged
            .lines()
            .any(|line| line.contains("WARN") && line.contains("hunter2")),
        "{logged}"
    );
    status
}

#[tokio::test]
async fn a_chat_error_passes_unchanged_and_its_source_is_logged_not_sent() {
    let status = channel_not_found_with_its_source_logged(Probe::unary(|_| async {
        Err(ChatError::new(ErrorCode::ChannelNotFound)
            .with_request_info(RequestInfo {
                request_id: "handler-set".to_owned(),
                serving_data: String::new(),
            })
            .with_source(io::Error::other(SECRET))
            .into())
    }))
    .await;
    let decoded = status
        .get_chat_error(&Domain::default())
        .expect("a chat error");
    assert_eq!(decoded.request_info().unwrap().request_id, "handler-set");
}

/// `ErrorCode::X.into()` built in the call is sent as built, without a
/// second look; a source the handler sets on it afterwards is still logged.
#[tokio::test]
async fn a_bare_status_given_a_source_by_the_handler_has_it_logged() {
    channel_not_found_with_its_source_logged(Probe::unary(|_| async {
        let mut status = Status::from(ErrorCode::ChannelNotFound);
        status.set_source(std::sync::Arc::new(io::Error::other(SECRET)));
        Err(status)
    }))
    .await;
}

/// The stack notes the last bare status a call built, and sends a status
/// as built only when it is that one, already as the caller gets it. A
/// handler that builds several, across awaits, sends the one it returns:
/// here one built off the call, in the default locale, which must still
/// reach an `en-US` caller in `en-US`, with a later one of the same gRPC
/// code in between.
#[tokio::test]
async fn a_status_built_before_another_is_sent_as_itself() {
    let server = serve(
        Settings::default().layer(),
        Probe::unary(|_| async {
            let first = std::thread::spawn(|| Status::from(ErrorCode::ChannelNotFound))
                .join()
                .expect("no panic");
            tokio::task::yield_now().await;
            let second = Status::from(ErrorCode::ChannelOwnerNotFound);
            assert_eq!(first.code(), second.code());
            tokio::task::yield_now().await;
            Err(first)
        }),
    )
    .await;
    for accept_language in [None, Some("en-US")] {
        let mut request = Request::new(String::new());
        if let Some(accept_language) = accept_language {
            request.metadata_mut().insert(
                "accept-language",
                MetadataValue::from_static(accept_language),
            );
        }
        let status = call_unary(channel(server.addr).await, request)
            .await
            .unwrap_err();
        let decoded = status
            .get_chat_error(&Domain::default())
            .expect("a chat error");
        assert_eq!(decoded.code(), Some(ErrorCode::ChannelNotFound));
        let expected = match accept_language {
            Some(_) => chat_errors::Locale::EN_US,
            None => chat_errors::Locale::default(),
        };
        assert_eq!(
            decoded
                .localized_message()
                .map(|message| message.locale.as_str()),
            Some(expected.as_str()),
            "{accept_language:?}"
        );
    }
}

#[tokio::test]
async fn a_chat_error_of_another_domain_is_masked() {
    let theirs = Settings::new(Domain::new("billing.example").unwrap());
    let server = serve(
        Settings::default().layer(),
        Probe::unary(move |_| {
            let status = theirs.error(ErrorCode::FileUploadFail).into_status();
            async move { Err(status) }
        }),
    )
    .await;
    masked_request_id(&unary_error(&server).await);
}

#[tokio::test]
async fn the_layer_answers_in_its_own_domain() {
    let ours = Domain::new("chat.example.com").unwrap();
    let server = serve(
        Settings::new(ours.clone()).layer(),
        Probe::unary(|_| async { Err(Status::internal("boom")) }),
    )
    .await;
    let status = unary_error(&server).await;
    assert_eq!(
        status.chat_error_code(&ours),
        Some(ErrorCode::InternalServerError1003)
    );
    assert_eq!(status.chat_error_code(&Domain::default()), None);
}

#[tokio::test]
async fn cancelled_deadline_exceeded_and_unimplemented_pass_unchanged() {
    for code in [Code::Cancelled, Code::DeadlineExceeded, Code::Unimplemented] {
        let probe =
            Probe::unary(move |_| async move { Err(Status::new(code, "not in this version")) });
        let server = serve(Settings::default().layer(), probe).await;
        let status = unary_error(&server).await;
        assert_eq!(status.code(), code);
        assert_eq!(status.message(), "not in this version");
    }
}

#[tokio::test]
async fn an_unmapped_status_ending_a_stream_is_masked_in_the_trailers() {
    let log = LogCapture::default();
    let _guard = log.install();
    let server = serve(
        Settings::default().layer(),
        Probe::stream(|_| {
            Box::pin(tokio_stream::iter([
                Ok("one".to_owned()),
                Ok("two".to_owned()),
                Err(Status::data_loss(format!("replica lost: {SECRET}"))),
            ]))
        }),
    )
    .await;
    let (replies, status) = call_stream(channel(server.addr).await, "hi").await;
    assert_eq!(replies, ["one", "two"]);
    let status = status.expect("the stream ends with an error");
    assert_eq!(
        status.chat_error_code(&Domain::default()),
        Some(ErrorCode::InternalServerError1003)
    );
    assert!(!contains(&everything_sent(&status), "hunter2"));
    let request_id = masked_request_id(&status);
    log.assert_logged(&request_id, "replica lost");
}

#[tokio::test]
async fn successful_calls_pass_unchanged() {
    let server = serve(
        Settings::default().layer(),
        Probe::unary(|request| async move { Ok(format!("echo {request}")) }),
    )
    .await;
    let reply = call_unary(channel(server.addr).await, "hi".to_owned()).await;
    assert_eq!(reply.unwrap(), "echo hi");
}

/// A status carrying the handler's own metadata, ASCII and binary, with
/// the secret in both.
fn status_with_internal_metadata() -> Status {
    let mut status = Status::internal("query failed");
    let metadata = status.metadata_mut();
    metadata.insert("x-db-host", MetadataValue::from_static("db-7.internal"));
    metadata.insert_bin(
        "x-db-trace-bin",
        tonic::metadata::MetadataValue::from_bytes(SECRET.as_bytes()),
    );
    status
}

/// The metadata a client would see that the layer did not set: anything
/// but the transport's `content-type` and `date` and the status's own headers.
fn foreign_keys(status: &Status) -> Vec<String> {
    let mut headers = status.metadata().clone().into_headers();
    for own in [
        "content-type",
        "date",
        "grpc-status",
        "grpc-message",
        "grpc-status-details-bin",
    ] {
        headers.remove(own);
    }
    let mut keys: Vec<String> = headers.keys().map(|key| key.as_str().to_owned()).collect();
    keys.sort();
    keys
}

#[tokio::test]
async fn a_masked_status_carries_none_of_the_handlers_metadata_which_is_logged() {
    let log = LogCapture::default();
    let _guard = log.install();
    let server = serve(
        Settings::default().layer(),
        Probe::unary(|_| async { Err(status_with_internal_metadata()) }),
    )
    .await;
    let status = unary_error(&server).await;
    let request_id = masked_request_id(&status);
    assert_eq!(foreign_keys(&status), Vec::<String>::new());
    log.assert_logged(&request_id, "db-7.internal");
    log.assert_logged(&request_id, "x-db-trace-bin");

    // Without the layer the same metadata does reach the client, so the
    // check above looks where the metadata would be.
    let bare = serve(
        Identity::new(),
        Probe::unary(|_| async { Err(status_with_internal_metadata()) }),
    )
    .await;
    assert_eq!(
        foreign_keys(&unary_error(&bare).await),
        ["x-db-host", "x-db-trace-bin"]
    );
}

#[tokio::test]
async fn a_masked_stream_status_carries_none_of_the_handlers_metadata() {
    let server = serve(
        Settings::default().layer(),
        Probe::stream(|_| {
            Box::pin(tokio_stream::iter([
                Ok("one".to_owned()),
                Err(status_with_internal_metadata()),
            ]))
        }),
    )
    .await;
    let (replies, status) = call_stream(channel(server.addr).await, "hi").await;
    assert_eq!(replies, ["one"]);
    let status = status.expect("the stream ends with an error");
    masked_request_id(&status);
    assert_eq!(foreign_keys(&status), Vec::<String>::new());
}
