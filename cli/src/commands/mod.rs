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
fn error_code(text: &str) -> Result<ErrorCode, Failure> {
    text.parse().map_err(|_| {
        Failure::new(
            Class::UnknownCode,
            format!(
                "unknown error code {text:?}: give a number (2003), a name (ChannelNotFound) \
                 or a reason (CHANNEL_NOT_FOUND); 'chat-errors list' shows them all"
            ),
        )
    })
}
