//! The demo's client on its own: `chat-demo-client --addr HOST:PORT` runs
//! every scenario against the server there and prints the table;
//! `chat-demo-client --list` prints the scenarios as tab-separated values.

use std::env;
use std::process::ExitCode;

use chat_demo::args::Args;
use chat_demo::client::{connect, connect_grpc_web};
use chat_demo::{report, scenarios};

const USAGE: &str = "usage: chat-demo-client --addr HOST:PORT [--grpc-web]
       chat-demo-client --list

--addr runs every scenario against the ChatService at HOST:PORT and prints
one row per scenario; it exits non-zero when any scenario decodes to anything
but its expected error. --grpc-web calls over gRPC-Web on HTTP/1.1, as a
browser does, instead of gRPC on HTTP/2. --list prints each scenario's id,
expected code, expected extra detail and title, tab-separated.";

#[tokio::main]
async fn main() -> Result<ExitCode, Box<dyn std::error::Error>> {
    chat_demo::logging::init();
    let args = Args::parse(env::args().skip(1), &["--list", "--grpc-web"])
        .map_err(|message| format!("{message}\n\n{USAGE}"))?;
    if args.wants_help() {
        println!("{USAGE}");
        return Ok(ExitCode::SUCCESS);
    }
    if args.has("--list") {
        println!("id\tcode\tdetail\ttitle");
        for scenario in scenarios::all() {
            println!(
                "{}\t{}\t{}\t{}",
                scenario.id,
                scenario.expected.as_i32(),
                scenario.detail,
                scenario.title
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let Some(addr) = args.addr.as_deref() else {
        return Err(format!("--addr is required\n\n{USAGE}").into());
    };
    let client = if args.has("--grpc-web") {
        connect_grpc_web(addr)?
    } else {
        connect(addr).await?
    };
    let passed = report::run_and_print(&client).await;
    Ok(if passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
