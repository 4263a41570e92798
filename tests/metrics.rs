//! The server stack and the client's `ClientMetrics` over loopback, read
//! back through the OpenTelemetry SDK's in-memory exporter: every
//! catalogue code is counted under its own attributes on both ends, the
//! server counts what the caller got after masking, a code of a newer
//! catalogue lands on the one fallback value, and successes carry no error
//! attributes. The expected names and values are written out here and
//! come from the fixture table, not from the crate.

mod common;
mod loopback;
mod otel;

use std::time::Duration;

use chat_errors::metrics::ClientMetrics;
use chat_errors::{ChatError, DEFAULT_DOMAIN, Domain, ErrorCode, MetadataKey, Settings};
use common::{error_info, fixture_rows, status_with_details};
use loopback::{Probe, Replies, Running, call_stream, call_unary, channel, serve};
use otel::{Attributes, Meters, Point, attributes, count_with, total};
use tonic::Status;
use tower::Layer;

const SERVER: &str = "rpc.server.call.duration";
const CLIENT: &str = "rpc.client.call.duration";
const UNARY: &str = "probe.v1.Probe/Unary";
const STREAM: &str = "probe.v1.Probe/Stream";

/// The gRPC codes with which a call failed on the server, in the
/// conventions' gRPC page; on the client every code but OK is a failure.
const SERVER_FAILURES: [&str; 6] = [
    "UNKNOWN",
    "DEADLINE_EXCEEDED",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
];

struct Ends {
    server_meters: Meters,
    client_meters: Meters,
    /// Serves until the test ends.
    _server: Running,
    client: chat_errors::metrics::MeteredChannel<tonic::transport::Channel>,
}

async fn serve_with_metrics(probe: Probe) -> Ends {
    let server_meters = Meters::new();
    let client_meters = Meters::new();
    let settings = Settings::default().with_meter(&server_meters.meter());
    let server = serve(settings.layer(), probe).await;
    let client = ClientMetrics::new(&client_meters.meter()).layer(channel(server.addr).await);
    Ends {
        server_meters,
        client_meters,
        _server: server,
        client,
    }
}

fn code_of(request: &str) -> ErrorCode {
    ErrorCode::from_i32(request.parse().expect("a code number")).expect("a catalogue code")
}

fn failing_with_the_requested_code() -> Probe {
    Probe::new(
        |request| async move { Err(code_of(&request).into()) },
        |request| -> Replies {
            let error = ChatError::new(code_of(&request))
                .with_retry_delay(Duration::from_secs(1))
                .with_metadata(MetadataKey::from_static("channelId"), "c-1");
            Box::pin(tokio_stream::iter([
                Ok("first".to_owned()),
                Err(error.into()),
            ]))
        },
    )
}

/// The attributes of a call to `method` that ended with a chat error.
fn chat_error_attributes(
    on_server: bool,
    method: &str,
    grpc_code: &str,
    code: &str,
    reason: &str,
) -> Attributes {
    let mut expected = attributes(&[
        ("rpc.system.name", "grpc"),
        ("rpc.method", method),
        ("rpc.response.status_code", grpc_code),
        ("chat.error.code", code),
        ("chat.error.reason", reason),
    ]);
    if !on_server || SERVER_FAILURES.contains(&grpc_code) {
        expected.insert("error.type".to_owned(), grpc_code.to_owned());
    }
    expected
}

fn assert_counted(points: &[Point], expected: &Attributes, times: u64, context: &str) {
    assert_eq!(
        count_with(points, expected),
        times,
        "{context}: {expected:?} among {points:#?}"
    );
}

#[tokio::test]
async fn every_code_is_counted_under_its_attributes_on_both_ends() {
    let rows = fixture_rows();
    assert_eq!(rows.len(), 57);
    let ends = serve_with_metrics(failing_with_the_requested_code()).await;
    for row in &rows {
        let number = row.code.to_string();
        call_unary(ends.client.clone(), number.clone())
            .await
            .expect_err("the unary call fails");
        let (replies, status) = call_stream(ends.client.clone(), &number).await;
        assert_eq!(replies, ["first"]);
        assert_eq!(status.expect("the stream fails").code(), row.grpc_code);
    }
    let server = ends.server_meters.points(SERVER);
    let client = ends.client_meters.points(CLIENT);
    for row in &rows {
        let number = row.code.to_string();
        for method in [UNARY, STREAM] {
            let context = format!("{} {} on {method}", row.code, row.name);
            for (on_server, points) in [(true, &server), (false, &client)] {
                let expected = chat_error_attributes(
                    on_server,
                    method,
                    &row.grpc_code_name,
                    &number,
                    &row.reason,
                );
                assert_counted(points, &expected, 1, &context);
            }
        }
    }
    assert_eq!(total(&server), 2 * 57, "nothing else was counted");
    assert_eq!(total(&client), 2 * 57, "nothing else was counted");
    assert!(
        server
            .iter()
            .all(|point| point.sum > 0.0 && point.sum < 10.0),
        "durations are in seconds: {server:#?}"
    );
}

