//! Strict decoding refuses a chat error that contradicts itself or the
//! status it travelled with, for every row of the fixture table; lenient
//! decoding reads the same statuses as it always has. Every status here is
//! built with prost from the fixture's values, not by the crate.

mod common;

use chat_errors::{ChatStatusExt, DecodeError, Domain, ErrorCode};
use common::{Row, error_info, fixture_rows};
use prost::Message;
use tonic::{Code, Status};
use tonic_types::pb;

const DOMAIN: &str = "chat.errors.v1";

/// A status as a peer might send it: `grpc-status`/`grpc-message` in the
/// headers and a `google.rpc.Status` with its own code and message.
fn sent(
    header: (Code, &str),
    details: (Code, &str),
    reason: &str,
    metadata: &[(&str, &str)],
) -> Status {
    let rpc = pb::Status {
        code: details.0 as i32,
        message: details.1.to_owned(),
        details: vec![error_info(reason, DOMAIN, metadata)],
    };
    Status::with_details(header.0, header.1, rpc.encode_to_vec().into())
}

/// `row` sent as the contract says, with `metadata` in place of the
/// reserved keys.
fn with_metadata(row: &Row, metadata: &[(&str, &str)]) -> Status {
    let both = (row.grpc_code, row.description_en.as_str());
    sent(both, both, &row.reason, metadata)
}

fn code_of(row: &Row) -> ErrorCode {
    ErrorCode::from_i32(row.code).expect("a fixture code")
}

/// The lenient reading, which these contradictions must not change.
fn leniently(status: &Status) -> Option<ErrorCode> {
    let decoded = status
        .get_chat_error(&Domain::default())
        .expect("lenient finds the error");
    assert_eq!(status.chat_error_code(&Domain::default()), decoded.code());
    decoded.code()
}

/// The strict reading.
fn strictly(status: &Status) -> Result<Option<ErrorCode>, DecodeError> {
    status
        .check_chat_error(&Domain::default())
        .map(|found| found.and_then(|decoded| decoded.code()))
}

#[test]
fn a_status_as_the_contract_says_decodes_strictly_for_every_row() {
    for row in fixture_rows() {
        let number = row.code.to_string();
        let status = with_metadata(&row, &[("code", &number), ("message", &row.name)]);
        assert_eq!(strictly(&status), Ok(Some(code_of(&row))), "{}", row.code);
        assert_eq!(leniently(&status), Some(code_of(&row)));
    }
}

#[test]
fn a_code_and_a_reason_of_different_codes_are_refused() {
    let rows = fixture_rows();
    for (row, other) in rows.iter().zip(rows.iter().cycle().skip(1)) {
        let number = row.code.to_string();
        // The issue's own example: reason CHANNEL_NOT_FOUND, code 3003.
        let status = sent(
            (row.grpc_code, &row.description_en),
            (row.grpc_code, &row.description_en),
            &other.reason,
            &[("code", &number), ("message", &row.name)],
        );
        assert_eq!(
            strictly(&status),
            Err(DecodeError::CodeReasonMismatch {
                number: row.code,
                reason: other.reason.clone(),
            }),
            "{} with {}",
            row.code,
            other.reason
        );
        assert_eq!(leniently(&status), Some(code_of(row)), "metadata code wins");

        // A number this build does not know beside a reason it does.
        let unknown = with_metadata(row, &[("code", "7001")]);
        assert_eq!(
            strictly(&unknown),
            Err(DecodeError::CodeReasonMismatch {
                number: 7001,
                reason: row.reason.clone(),
            })
        );
        // A known number beside a reason this build does not know.
        let status = sent(
            (row.grpc_code, &row.description_en),
            (row.grpc_code, &row.description_en),
            "THREAD_ARCHIVED",
            &[("code", &number)],
        );
        assert_eq!(
            strictly(&status),
            Err(DecodeError::CodeReasonMismatch {
                number: row.code,
                reason: "THREAD_ARCHIVED".to_owned(),
            })
        );
    }
}

#[test]
fn a_name_that_is_not_the_codes_is_refused() {
    for row in fixture_rows() {
        let number = row.code.to_string();
        for wrong in ["ChannelNotFoundX", "", "channelnotfound"] {
            let status = with_metadata(&row, &[("code", &number), ("message", wrong)]);
            assert_eq!(
                strictly(&status),
                Err(DecodeError::NameMismatch {
                    code: code_of(&row),
                    name: wrong.to_owned(),
                }),
                "{} named {wrong:?}",
                row.code
            );
            assert_eq!(leniently(&status), Some(code_of(&row)));
        }
        // No name at all is not a contradiction.
        let unnamed = with_metadata(&row, &[("code", &number)]);
        assert_eq!(strictly(&unnamed), Ok(Some(code_of(&row))));
    }
}

