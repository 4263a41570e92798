//! Loopback end-to-end benchmark of chat-errors: the same failing unary RPC,
//! answered with a plain `tonic::Status` or with the catalogue's status and
//! its details, timed on the client and charged in server CPU. See README.md.

mod bench;
mod child;
mod cpu;
mod instructions;
mod meters;
mod options;
mod pb;
mod report;
mod scenario;
mod server;
mod stats;

use std::process::ExitCode;

use options::{Command, USAGE};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match Command::parse(&args) {
        Ok(Command::Serve) => server::run(),
        Ok(Command::Bench(plan)) => {
            bench::run(plan).map(|measured| print!("{}", report::render(&measured)))
        }
        Ok(Command::Instructions(calls)) => instructions::run(calls)
            .map(|counted| print!("{}", report::render_instructions(&counted))),
        Ok(Command::Help) => {
            println!("{USAGE}");
            Ok(())
        }
        Err(usage) => Err(usage.into()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("e2e-bench: {error}");
            ExitCode::FAILURE
        }
    }
}
