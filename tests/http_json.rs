//! AIP-193 HTTP JSON error bodies: every catalogue code renders as the
//! fixture says, both JSON forms decode back to what the gRPC path decodes,
//! and hostile bodies get an answer, never a panic.

#[path = "common/chat_error_spec.rs"]
mod chat_error_spec;
mod common;
#[path = "fuzz/http_json_checks.rs"]
mod http_json_checks;

use std::fs;
use std::path::Path;
use std::time::Duration;

use bytes::Bytes;
use chat_errors::http_json::{
    HttpJsonDecodeError, check_error, gateway_body, get_error, status_response,
};
use chat_errors::{
    ChatError, ChatStatusExt, DecodeError, DecodedChatError, Domain, ErrorCode, Locale,
    MetadataKey, RequestInfo, Settings,
};
use common::{GRPC_CODE_NAMES, fixture_rows};
use http::StatusCode;
use proptest::prelude::*;
use serde_json::{Value, json};

fn parse(body: &[u8]) -> Value {
    serde_json::from_slice(body).expect("the body is JSON")
}

fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).expect("a valid HTTP status")
}

/// The largest error body the decoders read, as their docs give it: 64 KiB.
const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// `error`'s AIP-193 response, as a REST handler sends it.
fn response_of(error: ChatError) -> http::Response<Bytes> {
    status_response(&error.into_status())
}

/// `error`'s AIP-193 body.
fn body_of(error: ChatError) -> Bytes {
    response_of(error).into_body()
}

#[test]
fn every_code_renders_as_the_fixture_says() {
    let rows = fixture_rows();
    assert_eq!(rows.len(), 57);
    for row in rows {
        let code = ErrorCode::from_i32(row.code).expect("a catalogue code");
        let response = response_of(ChatError::new(code));
        assert_eq!(response.status().as_u16(), row.http_status, "{code}");
        let headers = response.headers();
        assert_eq!(headers["content-type"], "application/json; charset=utf-8");
        assert_eq!(headers["content-language"], "ko-KR", "{code}");
        assert!(headers.get("retry-after").is_none(), "{code}");
        let unauthenticated = row.http_status == 401;
        assert_eq!(
            headers.get("www-authenticate").map(|v| v.to_str().unwrap()),
            unauthenticated.then_some("Bearer"),
            "{code}"
        );

        let body = parse(response.body());
        let grpc_name = GRPC_CODE_NAMES[row.grpc_code as usize];
        let expected = json!({"error": {
            "code": row.http_status,
            "message": row.description_en,
            "status": grpc_name,
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": row.reason,
                    "domain": "chat.errors.v1",
                    "metadata": {"code": row.code.to_string(), "message": row.name},
                },
                {
                    "@type": "type.googleapis.com/google.rpc.LocalizedMessage",
                    "locale": "ko-KR",
                    "message": row.description_ko,
                },
            ],
        }});
        assert_eq!(body, expected, "{code}");

        // The same body again. (Byte for byte only where a rendering is
        // shared, the axum `IntoResponse` path: `tests/http_json_axum.rs`;
        // rendered afresh, ErrorInfo's metadata keys may come in any order.)
        assert_eq!(parse(&body_of(ChatError::new(code))), body, "{code}");
        // Shared per locale: another locale is not served the first one's.
        let english = || ChatError::new(code).with_locale(Locale::EN_US);
        let english_body = parse(response_of(english()).body());
        assert_eq!(
            english_body["error"]["details"][1],
            json!({
                "@type": "type.googleapis.com/google.rpc.LocalizedMessage",
                "locale": "en-US",
                "message": row.description_en,
            }),
            "{code}"
        );
        assert_eq!(parse(&body_of(english())), english_body, "{code}");

        let gateway = parse(&gateway_body(&code.into()));
        assert_eq!(gateway["code"], row.grpc_code as i32, "{code}");
        assert_eq!(gateway["message"], row.description_en);
        assert_eq!(gateway["details"], expected["error"]["details"]);

        for body in [
            response.body().to_vec(),
            gateway_body(&code.into()).to_vec(),
        ] {
            let decoded = check_error(response.status(), &body, &Domain::default())
                .expect("well-formed")
                .expect("a chat error");
            assert_eq!(decoded.code(), Some(code), "{code}");
            assert_eq!(decoded.grpc_code(), row.grpc_code);
            assert_eq!(decoded.reason(), row.reason);
            assert_eq!(
                decoded
                    .localized_message()
                    .map(|m| (m.locale.as_str(), m.message.as_str())),
                Some(("ko-KR", &*row.description_ko))
            );
        }
    }
}

