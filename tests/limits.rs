//! The size cap and message sanitising: no status grows past what peers
//! accept, and what gives way is dropped in the documented order and marked.

mod common;

use std::time::Duration;

use chat_errors::{
    ChatError, ChatStatusExt, Domain, ErrorCode, FieldViolation, Locale, LocalizedMessage,
    MAX_MESSAGE_BYTES, MAX_TRAILER_BYTES, MetadataKey, RequestInfo, ResourceInfo, Settings,
};
use common::over_the_wire;
use tonic_types::pb;

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
        // Each text is cut to MAX_MESSAGE_BYTES: four of them are 4 KiB.
        .with_resource_info(ResourceInfo {
            resource_type: "t".repeat(5_000),
            resource_name: "r".repeat(5_000),
            owner: "o".repeat(5_000),
            description: "d".repeat(5_000),
        })
        .with_request_info(RequestInfo {
            request_id: "req-7".to_owned(),
            serving_data: "s".repeat(200),
        });
    for index in 0..300 {
        error = error.with_metadata(
            format!("key{index}").parse::<MetadataKey>().unwrap(),
            "값".repeat(40),
        );
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

        let decoded = received
            .check_chat_error(&Domain::default())
            .unwrap()
            .unwrap();
        assert_eq!(decoded.code(), Some(code));
        assert_eq!(decoded.retry_delay(), Some(Duration::from_secs(30)));
        assert!(decoded.message().ends_with('…'));
        assert!(decoded.message().len() <= MAX_MESSAGE_BYTES);
        assert_eq!(
            decoded
                .localized_message()
                .map(|m| (m.locale.as_str(), m.message.as_str())),
            Some(("ko-KR", code.description(Locale::KO_KR)))
        );
    }
}

#[test]
fn parts_are_dropped_in_order_and_the_marker_says_which() {
    let (_, received) = over_the_wire(everything_huge(ErrorCode::CannotAddBlockedMember).into());
    let decoded = received
        .check_chat_error(&Domain::default())
        .unwrap()
        .unwrap();

    // Violations go first, then metadata from the last added, then ResourceInfo,
    // then RequestInfo. The 4 KiB ResourceInfo cannot fit, so everything
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
        error = error.with_metadata(
            format!("key{index}").parse::<MetadataKey>().unwrap(),
            "값".repeat(40),
        );
    }
    let error = error.with_field_violation("text", "too long");
    let (headers, received) = over_the_wire(error.into());
    assert!(trailer_bytes(&headers) <= MAX_TRAILER_BYTES);
    let decoded = received
        .check_chat_error(&Domain::default())
        .unwrap()
        .unwrap();
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
        .with_metadata(MetadataKey::from_static("channelId"), "general")
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

    let decoded = received
        .check_chat_error(&Domain::default())
        .unwrap()
        .unwrap();
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
        .with_metadata(MetadataKey::from_static("channelId"), "general");
    let decoded = over_the_wire(error.into())
        .1
        .check_chat_error(&Domain::default())
        .unwrap()
        .unwrap();
    assert_eq!(decoded.field_violations().len(), 1);
    assert!(!decoded.metadata().contains_key("truncated"));
}

#[test]
fn messages_lose_control_characters_and_excess_length() {
    let error = ChatError::new(ErrorCode::ChannelNotFound)
        .with_message("no channel\r\nX-Injected: yes\u{0}");
    assert_eq!(
        error.to_string(),
        "2003 ChannelNotFound: no channel  X-Injected: yes "
    );
    let received = over_the_wire(error.into()).1;
    assert_eq!(received.message(), "no channel  X-Injected: yes ");

    let spoofed = ChatError::new(ErrorCode::ChannelNotFound)
        .with_message("user \u{202E}nimda\u{202C} left\u{2028}admin: ok");
    let received = over_the_wire(spoofed.into()).1;
    assert_eq!(received.message(), "user  nimda  left admin: ok");

    let long = ChatError::new(ErrorCode::ChannelNotFound).with_message("가".repeat(1_000));
    let received = over_the_wire(long.into()).1;
    assert!(received.message().len() <= MAX_MESSAGE_BYTES);
    assert!(received.message().ends_with('…'));
    assert!(received.message().starts_with("가가가"));
}

#[test]
fn the_marker_key_is_reserved() {
    let refused = "truncated".parse::<MetadataKey>().unwrap_err();
    assert!(refused.to_string().contains("reserved"), "{refused}");
}

