//! The error paths against the tonic-types code they replace and against the
//! floor, each group measured in one run so the ratios hold on a noisy
//! machine. `scripts/bench.sh` turns the medians into ratios.

mod common;

use std::collections::HashMap;
use std::hint::black_box;
use std::time::Duration;

use bytes::Bytes;
use chat_errors::{
    ChatError, ChatStatusExt, DEFAULT_DOMAIN, Domain, ErrorCode, Locale, MetadataKey,
};
use criterion::{Criterion, criterion_group, criterion_main};
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

const CODE: ErrorCode = ErrorCode::ChannelNotFound;

/// What a service wrote before this crate: the same contract by hand.
fn tonic_types_status(code: ErrorCode) -> Status {
    let metadata = HashMap::from([
        ("code".to_owned(), code.as_i32().to_string()),
        ("message".to_owned(), code.name().to_owned()),
    ]);
    let mut details = ErrorDetails::with_error_info(code.reason(), DEFAULT_DOMAIN, metadata);
    details.set_localized_message("ko-KR", code.description(Locale::KO_KR));
    Status::with_error_details(code.grpc_code(), code.description(Locale::EN_US), details)
}

fn tonic_types_dynamic_status(code: ErrorCode, channel: &str) -> Status {
    let metadata = HashMap::from([
        ("code".to_owned(), code.as_i32().to_string()),
        ("message".to_owned(), code.name().to_owned()),
        ("channelId".to_owned(), channel.to_owned()),
    ]);
    let mut details = ErrorDetails::with_error_info(code.reason(), DEFAULT_DOMAIN, metadata);
    details
        .set_localized_message("ko-KR", code.description(Locale::KO_KR))
        .set_retry_info(Some(Duration::from_secs(3)));
    Status::with_error_details(
        code.grpc_code(),
        format!("channel {channel} does not exist"),
        details,
    )
}

fn chat_errors_dynamic_status(code: ErrorCode, channel: &str) -> Status {
    ChatError::new(code)
        .with_message(format!("channel {channel} does not exist"))
        .with_metadata(MetadataKey::from_static("channelId"), channel)
        .with_retry_delay(Duration::from_secs(3))
        .into()
}

/// The same status written field by field with prost's generated
/// messages, each detail encoded into its own `Any`: what the crate's
/// one-pass writer over pre-encoded parts would be replaced by.
fn prost_dynamic_status(code: ErrorCode, channel: &str) -> Status {
    use prost::Message;
    use tonic_types::pb;
    let any = |type_url: &str, value: Vec<u8>| prost_types::Any {
        type_url: type_url.to_owned(),
        value,
    };
    let info = pb::ErrorInfo {
        reason: code.reason().to_owned(),
        domain: DEFAULT_DOMAIN.to_owned(),
        metadata: HashMap::from([
            ("code".to_owned(), code.as_i32().to_string()),
            ("message".to_owned(), code.name().to_owned()),
            ("channelId".to_owned(), channel.to_owned()),
        ]),
    };
    let localized = pb::LocalizedMessage {
        locale: "ko-KR".to_owned(),
        message: code.description(Locale::KO_KR).to_owned(),
    };
    let retry = pb::RetryInfo {
        retry_delay: Some(prost_types::Duration {
            seconds: 3,
            nanos: 0,
        }),
    };
    let message = format!("channel {channel} does not exist");
    let status = pb::Status {
        code: code.grpc_code() as i32,
        message: message.clone(),
        details: vec![
            any(
                "type.googleapis.com/google.rpc.ErrorInfo",
                info.encode_to_vec(),
            ),
            any(
                "type.googleapis.com/google.rpc.LocalizedMessage",
                localized.encode_to_vec(),
            ),
            any(
                "type.googleapis.com/google.rpc.RetryInfo",
                retry.encode_to_vec(),
            ),
        ],
    };
    Status::with_details(code.grpc_code(), message, status.encode_to_vec().into())
}

/// The code the tonic-types way: decode every detail, then read the metadata.
fn tonic_types_code(status: &Status) -> Option<ErrorCode> {
    let details = status.get_error_details();
    let info = details.error_info()?;
    if info.domain != DEFAULT_DOMAIN {
        return None;
    }
    info.metadata
        .get("code")?
        .parse()
        .ok()
        .and_then(ErrorCode::from_i32)
}

