//! The `serve` subcommand: the BenchService on 127.0.0.1, four times, each
//! on an ephemeral port it prints on stdout: first bare, then behind the
//! recommended server stack (`Settings::layer`), then behind the same stack
//! for the clients that send `accept-language`, so that their calls never
//! share a connection with the others, then behind the stack recording
//! `rpc.server.call.duration` (`Settings::with_meter`). It stops when its stdin closes, so
//! it never outlives the benchmark that spawned it.

use std::error::Error;
use std::net::SocketAddr;

use chat_errors::Settings;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tonic::{Request, Response, Status};

use crate::pb::bench_service_server::{BenchService, BenchServiceServer};
use crate::pb::{FailRequest, FailResponse};
use crate::scenario;

struct Bench;

#[tonic::async_trait]
impl BenchService for Bench {
    async fn fail(&self, request: Request<FailRequest>) -> Result<Response<FailResponse>, Status> {
        scenario::answer(request.get_ref().mode()).map(|()| Response::new(FailResponse {}))
    }
}

/// Serves until stdin reaches end of file.
///
/// One thread runs the whole server, so its CPU time per call is the cost
/// of a call rather than of work-stealing wake-ups, and the client gets the
/// other core.
pub fn run() -> Result<(), Box<dyn Error>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve())
}

async fn serve() -> Result<(), Box<dyn Error>> {
    let bare = incoming()?;
    let stack = incoming()?;
    let localized = incoming()?;
    let metered = incoming()?;
    let mut stdout = tokio::io::stdout();
    let addresses = format!(
        "{}\n{}\n{}\n{}\n",
        bare.local_addr()?,
        stack.local_addr()?,
        localized.local_addr()?,
        metered.local_addr()?
    );
    stdout.write_all(addresses.as_bytes()).await?;
    stdout.flush().await?;

    let (stop, stopped) = tokio::sync::watch::channel(());
    let parent_gone = async move {
        let mut lines = BufReader::new(tokio::io::stdin()).lines();
        while let Ok(Some(_)) = lines.next_line().await {}
        drop(stop);
    };
    let until_stopped = |mut stopped: tokio::sync::watch::Receiver<()>| async move {
        let _ = stopped.changed().await;
    };
    let bare_server = Server::builder()
        .add_service(BenchServiceServer::new(Bench))
        .serve_with_incoming_shutdown(bare, until_stopped(stopped.clone()));
    // The same stack as the demo and the README.
    let stack_server = Server::builder()
        .layer(Settings::default().layer())
        .add_service(BenchServiceServer::new(Bench))
        .serve_with_incoming_shutdown(stack, until_stopped(stopped.clone()));
    // The same stack again, for what negotiating a locale and sending the
    // error in it cost.
    let localized_server = Server::builder()
        .layer(Settings::default().layer())
        .add_service(BenchServiceServer::new(Bench))
        .serve_with_incoming_shutdown(localized, until_stopped(stopped.clone()));
    // The same stack recording every call, into a pull reader as a
    // Prometheus endpoint would, never scraped here.
    let meters = crate::meters::Meters::new();
    let metered_server = Server::builder()
        .layer(Settings::default().with_meter(&meters.meter()).layer())
        .add_service(BenchServiceServer::new(Bench))
        .serve_with_incoming_shutdown(metered, until_stopped(stopped));
    let (_, bare, stack, localized, metered) = tokio::join!(
        parent_gone,
        bare_server,
        stack_server,
        localized_server,
        metered_server
    );
    bare?;
    stack?;
    localized?;
    metered?;
    Ok(())
}

fn incoming() -> Result<TcpIncoming, Box<dyn Error>> {
    Ok(TcpIncoming::bind(SocketAddr::from(([127, 0, 0, 1], 0)))?.with_nodelay(Some(true)))
}
