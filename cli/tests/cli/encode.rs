use std::collections::HashMap;

use chat_errors::ErrorCode;
use prost::Message as _;
use serde_json::json;

use crate::common::rpc_status;
use crate::support::{
    comparable, field, rpc_status_of, run, run_with_stdin, trailer, trailer_lines,
};

#[test]
fn text_is_the_three_trailers_tonic_writes() {
    let run = run(&["encode", "2027"]);
    let encoded = run.success();
    let names: Vec<&str> = encoded
        .lines()
        .map(|line| line.split(':').next().unwrap())
        .collect();
    assert_eq!(
        names,
        ["grpc-status", "grpc-message", "grpc-status-details-bin"]
    );
    assert_eq!(trailer(encoded, "grpc-status"), "7");
    assert_eq!(
        trailer(encoded, "grpc-message"),
        "You%20are%20muted%20in%20the%20channel."
    );

    let details = rpc_status_of(trailer(encoded, "grpc-status-details-bin"));
    assert_eq!(details.code, 7);
    assert_eq!(details.message, "You are muted in the channel.");
    let type_urls: Vec<&str> = details
        .details
        .iter()
        .map(|any| any.type_url.as_str())
        .collect();
    assert_eq!(
        type_urls,
        [
            "type.googleapis.com/google.rpc.ErrorInfo",
            "type.googleapis.com/google.rpc.LocalizedMessage"
        ]
    );
    let info = tonic_types::pb::ErrorInfo::decode(details.details[0].value.as_slice()).unwrap();
    assert_eq!(info.reason, "MUTED_IN_CHANNEL");
    assert_eq!(info.domain, "chat.errors.v1");
    assert_eq!(
        info.metadata,
        HashMap::from([
            ("code".to_owned(), "2027".to_owned()),
            ("message".to_owned(), "MutedInChannel".to_owned())
        ])
    );
    let korean =
        tonic_types::pb::LocalizedMessage::decode(details.details[1].value.as_slice()).unwrap();
    assert_eq!(
        (korean.locale.as_str(), korean.message.as_str()),
        ("ko-KR", "채널에서 mute된 상태입니다")
    );
}

#[test]
fn matches_what_the_library_sends_through_tonic() {
    for code in [
        ErrorCode::ChannelNotFound,
        ErrorCode::TooManyRequests,
        ErrorCode::InternalServerError3000,
    ] {
        let status = tonic::Status::from(code);
        let expected = trailer_lines(&status);
        let run = run(&["encode", &code.as_i32().to_string()]);
        let encoded = run.success();
        for name in ["grpc-status", "grpc-message"] {
            assert_eq!(trailer(encoded, name), trailer(&expected, name), "{code}");
        }
        // ErrorInfo.metadata is a map, so only the decoded details compare equal.
        assert_eq!(
            comparable(rpc_status_of(trailer(encoded, "grpc-status-details-bin"))),
            comparable(rpc_status(&status)),
            "{code}"
        );
    }
}

#[test]
fn names_and_reasons_encode_like_numbers() {
    let by_number = comparable(rpc_status_of(trailer(
        run(&["encode", "2003"]).success(),
        "grpc-status-details-bin",
    )));
    for name in [
        "ChannelNotFound",
        "CHANNEL_NOT_FOUND",
        "ERROR_CODE_CHANNEL_NOT_FOUND",
    ] {
        let run = run(&["encode", name]);
        let details = rpc_status_of(trailer(run.success(), "grpc-status-details-bin"));
        assert_eq!(comparable(details), by_number, "{name}");
    }
}

#[test]
fn json_has_the_three_trailer_keys() {
    let encoded = run(&["encode", "2003", "--format", "json"]).json();
    let object = encoded.as_object().expect("an object");
    let keys: Vec<&str> = object.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["grpc-status", "grpc-message", "grpc-status-details-bin"]
    );
    assert_eq!(encoded["grpc-status"], json!(5));
    assert_eq!(
        encoded["grpc-message"],
        "The%20channel%20does%20not%20exist."
    );
    let details = rpc_status_of(encoded["grpc-status-details-bin"].as_str().unwrap());
    assert_eq!(
        comparable(details),
        comparable(rpc_status(&ErrorCode::ChannelNotFound.into()))
    );
}