fn static_encode(c: &mut Criterion) {
    let floor_details = Bytes::from(Status::from(CODE).details().to_vec());
    let mut group = c.benchmark_group("static_encode");
    group.bench_function("tonic_types", |b| {
        b.iter(|| tonic_types_status(black_box(CODE)))
    });
    group.bench_function("floor", |b| {
        b.iter(|| {
            Status::with_details(
                Code::NotFound,
                "The channel does not exist.",
                black_box(&floor_details).clone(),
            )
        })
    });
    group.bench_function("chat_errors_code", |b| {
        b.iter(|| Status::from(black_box(CODE)))
    });
    group.bench_function("chat_errors_error", |b| {
        b.iter(|| ChatError::new(black_box(CODE)).into_status())
    });
    group.finish();
}

fn dynamic_encode(c: &mut Criterion) {
    let domain = Domain::default();
    let ours = chat_errors_dynamic_status(CODE, "general");
    let by_prost = prost_dynamic_status(CODE, "general");
    let (ours, by_prost) = (
        ours.check_chat_error(&domain).unwrap().unwrap(),
        by_prost.check_chat_error(&domain).unwrap().unwrap(),
    );
    assert_eq!(ours.code(), by_prost.code());
    assert_eq!(ours.message(), by_prost.message());
    assert_eq!(ours.metadata(), by_prost.metadata());
    assert_eq!(ours.retry_delay(), by_prost.retry_delay());
    let mut group = c.benchmark_group("dynamic_encode");
    group.bench_function("tonic_types", |b| {
        b.iter(|| tonic_types_dynamic_status(black_box(CODE), black_box("general")))
    });
    group.bench_function("prost", |b| {
        b.iter(|| prost_dynamic_status(black_box(CODE), black_box("general")))
    });
    group.bench_function("chat_errors", |b| {
        b.iter(|| chat_errors_dynamic_status(black_box(CODE), black_box("general")))
    });
    group.finish();
}

fn decode(c: &mut Criterion) {
    let status = Status::from(CODE);
    let domain = Domain::default();
    assert_eq!(tonic_types_code(&status), Some(CODE));
    assert_eq!(status.chat_error_code(&domain), Some(CODE));

    let mut group = c.benchmark_group("decode_code");
    group.bench_function("tonic_types", |b| {
        b.iter(|| tonic_types_code(black_box(&status)))
    });
    group.bench_function("chat_errors", |b| {
        b.iter(|| black_box(&status).chat_error_code(&domain))
    });
    group.finish();

    // Lenient against lenient, strict against strict.
    let mut group = c.benchmark_group("decode_full");
    group.bench_function("tonic_types", |b| {
        b.iter(|| black_box(&status).get_error_details())
    });
    group.bench_function("tonic_types_strict", |b| {
        b.iter(|| black_box(&status).check_error_details())
    });
    group.bench_function("chat_errors_lenient", |b| {
        b.iter(|| black_box(&status).get_chat_error(&domain))
    });
    group.bench_function("chat_errors_strict", |b| {
        b.iter(|| black_box(&status).check_chat_error(&domain))
    });
    group.finish();
}

/// A browser's `accept-language`: negotiated to `ko-KR`.
const BROWSER_ACCEPT_LANGUAGE: &[u8] = b"ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7";

// What a localized call adds to a static error: negotiating the caller's
// `accept-language` and building the status in the locale it picked, against
// the plain static status.
fn localized_encode(c: &mut Criterion) {
    assert_eq!(
        Locale::negotiate(BROWSER_ACCEPT_LANGUAGE),
        Some(Locale::KO_KR)
    );
    let mut group = c.benchmark_group("localized_encode");
    group.bench_function("static", |b| b.iter(|| Status::from(black_box(CODE))));
    // Negotiation alone, to tell its share from the status's.
    group.bench_function("negotiate_only", |b| {
        b.iter(|| Locale::negotiate(black_box(BROWSER_ACCEPT_LANGUAGE)))
    });
    group.bench_function("negotiated", |b| {
        b.iter(|| {
            let locale = Locale::negotiate(black_box(BROWSER_ACCEPT_LANGUAGE)).unwrap_or_default();
            ChatError::new(black_box(CODE))
                .with_locale(locale)
                .into_status()
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = static_encode, dynamic_encode, decode, localized_encode
}
criterion_main!(benches);
