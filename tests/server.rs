//! The server direction's optional parts, each checked on the wire.

mod common;

use std::time::Duration;

use chat_errors::{
    ChatError, ChatStatusExt, Domain, ErrorCode, FieldViolation, LocalizedMessage, MetadataError,
    RequestInfo, ResourceInfo,
};
use common::{over_the_wire, rpc_status};

fn type_names(status: &tonic::Status) -> Vec<String> {
    rpc_status(status)
        .details
        .iter()
        .map(|d| {
            d.type_url
                .trim_start_matches("type.googleapis.com/")
                .to_owned()
        })
        .collect()
}

#[test]
fn a_custom_message_replaces_the_english_description_everywhere() {
    let error =
        ChatError::new(ErrorCode::ChannelNotFound).with_message("채널 #일반 을 찾을 수 없음 100%");
    let (headers, received) = over_the_wire(error.into());

    // tonic percent-encodes the message on the way out and decodes it on the way in.
    assert!(
        headers["grpc-message"]
            .to_str()
            .unwrap()
            .contains("%EC%B1%84")
    );
    assert_eq!(received.message(), "채널 #일반 을 찾을 수 없음 100%");
    assert_eq!(rpc_status(&received).message, received.message());

    let decoded = received.check_chat_error().unwrap().unwrap();
    assert!(decoded.is(ErrorCode::ChannelNotFound));
    assert_eq!(decoded.message(), "채널 #일반 을 찾을 수 없음 100%");
    assert_eq!(
        decoded
            .localized_message()
            .map(|m| (m.locale.as_str(), m.message.as_str())),
        Some(("ko-KR", "존재하지 않는 채널입니다"))
    );
}

#[test]
fn extra_metadata_travels_beside_the_reserved_keys() {
    let error = ChatError::new(ErrorCode::MutedInChannel)
        .with_metadata("channelId", "general")
        .unwrap()
        .with_metadata("muted-until", "2026-12-01T00:00:00Z")
        .unwrap()
        .with_metadata("channelId", "random")
        .unwrap();
    assert_eq!(
        error.metadata().collect::<Vec<_>>(),
        [
            ("channelId", "random"),
            ("muted-until", "2026-12-01T00:00:00Z")
        ]
    );

    let decoded = over_the_wire(error.into())
        .1
        .check_chat_error()
        .unwrap()
        .unwrap();
    let metadata = decoded.metadata();
    assert_eq!(metadata.len(), 4);
    assert_eq!(metadata["code"], "2027");
    assert_eq!(metadata["message"], "MutedInChannel");
    assert_eq!(metadata["channelId"], "random");
    assert_eq!(metadata["muted-until"], "2026-12-01T00:00:00Z");
}

#[test]
fn reserved_and_malformed_metadata_keys_are_refused() {
    let error = || ChatError::new(ErrorCode::MutedInChannel);
    for reserved in ["code", "message"] {
        assert_eq!(
            error().with_metadata(reserved, "x").unwrap_err(),
            MetadataError::ReservedKey(reserved.to_owned())
        );
    }
    let too_long = "k".repeat(65);
    for bad in [
        "",
        "x",
        "Channel",
        "1abc",
        "channel id",
        "채널",
        "a.b",
        too_long.as_str(),
    ] {
        assert_eq!(
            error().with_metadata(bad, "x").unwrap_err(),
            MetadataError::InvalidKey(bad.to_owned()),
            "{bad:?}"
        );
    }
    let longest = "k".repeat(64);
    for good in [
        "ab",
        "channelId",
        "muted-until",
        "user_id2",
        longest.as_str(),
    ] {
        assert!(error().with_metadata(good, "x").is_ok(), "{good:?}");
    }
}

#[test]
fn a_retry_delay_is_sent_as_retry_info() {
    let error =
        ChatError::new(ErrorCode::TooManyRequests).with_retry_delay(Duration::from_millis(1500));
    let received = over_the_wire(error.into()).1;
    assert_eq!(
        type_names(&received),
        [
            "google.rpc.ErrorInfo",
            "google.rpc.LocalizedMessage",
            "google.rpc.RetryInfo"
        ]
    );
    let decoded = received.check_chat_error().unwrap().unwrap();
    assert_eq!(decoded.retry_delay(), Some(Duration::from_millis(1500)));
    assert_eq!(decoded.grpc_code(), tonic::Code::ResourceExhausted);
}

#[test]
fn an_enormous_retry_delay_saturates_instead_of_failing() {
    let error = ChatError::new(ErrorCode::TooManyRequests).with_retry_delay(Duration::MAX);
    let decoded = over_the_wire(error.into())
        .1
        .check_chat_error()
        .unwrap()
        .unwrap();
    assert_eq!(
        decoded.retry_delay(),
        Some(Duration::new(315_576_000_000, 999_999_999))
    );
}

