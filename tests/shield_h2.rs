//! A peer that sends a `grpc-status-details-bin` that is not base64, over
//! real HTTP/2: plain tonic panics in the caller's task, and the same call
//! through `TrailerShield` ends with an ordinary `Status`.

mod loopback;

use std::net::SocketAddr;

use chat_errors::layer::{TrailerShield, dropped_details};
use chat_errors::{ChatStatusExt, Domain, ErrorCode, Locale};
use http::{HeaderMap, HeaderValue};
use loopback::{Probe, call_stream, call_unary, channel, serve};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tonic::Code;
use tower::layer::util::Identity;

const NOT_BASE64: &str = "!!this is not base64!!";

/// What the shield appends to `grpc-message` when it drops the details,
/// as [`dropped_details`] documents it.
const DETAILS_DROPPED_MARKER: &str = "[grpc-status-details-bin dropped: not base64]";

/// The metadata key in which the shield says why it dropped the details,
/// the one `dropped_details` reads (`chat-errors-details-dropped`).
const DETAILS_DROPPED_KEY: &str = "chat-errors-details-dropped";

/// Where the raw server puts its broken status.
#[derive(Clone, Copy)]
enum Placement {
    /// A trailers-only response: the status is in the response headers.
    TrailersOnly,
    /// A normal response whose trailers carry the status.
    Trailers,
}

/// An HTTP/2 server that answers every request with grpc-status 5, a
/// message, and `details`, placed as asked. It stops when dropped.
struct RawServer {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn raw_server(placement: Placement, details: &'static str) -> RawServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        loop {
            let (socket, _) = listener.accept().await.unwrap();
            tokio::spawn(async move {
                let mut connection = h2::server::handshake(socket).await.unwrap();
                while let Some(Ok((_request, mut respond))) = connection.accept().await {
                    let mut status = HeaderMap::new();
                    status.insert("grpc-status", HeaderValue::from_static("5"));
                    status.insert(
                        "grpc-message",
                        HeaderValue::from_static("no%20such%20channel"),
                    );
                    status.insert("grpc-status-details-bin", HeaderValue::from_static(details));
                    let mut head = http::Response::builder()
                        .status(200)
                        .header("content-type", "application/grpc")
                        .body(())
                        .unwrap();
                    match placement {
                        Placement::TrailersOnly => {
                            head.headers_mut().extend(status);
                            respond.send_response(head, true).unwrap();
                        }
                        Placement::Trailers => {
                            let mut stream = respond.send_response(head, false).unwrap();
                            stream.send_trailers(status).unwrap();
                        }
                    }
                }
            });
        }
    });
    RawServer { addr, task }
}

async fn plain_tonic_panics(placement: Placement) {
    let server = raw_server(placement, NOT_BASE64).await;
    let channel = channel(server.addr).await;
    let outcome = tokio::spawn(async move { call_unary(channel, "hello".to_owned()).await }).await;
    let panic = outcome.expect_err("plain tonic panics on the broken trailer");
    assert!(panic.is_panic());
    let payload = panic.into_panic();
    let text = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| {
            payload
                .downcast_ref::<&str>()
                .map(|text| (*text).to_owned())
        })
        .unwrap_or_default();
    assert!(text.contains("Invalid status header"), "{text}");
}

async fn the_shield_gives_an_ordinary_status(placement: Placement) {
    let server = raw_server(placement, NOT_BASE64).await;
    let shielded = TrailerShield::new(channel(server.addr).await);
    let status = tokio::spawn(async move { call_unary(shielded, "hello".to_owned()).await })
        .await
        .expect("no panic behind the shield")
        .expect_err("the server answers with an error");
    assert_eq!(status.code(), Code::NotFound);
    assert_eq!(
        status.message(),
        format!("no such channel {DETAILS_DROPPED_MARKER}")
    );
    assert!(status.details().is_empty());
    assert_eq!(
        dropped_details(&status),
        Some("not base64: Invalid symbol 33, offset 0.")
    );
    assert!(status.metadata().get(DETAILS_DROPPED_KEY).is_some());
    assert_eq!(status.check_chat_error(&Domain::default()), Ok(None));
}

#[tokio::test]
async fn plain_tonic_panics_on_a_broken_trailers_only_status() {
    plain_tonic_panics(Placement::TrailersOnly).await;
}

#[tokio::test]
async fn plain_tonic_panics_on_a_broken_trailer() {
    plain_tonic_panics(Placement::Trailers).await;
}

#[tokio::test]
async fn the_shield_turns_a_broken_trailers_only_status_into_an_ordinary_one() {
    the_shield_gives_an_ordinary_status(Placement::TrailersOnly).await;
}

#[tokio::test]
async fn the_shield_turns_a_broken_trailer_into_an_ordinary_status() {
    the_shield_gives_an_ordinary_status(Placement::Trailers).await;
}

#[tokio::test]
async fn the_shield_covers_streaming_calls_too() {
    let server = raw_server(Placement::Trailers, NOT_BASE64).await;
    let shielded = TrailerShield::new(channel(server.addr).await);
    let (replies, status) = call_stream(shielded, "hello").await;
    assert!(replies.is_empty());
    let status = status.expect("the stream ends with an error");
    assert_eq!(status.code(), Code::NotFound);
    assert!(dropped_details(&status).is_some());
}

#[tokio::test]
async fn valid_base64_that_is_not_a_status_passes_the_shield_and_fails_strict_decoding() {
    // "AAAA" is three zero bytes: base64, but not a google.rpc.Status.
    let server = raw_server(Placement::Trailers, "AAAA").await;
    let shielded = TrailerShield::new(channel(server.addr).await);
    let status = call_unary(shielded, "hello".to_owned()).await.unwrap_err();
    assert_eq!(status.details(), [0, 0, 0]);
    assert_eq!(dropped_details(&status), None);
    assert!(status.check_chat_error(&Domain::default()).is_err());
    assert_eq!(status.get_chat_error(&Domain::default()), None);
}

#[tokio::test]
async fn chat_errors_from_a_tonic_server_pass_the_shield_unchanged() {
    let server = serve(
        Identity::new(),
        Probe::unary(|_| async { Err(ErrorCode::ChannelNotFound.into()) }),
    )
    .await;
    let shielded = TrailerShield::new(channel(server.addr).await);
    let status = call_unary(shielded, "hello".to_owned()).await.unwrap_err();
    assert_eq!(status.message(), "The channel does not exist.");
    assert_eq!(dropped_details(&status), None);
    let decoded = status
        .check_chat_error(&Domain::default())
        .unwrap()
        .expect("a chat error");
    assert_eq!(decoded.code(), Some(ErrorCode::ChannelNotFound));
    assert_eq!(
        decoded
            .localized_message()
            .map(|m| (m.locale.as_str(), m.message.as_str())),
        Some((
            "ko-KR",
            ErrorCode::ChannelNotFound.description(Locale::KO_KR)
        ))
    );
}

#[tokio::test]
async fn successful_calls_pass_the_shield() {
    let server = serve(
        Identity::new(),
        Probe::unary(|request| async move { Ok(format!("echo {request}")) }),
    )
    .await;
    let shielded = TrailerShield::new(channel(server.addr).await);
    assert_eq!(
        call_unary(shielded, "hi".to_owned()).await.unwrap(),
        "echo hi"
    );
}
