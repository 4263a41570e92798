//! The reverse direction of the interop check: calls a `ChatService` served
//! by another gRPC implementation (the Python grpcio peer in
//! `interop/peer_server.py`) and decodes every status it raises through
//! chat-errors, checking each value exactly.
//!
//! `chat-demo-interop-client --addr HOST:PORT` prints one line per check and
//! `N passed, M failed` last; it exits non-zero when any check fails.

use std::env;
use std::process::ExitCode;
use std::time::Duration;

use chat_demo::args::Args;
use chat_demo::client::{Client, connect};
use chat_demo::expectation::{Detail, Expectation};
use chat_demo::pb::{GetChannelRequest, SendMessageRequest, SignUpRequest, UploadFileRequest};
use chat_demo::server::CHANNEL_RESOURCE;
use chat_errors::{DecodedChatError, ErrorCode};
use tonic::{Request, Status};

const USAGE: &str = "usage: chat-demo-interop-client --addr HOST:PORT

Calls the interop peer's ChatService at HOST:PORT, decodes every error it
raises with chat-errors and checks each value. Prints N passed, M failed.";

// What the peer sends; interop/peer_server.py defines the same values.
/// The metadata key that asks the peer for one catalogue error by number.
const ERROR_CODE_KEY: &str = "interop-error-code";
const RETRY_DELAY: Duration = Duration::from_millis(2500);
const RATE_LIMIT: &str = "5 messages per 10 seconds";
const KOREAN_MESSAGE: &str = "파일이 너무 큽니다: 16 MiB (최대 15 MiB)";
const UNKNOWN_CHANNEL: &str = "no-such-channel";

type Check = Result<(), String>;

#[tokio::main]
async fn main() -> Result<ExitCode, Box<dyn std::error::Error>> {
    chat_demo::logging::init();
    let args =
        Args::parse(env::args().skip(1), &[]).map_err(|message| format!("{message}\n\n{USAGE}"))?;
    if args.wants_help() {
        println!("{USAGE}");
        return Ok(ExitCode::SUCCESS);
    }
    let Some(addr) = args.addr else {
        return Err(format!("--addr is required\n\n{USAGE}").into());
    };
    let client = connect(&addr).await?;

    let mut results: Vec<(String, Check)> = Vec::new();
    for code in ErrorCode::iter() {
        results.push((
            format!("catalogue {code}"),
            catalogue_error(&client, code).await,
        ));
    }
    results.push((
        "RetryInfo on TOO_MANY_REQUESTS".to_owned(),
        retry_info(&client).await,
    ));
    results.push((
        "BadRequest on INVALID_PARAMS".to_owned(),
        bad_request(&client).await,
    ));
    results.push((
        "ResourceInfo on CHANNEL_NOT_FOUND".to_owned(),
        resource_info(&client).await,
    ));
    results.push((
        "Korean custom message".to_owned(),
        korean_message(&client).await,
    ));

    let failed = results.iter().filter(|(_, check)| check.is_err()).count();
    for (name, check) in &results {
        match check {
            Ok(()) => println!("ok   {name}"),
            Err(problem) => println!("FAIL {name}: {problem}"),
        }
    }
    println!("{} passed, {failed} failed", results.len() - failed);
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The peer raises `code` with nothing but ErrorInfo and LocalizedMessage.
async fn catalogue_error(client: &Client, code: ErrorCode) -> Check {
    let mut request = Request::new(GetChannelRequest {
        channel_id: "general".to_owned(),
        ..Default::default()
    });
    let number = code.as_i32().to_string();
    request
        .metadata_mut()
        .insert(ERROR_CODE_KEY, number.parse().expect("digits are ASCII"));
    let decoded = expect(
        client.clone().get_channel(request).await,
        code,
        Detail::None,
    )?;
    same(
        "message",
        decoded.message(),
        code.description(chat_errors::Locale::EN_US),
    )
}

async fn retry_info(client: &Client) -> Check {
    let request = SendMessageRequest {
        channel_id: "general".to_owned(),
        text: "hello".to_owned(),
        ..SendMessageRequest::default()
    };
    let result = client.clone().send_message(request).await;
    let decoded = expect(result, ErrorCode::TooManyRequests, Detail::RetryDelay)?;
    same("retry delay", decoded.retry_delay(), Some(RETRY_DELAY))?;
    same(
        "limit",
        decoded.metadata().get("limit").map(String::as_str),
        Some(RATE_LIMIT),
    )
}

async fn bad_request(client: &Client) -> Check {
    let request = SignUpRequest::default();
    let result = client.clone().sign_up(request).await;
    let decoded = expect(
        result,
        ErrorCode::InvalidParams,
        Detail::FieldViolation("user_id"),
    )?;
    let violations: Vec<(&str, &str)> = decoded
        .field_violations()
        .iter()
        .map(|violation| (violation.field.as_str(), violation.description.as_str()))
        .collect();
    same(
        "field violations",
        violations,
        vec![("user_id", "is required")],
    )
}

async fn resource_info(client: &Client) -> Check {
    let request = GetChannelRequest {
        channel_id: UNKNOWN_CHANNEL.to_owned(),
        ..Default::default()
    };
    let result = client.clone().get_channel(request).await;
    let decoded = expect(
        result,
        ErrorCode::ChannelNotFound,
        Detail::Resource(CHANNEL_RESOURCE),
    )?;
    let name = decoded
        .resource_info()
        .map(|resource| resource.resource_name.as_str());
    same("resource name", name, Some(UNKNOWN_CHANNEL))
}

async fn korean_message(client: &Client) -> Check {
    let request = UploadFileRequest {
        channel_id: "general".to_owned(),
        file_name: "보고서.pdf".to_owned(),
        content: b"%PDF-1.7".to_vec(),
        crc32: 0,
    };
    let result = client.clone().upload_file(request).await;
    let decoded = expect(result, ErrorCode::FileSizeLimitExceeded, Detail::None)?;
    same("message", decoded.message(), KOREAN_MESSAGE)
}

/// The call's status, decoded strictly and checked against `code` and `detail`.
fn expect<T>(
    result: Result<T, Status>,
    code: ErrorCode,
    detail: Detail,
) -> Result<DecodedChatError, String> {
    let status = match result {
        Ok(_) => return Err("the call succeeded".to_owned()),
        Err(status) => status,
    };
    Expectation::new(code, detail)
        .verify(&status)
        .map_err(|failure| failure.to_string())
}

fn same<T: PartialEq + std::fmt::Debug>(what: &str, actual: T, expected: T) -> Check {
    if actual == expected {
        Ok(())
    } else {
        Err(format!("{what}: expected {expected:?}, got {actual:?}"))
    }
}
