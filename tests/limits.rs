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
            decoded
                .localized_message()
                .map(|m| (m.locale.as_str(), m.message.as_str())),
            Some(("ko-KR", code.description_ko()))
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

    let spoofed = ChatError::new(ErrorCode::ChannelNotFound)
        .with_message("user \u{202E}nimda\u{202C} left\u{2028}admin: ok");
    let received = over_the_wire(spoofed.into()).1;
    assert_eq!(received.message(), "user  nimda  left admin: ok");

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

/// The optional parts of one error, in keeping order.
struct Parts {
    request: Option<RequestInfo>,
    resource: Option<ResourceInfo>,
    metadata: Vec<(String, String)>,
    violations: Vec<FieldViolation>,
}

impl Parts {
    fn len(&self) -> usize {
        usize::from(self.request.is_some())
            + usize::from(self.resource.is_some())
            + self.metadata.len()
            + self.violations.len()
    }

    fn error(&self, code: ErrorCode, message: &str) -> ChatError {
        let mut error = ChatError::new(code)
            .with_message(message)
            .with_retry_delay(Duration::from_millis(1_500))
            .with_field_violations(self.violations.clone());
        for (key, value) in &self.metadata {
            error = error.with_metadata(key, value).unwrap();
        }
        if let Some(resource) = &self.resource {
            error = error.with_resource_info(resource.clone());
        }
        if let Some(request) = &self.request {
            error = error.with_request_info(request.clone());
        }
        error
    }

    /// The trailer bytes tonic sends for `code` keeping the first `kept`
    /// parts, with the marker the crate documents, encoded by prost alone.
    fn sent_bytes_keeping(&self, code: ErrorCode, message: &str, kept: usize) -> usize {
        use tonic_types::pb;
        let mut left = kept;
        let mut take = |present: bool| {
            let keep = present && left > 0;
            left -= usize::from(keep);
            keep
        };
        let request = take(self.request.is_some());
        let resource = take(self.resource.is_some());
        let metadata = left.min(self.metadata.len());
        let violations = (left - metadata).min(self.violations.len());

        let mut marker = Vec::new();
        for (name, dropped) in [
            ("fieldViolations", self.violations.len() - violations),
            ("metadata", self.metadata.len() - metadata),
            (
                "resourceInfo",
                usize::from(self.resource.is_some() && !resource),
            ),
            (
                "requestInfo",
                usize::from(self.request.is_some() && !request),
            ),
        ] {
            if dropped > 0 {
                marker.push(format!("{name}:{dropped}"));
            }
        }
        let mut info_metadata: std::collections::HashMap<String, String> =
            self.metadata[..metadata].iter().cloned().collect();
        info_metadata.insert("code".to_owned(), code.as_i32().to_string());
        info_metadata.insert("message".to_owned(), code.name().to_owned());
        if kept < self.len() {
            info_metadata.insert("truncated".to_owned(), marker.join(","));
        }
        let mut details = vec![
            common::any(
                "google.rpc.ErrorInfo",
                &pb::ErrorInfo {
                    reason: code.reason().to_owned(),
                    domain: chat_errors::DEFAULT_DOMAIN.to_owned(),
                    metadata: info_metadata,
                },
            ),
            common::any(
                "google.rpc.LocalizedMessage",
                &pb::LocalizedMessage {
                    locale: "ko-KR".to_owned(),
                    message: code.description_ko().to_owned(),
                },
            ),
            common::any(
                "google.rpc.RetryInfo",
                &pb::RetryInfo {
                    retry_delay: Some(prost_types::Duration {
                        seconds: 1,
                        nanos: 500_000_000,
                    }),
                },
            ),
        ];
        if violations > 0 {
            details.push(common::any(
                "google.rpc.BadRequest",
                &pb::BadRequest {
                    field_violations: self.violations[..violations].to_vec(),
                },
            ));
        }
        if resource {
            details.push(common::any(
                "google.rpc.ResourceInfo",
                self.resource.as_ref().unwrap(),
            ));
        }
        if request {
            details.push(common::any(
                "google.rpc.RequestInfo",
                self.request.as_ref().unwrap(),
            ));
        }
        let status = common::status_with_details(code.grpc_code(), message, details);
        let mut headers = http::HeaderMap::new();
        status.add_header(&mut headers).unwrap();
        trailer_bytes(&headers)
    }

    /// How many parts `decoded` kept, checking that they are the first ones.
    fn kept_in(&self, decoded: &chat_errors::DecodedChatError) -> usize {
        let request = decoded.request_info().is_some();
        let resource = decoded.resource_info().is_some();
        let metadata = self
            .metadata
            .iter()
            .take_while(|(key, value)| decoded.metadata().get(key) == Some(value))
            .count();
        let violations = decoded.field_violations();
        assert_eq!(violations, &self.violations[..violations.len()]);
        let kept = usize::from(request) + usize::from(resource) + metadata + violations.len();
        // Each kind is kept only when everything before it in keeping order is.
        assert!(request || kept == 0);
        assert!(resource || kept <= usize::from(request));
        assert!(violations.is_empty() || metadata == self.metadata.len());
        kept
    }
}

