//! `chat-errors decode`: the chat error inside pasted trailers.

use std::io::{IsTerminal, Read};

use chat_errors::{ChatStatusExt, DecodeError, Domain};
use prost::Message as _;
use tonic::Status;

use crate::args::{DecodeArgs, OutputFormat};
use crate::failure::{Class, Failure};
use crate::output::describe_grpc_code;
use crate::output::{decoded, json_text};
use crate::{status, trailers};

pub fn run(args: &DecodeArgs, stdin: impl Read + IsTerminal) -> Result<String, Failure> {
    let input = if args.trailers.is_empty() {
        read_stdin(stdin)?
    } else {
        args.trailers.join("\n")
    };
    let status = status::from_trailers(trailers::find(&input)?)?;
    let domain = &args.domain.domain;
    let error = match status.check_chat_error(domain) {
        Ok(Some(error)) => error,
        Ok(None) => return Err(not_a_chat_error(&status, domain)),
        Err(refused) => return Err(broken_details(&refused)),
    };
    Ok(match args.format {
        OutputFormat::Text => decoded::text(&error).render(""),
        OutputFormat::Json => json_text(&decoded::json(&error)),
    })
}

fn read_stdin(mut stdin: impl Read + IsTerminal) -> Result<String, Failure> {
    if stdin.is_terminal() {
        return Err(Failure::usage(
            "give the trailers as arguments or pipe them on stdin (see 'chat-errors decode --help')",
        ));
    }
    let mut input = Vec::new();
    stdin
        .read_to_end(&mut input)
        .map_err(|error| Failure::new(Class::Io, format!("cannot read stdin: {error}")))?;
    // Logs are not always clean UTF-8; the trailers themselves are ASCII.
    Ok(String::from_utf8_lossy(&input).into_owned())
}

fn broken_details(refused: &DecodeError) -> Failure {
    let class = match refused {
        DecodeError::MalformedStatus(_) | DecodeError::MalformedDetail { .. } => {
            Class::GarbageProtobuf
        }
        _ => Class::InconsistentDetails,
    };
    Failure::new(class, refused.to_string())
}

/// Why the strict decoder found nothing: an ErrorInfo of another domain,
/// or none at all.
fn not_a_chat_error(status: &Status, domain: &Domain) -> Failure {
    let summary = format!(
        "grpc-status {}, grpc-message {:?}",
        describe_grpc_code(status.code()),
        status.message()
    );
    if status.details().is_empty() {
        return Failure::new(
            Class::NoChatError,
            format!("no chat error: the status ({summary}) has no grpc-status-details-bin"),
        );
    }
    match foreign_error_info(status.details()) {
        Some(info) => Failure::new(
            Class::OtherDomain,
            format!(
                "the chat error is from domain {:?} (reason {}), not {:?}; decode it with --domain {}",
                info.domain,
                info.reason,
                domain.as_str(),
                info.domain
            ),
        ),
        None => Failure::new(
            Class::NoChatError,
            format!(
                "no chat error: the details of the status ({summary}) hold no google.rpc.ErrorInfo"
            ),
        ),
    }
}

/// The first ErrorInfo in the details, whatever its domain.
fn foreign_error_info(details: &[u8]) -> Option<tonic_types::pb::ErrorInfo> {
    let status = tonic_types::Status::decode(details).ok()?;
    status
        .details
        .iter()
        .filter(|any| any.type_url.rsplit('/').next() == Some("google.rpc.ErrorInfo"))
        .find_map(|any| tonic_types::pb::ErrorInfo::decode(any.value.as_slice()).ok())
}
