use chat_errors::{ChatError, ErrorCode, RequestInfo, ResourceInfo};
use serde_json::json;

use crate::common::{error_info, fixture_rows, status_with_details};
use crate::support::{
    encoded, field, fixture_columns, padded, run, run_with_stdin, trailer, trailer_lines,
};

#[test]
fn encode_piped_into_decode_round_trips_as_text() {
    let run = run_with_stdin(&["decode"], &encoded(&["2003"]));
    let text = run.success();
    let expected = [
        ("code", "2003"),
        ("name", "ChannelNotFound"),
        ("reason", "CHANNEL_NOT_FOUND"),
        ("domain", "chat.errors.v1"),
        ("grpc_code", "5 NOT_FOUND"),
        ("http_status", "404"),
        ("message", "The channel does not exist."),
        ("localized_message[ko-KR]", "존재하지 않는 채널입니다"),
        ("metadata[code]", "2003"),
        ("metadata[message]", "ChannelNotFound"),
    ];
    assert_eq!(text.lines().count(), expected.len(), "{text}");
    for (label, value) in expected {
        assert_eq!(field(text, label), Some(value), "{label}");
    }
}

#[test]
fn every_code_round_trips_as_json() {
    let rows = fixture_rows();
    assert_eq!(rows.len(), 57);
    for (row, columns) in rows.iter().zip(fixture_columns()) {
        let trailers = encoded(&[&row.code.to_string()]);
        let decoded = run_with_stdin(&["decode", "--format", "json"], &trailers).json();
        assert_eq!(
            decoded,
            json!({
                "code": row.code,
                "name": row.name,
                "reason": row.reason,
                "domain": "chat.errors.v1",
                "grpc_code": columns[3],
                "http_status": row.http_status,
                "message": row.description_en,
                "localized_messages": [{"locale": "ko-KR", "message": row.description_ko}],
                "retry_delay_ms": null,
                "field_violations": [],
                "resource": null,
                "request": null,
                "metadata": {"code": row.code.to_string(), "message": row.name},
            }),
            "{}",
            row.code
        );
    }
}

#[test]
fn arguments_and_stdin_decode_alike() {
    let trailers = encoded(&["2027"]);
    let lines: Vec<&str> = trailers.lines().collect();
    let from_args = run(&[&["decode"][..], &lines].concat());
    let from_stdin = run_with_stdin(&["decode"], &trailers);
    assert_eq!(from_args.success(), from_stdin.success());
    assert_eq!(
        field(from_args.success(), "reason"),
        Some("MUTED_IN_CHANNEL")
    );
}

#[test]
fn padded_and_unpadded_base64_decode_alike() {
    let trailers = encoded(&["1001"]);
    let details = trailer(&trailers, "grpc-status-details-bin");
    assert_ne!(
        details.len() % 4,
        0,
        "this example needs padding to test it"
    );
    let padded_trailers = trailers.replace(details, &padded(details));
    let unpadded = run_with_stdin(&["decode"], &trailers);
    let with_padding = run_with_stdin(&["decode"], &padded_trailers);
    assert_eq!(with_padding.success(), unpadded.success());
}

#[test]
fn reads_grpcurl_verbose_output() {
    let details = padded(trailer(&encoded(&["2003"]), "grpc-status-details-bin"));
    let paste = format!(
        "Resolved method descriptor:\n\
         rpc GetChannel ( .chat.v1.GetChannelRequest ) returns ( .chat.v1.Channel );\n\
         \n\
         Request metadata to send:\n\
         (empty)\n\
         \n\
         Response headers received:\n\
         content-type: application/grpc\n\
         \n\
         Response trailers received:\n\
         grpc-status-details-bin: {details}\n\
         Sent 1 request and received 0 responses\n\
         ERROR:\n  \
           Code: NotFound\n  \
           Message: The channel does not exist.\n  \
           Details:\n  \
           1)\t{{\n        \
               \"@type\": \"type.googleapis.com/google.rpc.ErrorInfo\",\n        \
               \"domain\": \"chat.errors.v1\",\n        \
               \"metadata\": {{ \"code\": \"2003\", \"message\": \"ChannelNotFound\" }},\n        \
               \"reason\": \"CHANNEL_NOT_FOUND\"\n      \
             }}\n"
    );
    let decoded = run_with_stdin(&["decode", "--format", "json"], &paste).json();
    assert_eq!(decoded["code"], 2003);
    assert_eq!(decoded["grpc_code"], "NOT_FOUND");
    assert_eq!(decoded["message"], "The channel does not exist.");
    assert_eq!(
        decoded["localized_messages"][0]["message"],
        "존재하지 않는 채널입니다"
    );
}