#[tokio::test]
async fn a_masked_panic_and_a_masked_internal_error_are_counted_as_1003() {
    let probe = Probe::new(
        |request| async move {
            if request == "panic" {
                panic!("the handler broke");
            }
            Err(Status::internal("db: connection refused"))
        },
        |_| -> Replies { panic!("the stream broke") },
    );
    let ends = serve_with_metrics(probe).await;
    for request in ["panic", "internal"] {
        let status = call_unary(ends.client.clone(), request.to_owned())
            .await
            .expect_err("the call fails");
        loopback::masked_request_id(&status);
    }
    let (_, status) = call_stream(ends.client.clone(), "x").await;
    loopback::masked_request_id(&status.expect("the stream fails"));

    let server = ends.server_meters.points(SERVER);
    let client = ends.client_meters.points(CLIENT);
    for (on_server, points) in [(true, &server), (false, &client)] {
        let masked = |method| {
            chat_error_attributes(
                on_server,
                method,
                "INTERNAL",
                "1003",
                "INTERNAL_SERVER_ERROR_1003",
            )
        };
        assert_counted(points, &masked(UNARY), 2, "panic and internal error");
        assert_counted(points, &masked(STREAM), 1, "the stream's panic");
        assert_eq!(total(points), 3, "{points:#?}");
    }
}

#[tokio::test]
async fn a_code_of_a_newer_catalogue_is_counted_under_the_fallback_value() {
    let probe = Probe::unary(|_| async {
        Err(status_with_details(
            tonic::Code::FailedPrecondition,
            "a code this build does not know",
            vec![error_info(
                "CHANNEL_ARCHIVED",
                DEFAULT_DOMAIN,
                &[("code", "2999"), ("message", "ChannelArchived")],
            )],
        ))
    });
    let ends = serve_with_metrics(probe).await;
    for _ in 0..3 {
        let status = call_unary(ends.client.clone(), "x".to_owned())
            .await
            .expect_err("the call fails");
        assert_eq!(status.code(), tonic::Code::FailedPrecondition, "not masked");
    }
    let server = ends.server_meters.points(SERVER);
    let client = ends.client_meters.points(CLIENT);
    for (on_server, points) in [(true, &server), (false, &client)] {
        let expected =
            chat_error_attributes(on_server, UNARY, "FAILED_PRECONDITION", "_OTHER", "_OTHER");
        assert_counted(points, &expected, 3, "a newer code");
        assert_eq!(total(points), 3);
    }
}

#[tokio::test]
async fn successes_carry_no_error_attributes() {
    let probe = Probe::new(
        |request| async move { Ok(request) },
        |request| -> Replies { Box::pin(tokio_stream::iter([Ok(request.clone()), Ok(request)])) },
    );
    let ends = serve_with_metrics(probe).await;
    for _ in 0..2 {
        call_unary(ends.client.clone(), "hi".to_owned())
            .await
            .expect("the call succeeds");
        let (replies, status) = call_stream(ends.client.clone(), "hi").await;
        assert_eq!((replies.len(), status.map(|s| s.code())), (2, None));
    }
    for points in [
        ends.server_meters.points(SERVER),
        ends.client_meters.points(CLIENT),
    ] {
        for method in [UNARY, STREAM] {
            let ok = attributes(&[
                ("rpc.system.name", "grpc"),
                ("rpc.method", method),
                ("rpc.response.status_code", "OK"),
            ]);
            assert_counted(&points, &ok, 2, method);
        }
        assert_eq!(total(&points), 4, "{points:#?}");
    }
}

#[tokio::test]
async fn a_method_the_server_does_not_have_is_counted_as_other() {
    let ends = serve_with_metrics(Probe::unary(|request| async move { Ok(request) })).await;
    for path in ["/probe.v1.Probe/Nope", "/scanner.Probe/Anything"] {
        let mut grpc = tonic::client::Grpc::new(ends.client.clone());
        grpc.ready().await.expect("ready");
        let status = grpc
            .unary::<String, String, _>(
                tonic::Request::new("x".to_owned()),
                http::uri::PathAndQuery::from_static(path),
                tonic_prost::ProstCodec::default(),
            )
            .await
            .expect_err("no such method");
        assert_eq!(status.code(), tonic::Code::Unimplemented);
    }
    let server = ends.server_meters.points(SERVER);
    let expected = attributes(&[
        ("rpc.system.name", "grpc"),
        ("rpc.method", "_OTHER"),
        ("rpc.response.status_code", "UNIMPLEMENTED"),
        ("error.type", "UNIMPLEMENTED"),
    ]);
    assert_counted(&server, &expected, 2, "unknown methods");
    assert_eq!(total(&server), 2);
}

