//! The server direction's optional parts, each checked on the wire.

mod common;

use std::time::Duration;

use chat_errors::{
    ChatError, ChatStatusExt, Domain, ErrorCode, FieldViolation, LocalizedMessage, MetadataKey,
    RequestInfo, ResourceInfo, Settings,
};
use common::{over_the_wire, rpc_status};
use prost::Message;

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

    let decoded = received
        .check_chat_error(&Domain::default())
        .unwrap()
        .unwrap();
    assert_eq!(decoded.code(), Some(ErrorCode::ChannelNotFound));
    assert_eq!(decoded.message(), "채널 #일반 을 찾을 수 없음 100%");
    assert_eq!(
        decoded
            .localized_message()
            .map(|m| (m.locale.as_str(), m.message.as_str())),
        Some(("ko-KR", "존재하지 않는 채널입니다"))
    );
}

/// `google.rpc.ErrorInfo` with its metadata map read as what it is on the
/// wire, repeated key-value entries, so that order and repeats show.
#[derive(Clone, PartialEq, prost::Message)]
struct ErrorInfoEntries {
    #[prost(string, tag = "1")]
    reason: String,
    #[prost(string, tag = "2")]
    domain: String,
    #[prost(message, repeated, tag = "3")]
    metadata: Vec<MetadataEntry>,
}

#[derive(Clone, PartialEq, prost::Message)]
struct MetadataEntry {
    #[prost(string, tag = "1")]
    key: String,
    #[prost(string, tag = "2")]
    value: String,
}

/// The ErrorInfo's extra metadata entries (all but `code` and `message`), in wire order.
fn extra_metadata_entries(status: &tonic::Status) -> Vec<(String, String)> {
    let info = &rpc_status(status).details[0];
    assert_eq!(info.type_url, "type.googleapis.com/google.rpc.ErrorInfo");
    ErrorInfoEntries::decode(&info.value[..])
        .unwrap()
        .metadata
        .into_iter()
        .filter(|entry| entry.key != "code" && entry.key != "message")
        .map(|entry| (entry.key, entry.value))
        .collect()
}

#[test]
fn extra_metadata_travels_beside_the_reserved_keys() {
    let error = ChatError::new(ErrorCode::MutedInChannel)
        .with_metadata(MetadataKey::from_static("channelId"), "general")
        .with_metadata(
            MetadataKey::from_static("muted-until"),
            "2026-12-01T00:00:00Z",
        )
        .with_metadata(MetadataKey::from_static("channelId"), "random");
    let received = over_the_wire(error.into()).1;
    // A repeated key replaces the earlier value in place.
    assert_eq!(
        extra_metadata_entries(&received),
        [
            ("channelId".to_owned(), "random".to_owned()),
            ("muted-until".to_owned(), "2026-12-01T00:00:00Z".to_owned())
        ]
    );

    let decoded = received
        .check_chat_error(&Domain::default())
        .unwrap()
        .unwrap();
    let metadata = decoded.metadata();
    assert_eq!(metadata.len(), 4);
    assert_eq!(metadata["code"], "2027");
    assert_eq!(metadata["message"], "MutedInChannel");
    assert_eq!(metadata["channelId"], "random");
    assert_eq!(metadata["muted-until"], "2026-12-01T00:00:00Z");
}

/// What `google.rpc.ErrorInfo` documents for a metadata key: "Keys must
/// match a regular expression of `[a-z][a-zA-Z0-9-_]+` [...] and must be
/// limited to 64 characters in length"; and the keys the wire contract
/// fills in itself (`code`, `message`, `truncated`).
enum Verdict {
    Accepted,
    Malformed,
    Reserved,
}

fn metadata_key_table() -> Vec<(&'static str, Verdict)> {
    use Verdict::*;
    let longest: &'static str = "k".repeat(64).leak();
    let too_long: &'static str = "k".repeat(65).leak();
    vec![
        ("ab", Accepted),
        ("channelId", Accepted),
        ("muted-until", Accepted),
        ("user_id2", Accepted),
        ("a-", Accepted),
        ("a_", Accepted),
        ("a0", Accepted),
        ("zZ9-_", Accepted),
        ("codes", Accepted),
        ("messageId", Accepted),
        (longest, Accepted),
        // The regular expression's `+`: at least two characters.
        ("", Malformed),
        ("x", Malformed),
        // The first character is a lowercase ASCII letter.
        ("Channel", Malformed),
        ("CODE", Malformed),
        ("1abc", Malformed),
        ("-ab", Malformed),
        ("_ab", Malformed),
        ("éa", Malformed),
        // The rest are ASCII letters, digits, `-` and `_`.
        ("channel id", Malformed),
        ("a.b", Malformed),
        ("a/b", Malformed),
        ("a:b", Malformed),
        ("a+b", Malformed),
        ("ab\n", Malformed),
        ("a\0b", Malformed),
        ("a\u{202E}b", Malformed),
        ("채널", Malformed),
        ("aé", Malformed),
        ("ａb", Malformed),
        // At most 64 characters.
        (too_long, Malformed),
        // The wire contract's own keys.
        ("code", Reserved),
        ("message", Reserved),
        ("truncated", Reserved),
    ]
}

