//! The size cap over real HTTP/2: a tonic server on loopback raises errors
//! with huge messages, metadata and extras, and the client still receives
//! a status it can decode, marked where parts were dropped, instead of a
//! connection torn down by the header-list limit.

mod loopback;

use std::time::Duration;

use chat_errors::{
    ChatError, ChatStatusExt, Domain, ErrorCode, FieldViolation, Locale, MAX_MESSAGE_BYTES,
    MAX_TRAILER_BYTES, MetadataKey, RequestInfo, ResourceInfo, Settings,
};
use http::HeaderMap;
use loopback::{Probe, call_stream, channel, masked_request_id, serve, unary_error};
use tonic::{Code, Status};
use tower::layer::util::Identity;

/// The ErrorInfo metadata key that says what the cap dropped, as the
/// crate docs name it.
const TRUNCATED_KEY: &str = "truncated";

/// An error with every part far over the cap: a 60 KB Korean message,
/// 300 metadata entries, 5,000 violations, a 5 KB resource name.
fn huge(code: ErrorCode) -> ChatError {
    let mut error = ChatError::new(code)
        .with_message("채널 메시지가 너무 깁니다 ".repeat(2_000))
        .with_retry_delay(Duration::from_secs(30))
        .with_resource_info(ResourceInfo {
            resource_type: "chat.v1.Channel".to_owned(),
            resource_name: "r".repeat(5_000),
            owner: String::new(),
            description: String::new(),
        })
        .with_request_info(RequestInfo {
            request_id: "req-huge".to_owned(),
            serving_data: String::new(),
        });
    for index in 0..300 {
        error = error.with_metadata(
            format!("key{index}")
                .parse::<MetadataKey>()
                .expect("a valid key"),
            "값".repeat(60),
        );
    }
    error.with_field_violations((0..5_000).map(|index| FieldViolation {
        field: format!("members[{index}]"),
        description: "차단된 사용자입니다".to_owned(),
        ..FieldViolation::default()
    }))
}

/// `grpc-message` plus `grpc-status-details-bin`, as tonic sends `status`.
fn trailer_bytes(status: &Status) -> usize {
    let mut headers = HeaderMap::new();
    status.add_header(&mut headers).expect("a sendable status");
    ["grpc-message", "grpc-status-details-bin"]
        .iter()
        .filter_map(|name| headers.get(*name))
        .map(|value| value.len())
        .sum()
}

fn assert_capped(status: &Status, code: ErrorCode) {
    assert_eq!(status.code(), code.grpc_code());
    assert!(status.message().len() <= MAX_MESSAGE_BYTES);
    assert!(status.message().starts_with("채널 메시지가 너무 깁니다"));
    assert!(status.message().ends_with('…'));
    assert!(trailer_bytes(status) <= MAX_TRAILER_BYTES);

    let decoded = status
        .check_chat_error(&Domain::default())
        .expect("well-formed details")
        .expect("a chat error");
    assert_eq!(decoded.code(), Some(code));
    assert_eq!(decoded.retry_delay(), Some(Duration::from_secs(30)));
    assert_eq!(
        decoded
            .localized_message()
            .map(|m| (m.locale.as_str(), m.message.as_str())),
        Some(("ko-KR", code.description(Locale::KO_KR)))
    );
    let marker = &decoded.metadata()[TRUNCATED_KEY];
    assert!(marker.contains("fieldViolations:"), "{marker}");
    assert!(decoded.field_violations().len() < 5_000);
}

#[tokio::test]
async fn a_huge_error_arrives_capped_and_marked_in_a_trailers_only_response() {
    let server = serve(
        Identity::new(),
        Probe::unary(|_| async { Err(huge(ErrorCode::MsgSizeLimitExceeded).into()) }),
    )
    .await;
    assert_capped(&unary_error(&server).await, ErrorCode::MsgSizeLimitExceeded);
}

#[tokio::test]
async fn a_huge_error_arrives_capped_and_marked_in_the_trailers_of_a_stream() {
    let server = serve(
        Identity::new(),
        Probe::stream(|_| {
            Box::pin(tokio_stream::iter([
                Ok("first".to_owned()),
                Err(huge(ErrorCode::TooManyRequests).into()),
            ]))
        }),
    )
    .await;
    let (replies, status) = call_stream(channel(server.addr).await, "hi").await;
    assert_eq!(replies, ["first"]);
    assert_capped(
        &status.expect("the stream ends with an error"),
        ErrorCode::TooManyRequests,
    );
}

#[tokio::test]
async fn huge_metadata_alone_is_cut_and_marked() {
    let server = serve(
        Identity::new(),
        Probe::unary(|_| async {
            let mut error = ChatError::new(ErrorCode::InvalidMetaData);
            for index in 0..1_000 {
                error = error.with_metadata(
                    format!("k{index:0>62}")
                        .parse::<MetadataKey>()
                        .expect("a valid key"),
                    "v".repeat(1_000),
                );
            }
            Err(error.into())
        }),
    )
    .await;
    let status = unary_error(&server).await;
    assert!(trailer_bytes(&status) <= MAX_TRAILER_BYTES);
    let decoded = status
        .check_chat_error(&Domain::default())
        .unwrap()
        .expect("a chat error");
    assert_eq!(decoded.code(), Some(ErrorCode::InvalidMetaData));
    let marker = &decoded.metadata()[TRUNCATED_KEY];
    assert!(marker.starts_with("metadata:"), "{marker}");
    let kept = decoded.metadata().len() - 3; // code, message, truncated
    let dropped: usize = marker["metadata:".len()..].parse().unwrap();
    assert_eq!(kept + dropped, 1_000);
    // The first added are the ones kept.
    assert!(decoded.metadata().contains_key(&format!("k{:0>62}", 0)));
}

#[tokio::test]
async fn an_uncapped_status_is_lost_to_the_header_list_limit() {
    // What the cap prevents: the same size through plain tonic, details
    // built by hand, never reaches the client as a status.
    let server = serve(
        Identity::new(),
        Probe::unary(|_| async {
            Err(Status::with_details(
                Code::InvalidArgument,
                "too big",
                vec![b'x'; 64 * 1024].into(),
            ))
        }),
    )
    .await;
    let status = unary_error(&server).await;
    // The client's h2 answers the oversized trailers with GOAWAY
    // (ENHANCE_YOUR_CALM), taking every call on the connection with it.
    assert_ne!(status.code(), Code::InvalidArgument, "{status:?}");
    assert!(status.message().contains("h2 protocol error"), "{status:?}");
    assert!(status.details().is_empty());
}

#[tokio::test]
async fn the_server_layer_also_replaces_a_huge_unmapped_message() {
    let server = serve(
        Settings::default().layer(),
        Probe::unary(|_| async { Err(Status::internal("stack trace line\n".repeat(10_000))) }),
    )
    .await;
    let status = unary_error(&server).await;
    masked_request_id(&status);
    assert!(trailer_bytes(&status) <= MAX_TRAILER_BYTES);
}
