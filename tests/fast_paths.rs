//! The fast paths against the general ones, for all 57 codes, with and
//! without extras: the pre-encoded static details and the one-pass writer
//! against plain prost encoding, and the allocation-free code scan against
//! the full decode. Decoded values are compared, not bytes: map order varies.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use chat_errors::{
    ChatError, ChatStatusExt, DEFAULT_DOMAIN, Domain, ErrorCode, FieldViolation, Locale,
    LocalizedMessage, MetadataKey, RequestInfo, ResourceInfo, Settings,
};
use common::{any, over_the_wire};
use tonic::Status;
use tonic_types::pb;

/// A small deterministic generator, so every run checks the same cases.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> usize {
        (self.next() % n) as usize
    }

    fn text(&mut self) -> String {
        const PIECES: [&str; 8] = ["a", "Z", "채널", "0", " ", "%", "é", "🙂"];
        (0..self.below(12)).map(|_| PIECES[self.below(8)]).collect()
    }
}

#[derive(Clone, Default)]
struct Extras {
    message: Option<String>,
    metadata: Vec<(String, String)>,
    retry_delay: Option<Duration>,
    violations: Vec<FieldViolation>,
    resource: Option<ResourceInfo>,
    request: Option<RequestInfo>,
}

fn random_extras(rng: &mut XorShift) -> Extras {
    let mut extras = Extras::default();
    if rng.below(2) == 0 {
        extras.message = Some(rng.text());
    }
    for index in 0..rng.below(4) {
        extras.metadata.push((format!("key{index}"), rng.text()));
    }
    if rng.below(2) == 0 {
        extras.retry_delay = Some(Duration::from_millis(rng.next() % 100_000));
    }
    for _ in 0..rng.below(3) {
        extras.violations.push(FieldViolation {
            field: rng.text(),
            description: rng.text(),
            reason: rng.text(),
            localized_message: (rng.below(2) == 0).then(|| LocalizedMessage {
                locale: "en-US".to_owned(),
                message: rng.text(),
            }),
        });
    }
    if rng.below(2) == 0 {
        extras.resource = Some(ResourceInfo {
            resource_type: rng.text(),
            resource_name: rng.text(),
            owner: rng.text(),
            description: rng.text(),
        });
    }
    if rng.below(3) == 0 {
        extras.request = Some(RequestInfo {
            request_id: rng.text(),
            serving_data: rng.text(),
        });
    }
    extras
}

fn chat_error(code: ErrorCode, domain: &Domain, extras: &Extras) -> ChatError {
    let mut error = Settings::new(domain.clone()).error(code);
    if let Some(message) = &extras.message {
        error = error.with_message(message.clone());
    }
    for (key, value) in &extras.metadata {
        error = error.with_metadata(key.parse::<MetadataKey>().unwrap(), value.clone());
    }
    if let Some(delay) = extras.retry_delay {
        error = error.with_retry_delay(delay);
    }
    error = error.with_field_violations(extras.violations.clone());
    if let Some(resource) = &extras.resource {
        error = error.with_resource_info(resource.clone());
    }
    if let Some(request) = &extras.request {
        error = error.with_request_info(request.clone());
    }
    error
}

/// The same status written the plain way: prost messages packed into Anys.
fn prost_reference(code: ErrorCode, domain: &Domain, extras: &Extras) -> Status {
    let mut metadata: HashMap<String, String> = extras.metadata.iter().cloned().collect();
    metadata.insert("code".to_owned(), code.as_i32().to_string());
    metadata.insert("message".to_owned(), code.name().to_owned());
    let mut details = vec![
        any(
            "google.rpc.ErrorInfo",
            &pb::ErrorInfo {
                reason: code.reason().to_owned(),
                domain: domain.as_str().to_owned(),
                metadata,
            },
        ),
        any(
            "google.rpc.LocalizedMessage",
            &LocalizedMessage {
                locale: "ko-KR".to_owned(),
                message: code.description(Locale::KO_KR).to_owned(),
            },
        ),
    ];
    if let Some(delay) = extras.retry_delay {
        details.push(any(
            "google.rpc.RetryInfo",
            &pb::RetryInfo {
                retry_delay: Some(delay.try_into().unwrap()),
            },
        ));
    }
    if !extras.violations.is_empty() {
        details.push(any(
            "google.rpc.BadRequest",
            &pb::BadRequest {
                field_violations: extras.violations.clone(),
            },
        ));
    }
    if let Some(resource) = &extras.resource {
        details.push(any("google.rpc.ResourceInfo", resource));
    }
    if let Some(request) = &extras.request {
        details.push(any("google.rpc.RequestInfo", request));
    }
    // An empty or blank custom message keeps the description.
    let message = extras
        .message
        .clone()
        .filter(|message| !message.trim().is_empty())
        .unwrap_or_else(|| code.description(Locale::EN_US).to_owned());
    common::status_with_details(code.grpc_code(), &message, details)
}

