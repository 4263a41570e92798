//! Property tests: any `ChatError` survives tonic's trailer encoding and
//! decodes to the same values; any bytes or `google.rpc.Status` as details
//! leave every decoder answering, and agreeing.

#[path = "common/chat_error_spec.rs"]
mod chat_error_spec;
#[allow(dead_code)] // the fuzz entry points; this file uses the shared checks
#[path = "fuzz/checks.rs"]
mod checks;

use std::collections::HashMap;

use chat_error_spec::{build, code, resource_info, spec, text, violation};
use chat_errors::{
    ChatStatusExt, FieldViolation, Locale, LocalizedMessage, MAX_MESSAGE_BYTES, ResourceInfo,
};
use proptest::prelude::*;
use prost::Message;
use tonic::{Code, Status};
use tonic_types::pb;

/// The keys the wire contract fills in ErrorInfo's metadata.
const METADATA_CODE_KEY: &str = "code";
const METADATA_NAME_KEY: &str = "message";

/// The cleaning the crate documents for every text it sends: control
/// characters, the line and paragraph separators and Unicode's
/// Bidi_Control characters become spaces. The strategies' texts are too
/// short to be cut.
fn cleaned(text: &str) -> String {
    assert!(text.len() <= MAX_MESSAGE_BYTES);
    let becomes_space = |c: char| {
        c.is_control()
            || matches!(
                c as u32,
                0x2028 | 0x2029 | 0x061C | 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069
            )
    };
    text.chars()
        .map(|c| if becomes_space(c) { ' ' } else { c })
        .collect()
}

fn cleaned_violation(violation: &FieldViolation) -> FieldViolation {
    FieldViolation {
        field: cleaned(&violation.field),
        description: cleaned(&violation.description),
        reason: cleaned(&violation.reason),
        localized_message: violation
            .localized_message
            .as_ref()
            .map(|localized| LocalizedMessage {
                locale: cleaned(&localized.locale),
                message: cleaned(&localized.message),
            }),
    }
}

fn cleaned_resource(resource: &ResourceInfo) -> ResourceInfo {
    ResourceInfo {
        resource_type: cleaned(&resource.resource_type),
        resource_name: cleaned(&resource.resource_name),
        owner: cleaned(&resource.owner),
        description: cleaned(&resource.description),
    }
}

/// Through tonic's own trailer encoding and parsing, as on a real call.
fn over_the_wire(status: Status) -> Status {
    let response = status.into_http::<()>();
    Status::from_header_map(response.headers()).expect("grpc-status is present")
}

proptest! {
    // A failure is kept as a named test in this file, not in a file proptest writes.
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_chat_error_round_trips_through_the_trailers(spec in spec()) {
        let received = over_the_wire(build(&spec).into_status());
        // Small enough for the size cap to keep every part.
        prop_assert!(received.details().len() < chat_errors::MAX_TRAILER_BYTES / 2);

        // The custom message, cleaned; an empty or blank one keeps the description.
        let message = spec
            .message
            .as_deref()
            .map(cleaned)
            .filter(|message| !message.trim().is_empty())
            .unwrap_or_else(|| spec.code.description(Locale::EN_US).to_owned());
        prop_assert_eq!(received.code(), spec.code.grpc_code());
        prop_assert_eq!(received.message(), message.as_str());
        let decoded = received
            .check_chat_error(&spec.domain)
            .expect("well-formed details")
            .expect("a chat error of the domain");
        prop_assert_eq!(received.get_chat_error(&spec.domain), Some(decoded.clone()));
        prop_assert_eq!(received.chat_error_code(&spec.domain), Some(spec.code));

        prop_assert_eq!(decoded.code(), Some(spec.code));
        prop_assert_eq!(decoded.number(), Some(spec.code.as_i32()));
        prop_assert_eq!(decoded.reason(), spec.code.reason());
        prop_assert_eq!(decoded.domain(), spec.domain.as_str());
        prop_assert_eq!(decoded.name(), Some(spec.code.name()));
        prop_assert_eq!(decoded.message(), message.as_str());
        prop_assert_eq!(
            decoded.localized_message().map(|m| (m.locale.as_str(), m.message.as_str())),
            Some(("ko-KR", spec.code.description(Locale::KO_KR)))
        );

        // A key given twice keeps its last value, as `with_metadata` documents.
        let mut metadata: HashMap<String, String> = spec
            .metadata
            .iter()
            .map(|(key, value)| (key.clone(), cleaned(value)))
            .collect();
        metadata.insert(METADATA_CODE_KEY.to_owned(), spec.code.as_i32().to_string());
        metadata.insert(METADATA_NAME_KEY.to_owned(), spec.code.name().to_owned());
        prop_assert_eq!(decoded.metadata(), &metadata);

        prop_assert_eq!(decoded.retry_delay(), spec.retry_delay);
        let violations: Vec<FieldViolation> = spec.violations.iter().map(cleaned_violation).collect();
        prop_assert_eq!(decoded.field_violations(), violations.as_slice());
        let resource = spec.resource.as_ref().map(cleaned_resource);
        prop_assert_eq!(decoded.resource_info(), resource.as_ref());
        prop_assert_eq!(
            decoded.request_info().map(|info| info.request_id.clone()),
            spec.request_id.as_deref().map(cleaned)
        );
    }

    #[test]
    fn any_bytes_as_details_leave_every_decoder_answering(
        code in any::<u8>(),
        message in text(),
        details in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        let status = Status::with_details(Code::from_i32(i32::from(code)), message, details.into());
        checks::decoders_agree(&status);
    }

    #[test]
    fn any_google_rpc_status_leaves_every_decoder_answering(
        rpc_status in rpc_status(),
        consistent in any::<bool>(),
    ) {
        let (code, message) = if consistent {
            (Code::from_i32(rpc_status.code), rpc_status.message.clone())
        } else {
            (Code::Internal, "something else".to_owned())
        };
        let status = Status::with_details(code, message, rpc_status.encode_to_vec().into());
        checks::decoders_agree(&status);
    }
}

