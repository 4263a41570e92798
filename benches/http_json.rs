//! Rendering a chat error's HTTP JSON body (feature `http-json`) against
//! what a service writes without the crate: an ad hoc serde struct, built
//! and serialized on every call. Ours is built on every call too: the
//! code's status, rendered by `http_json::status_response`. `scripts/bench.sh` turns the medians into
//! `json_error_render_vs_serde_baseline`.

mod common;

use std::collections::BTreeMap;
use std::hint::black_box;

use bytes::Bytes;
use chat_errors::http_json::status_response;
use chat_errors::{DEFAULT_DOMAIN, ErrorCode, Locale};
use criterion::{Criterion, criterion_group, criterion_main};
use serde::Serialize;

const CODE: ErrorCode = ErrorCode::ChannelNotFound;

#[derive(Serialize)]
struct Body {
    error: ErrorBody,
}

#[derive(Serialize)]
struct ErrorBody {
    code: u16,
    message: String,
    status: String,
    details: Vec<Detail>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Detail {
    ErrorInfo {
        #[serde(rename = "@type")]
        type_url: String,
        reason: String,
        domain: String,
        metadata: BTreeMap<String, String>,
    },
    LocalizedMessage {
        #[serde(rename = "@type")]
        type_url: String,
        locale: String,
        message: String,
    },
}

/// The same body, the way a handler without the crate writes it.
fn serde_baseline(code: ErrorCode) -> Vec<u8> {
    let body = Body {
        error: ErrorBody {
            code: code.http_status().as_u16(),
            message: code.description(Locale::EN_US).to_owned(),
            status: "NOT_FOUND".to_owned(),
            details: vec![
                Detail::ErrorInfo {
                    type_url: "type.googleapis.com/google.rpc.ErrorInfo".to_owned(),
                    reason: code.reason().to_owned(),
                    domain: DEFAULT_DOMAIN.to_owned(),
                    metadata: BTreeMap::from([
                        ("code".to_owned(), code.as_i32().to_string()),
                        ("message".to_owned(), code.name().to_owned()),
                    ]),
                },
                Detail::LocalizedMessage {
                    type_url: "type.googleapis.com/google.rpc.LocalizedMessage".to_owned(),
                    locale: "ko-KR".to_owned(),
                    message: code.description(Locale::KO_KR).to_owned(),
                },
            ],
        },
    };
    serde_json::to_vec(&body).expect("a serializable body")
}

/// The code's AIP-193 body, as the crate renders it.
fn chat_errors_body(code: ErrorCode) -> Bytes {
    status_response(&code.into()).into_body()
}

fn json_error_render(c: &mut Criterion) {
    let ours: serde_json::Value = serde_json::from_slice(&chat_errors_body(CODE)).expect("JSON");
    let theirs: serde_json::Value = serde_json::from_slice(&serde_baseline(CODE)).expect("JSON");
    assert_eq!(ours, theirs, "the baseline must write the same body");

    let mut group = c.benchmark_group("json_error_render");
    group.bench_function("chat_errors", |b| {
        b.iter(|| chat_errors_body(black_box(CODE)))
    });
    group.bench_function("serde_baseline", |b| {
        b.iter(|| serde_baseline(black_box(CODE)))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = json_error_render
}
criterion_main!(benches);
