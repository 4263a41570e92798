//! The demo chat server on its own:
//! `chat-demo-server [--addr HOST:PORT] [--allow-origin ORIGIN]... [--web-dir DIR]
//! [--metrics-addr HOST:PORT]`.
//!
//! Binds `--addr` (default `127.0.0.1:0`, a free port), prints
//! `chat-demo-server listening on HOST:PORT`, and serves until Ctrl-C:
//! gRPC over HTTP/2, gRPC-Web over HTTP/1.1 and the web chat page at `/`.

use std::env;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use chat_demo::args::Args;
use chat_demo::metrics::{PrometheusMetrics, serve_metrics};
use chat_demo::server::{AllowedOrigins, ServerConfig, serve};
use tokio::net::TcpListener;

const USAGE: &str =
    "usage: chat-demo-server [--addr HOST:PORT] [--allow-origin ORIGIN]... [--web-dir DIR]
                        [--metrics-addr HOST:PORT]

Serves the demo ChatService on --addr (default 127.0.0.1:0: a free port on
loopback) until Ctrl-C, to gRPC clients (HTTP/2) and browsers (gRPC-Web over
HTTP/1.1), and the web chat page at http://HOST:PORT/. Prints the address it
listens on.

--allow-origin  a page origin allowed to call over gRPC-Web, such as
                http://localhost:8080; repeatable; default * (any origin)
--web-dir       the built page (default demo/web/dist, written by
                scripts/web-build.sh)
--metrics-addr  also serve the gRPC calls' metrics (rpc.server.call.duration
                with each chat error's code and reason) in Prometheus' text
                format at http://HOST:PORT/metrics; prints
                `chat-demo-server metrics on http://HOST:PORT/metrics`";

const OPTIONS: [&str; 3] = ["--allow-origin", "--web-dir", "--metrics-addr"];

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    chat_demo::logging::init();
    let args = Args::parse_with_options(env::args().skip(1), &[], &OPTIONS)
        .map_err(|message| format!("{message}\n\n{USAGE}"))?;
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
    let mut config = ServerConfig {
        allowed_origins: AllowedOrigins::parse(args.values("--allow-origin"))?,
        ..ServerConfig::default()
    };
    if let Some(dir) = args.values("--web-dir").last() {
        config.web_dir = PathBuf::from(dir);
    }
    if let Some(metrics_addr) = args.values("--metrics-addr").last() {
        let metrics_addr: SocketAddr = metrics_addr
            .parse()
            .map_err(|error| format!("--metrics-addr: {error}"))?;
        let metrics = PrometheusMetrics::new()?;
        config.meter = Some(metrics.meter());
        let metrics_listener = TcpListener::bind(metrics_addr).await?;
        println!(
            "chat-demo-server metrics on http://{}/metrics",
            metrics_listener.local_addr()?
        );
        // The endpoint lives as long as the process: it ends with the server.
        tokio::spawn(serve_metrics(
            metrics_listener,
            metrics,
            std::future::pending(),
        ));
    }
    let listener = TcpListener::bind(addr).await?;
    println!("chat-demo-server listening on {}", listener.local_addr()?);
    // Scripts wait for this line before they connect.
    std::io::stdout().flush()?;
    serve(listener, config, async {
        // Without a signal handler there is nothing to wait for but the kill.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    })
    .await?;
    Ok(())
}
