//! The client direction on statuses this crate did not build: other
//! domains, no details, codes from a newer catalogue, and garbage.

mod common;

use chat_errors::{ChatStatusExt, DecodeError, Domain, ErrorCode, Settings};
use common::{any, error_info, fixture_rows, over_the_wire, status_with_details};
use tonic::{Code, Status};
use tonic_types::pb;

const KOREAN: (&str, &str) = ("ko-KR", "존재하지 않는 채널입니다");

fn localized() -> prost_types::Any {
    any(
        "google.rpc.LocalizedMessage",
        &pb::LocalizedMessage {
            locale: KOREAN.0.to_owned(),
            message: KOREAN.1.to_owned(),
        },
    )
}

#[test]
fn a_status_without_details_is_not_a_chat_error() {
    let status = Status::not_found("no route");
    assert_eq!(status.check_chat_error(&Domain::default()), Ok(None));
    assert_eq!(status.get_chat_error(&Domain::default()), None);
    assert_eq!(status.chat_error_code(&Domain::default()), None);
}

#[test]
fn an_error_info_of_another_domain_is_not_ours() {
    let status = status_with_details(
        Code::NotFound,
        "channel gone",
        vec![error_info(
            "CHANNEL_NOT_FOUND",
            "pubsub.googleapis.com",
            &[("code", "2003")],
        )],
    );
    assert_eq!(status.check_chat_error(&Domain::default()), Ok(None));
    assert_eq!(status.get_chat_error(&Domain::default()), None);
    assert_eq!(status.chat_error_code(&Domain::default()), None);

    // It is that domain's own chat error.
    let theirs = Domain::new("pubsub.googleapis.com").unwrap();
    let decoded = status.check_chat_error(&theirs).unwrap().unwrap();
    assert_eq!(decoded.code(), Some(ErrorCode::ChannelNotFound));
    assert_eq!(decoded.domain(), "pubsub.googleapis.com");
    assert_eq!(decoded.message(), "channel gone");
}

#[test]
fn our_error_info_is_found_among_foreign_details() {
    let status = status_with_details(
        Code::NotFound,
        "The channel does not exist.",
        vec![
            error_info("NOT_FOUND", "proxy.example.com", &[]),
            any("google.rpc.DebugInfo", &pb::DebugInfo::default()),
            error_info("CHANNEL_NOT_FOUND", "chat.errors.v1", &[("code", "2003")]),
            localized(),
        ],
    );
    let decoded = status
        .check_chat_error(&Domain::default())
        .unwrap()
        .unwrap();
    assert_eq!(decoded.code(), Some(ErrorCode::ChannelNotFound));
    let localized = decoded.localized_message().expect("a LocalizedMessage");
    assert_eq!(
        (localized.locale.as_str(), localized.message.as_str()),
        KOREAN
    );
}

#[test]
fn an_unknown_code_from_a_newer_server_is_kept() {
    let status = status_with_details(
        Code::FailedPrecondition,
        "Threads are archived.",
        vec![error_info(
            "THREAD_ARCHIVED",
            "chat.errors.v1",
            &[("code", "7001"), ("message", "ThreadArchived")],
        )],
    );
    let decoded = status
        .check_chat_error(&Domain::default())
        .unwrap()
        .unwrap();
    assert_eq!(decoded.code(), None);
    assert_eq!(decoded.number(), Some(7001));
    assert_eq!(decoded.reason(), "THREAD_ARCHIVED");
    assert_eq!(decoded.name(), Some("ThreadArchived"));
    assert_eq!(decoded.grpc_code(), Code::FailedPrecondition);
    assert_eq!(
        decoded.to_string(),
        "7001 THREAD_ARCHIVED: Threads are archived."
    );
    // The premise: the catalogue has neither the number nor the reason.
    assert!(
        fixture_rows()
            .iter()
            .all(|row| row.code != 7001 && row.reason != "THREAD_ARCHIVED")
    );
    assert_eq!(status.chat_error_code(&Domain::default()), None);
}

#[test]
fn the_metadata_code_wins_and_the_reason_is_the_fallback() {
    let by_reason = status_with_details(
        Code::PermissionDenied,
        "muted",
        vec![error_info("MUTED_IN_CHANNEL", "chat.errors.v1", &[])],
    );
    let decoded = by_reason
        .check_chat_error(&Domain::default())
        .unwrap()
        .unwrap();
    assert_eq!(decoded.code(), Some(ErrorCode::MutedInChannel));
    assert_eq!(decoded.number(), Some(2027));

    let unknown_reason = status_with_details(
        Code::PermissionDenied,
        "?",
        vec![error_info("SOMETHING_NEW", "chat.errors.v1", &[])],
    );
    let decoded = unknown_reason
        .check_chat_error(&Domain::default())
        .unwrap()
        .unwrap();
    assert_eq!((decoded.code(), decoded.number()), (None, None));
    assert_eq!(decoded.reason(), "SOMETHING_NEW");
}

#[test]
fn a_non_numeric_code_is_refused_strictly_and_read_from_the_reason_leniently() {
    let status = status_with_details(
        Code::PermissionDenied,
        "muted",
        vec![error_info(
            "MUTED_IN_CHANNEL",
            "chat.errors.v1",
            &[("code", "2027x")],
        )],
    );
    assert_eq!(
        status.check_chat_error(&Domain::default()),
        Err(DecodeError::InvalidCodeMetadata("2027x".to_owned()))
    );
    assert_eq!(
        status.chat_error_code(&Domain::default()),
        Some(ErrorCode::MutedInChannel)
    );
}

