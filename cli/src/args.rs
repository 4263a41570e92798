//! The command line, as clap parses it.

use std::time::Duration;

use chat_errors::{DEFAULT_DOMAIN, Domain, Locale};
use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "chat-errors",
    version,
    about = "List, explain, encode and decode the chat platform's gRPC error statuses.",
    long_about = "List, explain, encode and decode the chat platform's gRPC error statuses.\n\n\
        Every chat error travels as three gRPC trailers: grpc-status (the gRPC code), \
        grpc-message (percent-encoded text) and grpc-status-details-bin (a base64 \
        google.rpc.Status holding an ErrorInfo with the chat code and a Korean \
        LocalizedMessage). This tool shows that contract and turns trailers into \
        readable errors and back.",
    after_help = "Examples:\n  \
        chat-errors list\n  \
        chat-errors explain CHANNEL_NOT_FOUND\n  \
        chat-errors encode 2003 | chat-errors decode\n  \
        grpcurl -v ... 2>&1 | chat-errors decode --format json",
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    List(ListArgs),
    Explain(ExplainArgs),
    Encode(EncodeArgs),
    Decode(DecodeArgs),
}

/// Print every error code: number, name, reason, gRPC code, HTTP status,
/// whether it is retryable, and both descriptions.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chat-errors list\n  \
    chat-errors list --format markdown > ERRORS.md\n  \
    chat-errors list --format json | jq '.[] | select(.retryable)'")]
pub struct ListArgs {
    /// How to print the catalogue. tsv has the columns code, name, reason,
    /// grpc_code, http_status, retryable, description_ko, description_en.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Aligned columns for a terminal.
    Table,
    /// One JSON array of objects.
    Json,
    /// A Markdown table.
    Markdown,
    /// Tab-separated values with a header line.
    Tsv,
}

/// Show one code's whole contract: its gRPC code and HTTP status, both
/// descriptions, the exact trailers a server sends for it, and what a client
/// reads back from them.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chat-errors explain 2003\n  \
    chat-errors explain ChannelNotFound\n  \
    chat-errors explain CHANNEL_NOT_FOUND --domain chat.example.com")]
pub struct ExplainArgs {
    #[command(flatten)]
    pub code: CodeArg,

    #[command(flatten)]
    pub domain: DomainArg,
}

/// Print the trailers the library puts on the wire for one error, exactly
/// as tonic sends them.
///
/// grpc-message is percent-encoded and grpc-status-details-bin is unpadded
/// base64, as tonic writes them.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chat-errors encode 2003\n  \
    chat-errors encode TOO_MANY_REQUESTS --retry-after 3 --metadata limit=20/minute\n  \
    chat-errors encode INVALID_PARAMS --field-violation channel_id='must not be empty'\n  \
    chat-errors encode 2003 --message 'No channel c-42' --format json")]
pub struct EncodeArgs {
    #[command(flatten)]
    pub code: CodeArg,

    /// Send TEXT as grpc-message instead of the English description. The
    /// LocalizedMessage stays.
    #[arg(long, value_name = "TEXT")]
    pub message: Option<String>,

    /// The locale of the LocalizedMessage: one the catalogue declares
    /// (ko-KR, the default, or en-US), as a server sends it to a caller
    /// whose accept-language negotiated that locale.
    #[arg(long, value_name = "LOCALE", default_value = "ko-KR", value_parser = parse_locale)]
    pub locale: Locale,

    #[command(flatten)]
    pub domain: DomainArg,

    /// Add KEY=VALUE to the ErrorInfo metadata (repeatable). Keys match
    /// `[a-z][a-zA-Z0-9-_]+`; "code" and "message" belong to the error code.
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_pair)]
    pub metadata: Vec<(String, String)>,

    /// Add a RetryInfo telling clients to wait SECONDS (decimals allowed).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds, allow_negative_numbers = true)]
    pub retry_after: Option<Duration>,

    /// Add a BadRequest field violation (repeatable), e.g. channel_id='must not be empty'.
    #[arg(long, value_name = "FIELD=DESCRIPTION", value_parser = parse_pair)]
    pub field_violation: Vec<(String, String)>,

    /// text: one `name: value` line per trailer. json: one object with the
    /// keys "grpc-status" (a number), "grpc-message" and "grpc-status-details-bin".
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

/// Read gRPC trailers and print the chat error they carry.
///
/// Give the trailers as arguments, or pipe them on stdin. Accepted: the
/// `name: value` lines `chat-errors encode` prints (text or JSON), trailer
/// lines pasted from logs (`grpc-status=5`, `"grpc-status": "5"`, Go's
/// `map[grpc-status:[5]]`), `grpcurl -v` output (its `Code:` and `Message:`
/// lines count as grpc-status and grpc-message), or a bare
/// grpc-status-details-bin value. Base64 may be padded or not. A missing
/// grpc-status or grpc-message is taken from the google.rpc.Status inside
/// the details. Other lines are ignored.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chat-errors encode 2003 | chat-errors decode\n  \
    chat-errors decode 'grpc-status: 5' 'grpc-status-details-bin: <base64 from a log>'\n  \
    grpcurl -v -d '{}' localhost:50051 chat.v1.Chat/GetChannel 2>&1 | chat-errors decode\n  \
    kubectl logs chat-api | grep grpc- | chat-errors decode --format json")]
pub struct DecodeArgs {
    /// Trailer lines, e.g. 'grpc-status: 5'. Without any, stdin is read.
    #[arg(value_name = "TRAILER")]
    pub trailers: Vec<String>,

    #[command(flatten)]
    pub domain: DomainArg,

    /// text: aligned `name: value` lines. json: one object with the keys
    /// code, name, reason, domain, grpc_code, http_status, message,
    /// localized_messages, retry_delay_ms, field_violations, resource,
    /// request and metadata.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct CodeArg {
    /// The error: a number (2003), an original name (ChannelNotFound) or a
    /// reason (CHANNEL_NOT_FOUND). A name several codes share, like
    /// InternalServerError, means the lowest of them.
    #[arg(value_name = "CODE")]
    pub code: String,
}

#[derive(Debug, Args)]
pub struct DomainArg {
    /// The ErrorInfo domain the error belongs to.
    #[arg(long, value_name = "DOMAIN", default_value = DEFAULT_DOMAIN, value_parser = parse_domain)]
    pub domain: Domain,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

fn parse_domain(text: &str) -> Result<Domain, String> {
    Domain::new(text).map_err(|error| error.to_string())
}

fn parse_locale(text: &str) -> Result<Locale, String> {
    Locale::from_tag(text.trim()).ok_or_else(|| {
        let known: Vec<&str> = Locale::iter().map(Locale::as_str).collect();
        format!("the catalogue's locales are {}", known.join(", "))
    })
}

fn parse_pair(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_owned(), value.to_owned())),
        _ => Err(format!("expected NAME=VALUE, got {text:?}")),
    }
}

fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("expected a number of seconds, got {text:?}"))?;
    Duration::try_from_secs_f64(seconds)
        .map_err(|_| format!("expected a non-negative number of seconds, got {text:?}"))
}
