//! `chat-errors`: list, explain, encode and decode the chat platform's gRPC
//! error statuses. Run `chat-errors --help`.

mod args;
mod commands;
mod failure;
mod output;
mod status;
mod trailers;
mod usage;
mod wire;

use std::io::{self, Write};
use std::process::ExitCode;

use failure::Failure;

fn main() -> ExitCode {
    let command = match usage::parse(std::env::args_os()) {
        Ok(command) => command,
        Err(usage::Exit::Shown(code)) => return ExitCode::from(code),
        Err(usage::Exit::Failed(failure)) => return report(&failure),
    };
    let result = commands::run(command, io::stdin());
    match result.and_then(|text| write_stdout(&text)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => report(&failure),
    }
}

fn write_stdout(text: &str) -> Result<(), Failure> {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        // The reader went away (`| head`): not an error worth a message.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => Err(Failure::new(
            failure::Class::Io,
            format!("cannot write to stdout: {error}"),
        )),
        Ok(()) => Ok(()),
    }
}

/// One line on stderr, then the failure's exit code.
fn report(failure: &Failure) -> ExitCode {
    // Nothing more can be said if stderr itself is gone.
    let _ = writeln!(io::stderr(), "chat-errors: {failure}");
    ExitCode::from(failure.class.exit_code())
}
