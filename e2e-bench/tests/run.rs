//! Runs the built binary: a tiny benchmark end to end, and the server alone.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BINARY: &str = env!("CARGO_BIN_EXE_e2e-bench");

#[test]
fn a_small_run_prints_the_table_and_ends_with_the_headline_keys() {
    let output = Command::new(BINARY)
        .args(["--calls", "90", "--rounds", "3"])
        .output()
        .expect("the benchmark runs");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );

    for label in [
        "plain Status",
        "rich (ErrorCode)",
        "dynamic ChatError",
        "rich via stack",
        "rich localized",
        "ok",
        "ok via stack",
        "ok via retry",
        "rich via stack+metrics",
        "ok via stack+metrics",
    ] {
        let row = stdout
            .lines()
            .find(|line| line.starts_with(label))
            .unwrap_or_else(|| panic!("no row for {label}:\n{stdout}"));
        assert_eq!(
            row.split_whitespace().nth(label.split(' ').count()),
            Some("90"),
            "{row}"
        );
    }
    let lines: Vec<&str> = stdout.lines().collect();
    let [.., cpu, p50] = lines[..] else {
        panic!("too few lines:\n{stdout}");
    };
    for (line, key) in [
        (cpu, "e2e_server_cpu_overhead_pct"),
        (p50, "e2e_p50_overhead_pct"),
    ] {
        let value = line
            .strip_prefix(key)
            .and_then(|rest| rest.strip_prefix('='))
            .unwrap_or_else(|| panic!("{line:?} is not {key}=<number>"));
        assert!(value.parse::<f64>().is_ok_and(f64::is_finite), "{line}");
    }
    assert!(stdout.contains("e2e_calls_per_mode=90\n"), "{stdout}");
    assert!(stdout.contains("e2e_rounds=3\n"), "{stdout}");
    for key in [
        "e2e_stack_cpu_overhead_pct=",
        "e2e_stack_p50_overhead_pct=",
        "e2e_stack_ok_p50_overhead_pct=",
        "e2e_stack_metrics_cpu_overhead_pct=",
        "e2e_stack_metrics_p50_overhead_pct=",
        "e2e_stack_metrics_ok_p50_overhead_pct=",
        "e2e_localized_cpu_overhead_pct=",
        "e2e_localized_p50_overhead_pct=",
        "e2e_retry_ok_p50_overhead_pct=",
    ] {
        assert!(stdout.contains(key), "{stdout}");
    }
}

#[test]
fn bad_arguments_fail_with_usage() {
    let output = Command::new(BINARY)
        .args(["--calls", "none"])
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--calls needs a positive whole number"),
        "{stderr}"
    );
}

#[test]
fn the_server_prints_a_loopback_address_and_exits_when_stdin_closes() {
    let mut server = Command::new(BINARY)
        .arg("serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let mut line = String::new();
    BufReader::new(server.stdout.take().expect("piped stdout"))
        .read_line(&mut line)
        .expect("reads the address");
    let address: SocketAddr = line.trim().parse().expect("an address");
    assert!(address.ip().is_loopback(), "{address}");
    assert_ne!(address.port(), 0);
    TcpStream::connect(address).expect("the server accepts connections");

    drop(server.stdin.take());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.try_wait().expect("polls the server") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = server.kill();
            let _ = server.wait();
            panic!("the server still runs 10 s after its stdin closed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
}
