//! Every row of the normative table, through the whole trip:
//! code -> Status -> tonic's trailer encoding -> Status::from_header_map -> decoded error.

mod common;

use std::collections::{BTreeSet, HashMap};

use chat_errors::{ChatStatusExt, DEFAULT_DOMAIN, Domain, ErrorCode, Locale};
use common::{fixture_rows, over_the_wire, rpc_status};
use prost::Message;
use tonic_types::pb;

#[test]
fn the_catalogue_has_exactly_the_fixture_codes() {
    let fixture: BTreeSet<i32> = fixture_rows().iter().map(|row| row.code).collect();
    let catalogue: BTreeSet<i32> = ErrorCode::iter().map(ErrorCode::as_i32).collect();
    assert_eq!(fixture.len(), 57);
    assert_eq!(ErrorCode::iter().len(), 57);
    assert_eq!(catalogue, fixture);
}

#[test]
fn every_code_has_the_fixture_metadata() {
    for row in fixture_rows() {
        let code = ErrorCode::from_i32(row.code).expect("fixture code is in the catalogue");
        assert_eq!(code.as_i32(), row.code);
        assert_eq!(i32::from(code), row.code);
        assert_eq!(code.name(), row.name, "{}", row.code);
        assert_eq!(code.reason(), row.reason, "{}", row.code);
        assert_eq!(code.grpc_code(), row.grpc_code, "{}", row.code);
        assert_eq!(
            chat_errors::grpc_code_name(code.grpc_code()),
            row.grpc_code_name
        );
        assert_eq!(code.http_status().as_u16(), row.http_status, "{}", row.code);
        assert_eq!(code.is_retryable(), row.retryable, "{}", row.code);
        assert_eq!(
            code.description(Locale::KO_KR).as_bytes(),
            row.description_ko.as_bytes()
        );
        assert_eq!(
            code.description(Locale::EN_US),
            row.description_en,
            "{}",
            row.code
        );

        assert_eq!(ErrorCode::from_reason(&row.reason), Some(code));
        assert_eq!(row.code.to_string().parse(), Ok(code));
        assert_eq!(code.to_string(), format!("{} {}", row.code, row.name));
    }
}

/// `FromStr` takes the one spelling `http::StatusCode` takes, the decimal
/// number; the reason has `from_reason`, and nothing else names a code.
#[test]
fn a_code_parses_from_its_number_alone_and_from_its_reason_by_name() {
    for row in fixture_rows() {
        let code = ErrorCode::from_i32(row.code).unwrap();
        let number = row.code.to_string();
        assert_eq!(number.parse::<ErrorCode>(), Ok(code));
        assert_eq!(ErrorCode::from_reason(&row.reason), Some(code));
        for other_spelling in [
            row.reason.clone(),
            format!("ERROR_CODE_{}", row.reason),
            row.reason.to_lowercase(),
            row.name.clone(),
            format!("{} {}", row.code, row.name),
            format!("+{number}"),
            format!("-{number}"),
            format!(" {number}"),
            format!("{number} "),
            format!("{number}.0"),
        ] {
            let refused = other_spelling.parse::<ErrorCode>().unwrap_err();
            assert_eq!(refused.input(), other_spelling);
        }
        // Reasons are case-sensitive, as AIP-193 defines them.
        assert_eq!(ErrorCode::from_reason(&row.reason.to_lowercase()), None);
        assert_eq!(ErrorCode::from_reason(&row.name), None);
        assert_eq!(ErrorCode::from_reason(&number), None);
    }
    // Numbers the catalogue does not have.
    let fixture: BTreeSet<i32> = fixture_rows().iter().map(|row| row.code).collect();
    for number in [0, 1, 999, 1008, 1009, 3005, 9999, 99999] {
        assert!(!fixture.contains(&number), "{number}");
        assert!(number.to_string().parse::<ErrorCode>().is_err(), "{number}");
        assert_eq!(ErrorCode::from_i32(number), None);
    }
    for text in ["", "InternalServerError", "99999999999999999999"] {
        assert!(text.parse::<ErrorCode>().is_err(), "{text:?}");
    }
}

/// One spelling means one: the number as the strict decoder reads ErrorInfo
/// metadata `code`, canonical decimal, which `"02003"` is not.
#[test]
fn a_number_with_a_leading_zero_is_not_the_code_s_spelling() {
    for row in fixture_rows() {
        for padded in [format!("0{}", row.code), format!("00{}", row.code)] {
            assert!(padded.parse::<ErrorCode>().is_err(), "{padded:?}");
        }
    }
}

