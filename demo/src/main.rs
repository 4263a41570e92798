//! The demo in one command: starts the chat server on 127.0.0.1 on a free
//! port, runs every client scenario against it over HTTP/2, and prints what
//! the client decoded from each error. Exits non-zero when any scenario
//! decodes to anything but its expected error.
//!
//! `cargo run -p chat-demo`

use std::env;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use chat_demo::args::Args;
use chat_demo::report;
use chat_demo::server::{RunningServer, ServerConfig};

const USAGE: &str = "usage: chat-demo

Starts the demo chat server on 127.0.0.1 on a free port, runs every client
scenario against it and prints one row per scenario. Run the two halves
separately with chat-demo-server --addr and chat-demo-client --addr.";

#[tokio::main]
async fn main() -> Result<ExitCode, Box<dyn std::error::Error>> {
    let args =
        Args::parse(env::args().skip(1), &[]).map_err(|message| format!("{message}\n\n{USAGE}"))?;
    if args.wants_help() || args.addr.is_some() {
        println!("{USAGE}");
        return Ok(if args.wants_help() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    let loopback = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let server = RunningServer::start(loopback, ServerConfig::default()).await?;
    println!("chat-demo-server listening on {}\n", server.addr());
    let passed = report::run_and_print(&server.addr().to_string()).await?;
    server.stop().await?;
    Ok(if passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
