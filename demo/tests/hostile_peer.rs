//! `chat-demo-client` pointed at a hostile peer, a raw HTTP/2 server that
//! fails every call with a broken status: the client reports each broken
//! status and exits with 1, without panicking.

use std::net::SocketAddr;
use std::process::Command;

use http::{HeaderMap, HeaderValue};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

const CLIENT: &str = env!("CARGO_BIN_EXE_chat-demo-client");

/// An HTTP/2 server that answers every request with a trailers-only
/// grpc-status 5 whose `grpc-status-details-bin` is `details`. It stops
/// when dropped.
struct HostilePeer {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for HostilePeer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn hostile_peer(details: String) -> HostilePeer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let details = HeaderValue::from_str(&details).expect("a header value");
    let task = tokio::spawn(async move {
        loop {
            let (socket, _) = listener.accept().await.unwrap();
            let details = details.clone();
            tokio::spawn(async move {
                let Ok(mut connection) = h2::server::handshake(socket).await else {
                    return;
                };
                while let Some(Ok((_request, mut respond))) = connection.accept().await {
                    let mut head = http::Response::builder()
                        .status(200)
                        .header("content-type", "application/grpc")
                        .body(())
                        .unwrap();
                    let mut status = HeaderMap::new();
                    status.insert("grpc-status", HeaderValue::from_static("5"));
                    status.insert("grpc-message", HeaderValue::from_static("hostile"));
                    status.insert("grpc-status-details-bin", details.clone());
                    head.headers_mut().extend(status);
                    let _ = respond.send_response(head, true);
                }
            });
        }
    });
    HostilePeer { addr, task }
}

/// Runs the client against a peer sending `details` and returns its
/// stdout, having checked that it exited with 1 and did not panic.
async fn run_client_against(details: String) -> String {
    let peer = hostile_peer(details).await;
    let addr = peer.addr.to_string();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(CLIENT)
            .args(["--addr", &addr])
            .output()
            .expect("the client runs")
    })
    .await
    .expect("the client's runner");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stdout
            .lines()
            .last()
            .is_some_and(|last| last.ends_with(" failed")),
        "{stdout}"
    );
    stdout
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn details_that_are_not_base64_are_reported_as_dropped() {
    let stdout = run_client_against("!!not base64!!".to_owned()).await;
    assert!(
        stdout.contains(
            "a set-up call failed: NotFound hostile [grpc-status-details-bin dropped: not base64] \
             (details dropped: not base64: Invalid symbol 33, offset 0.)"
        ),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn details_that_are_not_protobuf_are_reported_as_malformed() {
    // base64 of 0xff 0xff 0xff: a truncated varint, not a google.rpc.Status.
    let stdout = run_client_against("////".to_owned()).await;
    assert!(
        stdout.contains("a set-up call failed: NotFound hostile (malformed details: "),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn details_too_large_for_the_client_end_the_call_without_a_panic() {
    // 64 KiB of base64: past the 16 KiB header list a tonic client accepts.
    let stdout = run_client_against("A".repeat(64 * 1024)).await;
    assert!(stdout.contains("a set-up call failed: "), "{stdout}");
}