/// A `google.rpc.Status` of any shape: known detail types, well-formed or
/// not, chat-like ErrorInfos with odd metadata, and foreign `Any`s.
fn rpc_status() -> impl Strategy<Value = pb::Status> {
    (
        prop_oneof![0..17i32, any::<i32>()],
        text(),
        prop::collection::vec(any_detail(), 0..6),
    )
        .prop_map(|(code, message, details)| pb::Status {
            code,
            message,
            details,
        })
}

fn any_detail() -> impl Strategy<Value = prost_types::Any> {
    let type_name = prop_oneof![
        Just("google.rpc.ErrorInfo".to_owned()),
        Just("google.rpc.LocalizedMessage".to_owned()),
        Just("google.rpc.RetryInfo".to_owned()),
        Just("google.rpc.BadRequest".to_owned()),
        Just("google.rpc.ResourceInfo".to_owned()),
        Just("google.rpc.RequestInfo".to_owned()),
        "[a-z.]{1,20}",
    ];
    prop_oneof![
        error_info().prop_map(|info| pack("google.rpc.ErrorInfo", &info)),
        (text(), text()).prop_map(|(locale, message)| pack(
            "google.rpc.LocalizedMessage",
            &pb::LocalizedMessage { locale, message }
        )),
        (any::<i64>(), any::<i32>()).prop_map(|(seconds, nanos)| pack(
            "google.rpc.RetryInfo",
            &pb::RetryInfo {
                retry_delay: Some(prost_types::Duration { seconds, nanos }),
            }
        )),
        prop::collection::vec(violation(), 0..3).prop_map(|field_violations| pack(
            "google.rpc.BadRequest",
            &pb::BadRequest { field_violations }
        )),
        resource_info().prop_map(|info| pack("google.rpc.ResourceInfo", &info)),
        (
            type_name,
            prop::collection::vec(any::<u8>(), 0..64),
            "(type.googleapis.com/)?"
        )
            .prop_map(|(name, value, prefix)| prost_types::Any {
                type_url: format!("{prefix}{name}"),
                value,
            }),
    ]
}

fn error_info() -> impl Strategy<Value = pb::ErrorInfo> {
    let reason = prop_oneof![
        code().prop_map(|code| code.reason().to_owned()),
        "[A-Z_0-9]{0,20}",
    ];
    let domain = prop_oneof![
        Just(chat_errors::DEFAULT_DOMAIN.to_owned()),
        Just("fuzz.example".to_owned()),
        "[a-z.]{0,12}",
    ];
    let code_value = prop_oneof![
        code().prop_map(|code| code.as_i32().to_string()),
        any::<i32>().prop_map(|number| number.to_string()),
        text(),
    ];
    (
        reason,
        domain,
        prop::option::of(code_value),
        prop::collection::hash_map("[a-z]{1,8}", text(), 0..3),
    )
        .prop_map(|(reason, domain, code_value, mut metadata)| {
            if let Some(value) = code_value {
                metadata.insert(METADATA_CODE_KEY.to_owned(), value);
            }
            pb::ErrorInfo {
                reason,
                domain,
                metadata,
            }
        })
}

fn pack(type_name: &str, message: &impl Message) -> prost_types::Any {
    prost_types::Any {
        type_url: format!("type.googleapis.com/{type_name}"),
        value: message.encode_to_vec(),
    }
}
