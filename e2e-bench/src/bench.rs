//! The client side: warm up, then run every case in interleaved rounds so
//! that drift of the machine during the run falls on all cases alike.

use std::error::Error;
use std::time::{Duration, Instant};

use chat_errors::layer::TrailerShield;
use chat_errors::metrics::{ClientMetrics, MeteredChannel};
use chat_errors::retry::{RetryLayer, RetryPolicy, RetryService};
use tonic::Status;
use tonic::metadata::MetadataValue;
use tonic::transport::{Channel, Endpoint};
use tower_layer::Layer;

use crate::child::ServerProcess;
use crate::meters::Meters;
use crate::options::Plan;
use crate::pb::bench_service_client::BenchServiceClient;
use crate::pb::{FailRequest, Mode};
use crate::scenario::{self, CASES, Case};
use crate::stats::Samples;

/// The order of a round's blocks, as indices into [`CASES`]: each reported
/// comparison's two blocks run back to back (localized and rich each beside
/// plain, rich via stack beside rich, ok via stack and ok via retry each
/// beside ok), so that load from elsewhere, which comes and goes over
/// milliseconds, falls on both alike. Every other round runs it backwards,
/// so that neither side of a pair always goes first.
///
/// A block has two sides, so the metered cases run beside the stack they
/// add to, one block from the bare case: `rich via stack+metrics` beside
/// `rich via stack`, `ok via stack+metrics` beside `ok via stack`.
const ROUND_ORDER: [usize; CASES.len()] = [2, 4, 0, 1, 3, 8, 9, 6, 5, 7];

pub type Measured = [(Case, Samples); CASES.len()];

/// Makes `calls` calls one after another and returns each one's latency.
/// Every answer is checked once the last call is back, so that checking
/// costs no time between calls: the localized case decodes each answer in
/// full, and doing that between its calls widened the gaps in which the
/// server idles, which slowed its calls by a point or two. A macro, as the
/// two clients' types differ only in their transport.
macro_rules! call_sequentially {
    ($client:expr, $case:expr, $calls:expr) => {{
        let client = $client;
        let case: Case = $case;
        let mut latencies = Vec::with_capacity($calls);
        let mut answers = Vec::with_capacity($calls);
        for _ in 0..$calls {
            let mut request = tonic::Request::new(FailRequest {
                mode: case.mode.into(),
            });
            if case.localized {
                request.metadata_mut().insert(
                    "accept-language",
                    MetadataValue::from_static(scenario::ACCEPT_LANGUAGE),
                );
            }
            let started = Instant::now();
            let answer = client.fail(request).await;
            latencies.push(started.elapsed());
            answers.push(answer.map(|_| ()));
        }
        match answers.iter().try_for_each(|answer| check(case, answer)) {
            Ok(()) => Ok(latencies),
            Err(problem) => Err(Box::<dyn Error>::from(problem)),
        }
    }};
}

/// Whether `answer` is what the server sends in `case`.
fn check(case: Case, answer: &Result<(), Status>) -> Result<(), String> {
    match answer {
        Ok(()) if case.mode == Mode::Ok => Ok(()),
        Ok(()) => Err(format!("{}: Fail succeeded", scenario::case_label(case))),
        Err(status) if case.localized => {
            scenario::verify(case.mode, status).and_then(|()| scenario::verify_localized(status))
        }
        Err(status) => scenario::verify(case.mode, status),
    }
}

/// Spawns the server, measures, and stops the server again.
pub fn run(plan: Plan) -> Result<Measured, Box<dyn Error>> {
    let server = ServerProcess::spawn()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(measure(&server, plan))
}

/// A client of the bare server, one of the stacked server through the
/// client's half of the recommended stack, a bare one of the localized
/// server, and one of the bare server through the retry layer.
pub struct Clients {
    bare: BenchServiceClient<Channel>,
    stack: BenchServiceClient<chat_errors::layer::TrailerShield<Channel>>,
    localized: BenchServiceClient<Channel>,
    retry: BenchServiceClient<RetryService<Channel>>,
    metered: BenchServiceClient<MeteredChannel<Channel>>,
    /// Keeps the client's instruments recording.
    _meters: Meters,
}

