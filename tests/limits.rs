//! The size cap and message sanitising: no status grows past what peers
//! accept, and what gives way is dropped in the documented order and marked.

mod common;

use std::time::Duration;

use chat_errors::{
    ChatError, ChatStatusExt, ErrorCode, FieldViolation, MAX_MESSAGE_BYTES, MAX_TRAILER_BYTES,
    MetadataError, RequestInfo, ResourceInfo,
};
use common::over_the_wire;

/// gRPC C-core's default limit on a metadata block, counted as HTTP/2 does:
/// name, value and 32 bytes per entry.
const C_CORE_METADATA_LIMIT: usize = 8 * 1024;

fn header_list_size(headers: &http::HeaderMap) -> usize {
    headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 32)
        .sum()
}

fn trailer_bytes(headers: &http::HeaderMap) -> usize {
    headers.get("grpc-message").map_or(0, |v| v.len())
        + headers
            .get("grpc-status-details-bin")
            .map_or(0, |v| v.len())
}

fn everything_huge(code: ErrorCode) -> ChatError {
    let mut error = ChatError::new(code)
        .with_message("채널 메시지가 너무 깁니다 ".repeat(2_000))
        .with_retry_delay(Duration::from_secs(30))
        .with_resource_info(ResourceInfo {
            resource_type: "chat.demo.v1.Channel".to_owned(),
            resource_name: "r".repeat(5_000),
            owner: String::new(),
            description: String::new(),
        })
        .with_request_info(RequestInfo {
            request_id: "req-7".to_owned(),
            serving_data: "s".repeat(200),
        });
    for index in 0..300 {
        error = error
            .with_metadata(format!("key{index}"), "값".repeat(40))
            .unwrap();
    }
    error.with_field_violations((0..5_000).map(|index| FieldViolation {
        field: format!("members[{index}]"),
        description: "차단된 사용자입니다".to_owned(),
        ..FieldViolation::default()
    }))
}

#[test]
fn no_status_of_any_code_outgrows_the_cap() {
    for code in ErrorCode::iter() {
        let (headers, received) = over_the_wire(everything_huge(code).into());
        assert!(
            trailer_bytes(&headers) <= MAX_TRAILER_BYTES,
            "{code}: {}",
            trailer_bytes(&headers)
        );
        assert!(header_list_size(&headers) < C_CORE_METADATA_LIMIT, "{code}");

        let decoded = received.check_chat_error().unwrap().unwrap();
        assert!(decoded.is(code));
        assert_eq!(decoded.retry_delay(), Some(Duration::from_secs(30)));
        assert!(decoded.message().ends_with('…'));
        assert!(decoded.message().len() <= MAX_MESSAGE_BYTES);
        assert_eq!(
            decoded.localized_message("ko-KR"),
            Some(code.description_ko())
        );
    }
}

#[test]
fn parts_are_dropped_in_order_and_the_marker_says_which() {
    let (_, received) = over_the_wire(everything_huge(ErrorCode::CannotAddBlockedMember).into());
    let decoded = received.check_chat_error().unwrap().unwrap();

    // Violations go first, then metadata from the last added, then ResourceInfo,
    // then RequestInfo. The 5,000-byte resource name cannot fit, so everything
    // after it in keeping order is gone; RequestInfo stays.
    assert!(decoded.field_violations().is_empty());
    assert_eq!(decoded.resource_info(), None);
    assert_eq!(
        decoded.request_info().map(|r| r.request_id.as_str()),
        Some("req-7")
    );

    let kept = (0..300)
        .filter(|index| decoded.metadata().contains_key(&format!("key{index}")))
        .count();
    assert_eq!(kept, 0, "metadata goes before ResourceInfo");
    assert_eq!(
        decoded.metadata()["truncated"],
        "fieldViolations:5000,metadata:300,resourceInfo:1"
    );
}

#[test]
fn metadata_is_kept_from_the_first_added_when_it_alone_overflows() {
    let mut error = ChatError::new(ErrorCode::MutedInChannel);
    for index in 0..300 {
        error = error
            .with_metadata(format!("key{index}"), "값".repeat(40))
            .unwrap();
    }
    let error = error.with_field_violation("text", "too long");
    let (headers, received) = over_the_wire(error.into());
    assert!(trailer_bytes(&headers) <= MAX_TRAILER_BYTES);
    let decoded = received.check_chat_error().unwrap().unwrap();
    let kept = (0..300)
        .filter(|index| decoded.metadata().contains_key(&format!("key{index}")))
        .count();
    assert!(kept > 10 && kept < 300, "kept {kept}");
    for index in 0..kept {
        assert!(decoded.metadata().contains_key(&format!("key{index}")));
    }
    assert!(decoded.field_violations().is_empty());
    assert_eq!(
        decoded.metadata()["truncated"],
        format!("fieldViolations:1,metadata:{}", 300 - kept)
    );
}

#[test]
fn a_modest_excess_drops_only_the_last_violations() {
    let mut error = ChatError::new(ErrorCode::InvalidParams)
        .with_metadata("channelId", "general")
        .unwrap()
        .with_request_info(RequestInfo {
            request_id: "req-1".to_owned(),
            serving_data: String::new(),
        });
    error = error.with_field_violations((0..200).map(|index| FieldViolation {
        field: format!("members[{index}].user_id"),
        description: "is required".to_owned(),
        ..FieldViolation::default()
    }));
    let (headers, received) = over_the_wire(error.into());
    assert!(trailer_bytes(&headers) <= MAX_TRAILER_BYTES);

    let decoded = received.check_chat_error().unwrap().unwrap();
    let kept = decoded.field_violations().len();
    assert!(kept > 50 && kept < 200, "kept {kept}");
    for (index, violation) in decoded.field_violations().iter().enumerate() {
        assert_eq!(violation.field, format!("members[{index}].user_id"));
    }
    assert_eq!(decoded.metadata()["channelId"], "general");
    assert_eq!(decoded.request_info().unwrap().request_id, "req-1");
    assert_eq!(
        decoded.metadata()["truncated"],
        format!("fieldViolations:{}", 200 - kept)
    );
}

#[test]
fn a_status_within_the_cap_is_sent_whole_and_unmarked() {
    let error = ChatError::new(ErrorCode::InvalidParams)
        .with_field_violation("channel_id", "is required")
        .with_metadata("channelId", "general")
        .unwrap();
    let decoded = over_the_wire(error.into())
        .1
        .check_chat_error()
        .unwrap()
        .unwrap();
    assert_eq!(decoded.field_violations().len(), 1);
    assert!(!decoded.metadata().contains_key("truncated"));
}

#[test]
fn messages_lose_control_characters_and_excess_length() {
    let error = ChatError::new(ErrorCode::ChannelNotFound)
        .with_message("no channel\r\nX-Injected: yes\u{0}");
    assert_eq!(error.message(), "no channel  X-Injected: yes ");
    let received = over_the_wire(error.into()).1;
    assert_eq!(received.message(), "no channel  X-Injected: yes ");

    let long = ChatError::new(ErrorCode::ChannelNotFound).with_message("가".repeat(1_000));
    assert!(long.message().len() <= MAX_MESSAGE_BYTES);
    assert!(long.message().ends_with('…'));
    assert!(long.message().starts_with("가가가"));
}

#[test]
fn the_marker_key_is_reserved() {
    assert_eq!(
        ChatError::new(ErrorCode::ChannelNotFound)
            .with_metadata("truncated", "no")
            .unwrap_err(),
        MetadataError::ReservedKey("truncated".to_owned())
    );
}