#[test]
fn options_become_message_metadata_retry_info_and_bad_request() {
    let run = run(&[
        "encode",
        "TOO_MANY_REQUESTS",
        "--message",
        "천천히: 100% \"slow\"",
        "--domain",
        "chat.example.com",
        "--metadata",
        "limit=20/minute",
        "--metadata",
        "scope=channel",
        "--retry-after",
        "1.5",
        "--field-violation",
        "channel_id=must not be empty",
    ]);
    let encoded = run.success();
    assert_eq!(trailer(encoded, "grpc-status"), "8");
    assert_eq!(
        trailer(encoded, "grpc-message"),
        "%EC%B2%9C%EC%B2%9C%ED%9E%88:%20100%25%20%22slow%22"
    );

    let expected =
        chat_errors::Settings::new(chat_errors::Domain::new("chat.example.com").unwrap())
            .error(ErrorCode::TooManyRequests)
            .with_message("천천히: 100% \"slow\"")
            .with_metadata(chat_errors::MetadataKey::from_static("limit"), "20/minute")
            .with_metadata(chat_errors::MetadataKey::from_static("scope"), "channel")
            .with_retry_delay(std::time::Duration::from_millis(1500))
            .with_field_violation("channel_id", "must not be empty")
            .into_status();
    assert_eq!(
        trailer(encoded, "grpc-message"),
        trailer(&trailer_lines(&expected), "grpc-message")
    );
    assert_eq!(
        comparable(rpc_status_of(trailer(encoded, "grpc-status-details-bin"))),
        comparable(rpc_status(&expected))
    );
}

#[test]
fn an_empty_or_blank_message_keeps_the_description() {
    for blank in ["", "   "] {
        let run = run(&["encode", "2003", "--message", blank]);
        let encoded = run.success();
        let decoded = run_with_stdin(&["decode"], encoded);
        assert_eq!(
            field(decoded.success(), "message"),
            Some("The channel does not exist."),
            "{blank:?}"
        );
    }
}

#[test]
fn details_are_unpadded_base64() {
    for code in ["1001", "2003", "2027", "3000"] {
        let run = run(&["encode", code]);
        let details = trailer(run.success(), "grpc-status-details-bin");
        assert!(!details.contains('='), "{code}: {details}");
        assert_eq!(
            rpc_status_of(details).code,
            trailer(run.success(), "grpc-status")
                .parse::<i32>()
                .unwrap()
        );
    }
}

#[test]
fn locale_picks_the_localized_message_for_every_code_and_leaves_grpc_message_english() {
    for row in crate::common::fixture_rows() {
        for (locale, expected) in [
            ("ko-KR", &row.description_ko),
            ("en-US", &row.description_en),
            ("EN-us", &row.description_en),
        ] {
            let encoded = crate::support::encoded(&[&row.code.to_string(), "--locale", locale]);
            let details = rpc_status_of(trailer(&encoded, "grpc-status-details-bin"));
            assert_eq!(details.message, row.description_en, "{} {locale}", row.code);
            let localized: Vec<_> = details
                .details
                .iter()
                .filter(|any| any.type_url == "type.googleapis.com/google.rpc.LocalizedMessage")
                .map(|any| tonic_types::pb::LocalizedMessage::decode(any.value.as_slice()).unwrap())
                .collect();
            assert_eq!(
                localized.len(),
                1,
                "{} {locale}: one LocalizedMessage",
                row.code
            );
            assert!(localized[0].locale.eq_ignore_ascii_case(locale));
            assert_eq!(&localized[0].message, expected, "{} {locale}", row.code);
        }
    }
}

#[test]
fn an_unknown_locale_is_a_usage_error_naming_the_catalogue_locales() {
    let run = run(&["encode", "2003", "--locale", "fr-FR"]);
    let stderr = run.failure(2);
    assert!(
        stderr.contains("ko-KR") && stderr.contains("en-US"),
        "{stderr}"
    );
}