#[test]
fn a_metadata_key_is_refused_exactly_where_error_info_refuses_it() {
    for (key, verdict) in metadata_key_table() {
        let parsed = key.parse::<MetadataKey>();
        let from_static = std::panic::catch_unwind(|| MetadataKey::from_static(key));
        match verdict {
            Verdict::Accepted => {
                assert_eq!(parsed.as_ref().map(MetadataKey::as_str), Ok(key), "{key:?}");
                assert_eq!(
                    from_static.as_ref().map(MetadataKey::as_str).ok(),
                    Some(key)
                );
                // And it arrives as that key.
                let sent = ChatError::new(ErrorCode::MutedInChannel)
                    .with_metadata(parsed.unwrap(), "x")
                    .into_status();
                assert_eq!(
                    extra_metadata_entries(&over_the_wire(sent).1),
                    [(key.to_owned(), "x".to_owned())]
                );
            }
            Verdict::Malformed | Verdict::Reserved => {
                let why = match verdict {
                    Verdict::Reserved => "reserved",
                    _ => "must match [a-z][a-zA-Z0-9-_]+",
                };
                let refusal = parsed.expect_err(key).to_string();
                assert!(refusal.contains(&format!("{key:?}")), "{refusal}");
                assert!(refusal.contains(why), "{key:?}: {refusal}");
                let panic = from_static.expect_err(key);
                let panic = panic.downcast_ref::<&str>().copied().unwrap_or_default();
                assert!(panic.contains(why), "{key:?}: {panic}");
            }
        }
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
    let decoded = received
        .check_chat_error(&Domain::default())
        .unwrap()
        .unwrap();
    assert_eq!(decoded.retry_delay(), Some(Duration::from_millis(1500)));
    assert_eq!(decoded.grpc_code(), tonic::Code::ResourceExhausted);
}

#[test]
fn an_enormous_retry_delay_saturates_instead_of_failing() {
    let error = ChatError::new(ErrorCode::TooManyRequests).with_retry_delay(Duration::MAX);
    let decoded = over_the_wire(error.into())
        .1
        .check_chat_error(&Domain::default())
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
    let decoded = received
        .check_chat_error(&Domain::default())
        .unwrap()
        .unwrap();
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
    let decoded = received
        .check_chat_error(&Domain::default())
        .unwrap()
        .unwrap();
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
    let settings = Settings::new(domain.clone());
    assert_eq!(settings.domain(), &domain);
    let received = over_the_wire(settings.error(ErrorCode::BannedFromChannel).into()).1;
    let decoded = received.check_chat_error(&domain).unwrap().unwrap();
    assert_eq!(decoded.domain(), "chat.example.com");
    assert_eq!(decoded.code(), Some(ErrorCode::BannedFromChannel));
    assert_eq!(received.check_chat_error(&Domain::default()).unwrap(), None);
    assert_eq!(received.chat_error_code(&Domain::default()), None);

    // Two services with different domains keep separate cached details.
    let other = Domain::new("other.example.com").unwrap();
    let from_other = over_the_wire(
        Settings::new(other.clone())
            .error(ErrorCode::BannedFromChannel)
            .into(),
    )
    .1;
    assert_eq!(
        from_other.chat_error_code(&other),
        Some(ErrorCode::BannedFromChannel)
    );
    assert_eq!(from_other.chat_error_code(&domain), None);

    // The default settings raise errors in the default domain.
    let default = Settings::default();
    assert_eq!(default.domain(), &Domain::default());
    let from_default = over_the_wire(default.error(ErrorCode::BannedFromChannel).into()).1;
    let decoded = from_default
        .check_chat_error(&Domain::default())
        .unwrap()
        .unwrap();
    assert_eq!(decoded.domain(), chat_errors::DEFAULT_DOMAIN);
    assert_eq!(from_default.chat_error_code(&domain), None);
}

#[test]
fn invalid_domains_are_refused() {
    let too_long = "a".repeat(254);
    for bad in ["", "chat example", "채팅.kr", "a/b", too_long.as_str()] {
        assert!(Domain::new(bad).is_err(), "{bad:?}");
    }
    assert_eq!(Domain::default().as_str(), chat_errors::DEFAULT_DOMAIN);
    assert_eq!(
        Domain::new("chat.example.com").unwrap().to_string(),
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