/// The characters the crate documents as unsafe in any text it sends:
/// control characters (C0, DEL, C1), the line and paragraph separators,
/// and the bidi controls. Each becomes a space.
const UNSAFE: [char; 29] = [
    '\u{0}', '\u{7}', '\t', '\n', '\u{b}', '\u{c}', '\r', '\u{1b}', '\u{1f}', '\u{7f}', '\u{80}',
    '\u{85}', '\u{9f}', '\u{2028}', '\u{2029}', '\u{061C}', '\u{200E}', '\u{200F}', '\u{202A}',
    '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
    '\u{1}', '\u{9b}',
];

/// Texts and what each must arrive as, in every field.
fn text_cases() -> Vec<(String, String)> {
    let interleaved: String = UNSAFE.iter().flat_map(|c| ['x', *c]).collect();
    let spaced: String = UNSAFE.iter().flat_map(|_| ['x', ' ']).collect();
    // A cut text is the longest prefix, whole characters only, that leaves
    // room for the three bytes of `…` within MAX_MESSAGE_BYTES.
    let cut = MAX_MESSAGE_BYTES - '…'.len_utf8();
    vec![
        (
            "채널 #일반, 100% é🙂 ~!".to_owned(),
            "채널 #일반, 100% é🙂 ~!".to_owned(),
        ),
        (interleaved, spaced),
        (
            "user \u{202E}nimda\u{202C}\r\nadmin: ok".to_owned(),
            "user  nimda   admin: ok".to_owned(),
        ),
        ("x".repeat(MAX_MESSAGE_BYTES), "x".repeat(MAX_MESSAGE_BYTES)),
        ("x".repeat(MAX_MESSAGE_BYTES + 1), "x".repeat(cut) + "…"),
        (
            "x".repeat(MAX_MESSAGE_BYTES - 2) + "가",
            "x".repeat(cut) + "…",
        ),
        // 3-byte characters: 340 of them and `…` make 1,023 bytes.
        ("가".repeat(400), "가".repeat(cut / 3) + "…"),
        ("🙂".repeat(300), "🙂".repeat(cut / 4) + "…"),
        (
            "\u{7f}".repeat(MAX_MESSAGE_BYTES + 1),
            " ".repeat(cut) + "…",
        ),
        // Both cleaned and cut: 255 pairs of 4 bytes, as a 256th 가 has no room.
        ("가\n".repeat(300), "가 ".repeat(255) + "…"),
    ]
}

/// A text the error sends, read back from the status as sent with prost
/// and tonic-types' message types alone, not the crate's decoder.
struct TextField {
    name: &'static str,
    set: fn(ChatError, String) -> ChatError,
    sent: fn(&tonic::Status) -> String,
}

/// The detail of `type_name` in `status`, decoded by prost.
fn detail<M: prost::Message + Default>(status: &tonic::Status, type_name: &str) -> M {
    let url = format!("type.googleapis.com/{type_name}");
    let rpc = common::rpc_status(status);
    let any = rpc
        .details
        .iter()
        .find(|detail| detail.type_url == url)
        .unwrap_or_else(|| panic!("no {type_name} was sent"));
    M::decode(&any.value[..]).unwrap()
}

fn violation(status: &tonic::Status) -> pb::bad_request::FieldViolation {
    let mut sent = detail::<pb::BadRequest>(status, "google.rpc.BadRequest").field_violations;
    assert_eq!(sent.len(), 1);
    sent.remove(0)
}

fn with_violation(error: ChatError, violation: FieldViolation) -> ChatError {
    error.with_field_violations([violation])
}

fn resource(status: &tonic::Status) -> pb::ResourceInfo {
    detail(status, "google.rpc.ResourceInfo")
}

fn request(status: &tonic::Status) -> pb::RequestInfo {
    detail(status, "google.rpc.RequestInfo")
}

