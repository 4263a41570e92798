//! Parsing the command line, with the exit codes in every `--help` and
//! clap's errors folded into the tool's one-line form.

use std::ffi::OsString;

use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches};

use crate::args::{Cli, Command};
use crate::failure::{Failure, exit_codes_help};

/// How a run ends before any subcommand runs.
pub enum Exit {
    /// Help or the version was printed; exit with this code.
    Shown(u8),
    Failed(Failure),
}

pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, Exit> {
    let args: Vec<OsString> = args.into_iter().collect();
    let command = command();
    let help_for = help_target(&command, &args);
    let matches = command
        .try_get_matches_from(args)
        .map_err(|error| clap_exit(&error, &help_for))?;
    Cli::from_arg_matches(&matches)
        .map(|cli| cli.command)
        .map_err(|error| clap_exit(&error, &help_for))
}

/// `chat-errors encode` when the arguments name that subcommand, so an
/// error can point at the help that explains it.
fn help_target(command: &clap::Command, args: &[OsString]) -> String {
    let subcommand = args.iter().skip(1).find_map(|arg| {
        command
            .get_subcommands()
            .find(|sub| arg.to_str() == Some(sub.get_name()))
    });
    match subcommand {
        Some(sub) => format!("chat-errors {}", sub.get_name()),
        None => "chat-errors".to_owned(),
    }
}

/// The clap command with the exit-code table after each help text.
pub fn command() -> clap::Command {
    let exit_codes = exit_codes_help();
    let with_exit_codes = move |command: clap::Command| {
        let after = match command.get_after_help() {
            Some(examples) => format!("{examples}\n\n{exit_codes}"),
            None => exit_codes.clone(),
        };
        command.after_help(after)
    };
    let mut command = Cli::command();
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_owned())
        .collect();
    for name in names {
        command = command.mut_subcommand(name, with_exit_codes.clone());
    }
    with_exit_codes(command)
}

fn clap_exit(error: &clap::Error, help_for: &str) -> Exit {
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            // Printing help can only fail on a closed stdout; the exit code says enough.
            let _ = error.print();
            Exit::Shown(0)
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = error.print();
            Exit::Shown(crate::failure::Class::Usage.exit_code())
        }
        _ => Exit::Failed(Failure::usage(format!(
            "{} (see '{help_for} --help')",
            one_line(&error.render().to_string())
        ))),
    }
}

/// clap's multi-line error as one line: its message and hints, without
/// the usage and the pointer to `--help` that follow them.
fn one_line(rendered: &str) -> String {
    rendered
        .lines()
        .map(str::trim)
        .take_while(|line| !line.starts_with("Usage:") && !line.starts_with("For more information"))
        .filter(|line| !line.is_empty())
        .map(|line| line.strip_prefix("error: ").unwrap_or(line))
        .collect::<Vec<_>>()
        .join(" ")
}
