//! `status_from_headers` reads what tonic reads, and refuses, rather than
//! panicking or guessing, what tonic 0.14 panics on or reads as something
//! else.

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};

use chat_errors::{
    ChatError, ChatStatusExt, Domain, ErrorCode, StatusHeaderError, grpc_code_name,
    status_from_headers,
};
use common::fixture_rows;
use http::{HeaderMap, HeaderValue};
use tonic::{Code, Status};

fn headers_of(status: &Status) -> HeaderMap {
    let mut headers = HeaderMap::new();
    status.add_header(&mut headers).unwrap();
    headers
}

#[test]
fn every_code_reads_back_as_tonic_reads_it() {
    for row in fixture_rows() {
        let code = ErrorCode::from_i32(row.code).unwrap();
        let sent = ChatError::new(code)
            .with_message("채널 #일반? 100%")
            .with_field_violation("channel_id", "is required")
            .into_status();
        let mut headers = headers_of(&sent);
        headers.insert("x-request-id", HeaderValue::from_static("req-7"));
        let ours = status_from_headers(&headers).unwrap().unwrap();
        let tonics = Status::from_header_map(&headers).unwrap();
        assert_eq!(ours.code(), tonics.code());
        assert_eq!(ours.code(), row.grpc_code);
        assert_eq!(ours.message(), tonics.message());
        assert_eq!(ours.details(), tonics.details());
        assert_eq!(ours.metadata().get("x-request-id").unwrap(), "req-7");
        assert_eq!(
            ours.chat_error_code(&Domain::default()),
            Some(code),
            "{}",
            row.code
        );
        assert_eq!(grpc_code_name(ours.code()), row.grpc_code_name);
    }
}

#[test]
fn no_grpc_status_is_no_status() {
    let mut headers = HeaderMap::new();
    headers.insert("grpc-message", HeaderValue::from_static("boom"));
    assert_eq!(
        status_from_headers(&headers).unwrap().map(|s| s.code()),
        None
    );
    assert!(Status::from_header_map(&headers).is_none());
}

#[test]
fn a_grpc_status_tonic_would_read_as_unknown_is_refused() {
    for value in ["17", "05", "-1", "", "x", " 5", "5 ", "99", "+5"] {
        let mut headers = HeaderMap::new();
        headers.insert("grpc-status", HeaderValue::from_str(value).unwrap());
        assert_eq!(
            Status::from_header_map(&headers).unwrap().code(),
            Code::Unknown,
            "tonic on {value:?}"
        );
        assert_eq!(
            status_from_headers(&headers).unwrap_err(),
            StatusHeaderError::InvalidGrpcStatus(value.to_owned())
        );
    }
    for number in 0..=16 {
        let mut headers = HeaderMap::new();
        headers.insert("grpc-status", HeaderValue::from(number));
        let status = status_from_headers(&headers).unwrap().unwrap();
        assert_eq!(status.code() as i32, number);
    }
}

#[test]
fn details_tonic_would_panic_on_are_refused() {
    let mut headers = headers_of(&ErrorCode::ChannelNotFound.into());
    for value in ["not*base64!", "CAU=x", "C", "8J+Zgg=!"] {
        headers.insert(
            "grpc-status-details-bin",
            HeaderValue::from_str(value).unwrap(),
        );
        let tonic = catch_unwind(AssertUnwindSafe(|| Status::from_header_map(&headers)));
        assert!(tonic.is_err(), "tonic 0.14 panics on {value:?}");
        let refused = status_from_headers(&headers).unwrap_err();
        assert!(
            matches!(refused, StatusHeaderError::DetailsNotBase64(_)),
            "{value:?}: {refused:?}"
        );
    }
    // Padded or not, as gRPC peers send it.
    let padded = format!(
        "{}=",
        headers_of(&Status::with_details(Code::Internal, "x", vec![1u8].into()))
            ["grpc-status-details-bin"]
            .to_str()
            .unwrap()
    );
    headers.insert(
        "grpc-status-details-bin",
        HeaderValue::from_str(&padded).unwrap(),
    );
    assert_eq!(
        status_from_headers(&headers).unwrap().unwrap().details(),
        &[1u8][..]
    );
}

#[test]
fn a_message_tonic_would_replace_is_refused() {
    let mut headers = HeaderMap::new();
    headers.insert("grpc-status", HeaderValue::from_static("5"));
    headers.insert("grpc-message", HeaderValue::from_static("%FF%FE"));
    let tonics = Status::from_header_map(&headers).unwrap();
    assert_eq!(tonics.code(), Code::Unknown, "tonic replaces the status");
    assert_eq!(
        status_from_headers(&headers).unwrap_err(),
        StatusHeaderError::MessageNotUtf8
    );
}