impl Clients {
    pub async fn connect(server: &ServerProcess) -> Result<Clients, Box<dyn Error>> {
        let meters = Meters::new();
        Ok(Clients {
            bare: BenchServiceClient::new(connect(server.address()).await?),
            stack: BenchServiceClient::new(TrailerShield::new(
                connect(server.stack_address()).await?,
            )),
            localized: BenchServiceClient::new(connect(server.localized_address()).await?),
            retry: BenchServiceClient::new(
                RetryLayer::new(RetryPolicy::default()).layer(connect(server.address()).await?),
            ),
            metered: BenchServiceClient::new(
                ClientMetrics::new(&meters.meter()).layer(connect(server.metrics_address()).await?),
            ),
            _meters: meters,
        })
    }

    /// Makes `calls` checked calls of `case`, one after another.
    pub async fn call(
        &mut self,
        case: Case,
        calls: usize,
    ) -> Result<Vec<Duration>, Box<dyn Error>> {
        if case.retry {
            call_sequentially!(&mut self.retry, case, calls)
        } else if case.metrics {
            call_sequentially!(&mut self.metered, case, calls)
        } else if case.stack {
            call_sequentially!(&mut self.stack, case, calls)
        } else if case.localized {
            call_sequentially!(&mut self.localized, case, calls)
        } else {
            call_sequentially!(&mut self.bare, case, calls)
        }
    }
}

async fn connect(address: std::net::SocketAddr) -> Result<Channel, Box<dyn Error>> {
    Ok(Endpoint::from_shared(format!("http://{address}"))?
        .connect()
        .await?)
}

async fn measure(server: &ServerProcess, plan: Plan) -> Result<Measured, Box<dyn Error>> {
    let mut clients = Clients::connect(server).await?;
    for case in CASES {
        clients.call(case, plan.warmup_per_mode()).await?;
    }
    let mut measured = CASES.map(|case| (case, Samples::default()));
    for round in 0..plan.rounds {
        for turn in 0..CASES.len() {
            let index = if round % 2 == 0 {
                ROUND_ORDER[turn]
            } else {
                ROUND_ORDER[CASES.len() - 1 - turn]
            };
            let (case, samples) = &mut measured[index];
            let cpu_before = server.cpu_time()?;
            let latencies = clients.call(*case, plan.calls_per_round()).await?;
            samples.record(latencies, server.cpu_time()? - cpu_before);
        }
    }
    Ok(measured)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_round_runs_every_case_once() {
        let mut order = ROUND_ORDER;
        order.sort_unstable();
        assert_eq!(order, std::array::from_fn(|index| index));
    }

    #[test]
    fn each_compared_pair_runs_back_to_back() {
        let position = |label: &str| {
            ROUND_ORDER
                .iter()
                .position(|&index| scenario::case_label(CASES[index]) == label)
                .unwrap_or_else(|| panic!("no case {label}"))
        };
        for (ours, baseline) in [
            ("rich localized", "plain Status"),
            ("rich (ErrorCode)", "plain Status"),
            ("rich via stack", "rich (ErrorCode)"),
            ("ok via stack", "ok"),
            ("ok via retry", "ok"),
            ("rich via stack+metrics", "rich via stack"),
            ("ok via stack+metrics", "ok via stack"),
        ] {
            assert_eq!(
                position(ours).abs_diff(position(baseline)),
                1,
                "{ours} and {baseline} are not adjacent in {ROUND_ORDER:?}"
            );
        }
        // Against the bare pair, the metered cases are one block further.
        for (ours, baseline) in [
            ("rich via stack+metrics", "rich (ErrorCode)"),
            ("ok via stack+metrics", "ok"),
        ] {
            assert_eq!(
                position(ours).abs_diff(position(baseline)),
                2,
                "{ours} is not two blocks from {baseline} in {ROUND_ORDER:?}"
            );
        }
    }
}
