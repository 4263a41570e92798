//! The demo in one command: starts the chat server on 127.0.0.1 on a free
//! port, runs every client scenario against it over gRPC (HTTP/2), prints
//! what the client decoded from each error, then runs them all again over
//! gRPC-Web (HTTP/1.1, as browsers call) and prints the summary. Exits
//! non-zero when any scenario decodes to anything but its expected error.
//!
//! `cargo run -p chat-demo`

use std::env;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use chat_demo::args::Args;
use chat_demo::client::{connect, connect_grpc_web};
use chat_demo::report;
use chat_demo::server::{RunningServer, ServerConfig};

const USAGE: &str = "usage: chat-demo

Starts the demo chat server on 127.0.0.1 on a free port, runs every client
scenario against it over gRPC and prints one row per scenario, then runs them
again over gRPC-Web and prints the summary. Run the two halves separately
with chat-demo-server --addr and chat-demo-client --addr; the server also
serves the web chat (scripts/web-build.sh builds it).";

#[tokio::main]
async fn main() -> Result<ExitCode, Box<dyn std::error::Error>> {
    chat_demo::logging::init();
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
    let addr = server.addr().to_string();
    println!("chat-demo-server listening on {addr}\n");
    let native = report::run_and_print(&connect(&addr).await?).await;
    let grpc_web = connect_grpc_web(&addr)?;
    println!();
    let browser_like = report::run_and_summarize(&grpc_web, "over gRPC-Web (HTTP/1.1): ").await;
    server.stop().await?;
    Ok(if native && browser_like {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
