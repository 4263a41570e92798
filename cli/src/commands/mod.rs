//! One module per subcommand. Each returns the text to print on stdout.

mod decode;
mod encode;
mod explain;
mod list;

use std::io::Read;

use chat_errors::ErrorCode;

use crate::args::Command;
use crate::failure::{Class, Failure};

pub fn run(command: Command, stdin: impl Read + std::io::IsTerminal) -> Result<String, Failure> {
    match command {
        Command::List(args) => Ok(list::run(&args)),
        Command::Explain(args) => explain::run(&args),
        Command::Encode(args) => encode::run(args),
        Command::Decode(args) => decode::run(&args, stdin),
    }
}

/// The code a user named, by number, original name or reason.
/// A code as a person types it: its number (`ErrorCode`'s own `FromStr`),
/// its reason, the proto value name (`ERROR_CODE_` and the reason), its
/// original name (the lowest code for a shared one), or the `Display` form
/// (`2003 ChannelNotFound`).
fn error_code(text: &str) -> Result<ErrorCode, Failure> {
    let text = text.trim();
    let by_name = |name: &str| ErrorCode::iter().find(|code| code.name() == name);
    let found = match text.split_once(' ') {
        Some((number, name)) => number
            .parse::<ErrorCode>()
            .ok()
            .filter(|code| code.name() == name.trim()),
        None => text
            .parse()
            .ok()
            .or_else(|| ErrorCode::from_reason(text))
            .or_else(|| {
                text.strip_prefix("ERROR_CODE_")
                    .and_then(ErrorCode::from_reason)
            })
            .or_else(|| by_name(text)),
    };
    found.ok_or_else(|| {
        Failure::new(
            Class::UnknownCode,
            format!(
                "unknown error code {text:?}: give a number (2003), a name (ChannelNotFound) \
                 or a reason (CHANNEL_NOT_FOUND); 'chat-errors list' shows them all"
            ),
        )
    })
}