#[test]
fn reads_log_lines_json_and_go_maps() {
    let trailers = encoded(&["2027"]);
    let status = trailer(&trailers, "grpc-status");
    let message = trailer(&trailers, "grpc-message");
    let details = trailer(&trailers, "grpc-status-details-bin");
    let json_trailers = encoded(&["2027", "--format", "json"]);
    let pastes = [
        format!(
            "2024-05-01T10:00:00.123Z ERROR chat_api: rpc failed grpc-status={status} \
             grpc-message={message} grpc-status-details-bin={details} peer=10.0.0.7"
        ),
        format!(
            "< Grpc-Status: {status}\r\n< Grpc-Message: {message}\r\n< Grpc-Status-Details-Bin: {details}\r\n"
        ),
        format!(
            "trailers=map[grpc-message:[{message}] grpc-status:[{status}] grpc-status-details-bin:[{details}]]"
        ),
        json_trailers.clone(),
        json_trailers.replace('\n', ""),
    ];
    for paste in pastes {
        let run = run_with_stdin(&["decode"], &paste);
        assert_eq!(field(run.success(), "code"), Some("2027"), "{paste}");
        assert_eq!(
            field(run.success(), "message"),
            Some("You are muted in the channel."),
            "{paste}"
        );
    }
}

#[test]
fn a_bare_details_value_is_enough() {
    let trailers = encoded(&["3000", "--message", "disk full"]);
    let details = trailer(&trailers, "grpc-status-details-bin");
    let run = run(&["decode", details]);
    let text = run.success();
    assert_eq!(field(text, "code"), Some("3000"));
    assert_eq!(field(text, "grpc_code"), Some("13 INTERNAL"));
    assert_eq!(field(text, "message"), Some("disk full"));
}

#[test]
fn shows_retry_delay_field_violations_resource_request_and_metadata() {
    let status = ChatError::new(ErrorCode::InvalidParams)
        .with_retry_delay(std::time::Duration::from_millis(2500))
        .with_field_violation("channel_id", "must not be empty")
        .with_resource_info(ResourceInfo {
            resource_type: "channel".to_owned(),
            resource_name: "c-42".to_owned(),
            owner: "u-7".to_owned(),
            description: "the channel to post in".to_owned(),
        })
        .with_request_info(RequestInfo {
            request_id: "req-9".to_owned(),
            serving_data: "pod-3".to_owned(),
        })
        .with_metadata(chat_errors::MetadataKey::from_static("limit"), "20/minute")
        .into_status();
    let trailers = trailer_lines(&status);

    let text_run = run_with_stdin(&["decode"], &trailers);
    let text = text_run.success();
    assert_eq!(field(text, "retry_delay"), Some("2.5s"));
    assert_eq!(
        field(text, "field_violation[channel_id]"),
        Some("must not be empty")
    );
    assert_eq!(field(text, "resource.name"), Some("c-42"));
    assert_eq!(field(text, "request.id"), Some("req-9"));
    assert_eq!(field(text, "metadata[limit]"), Some("20/minute"));

    let decoded = run_with_stdin(&["decode", "--format", "json"], &trailers).json();
    assert_eq!(decoded["retry_delay_ms"], 2500);
    assert_eq!(
        decoded["field_violations"],
        json!([{"field": "channel_id", "description": "must not be empty", "reason": "", "localized_message": null}])
    );
    assert_eq!(
        decoded["resource"],
        json!({"type": "channel", "name": "c-42", "owner": "u-7", "description": "the channel to post in"})
    );
    assert_eq!(
        decoded["request"],
        json!({"id": "req-9", "serving_data": "pod-3"})
    );
    assert_eq!(
        decoded["metadata"],
        json!({"code": "1002", "limit": "20/minute", "message": "InvalidParams"})
    );
}

#[test]
fn another_domain_decodes_with_domain() {
    let trailers = encoded(&["2003", "--domain", "chat.example.com"]);
    let run = run_with_stdin(&["decode", "--domain", "chat.example.com"], &trailers);
    assert_eq!(field(run.success(), "domain"), Some("chat.example.com"));
    assert_eq!(field(run.success(), "code"), Some("2003"));
}

#[test]
fn a_code_from_a_newer_catalogue_keeps_its_number() {
    let status = status_with_details(
        tonic::Code::NotFound,
        "The thread does not exist.",
        vec![error_info(
            "THREAD_NOT_FOUND",
            "chat.errors.v1",
            &[("code", "2999"), ("message", "ThreadNotFound")],
        )],
    );
    let run = run_with_stdin(&["decode"], &trailer_lines(&status));
    let text = run.success();
    assert_eq!(
        field(text, "code"),
        Some("2999 (not in this build's catalogue)")
    );
    assert_eq!(field(text, "name"), Some("ThreadNotFound"));
    assert_eq!(field(text, "reason"), Some("THREAD_NOT_FOUND"));

    let decoded = run_with_stdin(&["decode", "--format", "json"], &trailer_lines(&status)).json();
    assert_eq!(decoded["code"], 2999);
    assert_eq!(decoded["localized_messages"], json!([]));
}
