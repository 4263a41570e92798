//! The `serve` subcommand: the BenchService on 127.0.0.1 with an ephemeral
//! port, which it prints on stdout. It stops when its stdin closes, so it
//! never outlives the benchmark that spawned it.

use std::error::Error;
use std::net::SocketAddr;

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
        Err(scenario::failure(request.get_ref().mode()))
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
    let incoming =
        TcpIncoming::bind(SocketAddr::from(([127, 0, 0, 1], 0)))?.with_nodelay(Some(true));
    let address = incoming.local_addr()?;
    let mut stdout = tokio::io::stdout();
    stdout.write_all(format!("{address}\n").as_bytes()).await?;
    stdout.flush().await?;

    let parent_gone = async {
        let mut lines = BufReader::new(tokio::io::stdin()).lines();
        while let Ok(Some(_)) = lines.next_line().await {}
    };
    Server::builder()
        .add_service(BenchServiceServer::new(Bench))
        .serve_with_incoming_shutdown(incoming, parent_gone)
        .await?;
    Ok(())
}