#[tokio::test]
async fn the_client_names_chat_errors_of_its_own_domain_only() {
    let domain = Domain::new("chat.example.com").expect("a valid domain");
    let server_meters = Meters::new();
    let settings = Settings::new(domain.clone()).with_meter(&server_meters.meter());
    let server = serve(settings.layer(), failing_with_the_requested_code()).await;
    let ours = Meters::new();
    let theirs = Meters::new();
    let with_domain = ClientMetrics::new(&ours.meter())
        .with_domain(domain)
        .layer(channel(server.addr).await);
    let default_domain = ClientMetrics::new(&theirs.meter()).layer(channel(server.addr).await);
    for client in [with_domain, default_domain] {
        call_unary(client, "2003".to_owned())
            .await
            .expect_err("the call fails");
    }
    let named = chat_error_attributes(false, UNARY, "NOT_FOUND", "2003", "CHANNEL_NOT_FOUND");
    assert_counted(&ours.points(CLIENT), &named, 1, "the server's domain");
    let unnamed = attributes(&[
        ("rpc.system.name", "grpc"),
        ("rpc.method", UNARY),
        ("rpc.response.status_code", "NOT_FOUND"),
        ("error.type", "NOT_FOUND"),
    ]);
    assert_counted(&theirs.points(CLIENT), &unnamed, 1, "another domain");
    let server_named = chat_error_attributes(true, UNARY, "NOT_FOUND", "2003", "CHANNEL_NOT_FOUND");
    assert_counted(
        &server_meters.points(SERVER),
        &server_named,
        2,
        "both calls",
    );
}

#[tokio::test]
async fn a_call_nobody_answers_is_counted_with_no_status_and_error_type_other() {
    // The client's own failure to reach anyone: no status, error.type _OTHER.
    let meters = Meters::new();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let lazy = tonic::transport::Endpoint::from_shared(format!("http://{addr}"))
        .expect("a valid URI")
        .connect_lazy();
    let client = ClientMetrics::new(&meters.meter()).layer(lazy);
    call_unary(client, "x".to_owned())
        .await
        .expect_err("nothing listens");
    let expected = attributes(&[
        ("rpc.system.name", "grpc"),
        ("rpc.method", UNARY),
        ("error.type", "_OTHER"),
    ]);
    assert_counted(&meters.points(CLIENT), &expected, 1, "refused");
}

#[test]
fn the_names_are_those_of_the_pinned_semantic_conventions() {
    use opentelemetry_semantic_conventions as semconv;
    assert_eq!(
        semconv::SCHEMA_URL,
        format!(
            "https://opentelemetry.io/schemas/{}",
            chat_errors::metrics::SEMCONV_VERSION
        )
    );
    assert_eq!(semconv::metric::RPC_SERVER_CALL_DURATION, SERVER);
    assert_eq!(semconv::metric::RPC_CLIENT_CALL_DURATION, CLIENT);
    assert_eq!(
        semconv::attribute::RPC_SYSTEM_NAME,
        chat_errors::metrics::RPC_SYSTEM_NAME
    );
    assert_eq!(
        semconv::attribute::RPC_METHOD,
        chat_errors::metrics::RPC_METHOD
    );
    assert_eq!(
        semconv::attribute::RPC_METHOD_ORIGINAL,
        chat_errors::metrics::RPC_METHOD_ORIGINAL
    );
    assert_eq!(
        semconv::attribute::RPC_RESPONSE_STATUS_CODE,
        chat_errors::metrics::RPC_RESPONSE_STATUS_CODE
    );
    assert_eq!(
        semconv::attribute::ERROR_TYPE,
        chat_errors::metrics::ERROR_TYPE
    );
    // The names the tests above expect are the conventions' too.
    for name in [
        "rpc.system.name",
        "rpc.method",
        "rpc.response.status_code",
        "error.type",
    ] {
        assert!(
            [
                semconv::attribute::RPC_SYSTEM_NAME,
                semconv::attribute::RPC_METHOD,
                semconv::attribute::RPC_RESPONSE_STATUS_CODE,
                semconv::attribute::ERROR_TYPE,
            ]
            .contains(&name)
        );
    }
}