/// Parts whose last metadata entry costs less than the `metadata:1` its
/// dropping adds to the marker, so keeping it can make a status fit that
/// does not fit without it.
fn mixed_parts() -> Parts {
    Parts {
        request: Some(RequestInfo {
            request_id: "r".to_owned(),
            serving_data: String::new(),
        }),
        resource: Some(ResourceInfo {
            resource_type: "chat.demo.v1.Channel".to_owned(),
            resource_name: "channels/".to_owned() + &"c".repeat(2_000),
            owner: String::new(),
            description: String::new(),
        }),
        metadata: (0..7)
            .map(|index| {
                let value = if index == 6 {
                    String::new()
                } else {
                    "v".repeat(200 + index * 17)
                };
                (format!("k{index}"), value)
            })
            .collect(),
        violations: (0..7)
            .map(|index| FieldViolation {
                field: format!("members[{index}]"),
                description: "차단된 사용자입니다".repeat(10 + index),
                ..FieldViolation::default()
            })
            .collect(),
    }
}

/// What a search that assumes a longer run never fits after a shorter one
/// fails would answer, given which runs fit.
fn bisection_answer(fits: &[bool]) -> usize {
    let (mut fitting, mut too_many) = (0, fits.len() - 1);
    while too_many - fitting > 1 {
        let middle = fitting + (too_many - fitting) / 2;
        if fits[middle] {
            fitting = middle;
        } else {
            too_many = middle;
        }
    }
    fitting
}

#[test]
fn the_longest_run_of_parts_that_fits_is_kept() {
    let parts = mixed_parts();
    let code = ErrorCode::CannotAddBlockedMember;
    let mut bisection_would_err = 0;
    let mut partial = 0;
    // Each byte of the message moves the cap's edge a little across the parts.
    for message_len in 0..=MAX_MESSAGE_BYTES {
        let message = "a".repeat(message_len);
        let fits: Vec<bool> = (0..=parts.len())
            .map(|kept| parts.sent_bytes_keeping(code, &message, kept) <= MAX_TRAILER_BYTES)
            .collect();
        let expected = fits
            .iter()
            .rposition(|fits| *fits)
            .expect("keeping no parts always fits");
        if expected < parts.len() {
            partial += usize::from(expected > 0);
            bisection_would_err += usize::from(bisection_answer(&fits) != expected);
        }

        let (headers, received) = over_the_wire(parts.error(code, &message).into());
        let decoded = received.check_chat_error().unwrap().unwrap();
        assert_eq!(
            parts.kept_in(&decoded),
            expected,
            "message of {message_len} bytes"
        );
        assert_eq!(
            trailer_bytes(&headers),
            parts.sent_bytes_keeping(code, &message, expected),
            "message of {message_len} bytes"
        );
    }
    assert!(partial > 0, "the sweep never dropped only some parts");
    assert!(
        bisection_would_err > 0,
        "the sweep never met a run that fits after a shorter one that does not"
    );
}
#[test]
fn with_every_optional_part_dropped_the_status_fits_for_every_code() {
    // The worst case for what must stay: the longest domain, a message of
    // bytes that each percent-encode to three, the longest retry delay,
    // and a marker naming every kind with large counts.
    let domain = chat_errors::Domain::new("d".repeat(253)).unwrap();
    let too_big = "x".repeat(MAX_TRAILER_BYTES);
    for code in ErrorCode::iter() {
        let mut error = ChatError::new(code)
            .with_domain(domain.clone())
            .with_message("가".repeat(MAX_MESSAGE_BYTES))
            .with_retry_delay(Duration::MAX)
            .with_request_info(RequestInfo {
                request_id: too_big.clone(),
                serving_data: String::new(),
            })
            .with_resource_info(ResourceInfo {
                resource_name: too_big.clone(),
                ..ResourceInfo::default()
            })
            .with_field_violations((0..100_000).map(|_| FieldViolation {
                field: too_big[..100].to_owned(),
                ..FieldViolation::default()
            }));
        for index in 0..1_000 {
            error = error
                .with_metadata(format!("key{index}"), &too_big[..100])
                .unwrap();
        }
        let (headers, received) = over_the_wire(error.into());
        assert!(
            trailer_bytes(&headers) <= MAX_TRAILER_BYTES,
            "{code}: {}",
            trailer_bytes(&headers)
        );
        assert!(header_list_size(&headers) < C_CORE_METADATA_LIMIT, "{code}");
        let decoded = received.check_chat_error_in(&domain).unwrap().unwrap();
        assert_eq!(
            decoded.metadata()["truncated"],
            "fieldViolations:100000,metadata:1000,resourceInfo:1,requestInfo:1"
        );
    }
}
