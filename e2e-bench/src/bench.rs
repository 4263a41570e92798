//! The client side: warm up, then run every mode in interleaved rounds so
//! that drift of the machine during the run falls on all modes alike.

use std::error::Error;
use std::time::{Duration, Instant};

use tonic::transport::{Channel, Endpoint};

use crate::child::ServerProcess;
use crate::options::Plan;
use crate::pb::bench_service_client::BenchServiceClient;
use crate::pb::{FailRequest, Mode};
use crate::scenario::{self, MODES};
use crate::stats::Samples;

pub type Measured = [(Mode, Samples); MODES.len()];

/// Spawns the server, measures, and stops the server again.
pub fn run(plan: Plan) -> Result<Measured, Box<dyn Error>> {
    let server = ServerProcess::spawn()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(measure(&server, plan))
}

async fn measure(server: &ServerProcess, plan: Plan) -> Result<Measured, Box<dyn Error>> {
    let channel = Endpoint::from_shared(format!("http://{}", server.address()))?
        .connect()
        .await?;
    let mut client = BenchServiceClient::new(channel);
    for mode in MODES {
        call_sequentially(&mut client, mode, plan.warmup_per_mode()).await?;
    }
    let mut measured = MODES.map(|mode| (mode, Samples::default()));
    for round in 0..plan.rounds {
        for turn in 0..MODES.len() {
            let (mode, samples) = &mut measured[(round + turn) % MODES.len()];
            let cpu_before = server.cpu_time()?;
            let latencies = call_sequentially(&mut client, *mode, plan.calls_per_round()).await?;
            samples.record(latencies, server.cpu_time()? - cpu_before);
        }
    }
    Ok(measured)
}

/// Makes `calls` calls one after another and returns each one's latency.
/// Every answer is checked, outside the timed span.
async fn call_sequentially(
    client: &mut BenchServiceClient<Channel>,
    mode: Mode,
    calls: usize,
) -> Result<Vec<Duration>, Box<dyn Error>> {
    let mut latencies = Vec::with_capacity(calls);
    for _ in 0..calls {
        let request = FailRequest { mode: mode.into() };
        let started = Instant::now();
        let answer = client.fail(request).await;
        latencies.push(started.elapsed());
        match answer {
            Ok(_) => return Err(format!("{}: Fail succeeded", scenario::label(mode)).into()),
            Err(status) => scenario::verify(mode, &status)?,
        }
    }
    Ok(latencies)
}