#[test]
fn garbage_details_give_a_typed_error_never_a_panic() {
    for garbage in [
        &b"\xff\xff\xff\xff"[..],
        b"\x0a\x05abc",
        b"\x1a\x02\x0a\x09",
        b"not protobuf at all",
        b"\x08",
    ] {
        let status = Status::with_details(Code::NotFound, "x", garbage.to_vec().into());
        let strict = status.check_chat_error(&Domain::default());
        assert!(
            matches!(strict, Err(DecodeError::MalformedStatus(_))),
            "{garbage:?} gave {strict:?}"
        );
        assert_eq!(status.get_chat_error(&Domain::default()), None);
        assert_eq!(status.chat_error_code(&Domain::default()), None);
    }
}

#[test]
fn a_malformed_optional_detail_fails_strictly_and_is_skipped_leniently() {
    let mut broken_retry = any("google.rpc.RetryInfo", &pb::RetryInfo::default());
    broken_retry.value = vec![0x0a, 0x7f];
    let status = status_with_details(
        Code::ResourceExhausted,
        "slow down",
        vec![
            error_info("TOO_MANY_REQUESTS", "chat.errors.v1", &[("code", "1010")]),
            broken_retry,
            localized(),
        ],
    );
    assert!(matches!(
        status.check_chat_error(&Domain::default()),
        Err(DecodeError::MalformedDetail {
            type_name: "google.rpc.RetryInfo",
            ..
        })
    ));
    let lenient = status.get_chat_error(&Domain::default()).unwrap();
    assert_eq!(lenient.code(), Some(ErrorCode::TooManyRequests));
    assert_eq!(lenient.retry_delay(), None);
    let localized = lenient.localized_message().expect("a LocalizedMessage");
    assert_eq!(
        (localized.locale.as_str(), localized.message.as_str()),
        KOREAN
    );
}

#[test]
fn a_negative_retry_delay_is_refused_strictly() {
    let status = status_with_details(
        Code::ResourceExhausted,
        "slow down",
        vec![
            error_info("TOO_MANY_REQUESTS", "chat.errors.v1", &[("code", "1010")]),
            any(
                "google.rpc.RetryInfo",
                &pb::RetryInfo {
                    retry_delay: Some(prost_types::Duration {
                        seconds: -5,
                        nanos: 0,
                    }),
                },
            ),
        ],
    );
    assert_eq!(
        status.check_chat_error(&Domain::default()),
        Err(DecodeError::InvalidRetryDelay)
    );
    assert_eq!(
        status
            .get_chat_error(&Domain::default())
            .unwrap()
            .retry_delay(),
        None
    );
}

#[test]
fn repeated_details_are_refused_strictly_and_the_first_wins_leniently() {
    let status = status_with_details(
        Code::NotFound,
        "x",
        vec![
            error_info("CHANNEL_NOT_FOUND", "chat.errors.v1", &[("code", "2003")]),
            error_info("USER_NOT_FOUND", "chat.errors.v1", &[("code", "3003")]),
        ],
    );
    assert_eq!(
        status.check_chat_error(&Domain::default()),
        Err(DecodeError::DuplicateDetail {
            type_name: "google.rpc.ErrorInfo"
        })
    );
    assert_eq!(
        status.chat_error_code(&Domain::default()),
        Some(ErrorCode::ChannelNotFound)
    );
}

#[test]
fn details_that_disagree_with_the_headers_are_refused_strictly() {
    let rpc = pb::Status {
        code: Code::NotFound as i32,
        message: "The channel does not exist.".to_owned(),
        details: vec![error_info(
            "CHANNEL_NOT_FOUND",
            "chat.errors.v1",
            &[("code", "2003")],
        )],
    };
    let details: bytes::Bytes = prost::Message::encode_to_vec(&rpc).into();

    let other_code = Status::with_details(Code::Internal, rpc.message.clone(), details.clone());
    assert_eq!(
        other_code.check_chat_error(&Domain::default()),
        Err(DecodeError::CodeMismatch {
            header: 13,
            details: 5
        })
    );
    assert_eq!(
        other_code.chat_error_code(&Domain::default()),
        Some(ErrorCode::ChannelNotFound)
    );

    let other_message = Status::with_details(Code::NotFound, "rewritten by a proxy", details);
    assert_eq!(
        other_message.check_chat_error(&Domain::default()),
        Err(DecodeError::MessageMismatch)
    );
    assert_eq!(
        other_message.chat_error_code(&Domain::default()),
        Some(ErrorCode::ChannelNotFound)
    );
}

#[test]
fn any_type_url_host_is_accepted_as_protobuf_any_is() {
    let mut info = error_info("CHANNEL_NOT_FOUND", "chat.errors.v1", &[("code", "2003")]);
    info.type_url = "example.com/types/google.rpc.ErrorInfo".to_owned();
    let status = status_with_details(Code::NotFound, "x", vec![info]);
    assert_eq!(
        status.chat_error_code(&Domain::default()),
        Some(ErrorCode::ChannelNotFound)
    );
}

#[test]
fn decoded_errors_survive_the_wire_for_a_configured_domain() {
    let domain = Domain::new("chat.example.com").unwrap();
    let settings = Settings::new(domain.clone());
    let received = over_the_wire(settings.error(ErrorCode::UserNotFound).into()).1;
    let decoded = received.check_chat_error(&domain).unwrap().unwrap();
    assert_eq!(decoded.code(), Some(ErrorCode::UserNotFound));
    assert_eq!(
        decoded.to_string(),
        "3003 UserNotFound: The user does not exist."
    );
}