#[test]
fn every_code_makes_the_full_trip_over_tonic_headers() {
    for row in fixture_rows() {
        let code = ErrorCode::from_i32(row.code).unwrap();
        let (headers, received) = over_the_wire(code.into());

        assert_eq!(
            headers["grpc-status"].to_str().unwrap(),
            (row.grpc_code as i32).to_string()
        );
        assert_eq!(received.code(), row.grpc_code);
        assert_eq!(received.message(), row.description_en);

        // grpc-message must equal the message inside the details: grpcio-status
        // rejects a status where they differ.
        let rpc = rpc_status(&received);
        assert_eq!(rpc.code, row.grpc_code as i32);
        assert_eq!(rpc.message, received.message());
        let type_urls: Vec<&str> = rpc.details.iter().map(|d| d.type_url.as_str()).collect();
        assert_eq!(
            type_urls,
            [
                "type.googleapis.com/google.rpc.ErrorInfo",
                "type.googleapis.com/google.rpc.LocalizedMessage"
            ]
        );
        let info = pb::ErrorInfo::decode(&rpc.details[0].value[..]).unwrap();
        assert_eq!(info.reason, row.reason);
        assert_eq!(info.domain, DEFAULT_DOMAIN);
        let expected_metadata = HashMap::from([
            ("code".to_owned(), row.code.to_string()),
            ("message".to_owned(), row.name.clone()),
        ]);
        assert_eq!(info.metadata, expected_metadata);
        let localized = pb::LocalizedMessage::decode(&rpc.details[1].value[..]).unwrap();
        assert_eq!(localized.locale, "ko-KR");
        assert_eq!(localized.message.as_bytes(), row.description_ko.as_bytes());

        let decoded = received
            .check_chat_error(&Domain::default())
            .expect("well-formed details")
            .expect("a chat error");
        assert_eq!(decoded.code(), Some(code));
        assert_eq!(decoded.number(), Some(row.code));
        assert_eq!(decoded.reason(), row.reason);
        assert_eq!(decoded.domain(), DEFAULT_DOMAIN);
        assert_eq!(decoded.name(), Some(row.name.as_str()));
        assert_eq!(decoded.metadata(), &expected_metadata);
        assert_eq!(decoded.grpc_code(), row.grpc_code);
        assert_eq!(decoded.http_status().as_u16(), row.http_status);
        assert_eq!(decoded.message(), row.description_en);
        assert_eq!(
            decoded
                .localized_message()
                .map(|m| (m.locale.as_str(), m.message.as_bytes())),
            Some(("ko-KR", row.description_ko.as_bytes()))
        );
        assert_eq!(decoded.localized_messages().len(), 1);
        assert_eq!(decoded.retry_delay(), None);
        assert!(decoded.field_violations().is_empty());
        assert_eq!(decoded.resource_info(), None);

        assert_eq!(received.get_chat_error(&Domain::default()), Some(decoded));
        assert_eq!(received.chat_error_code(&Domain::default()), Some(code));
    }
}

/// The default status of `row`, written by prost and tonic-types from the
/// fixture's values alone.
fn reference_details(row: &common::Row) -> pb::Status {
    let mut details = tonic_types::ErrorDetails::with_error_info(
        row.reason.clone(),
        DEFAULT_DOMAIN,
        HashMap::from([
            ("code".to_owned(), row.code.to_string()),
            ("message".to_owned(), row.name.clone()),
        ]),
    );
    details.set_localized_message("ko-KR", row.description_ko.clone());
    let status = <tonic::Status as tonic_types::StatusExt>::with_error_details(
        row.grpc_code,
        row.description_en.clone(),
        details,
    );
    rpc_status(&status)
}

/// ErrorInfo's metadata is a protobuf map, written in any order: each
/// detail is compared decoded, LocalizedMessage (no map) byte for byte.
fn assert_same_details(ours: &pb::Status, reference: &pb::Status, context: &str) {
    assert_eq!(ours.code, reference.code, "{context}");
    assert_eq!(ours.message, reference.message, "{context}");
    let urls = |status: &pb::Status| -> Vec<String> {
        status.details.iter().map(|d| d.type_url.clone()).collect()
    };
    assert_eq!(urls(ours), urls(reference), "{context}");
    assert_eq!(
        pb::ErrorInfo::decode(&ours.details[0].value[..]).unwrap(),
        pb::ErrorInfo::decode(&reference.details[0].value[..]).unwrap(),
        "{context}"
    );
    assert_eq!(
        ours.details[1].value, reference.details[1].value,
        "{context}"
    );
}

#[test]
fn the_bare_code_and_a_default_error_send_what_tonic_types_writes_from_the_fixture() {
    for row in fixture_rows() {
        let code = ErrorCode::from_i32(row.code).unwrap();
        let reference = reference_details(&row);
        for (path, status) in [
            ("bare code", tonic::Status::from(code)),
            (
                "default error",
                chat_errors::ChatError::new(code).into_status(),
            ),
        ] {
            let context = format!("{} ({path})", row.code);
            assert_eq!(status.code(), row.grpc_code, "{context}");
            assert_eq!(status.message(), row.description_en, "{context}");
            assert_same_details(&rpc_status(&status), &reference, &context);
        }
    }
}