#[test]
fn extras_render_in_the_proto3_json_mapping_with_their_headers() {
    let error = ChatError::new(ErrorCode::TooManyRequests)
        .with_retry_delay(Duration::from_millis(2500))
        .with_metadata(MetadataKey::from_static("limit"), "20/minute")
        .with_field_violation("channel_id", "is required")
        .with_resource_info(chat_errors::ResourceInfo {
            resource_type: "chat.example.com/Channel".into(),
            resource_name: "lobby".into(),
            ..Default::default()
        })
        .with_request_info(RequestInfo {
            request_id: "req-1".into(),
            serving_data: String::new(),
        });
    let response = response_of(error);
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    // 2.5 s waits 3 whole seconds, never fewer.
    assert_eq!(response.headers()["retry-after"], "3");
    let details = parse(response.body())["error"]["details"].clone();
    assert_eq!(details[0]["metadata"]["limit"], "20/minute");
    assert_eq!(
        details[2],
        json!({"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "2.500s"})
    );
    assert_eq!(
        details[3],
        json!({"@type": "type.googleapis.com/google.rpc.BadRequest",
               "fieldViolations": [{"field": "channel_id", "description": "is required"}]})
    );
    assert_eq!(
        details[4],
        json!({"@type": "type.googleapis.com/google.rpc.ResourceInfo",
               "resourceType": "chat.example.com/Channel", "resourceName": "lobby"})
    );
    assert_eq!(
        details[5],
        json!({"@type": "type.googleapis.com/google.rpc.RequestInfo", "requestId": "req-1"})
    );
    let whole = ChatError::new(ErrorCode::TooManyRequests).with_retry_delay(Duration::from_secs(3));
    assert_eq!(response_of(whole).headers()["retry-after"], "3");
}

#[test]
fn a_status_that_is_not_a_chat_error_renders_without_details() {
    let response = status_response(&tonic::Status::unavailable("try later"));
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        parse(response.body()),
        json!({"error": {"code": 503, "message": "try later", "status": "UNAVAILABLE"}})
    );
    assert!(response.headers().get("content-language").is_none());
}

fn aip_body_of(code: ErrorCode) -> Value {
    parse(&body_of(ChatError::new(code)))
}

fn strict(status_code: u16, body: &Value) -> Result<Option<DecodedChatError>, HttpJsonDecodeError> {
    check_error(
        status(status_code),
        &serde_json::to_vec(body).unwrap(),
        &Domain::default(),
    )
}

fn lenient(status_code: u16, body: &Value) -> Option<DecodedChatError> {
    get_error(
        status(status_code),
        &serde_json::to_vec(body).unwrap(),
        &Domain::default(),
    )
}

#[test]
fn unknown_detail_types_are_skipped_strictly_and_leniently() {
    let mut body = aip_body_of(ErrorCode::ChannelNotFound);
    let details = body["error"]["details"].as_array_mut().unwrap();
    details.insert(
        0,
        json!({"@type": "type.example.com/acme.Unknown", "x": [1, 2]}),
    );
    details.push(json!({"@type": "type.googleapis.com/google.rpc.Help",
                        "links": [{"description": "docs", "url": "https://example.com"}]}));
    let decoded = strict(404, &body).unwrap().unwrap();
    assert_eq!(decoded.code(), Some(ErrorCode::ChannelNotFound));
    assert_eq!(lenient(404, &body), Some(decoded));
}

#[test]
fn the_strict_decoder_refuses_what_the_lenient_one_reads_past() {
    let good = aip_body_of(ErrorCode::ChannelNotFound);

    let mut wrong_status = good.clone();
    wrong_status["error"]["status"] = json!("NOT_A_CODE");
    assert_eq!(
        strict(404, &wrong_status),
        Err(HttpJsonDecodeError::InvalidField {
            field: "error.status"
        })
    );
    assert_eq!(
        lenient(404, &wrong_status).unwrap().code(),
        Some(ErrorCode::ChannelNotFound)
    );

    let mut wrong_code = good.clone();
    wrong_code["error"]["code"] = json!(400);
    assert_eq!(
        strict(404, &wrong_code),
        Err(HttpJsonDecodeError::InvalidField {
            field: "error.code"
        })
    );

    assert_eq!(
        strict(500, &good),
        Err(HttpJsonDecodeError::HttpStatusMismatch {
            response: 500,
            body: 404
        })
    );
    assert_eq!(
        lenient(500, &good).unwrap().code(),
        Some(ErrorCode::ChannelNotFound)
    );

    let mut malformed = good.clone();
    malformed["error"]["details"][0]["reason"] = json!(5);
    assert!(matches!(
        strict(404, &malformed),
        Err(HttpJsonDecodeError::MalformedDetail { type_url, .. })
            if type_url == "type.googleapis.com/google.rpc.ErrorInfo"
    ));
    // Without its only ErrorInfo, the lenient reader finds no chat error.
    assert_eq!(lenient(404, &malformed), None);

    let mut untyped = good.clone();
    untyped["error"]["details"][1] = json!({"locale": "ko-KR"});
    assert!(matches!(
        strict(404, &untyped),
        Err(HttpJsonDecodeError::MalformedDetail { .. })
    ));
    assert_eq!(
        lenient(404, &untyped).unwrap().code(),
        Some(ErrorCode::ChannelNotFound)
    );

    let mut duplicate = good.clone();
    let info = duplicate["error"]["details"][0].clone();
    duplicate["error"]["details"]
        .as_array_mut()
        .unwrap()
        .push(info);
    assert_eq!(
        strict(404, &duplicate),
        Err(HttpJsonDecodeError::Details(DecodeError::DuplicateDetail {
            type_name: "google.rpc.ErrorInfo"
        }))
    );
    assert_eq!(
        lenient(404, &duplicate).unwrap().code(),
        Some(ErrorCode::ChannelNotFound)
    );

    let mut bad_number = good;
    bad_number["error"]["details"][0]["metadata"]["code"] = json!("twenty");
    assert_eq!(
        strict(404, &bad_number),
        Err(HttpJsonDecodeError::Details(
            DecodeError::InvalidCodeMetadata("twenty".into())
        ))
    );
    assert_eq!(
        lenient(404, &bad_number).unwrap().code(),
        Some(ErrorCode::ChannelNotFound)
    );
}

#[test]
fn bodies_in_neither_form_or_of_another_domain_are_no_chat_error() {
    for body in [
        json!([1, 2]),
        json!("error"),
        json!({"message": "hi"}),
        json!({}),
    ] {
        assert_eq!(strict(404, &body), Ok(None), "{body}");
        assert_eq!(lenient(404, &body), None, "{body}");
    }
    let other = Domain::new("other.example").unwrap();
    let body = body_of(ChatError::new(ErrorCode::ChannelNotFound));
    assert_eq!(check_error(status(404), &body, &other), Ok(None));
    let theirs = body_of(Settings::new(other.clone()).error(ErrorCode::ChannelNotFound));
    assert_eq!(
        check_error(status(404), &theirs, &other)
            .unwrap()
            .unwrap()
            .code(),
        Some(ErrorCode::ChannelNotFound)
    );
}

#[test]
fn oversized_and_broken_bodies_are_refused_before_parsing() {
    let largest = vec![b' '; MAX_ERROR_BODY_BYTES];
    assert!(matches!(
        check_error(status(400), &largest, &Domain::default()),
        Err(HttpJsonDecodeError::NotJson(_))
    ));
    let huge = vec![b' '; MAX_ERROR_BODY_BYTES + 1];
    assert_eq!(
        check_error(status(400), &huge, &Domain::default()),
        Err(HttpJsonDecodeError::TooLarge { len: huge.len() })
    );
    assert_eq!(get_error(status(400), &huge, &Domain::default()), None);
    assert!(matches!(
        check_error(status(400), b"{\"error\":", &Domain::default()),
        Err(HttpJsonDecodeError::NotJson(_))
    ));
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    assert!(matches!(
        check_error(status(400), deep.as_bytes(), &Domain::default()),
        Err(HttpJsonDecodeError::NotJson(_))
    ));
}

#[test]
fn the_fuzz_seeds_hold() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/seeds/http_json_decoder");
    let mut replayed = 0;
    for entry in fs::read_dir(&dir).expect("the seed directory") {
        let input = fs::read(entry.unwrap().path()).unwrap();
        http_json_checks::http_json_decoder(&input);
        replayed += 1;
    }
    assert!(replayed >= 57, "{replayed} seeds");
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_chat_error_decodes_from_json_as_from_grpc(spec in chat_error_spec::spec()) {
        let status = chat_error_spec::build(&spec).into_status();
        let from_grpc = status.check_chat_error(&spec.domain).unwrap().unwrap();
        let response = status_response(&status);
        let aip = check_error(response.status(), response.body(), &spec.domain).unwrap().unwrap();
        prop_assert_eq!(&aip, &from_grpc);
        let gateway = check_error(response.status(), &gateway_body(&status), &spec.domain).unwrap().unwrap();
        prop_assert_eq!(&gateway, &from_grpc);
    }

    #[test]
    fn any_bytes_get_an_answer(status_code in 100u16..1000, body in prop::collection::vec(any::<u8>(), 0..512)) {
        http_json_checks::decoders_agree(status(status_code), &body);
    }

    #[test]
    fn any_mangled_error_body_gets_an_answer(
        code in chat_error_spec::code(),
        cut in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let mut body = body_of(ChatError::new(code)).to_vec();
        let at = cut.index(body.len());
        body[at] = byte;
        http_json_checks::decoders_agree(code.http_status(), &body);
        body.truncate(at);
        http_json_checks::decoders_agree(code.http_status(), &body);
    }
}