fn assert_paths_agree(code: ErrorCode, domain: &Domain, extras: &Extras) {
    let ours = over_the_wire(chat_error(code, domain, extras).into()).1;
    let reference = over_the_wire(prost_reference(code, domain, extras)).1;

    let decoded = ours.check_chat_error(domain).unwrap().unwrap();
    assert_eq!(
        Some(&decoded),
        reference.check_chat_error(domain).unwrap().as_ref(),
        "{code}"
    );
    assert_eq!(ours.get_chat_error(domain).as_ref(), Some(&decoded));
    assert_eq!(ours.chat_error_code(domain), Some(code));
    assert_eq!(reference.chat_error_code(domain), Some(code));
    assert_eq!(decoded.code(), Some(code));

    // tonic-types, an independent decoder, reads our bytes as prost wrote its own.
    use tonic_types::StatusExt;
    let theirs = ours.get_error_details();
    let info = theirs.error_info().expect("tonic-types finds ErrorInfo");
    assert_eq!(info.reason, code.reason());
    assert_eq!(info.domain, domain.as_str());
    assert_eq!(&info.metadata, decoded.metadata());
    assert_eq!(
        theirs.localized_message().map(|m| m.message.as_str()),
        Some(code.description(Locale::KO_KR))
    );
    assert_eq!(
        theirs.retry_info().and_then(|r| r.retry_delay),
        extras.retry_delay
    );
    assert_eq!(
        theirs.bad_request().map_or(0, |b| b.field_violations.len()),
        extras.violations.len()
    );
}

#[test]
fn static_and_dynamic_encodings_decode_as_plain_prost_does() {
    let mut rng = XorShift(0x5eed_cafe_f00d_d00d);
    let custom = Domain::new("chat.example.com").unwrap();
    for domain in [Domain::default(), custom] {
        for code in ErrorCode::iter() {
            assert_paths_agree(code, &domain, &Extras::default());
            for _ in 0..8 {
                assert_paths_agree(code, &domain, &random_extras(&mut rng));
            }
        }
    }
}

#[test]
fn the_bare_code_and_a_default_error_share_one_static_buffer() {
    for code in ErrorCode::iter() {
        let bare = Status::from(code);
        let again = Status::from(code);
        // One buffer for every status of the code: no per-error encoding.
        assert_eq!(bare.details().as_ptr(), again.details().as_ptr(), "{code}");
        let default_error = ChatError::new(code).into_status();
        assert_eq!(bare.details().as_ptr(), default_error.details().as_ptr());
        assert_eq!(
            bare.check_chat_error(&Domain::default())
                .unwrap()
                .unwrap()
                .code(),
            Some(code)
        );
    }
    assert_eq!(Domain::default().as_str(), DEFAULT_DOMAIN);
}

/// Statuses the code scan and the full decode must read alike, each with
/// the code the fixture says a lenient reader finds: metadata `code` when
/// it is a number, else the reason.
fn odd_statuses(rows: &[common::Row]) -> Vec<(Status, Option<i32>, String)> {
    let info = |reason: &str, metadata: &[(&str, &str)]| {
        common::status_with_details(
            tonic::Code::NotFound,
            "x",
            vec![common::error_info(reason, DEFAULT_DOMAIN, metadata)],
        )
    };
    let mut cases = vec![
        (Status::not_found("plain"), None, "no details".to_owned()),
        (
            Status::with_details(
                tonic::Code::Internal,
                "x",
                vec![0x1a, 0x03, 0x0a, 0x01].into(),
            ),
            None,
            "a truncated detail".to_owned(),
        ),
    ];
    for (row, other) in rows.iter().zip(rows.iter().cycle().skip(1)) {
        let number = row.code.to_string();
        let other_number = other.code.to_string();
        cases.extend([
            (
                info(&row.reason, &[]),
                Some(row.code),
                format!("{} by reason", row.code),
            ),
            (
                info(&row.reason, &[("code", "x")]),
                Some(row.code),
                format!("{} with a non-numeric code", row.code),
            ),
            (
                info(&row.reason, &[("code", "9999")]),
                None,
                format!("{} with an unknown number", row.code),
            ),
            (
                info(&row.reason, &[("code", &other_number)]),
                Some(other.code),
                format!("{} with {}'s number", row.code, other.code),
            ),
            (
                info("SOMETHING_NEW", &[("code", &number)]),
                Some(row.code),
                format!("{} with an unknown reason", row.code),
            ),
            (
                common::status_with_details(
                    tonic::Code::NotFound,
                    "x",
                    vec![common::error_info(
                        &row.reason,
                        "other.example",
                        &[("code", &number)],
                    )],
                ),
                None,
                format!("{} in another domain", row.code),
            ),
        ]);
    }
    cases
}

#[test]
fn the_code_scan_and_the_full_decode_agree_on_odd_inputs() {
    let rows = common::fixture_rows();
    for (status, expected, case) in odd_statuses(&rows) {
        let expected = expected.map(|number| ErrorCode::from_i32(number).expect("a fixture code"));
        assert_eq!(
            status.chat_error_code(&Domain::default()),
            expected,
            "{case}"
        );
        assert_eq!(
            status
                .get_chat_error(&Domain::default())
                .and_then(|e| e.code()),
            expected,
            "{case}"
        );
    }
}
