//! `chat-demo-server --metrics-addr` over loopback: after every scenario,
//! its `/metrics` holds `rpc_server_call_duration_seconds` in the
//! exposition OpenTelemetry's Prometheus mapping gives, and the calls it
//! counts under each `chat_error_code` are exactly the calls the client
//! saw end with that code.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use chat_demo::client::connect_metered;
use chat_demo::metrics::PrometheusMetrics;
use chat_demo::scenarios;
use chat_errors::{ChatStatusExt, Domain};
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;

const SERVER: &str = env!("CARGO_BIN_EXE_chat-demo-server");

/// The server process, killed when the test ends however it ends.
struct Demo(Child);

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the server on free loopback ports; returns it, its gRPC address
/// and its metrics URL, read from the lines it prints.
fn start_demo() -> (Demo, String, String) {
    let mut child = Command::new(SERVER)
        .args(["--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the demo server starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let demo = Demo(child);
    let mut lines = BufReader::new(stdout).lines();
    let metrics = lines
        .next()
        .expect("a first line")
        .expect("readable stdout");
    let metrics_url = metrics
        .strip_prefix("chat-demo-server metrics on ")
        .unwrap_or_else(|| panic!("unexpected line {metrics:?}"))
        .to_owned();
    let listening = lines
        .next()
        .expect("a second line")
        .expect("readable stdout");
    let addr = listening
        .strip_prefix("chat-demo-server listening on ")
        .unwrap_or_else(|| panic!("unexpected line {listening:?}"))
        .to_owned();
    (demo, addr, metrics_url)
}

async fn scrape(url: &str) -> String {
    let uri: hyper::Uri = url.parse().expect("a valid URL");
    let authority = uri.authority().expect("an authority").to_string();
    let stream = tokio::net::TcpStream::connect(&authority)
        .await
        .expect("connect to /metrics");
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .expect("an HTTP/1.1 handshake");
    tokio::spawn(connection);
    let request = http::Request::get(uri.path())
        .header("host", authority)
        .body(Empty::<Bytes>::new())
        .expect("a valid request");
    let response = sender.send_request(request).await.expect("a response");
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4"),
        "Prometheus text format"
    );
    let body = response.into_body().collect().await.expect("the body");
    String::from_utf8(body.to_bytes().to_vec()).expect("UTF-8 text")
}

/// The labels of a sample line, without the exporter's own scope labels.
type Labels = BTreeMap<String, String>;

/// Every `NAME{labels} value` sample of `name` in a Prometheus text exposition.
fn samples(text: &str, name: &str) -> Vec<(Labels, f64)> {
    text.lines()
        .filter_map(|line| {
            let rest = line.strip_prefix(name)?.strip_prefix('{')?;
            let (labels, value) = rest.rsplit_once("} ")?;
            let labels = labels
                .split("\",")
                .map(|pair| {
                    let (key, value) = pair.split_once("=\"").expect("key=\"value\"");
                    (key.to_owned(), value.trim_end_matches('"').to_owned())
                })
                .filter(|(key, _)| !key.starts_with("otel_scope_"))
                .collect();
            Some((labels, value.parse().expect("a number")))
        })
        .collect()
}

/// Calls counted per `chat_error_code` label ("" for calls without one).
fn calls_per_code(text: &str, histogram: &str) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for (labels, count) in samples(text, &format!("{histogram}_count")) {
        let code = labels.get("chat_error_code").cloned().unwrap_or_default();
        *counts.entry(code).or_default() += count as u64;
    }
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_every_code_the_client_saw() {
    let (_demo, addr, metrics_url) = start_demo();
    let client_metrics = PrometheusMetrics::new().expect("a client-side registry");
    let client = connect_metered(&addr, &client_metrics.meter())
        .await
        .expect("connect to the demo server");
    let outcomes = scenarios::run_all(&client, "metrics").await;
    let scraped = scrape(&metrics_url).await;

    // The exposition's shape, as OpenTelemetry's Prometheus mapping gives it.
    assert!(
        scraped.contains("# TYPE rpc_server_call_duration_seconds histogram"),
        "{scraped}"
    );
    let buckets = samples(&scraped, "rpc_server_call_duration_seconds_bucket");
    assert!(
        buckets
            .iter()
            .any(|(labels, _)| labels.get("le").map(String::as_str) == Some("0.005")),
        "the conventions' boundaries, in seconds"
    );
    let counts = samples(&scraped, "rpc_server_call_duration_seconds_count");
    assert!(!counts.is_empty(), "{scraped}");
    for (labels, _) in &counts {
        assert_eq!(labels["rpc_system_name"], "grpc", "{labels:?}");
        assert!(
            labels["rpc_method"].starts_with("chat.demo.v1.ChatService/"),
            "{labels:?}"
        );
        assert!(
            labels.contains_key("rpc_response_status_code"),
            "{labels:?}"
        );
        assert_eq!(
            labels.contains_key("chat_error_code"),
            labels.contains_key("chat_error_reason"),
            "{labels:?}"
        );
    }

    // What the client saw: every call it made, by the code it ended with.
    let client_text = client_metrics.render().expect("the client's metrics");
    let seen_by_client = calls_per_code(&client_text, "rpc_client_call_duration_seconds");
    let counted_by_server = calls_per_code(&scraped, "rpc_server_call_duration_seconds");
    assert_eq!(counted_by_server, seen_by_client);

    // Each scenario's final error is among them, decoded by the client as
    // the server counted it.
    let mut final_errors: BTreeMap<String, u64> = BTreeMap::new();
    for outcome in &outcomes {
        let status = outcome
            .status
            .as_ref()
            .unwrap_or_else(|| panic!("{}: no status", outcome.scenario.id));
        let code = status
            .chat_error_code(&Domain::default())
            .unwrap_or_else(|| panic!("{}: not a chat error", outcome.scenario.id));
        *final_errors.entry(code.as_i32().to_string()).or_default() += 1;
    }
    assert_eq!(final_errors.len(), scenarios::codes_reached().len());
    for (code, finals) in &final_errors {
        let counted = counted_by_server.get(code).copied().unwrap_or_default();
        assert!(
            counted >= *finals,
            "code {code}: {finals} scenarios ended with it, the server counted {counted}"
        );
    }
    let reasons: BTreeMap<String, String> = counts
        .iter()
        .filter_map(|(labels, _)| {
            Some((
                labels.get("chat_error_code")?.clone(),
                labels.get("chat_error_reason")?.clone(),
            ))
        })
        .collect();
    for code in scenarios::codes_reached() {
        assert_eq!(
            reasons.get(&code.as_i32().to_string()).map(String::as_str),
            Some(code.reason()),
            "{code:?}"
        );
    }
}