#[test]
fn field_violations_are_sent_as_one_bad_request() {
    let detailed = FieldViolation {
        field: "message.text".to_owned(),
        description: "text or data is required".to_owned(),
        reason: "EMPTY_MESSAGE".to_owned(),
        localized_message: Some(LocalizedMessage {
            locale: "ko-KR".to_owned(),
            message: "메시지가 비어 있습니다".to_owned(),
        }),
    };
    let error = ChatError::new(ErrorCode::InvalidParams)
        .with_field_violation("channel_id", "must not be empty")
        .with_field_violations([detailed.clone()]);
    let received = over_the_wire(error.into()).1;
    assert_eq!(
        type_names(&received),
        [
            "google.rpc.ErrorInfo",
            "google.rpc.LocalizedMessage",
            "google.rpc.BadRequest"
        ]
    );
    let decoded = received.check_chat_error().unwrap().unwrap();
    assert_eq!(
        decoded.field_violations(),
        [
            FieldViolation {
                field: "channel_id".to_owned(),
                description: "must not be empty".to_owned(),
                ..FieldViolation::default()
            },
            detailed
        ]
    );
}

#[test]
fn resource_and_request_info_come_last_in_contract_order() {
    let resource = ResourceInfo {
        resource_type: "chat.demo.v1.Channel".to_owned(),
        resource_name: "channels/general".to_owned(),
        owner: "user:alice".to_owned(),
        description: "the channel to join".to_owned(),
    };
    let request = RequestInfo {
        request_id: "req-42".to_owned(),
        serving_data: String::new(),
    };
    let error = ChatError::new(ErrorCode::ChannelNotFound)
        .with_request_info(request.clone())
        .with_resource_info(resource.clone())
        .with_field_violation("channel_id", "unknown")
        .with_retry_delay(Duration::from_secs(1));
    let received = over_the_wire(error.into()).1;
    assert_eq!(
        type_names(&received),
        [
            "google.rpc.ErrorInfo",
            "google.rpc.LocalizedMessage",
            "google.rpc.RetryInfo",
            "google.rpc.BadRequest",
            "google.rpc.ResourceInfo",
            "google.rpc.RequestInfo",
        ]
    );
    let decoded = received.check_chat_error().unwrap().unwrap();
    assert_eq!(decoded.resource_info(), Some(&resource));
    assert_eq!(decoded.request_info(), Some(&request));
}

#[test]
fn a_source_error_is_kept_for_logs_and_never_sent() {
    let cause = std::io::Error::other("db password=hunter2 at 10.0.0.7");
    let error = ChatError::new(ErrorCode::InternalServerError1003).with_source(cause);
    assert_eq!(
        std::error::Error::source(&error).map(ToString::to_string),
        Some("db password=hunter2 at 10.0.0.7".to_owned())
    );
    assert_eq!(
        error.to_string(),
        "1003 InternalServerError: A server error occurred. Please retry or contact support."
    );

    let status = error.into_status();
    assert_eq!(
        std::error::Error::source(&status).map(ToString::to_string),
        Some("db password=hunter2 at 10.0.0.7".to_owned()),
        "the status keeps the source for server-side logging"
    );
    let (headers, received) = over_the_wire(status);
    for (name, value) in &headers {
        let text = String::from_utf8_lossy(value.as_bytes());
        assert!(!text.contains("hunter2"), "{name} leaks the source");
    }
    assert!(!String::from_utf8_lossy(received.details()).contains("hunter2"));
    assert!(!received.message().contains("hunter2"));
}

#[test]
fn a_service_domain_is_sent_and_expected() {
    let domain = Domain::new("chat.example.com").unwrap();
    let received = over_the_wire(domain.error(ErrorCode::BannedFromChannel).into()).1;
    let decoded = received.check_chat_error_in(&domain).unwrap().unwrap();
    assert_eq!(decoded.domain(), "chat.example.com");
    assert!(decoded.is(ErrorCode::BannedFromChannel));
    assert_eq!(received.check_chat_error().unwrap(), None);
    assert!(!received.is_chat_error(ErrorCode::BannedFromChannel));

    // Two services with different domains keep separate cached details.
    let other = Domain::new("other.example.com").unwrap();
    let from_other = over_the_wire(other.error(ErrorCode::BannedFromChannel).into()).1;
    assert_eq!(
        from_other.chat_error_code_in(&other),
        Some(ErrorCode::BannedFromChannel)
    );
    assert_eq!(from_other.chat_error_code_in(&domain), None);
}

#[test]
fn invalid_domains_are_refused() {
    let too_long = "a".repeat(254);
    for bad in ["", "chat example", "채팅.kr", "a/b", too_long.as_str()] {
        assert!(Domain::new(bad).is_err(), "{bad:?}");
    }
    assert_eq!(Domain::default().as_str(), chat_errors::DEFAULT_DOMAIN);
    assert_eq!(
        "chat.example.com".parse::<Domain>().unwrap().to_string(),
        "chat.example.com"
    );
}

#[test]
fn display_names_the_code_and_the_message_sent() {
    let error =
        ChatError::new(ErrorCode::WrongInvitationCode).with_message("초대코드가 틀렸습니다");
    assert_eq!(
        error.to_string(),
        "2014 WrongInvitationCode: 초대코드가 틀렸습니다"
    );
    assert_eq!(error.message(), "초대코드가 틀렸습니다");
    assert_eq!(error.code(), ErrorCode::WrongInvitationCode);
}

#[test]
fn an_error_stays_small_enough_to_return_by_value() {
    // Clippy's result_large_err fires at 128 bytes; handlers return these in a Result.
    assert!(
        std::mem::size_of::<ChatError>() <= 64,
        "{}",
        std::mem::size_of::<ChatError>()
    );
    assert!(std::mem::size_of::<Result<(), ChatError>>() <= 64);
}