#[test]
fn a_code_not_in_canonical_decimal_is_refused() {
    for row in fixture_rows() {
        let number = row.code.to_string();
        for written in [
            format!("0{number}"),
            format!("+{number}"),
            format!(" {number}"),
            format!("{number} "),
            format!("00{number}"),
        ] {
            let status = with_metadata(&row, &[("code", &written), ("message", &row.name)]);
            assert_eq!(
                strictly(&status),
                Err(DecodeError::NonCanonicalCode(written.clone())),
                "{written:?}"
            );
            assert_eq!(leniently(&status), Some(code_of(&row)), "{written:?}");
        }
    }
    for (written, refusal) in [
        ("-5", DecodeError::NonCanonicalCode("-5".to_owned())),
        ("00", DecodeError::NonCanonicalCode("00".to_owned())),
        (
            "2147483648",
            DecodeError::InvalidCodeMetadata("2147483648".to_owned()),
        ),
        (
            "２００３",
            DecodeError::InvalidCodeMetadata("２００３".to_owned()),
        ),
        ("", DecodeError::InvalidCodeMetadata(String::new())),
    ] {
        let status = sent(
            (Code::NotFound, "x"),
            (Code::NotFound, "x"),
            "THREAD_ARCHIVED",
            &[("code", written)],
        );
        assert_eq!(strictly(&status), Err(refusal), "{written:?}");
    }
}

#[test]
fn a_grpc_status_that_is_not_the_codes_is_refused() {
    for row in fixture_rows() {
        let number = row.code.to_string();
        let wrong = if row.grpc_code == Code::DataLoss {
            Code::Internal
        } else {
            Code::DataLoss
        };
        // Headers and details agree with each other, not with the catalogue.
        let status = sent(
            (wrong, &row.description_en),
            (wrong, &row.description_en),
            &row.reason,
            &[("code", &number), ("message", &row.name)],
        );
        assert_eq!(
            strictly(&status),
            Err(DecodeError::GrpcCodeMismatch {
                code: code_of(&row),
                grpc_status: wrong,
            }),
            "{}",
            row.code
        );
        assert_eq!(leniently(&status), Some(code_of(&row)));
    }
}

#[test]
fn a_trailer_message_that_is_not_the_details_message_is_refused() {
    for row in fixture_rows() {
        let number = row.code.to_string();
        let status = sent(
            (row.grpc_code, &row.description_en),
            (row.grpc_code, &row.description_ko),
            &row.reason,
            &[("code", &number), ("message", &row.name)],
        );
        assert_eq!(strictly(&status), Err(DecodeError::MessageMismatch));
        assert_eq!(leniently(&status), Some(code_of(&row)));
    }
}

#[test]
fn a_code_from_a_newer_catalogue_is_kept_strictly() {
    for grpc_code in [Code::NotFound, Code::DataLoss, Code::Unknown] {
        let status = sent(
            (grpc_code, "Threads are archived."),
            (grpc_code, "Threads are archived."),
            "THREAD_ARCHIVED",
            &[("code", "7001"), ("message", "AnythingAtAll")],
        );
        let decoded = status
            .check_chat_error(&Domain::default())
            .unwrap()
            .unwrap();
        assert_eq!((decoded.code(), decoded.number()), (None, Some(7001)));
        assert_eq!(decoded.name(), Some("AnythingAtAll"));
        assert_eq!(status.get_chat_error(&Domain::default()), Some(decoded));
    }
}

#[test]
fn each_refusal_names_the_contradiction() {
    let cases = [
        (
            DecodeError::NonCanonicalCode("02003".to_owned()),
            r#"ErrorInfo metadata code "02003" is not written as canonical decimal digits"#,
        ),
        (
            DecodeError::CodeReasonMismatch {
                number: 3003,
                reason: "CHANNEL_NOT_FOUND".to_owned(),
            },
            r#"ErrorInfo metadata code 3003 and reason "CHANNEL_NOT_FOUND" name different codes"#,
        ),
        (
            DecodeError::NameMismatch {
                code: ErrorCode::ChannelNotFound,
                name: "UserNotFound".to_owned(),
            },
            r#"ErrorInfo metadata message "UserNotFound" is not the name of 2003, "ChannelNotFound""#,
        ),
        (
            DecodeError::GrpcCodeMismatch {
                code: ErrorCode::ChannelNotFound,
                grpc_status: Code::Internal,
            },
            "grpc-status is 13 (Internal) but 2003 ChannelNotFound is sent as 5 (NotFound)",
        ),
    ];
    for (error, text) in cases {
        assert_eq!(error.to_string(), text);
    }
}

/// Found by the `details_decoder` fuzz target: prost, and Google's Python
/// runtime, refuse a `google.rpc.Status` whose `message` comes twice with
/// the first occurrence not UTF-8; strict decoding refuses it too.
#[test]
fn a_repeated_status_message_whose_earlier_occurrence_is_not_utf8_is_refused() {
    let info = error_info(
        "CHANNEL_NOT_FOUND",
        DOMAIN,
        &[("code", "2003"), ("message", "ChannelNotFound")],
    );
    let mut details = vec![0x12, 2, 0xc3, 0x28];
    details.extend(
        pb::Status {
            code: Code::NotFound as i32,
            message: "The channel does not exist.".to_owned(),
            details: vec![info],
        }
        .encode_to_vec(),
    );
    assert!(pb::Status::decode(&details[..]).is_err());
    let status = Status::with_details(
        Code::NotFound,
        "The channel does not exist.",
        details.into(),
    );
    assert!(matches!(
        status.check_chat_error(&Domain::default()),
        Err(DecodeError::MalformedStatus(_))
    ));
    assert_eq!(leniently(&status), Some(ErrorCode::ChannelNotFound));
}
