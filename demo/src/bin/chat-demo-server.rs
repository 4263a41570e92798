//! The demo chat server on its own: `chat-demo-server [--addr HOST:PORT]`.
//!
//! Binds `--addr` (default `127.0.0.1:0`, a free port), prints
//! `chat-demo-server listening on HOST:PORT`, and serves until Ctrl-C.

use std::env;
use std::io::Write;
use std::net::SocketAddr;

use chat_demo::args::Args;
use chat_demo::server::{ServerConfig, serve};
use tokio::net::TcpListener;

const USAGE: &str = "usage: chat-demo-server [--addr HOST:PORT]

Serves the demo ChatService on --addr (default 127.0.0.1:0: a free port on
loopback) until Ctrl-C. Prints the address it listens on.";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args =
        Args::parse(env::args().skip(1), &[]).map_err(|message| format!("{message}\n\n{USAGE}"))?;
    if args.wants_help() {
        println!("{USAGE}");
        return Ok(());
    }
    let addr: SocketAddr = args
        .addr
        .as_deref()
        .unwrap_or("127.0.0.1:0")
        .parse()
        .map_err(|error| format!("--addr: {error}"))?;
    let listener = TcpListener::bind(addr).await?;
    println!("chat-demo-server listening on {}", listener.local_addr()?);
    // Scripts wait for this line before they connect.
    std::io::stdout().flush()?;
    serve(listener, ServerConfig::default(), async {
        // Without a signal handler there is nothing to wait for but the kill.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    })
    .await?;
    Ok(())
}