/// Every text a server can put in an error.
fn text_fields() -> Vec<TextField> {
    vec![
        TextField {
            name: "custom message as grpc-message",
            set: |error, text| error.with_message(text),
            sent: |status| status.message().to_owned(),
        },
        TextField {
            name: "custom message as google.rpc.Status.message",
            set: |error, text| error.with_message(text),
            sent: |status| common::rpc_status(status).message,
        },
        TextField {
            name: "ErrorInfo metadata value",
            set: |error, text| error.with_metadata(MetadataKey::from_static("note"), text),
            sent: |status| {
                let info: pb::ErrorInfo = detail(status, "google.rpc.ErrorInfo");
                info.metadata["note"].clone()
            },
        },
        TextField {
            name: "field violation's field",
            set: |error, text| error.with_field_violation(text, "is required"),
            sent: |status| violation(status).field,
        },
        TextField {
            name: "field violation's description",
            set: |error, text| error.with_field_violation("channel_id", text),
            sent: |status| violation(status).description,
        },
        TextField {
            name: "field violation's reason",
            set: |error, text| {
                with_violation(
                    error,
                    FieldViolation {
                        field: "channel_id".to_owned(),
                        reason: text,
                        ..FieldViolation::default()
                    },
                )
            },
            sent: |status| violation(status).reason,
        },
        TextField {
            name: "field violation's localized message",
            set: |error, text| {
                with_violation(
                    error,
                    FieldViolation {
                        field: "channel_id".to_owned(),
                        localized_message: Some(LocalizedMessage {
                            locale: "ko-KR".to_owned(),
                            message: text,
                        }),
                        ..FieldViolation::default()
                    },
                )
            },
            sent: |status| violation(status).localized_message.unwrap().message,
        },
        TextField {
            name: "field violation's localized message's locale",
            set: |error, text| {
                with_violation(
                    error,
                    FieldViolation {
                        field: "channel_id".to_owned(),
                        localized_message: Some(LocalizedMessage {
                            locale: text,
                            message: "필수입니다".to_owned(),
                        }),
                        ..FieldViolation::default()
                    },
                )
            },
            sent: |status| violation(status).localized_message.unwrap().locale,
        },
        TextField {
            name: "ResourceInfo.resource_type",
            set: |error, text| {
                error.with_resource_info(ResourceInfo {
                    resource_type: text,
                    ..ResourceInfo::default()
                })
            },
            sent: |status| resource(status).resource_type,
        },
        TextField {
            name: "ResourceInfo.resource_name",
            set: |error, text| {
                error.with_resource_info(ResourceInfo {
                    resource_name: text,
                    ..ResourceInfo::default()
                })
            },
            sent: |status| resource(status).resource_name,
        },
        TextField {
            name: "ResourceInfo.owner",
            set: |error, text| {
                error.with_resource_info(ResourceInfo {
                    owner: text,
                    ..ResourceInfo::default()
                })
            },
            sent: |status| resource(status).owner,
        },
        TextField {
            name: "ResourceInfo.description",
            set: |error, text| {
                error.with_resource_info(ResourceInfo {
                    description: text,
                    ..ResourceInfo::default()
                })
            },
            sent: |status| resource(status).description,
        },
        TextField {
            name: "RequestInfo.request_id",
            set: |error, text| {
                error.with_request_info(RequestInfo {
                    request_id: text,
                    serving_data: String::new(),
                })
            },
            sent: |status| request(status).request_id,
        },
        TextField {
            name: "RequestInfo.serving_data",
            set: |error, text| {
                error.with_request_info(RequestInfo {
                    request_id: "req-1".to_owned(),
                    serving_data: text,
                })
            },
            sent: |status| request(status).serving_data,
        },
    ]
}

#[test]
fn every_text_sent_is_cleaned_and_cut_alike() {
    for field in text_fields() {
        for (text, expected) in text_cases() {
            let error = (field.set)(ChatError::new(ErrorCode::InvalidParams), text.clone());
            let (_, received) = over_the_wire(error.into());
            let sent = (field.sent)(&received);
            assert_eq!(sent, expected, "{}: {text:?}", field.name);
            assert!(sent.len() <= MAX_MESSAGE_BYTES, "{}", field.name);
            // What is sent is whole: nothing gave way to the size cap.
            assert_eq!(
                detail::<pb::ErrorInfo>(&received, "google.rpc.ErrorInfo")
                    .metadata
                    .get("truncated"),
                None
            );
            // And the crate's strict decoder accepts it.
            received
                .check_chat_error(&Domain::default())
                .unwrap_or_else(|error| panic!("{}: {text:?}: {error}", field.name))
                .expect("a chat error");
        }
    }
}

