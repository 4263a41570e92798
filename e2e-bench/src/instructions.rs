//! The server's instructions per call, counted by callgrind.
//!
//! CPU time and latency move with whatever else the machine runs; a count
//! of executed instructions does not, so the overheads computed from it are
//! the same in every run of the same binary and tell a few percent apart
//! where the time figures cannot.
//!
//! Each case runs the server twice under callgrind: once with only the
//! warm-up calls, once with the warm-up and the measured calls. The
//! difference, divided by the measured calls, leaves out the server's start,
//! the connections' setup, the first calls' one-time work and the exit.

use std::error::Error;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::bench::Clients;
use crate::child::ServerProcess;
use crate::scenario::{CASES, Case};

/// Calls before the counted ones, in both runs of a case: enough for every
/// lazily built table, connection buffer and allocator cache.
const WARMUP_CALLS: usize = 50;

pub type Counted = [(Case, f64); CASES.len()];

/// Instructions per call for every case, with `calls` measured calls each.
pub fn run(calls: usize) -> Result<Counted, Box<dyn Error>> {
    require_valgrind()?;
    let mut counted = CASES.map(|case| (case, 0.0));
    for (case, per_call) in &mut counted {
        let warmup_only = count(*case, 0)?;
        let with_calls = count(*case, calls)?;
        *per_call = with_calls.saturating_sub(warmup_only) as f64 / calls as f64;
    }
    Ok(counted)
}

/// The server's instructions over its whole life, when it serves the warm-up
/// and then `calls` more calls of `case`.
fn count(case: Case, calls: usize) -> Result<u64, Box<dyn Error>> {
    let report = report_path(case, calls);
    let wrapper: Vec<OsString> = vec![
        "valgrind".into(),
        "--tool=callgrind".into(),
        "--quiet".into(),
        format!("--callgrind-out-file={}", report.display()).into(),
    ];
    let server = ServerProcess::spawn_under(&wrapper)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut clients = Clients::connect(&server).await?;
        clients.call(case, WARMUP_CALLS + calls).await.map(drop)
    })?;
    // Dropping the runtime drops the channels' connection tasks, which
    // closes the connections that the server's graceful shutdown waits for.
    drop(runtime);
    server.finish()?;
    let text = std::fs::read_to_string(&report)
        .map_err(|error| format!("callgrind's report {}: {error}", report.display()))?;
    let _ = std::fs::remove_file(&report);
    total_instructions(&text)
        .ok_or_else(|| format!("no summary line in {}", report.display()).into())
}

fn report_path(case: Case, calls: usize) -> PathBuf {
    let name = format!(
        "e2e-bench-callgrind-{}-{}-{calls}.out",
        std::process::id(),
        crate::scenario::case_key(case)
    );
    Path::new(&std::env::temp_dir()).join(name)
}

fn require_valgrind() -> Result<(), Box<dyn Error>> {
    let found = Command::new("valgrind")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if found {
        Ok(())
    } else {
        Err("counting instructions needs valgrind (Debian: apt-get install valgrind)".into())
    }
}

/// The `summary:` line of a callgrind report, whose only event is `Ir`
/// (instructions executed) unless other events were asked for.
fn total_instructions(report: &str) -> Option<u64> {
    report
        .lines()
        .find_map(|line| line.strip_prefix("summary:"))
        .and_then(|total| total.split_whitespace().next())
        .and_then(|total| total.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_summary_line() {
        let report = "# callgrind format\nversion: 1\ncreator: callgrind-3.19.0\n\
                      events: Ir\nfl=(1) a.rs\nfn=(1) f\n3 12\nsummary: 48213307\ntotals: 48213307\n";
        assert_eq!(total_instructions(report), Some(48_213_307));
        assert_eq!(total_instructions("events: Ir\n3 12\n"), None);
    }
}
