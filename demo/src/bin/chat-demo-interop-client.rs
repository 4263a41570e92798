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
use chat_demo::pb::{
    GetChannelRequest, GetChannelResponse, SendMessageRequest, SignUpRequest, UploadFileRequest,
};
use chat_demo::server::CHANNEL_RESOURCE;
use chat_errors::{ChatStatusExt, DecodedChatError, Domain, ErrorCode, Locale};
use http::uri::PathAndQuery;
use tonic::transport::Endpoint;
use tonic::{Request, Status};
use tonic_prost::ProstCodec;

const USAGE: &str =
    "usage: chat-demo-interop-client --addr HOST:PORT [--server-stack] [--undecodable-request]

Calls the interop peer's ChatService at HOST:PORT, decodes every error it
raises with chat-errors and checks each value. Prints N passed, M failed.

--server-stack  the peer runs a chat-errors server stack (the Go and JVM
                peers): also check that it answers in the locale negotiated
                from accept-language, and that a panic and a plain error
                both reach the client as 1003 with a request id.
--undecodable-request
                the peer answers a request body that is no message of
                the method's type as the Rust stack does (the JVM peer):
                check that it is 1001 with a BadRequest naming `request`.";

/// The flag for peers with a server stack.
const SERVER_STACK: &str = "--server-stack";
/// The flag for peers that answer an undecodable request with 1001.
const UNDECODABLE_REQUEST: &str = "--undecodable-request";

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
    let args = Args::parse(env::args().skip(1), &[SERVER_STACK, UNDECODABLE_REQUEST])
        .map_err(|message| format!("{message}\n\n{USAGE}"))?;
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
    if args.flags.iter().any(|flag| flag == SERVER_STACK) {
        for (accept_language, locale) in NEGOTIATED_LOCALES {
            results.push((
                format!("accept-language {accept_language:?} answered in {locale}"),
                negotiated_locale(&client, accept_language, locale).await,
            ));
        }
        for failure in ["panic", "internal"] {
            results.push((
                format!("{failure} masked as 1003 with a request id"),
                masked(&client, failure).await,
            ));
        }
    }
    if args.flags.iter().any(|flag| flag == UNDECODABLE_REQUEST) {
        results.push((
            "undecodable request answered with 1001".to_owned(),
            undecodable_request(&addr).await,
        ));
    }

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

/// `accept-language` values and the locale the crate negotiates for each.
const NEGOTIATED_LOCALES: [(&str, &str); 4] = [
    ("en-US", "en-US"),
    ("fr-CA, en;q=0.8, ko;q=0.5", "en-US"),
    ("ko-KR", "ko-KR"),
    ("de", "ko-KR"),
];

/// `GetChannel` asked for 2003 with `accept_language`: its LocalizedMessage
/// must be in `locale`.
async fn negotiated_locale(client: &Client, accept_language: &str, locale: &str) -> Check {
    let mut request = Request::new(GetChannelRequest {
        channel_id: "general".to_owned(),
        ..Default::default()
    });
    let metadata = request.metadata_mut();
    metadata.insert(ERROR_CODE_KEY, "2003".parse().expect("digits are ASCII"));
    metadata.insert(
        "accept-language",
        accept_language.parse().map_err(|_| "not a header value")?,
    );
    let status = match client.clone().get_channel(request).await {
        Ok(_) => return Err("the call succeeded".to_owned()),
        Err(status) => status,
    };
    // Strictly, without the Korean message an Expectation requires.
    let decoded = status
        .check_chat_error(&Domain::default())
        .map_err(|error| error.to_string())?
        .ok_or("not a chat error")?;
    same("code", decoded.code(), Some(ErrorCode::ChannelNotFound))?;
    let sent = decoded
        .localized_message()
        .map(|localized| localized.locale.as_str());
    same("locale", sent, Some(locale))
}

/// `GetChannel` asked to fail with `failure` (a panic or a plain error):
/// 1003 with a non-empty request id, and nothing of the cause.
async fn masked(client: &Client, failure: &str) -> Check {
    let mut request = Request::new(GetChannelRequest {
        channel_id: "general".to_owned(),
        ..Default::default()
    });
    request.metadata_mut().insert(
        ERROR_CODE_KEY,
        failure.parse().map_err(|_| "not a header value")?,
    );
    let decoded = expect(
        client.clone().get_channel(request).await,
        ErrorCode::InternalServerError1003,
        Detail::None,
    )?;
    let request_id = decoded
        .request_info()
        .map(|info| info.request_id.as_str())
        .unwrap_or_default();
    if request_id.is_empty() {
        return Err("no RequestInfo.request_id".to_owned());
    }
    same(
        "message",
        decoded.message(),
        ErrorCode::InternalServerError1003.description(Locale::EN_US),
    )
}

/// `GetChannel` with a body that is no `GetChannelRequest`: field 1
/// (`channel_id`, a string) holding bytes that are not UTF-8, which proto3
/// parsers refuse. prost writes a `Vec<u8>` as `BytesValue`, whose field 1
/// holds the bytes. The answer is 1001 with a `BadRequest` naming `request`.
async fn undecodable_request(addr: &str) -> Check {
    let channel = Endpoint::from_shared(format!("http://{addr}"))
        .map_err(|error| error.to_string())?
        .connect()
        .await
        .map_err(|error| error.to_string())?;
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready().await.map_err(|error| error.to_string())?;
    let path = PathAndQuery::from_static("/chat.demo.v1.ChatService/GetChannel");
    let codec = ProstCodec::<Vec<u8>, GetChannelResponse>::default();
    let result = grpc
        .unary(Request::new(vec![0xff, 0xfe]), path, codec)
        .await;
    let decoded = expect(
        result,
        ErrorCode::ParamsBindingError,
        Detail::FieldViolation("request"),
    )?;
    let description = decoded
        .field_violations()
        .first()
        .map(|violation| violation.description.as_str())
        .unwrap_or_default();
    if description.starts_with("not a valid chat.demo.v1.GetChannelRequest") {
        Ok(())
    } else {
        Err(format!(
            "BadRequest description {description:?} does not name the request type"
        ))
    }
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