/// Texts with nothing to say once cleaned: empty, Unicode white space, or
/// only characters that become spaces.
const BLANK: [&str; 10] = [
    "",
    " ",
    "   ",
    "\t",
    "\r\n",
    "\u{3000}",
    "\u{a0}",
    "\u{2028}\u{2029}",
    "\u{0}\u{7f}",
    " \u{202E}\u{2066} \u{85} ",
];

#[test]
fn an_empty_or_blank_custom_message_keeps_the_english_description() {
    for row in common::fixture_rows() {
        let code = ErrorCode::from_i32(row.code).unwrap();
        for blank in BLANK {
            let error = ChatError::new(code).with_message(blank);
            assert_eq!(
                error.to_string(),
                format!("{} {}: {}", row.code, row.name, row.description_en),
                "{blank:?}"
            );
            let received = over_the_wire(error.into()).1;
            assert_eq!(received.message(), row.description_en, "{blank:?}");
            assert_eq!(common::rpc_status(&received).message, row.description_en);
            let localized: pb::LocalizedMessage = detail(&received, "google.rpc.LocalizedMessage");
            assert_eq!(
                (localized.locale.as_str(), localized.message.as_str()),
                ("ko-KR", row.description_ko.as_str())
            );
        }
    }
    // Not blank: a text that keeps a visible character is sent, cleaned.
    let received = over_the_wire(
        ChatError::new(ErrorCode::ChannelNotFound)
            .with_message("\n.\n")
            .into(),
    )
    .1;
    assert_eq!(received.message(), " . ");
}

#[test]
fn a_blank_text_in_any_other_field_is_sent_cleaned_as_it_is() {
    // Only the custom message has a description to fall back to.
    for field in text_fields()
        .iter()
        .filter(|field| !field.name.starts_with("custom message"))
    {
        for blank in BLANK {
            let expected: String = blank
                .chars()
                .map(|c| if UNSAFE.contains(&c) { ' ' } else { c })
                .collect();
            let error = (field.set)(ChatError::new(ErrorCode::InvalidParams), blank.to_owned());
            let received = over_the_wire(error.into()).1;
            assert_eq!(
                (field.sent)(&received),
                expected,
                "{}: {blank:?}",
                field.name
            );
        }
    }
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
            error = error.with_metadata(key.parse::<MetadataKey>().unwrap(), value);
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
                    message: code.description(Locale::KO_KR).to_owned(),
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
        // An empty custom message keeps the description.
        let message = if message.is_empty() {
            code.description(Locale::EN_US)
        } else {
            message
        };
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
            // Two texts under MAX_MESSAGE_BYTES, so that nothing is cut.
            resource_name: "channels/".to_owned() + &"c".repeat(1_000),
            owner: String::new(),
            description: "d".repeat(1_000),
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
        let decoded = received
            .check_chat_error(&Domain::default())
            .unwrap()
            .unwrap();
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
    let domain = Domain::new("d".repeat(253)).unwrap();
    let settings = Settings::new(domain.clone());
    let too_big = "x".repeat(MAX_TRAILER_BYTES);
    for code in ErrorCode::iter() {
        let mut error = settings
            .error(code)
            .with_message("가".repeat(MAX_MESSAGE_BYTES))
            .with_retry_delay(Duration::MAX)
            // Each text is cut to MAX_MESSAGE_BYTES; all of them together
            // still cannot fit.
            .with_request_info(RequestInfo {
                request_id: too_big.clone(),
                serving_data: too_big.clone(),
            })
            .with_resource_info(ResourceInfo {
                resource_type: too_big.clone(),
                resource_name: too_big.clone(),
                owner: too_big.clone(),
                description: too_big.clone(),
            })
            .with_field_violations((0..100_000).map(|_| FieldViolation {
                field: too_big[..100].to_owned(),
                ..FieldViolation::default()
            }));
        for index in 0..1_000 {
            error = error.with_metadata(
                format!("key{index}").parse::<MetadataKey>().unwrap(),
                &too_big[..100],
            );
        }
        let (headers, received) = over_the_wire(error.into());
        assert!(
            trailer_bytes(&headers) <= MAX_TRAILER_BYTES,
            "{code}: {}",
            trailer_bytes(&headers)
        );
        assert!(header_list_size(&headers) < C_CORE_METADATA_LIMIT, "{code}");
        let decoded = received.check_chat_error(&domain).unwrap().unwrap();
        assert_eq!(
            decoded.metadata()["truncated"],
            "fieldViolations:100000,metadata:1000,resourceInfo:1,requestInfo:1"
        );
    }
}
