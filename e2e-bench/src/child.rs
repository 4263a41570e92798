//! The server as a child process: this same binary run with `serve`.

use std::io::{self, BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::cpu::CpuClock;

/// The running server. Dropping it kills the process, so an error or a panic
/// in the benchmark does not leave a server behind.
pub struct ServerProcess {
    child: Child,
    address: SocketAddr,
    cpu: CpuClock,
}

impl ServerProcess {
    pub fn spawn() -> io::Result<ServerProcess> {
        // Stdin stays piped and open: the server exits when it closes.
        let mut child = Command::new(std::env::current_exe()?)
            .arg("serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let started =
            CpuClock::of_process(child.id()).and_then(|cpu| Ok((cpu, read_address(&mut child)?)));
        match started {
            Ok((cpu, address)) => Ok(ServerProcess {
                child,
                address,
                cpu,
            }),
            Err(error) => {
                stop(&mut child);
                Err(error)
            }
        }
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn cpu_time(&self) -> io::Result<Duration> {
        self.cpu.elapsed()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

fn read_address(child: &mut Child) -> io::Result<SocketAddr> {
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| io::Error::other("no stdout"))?;
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    line.trim()
        .parse()
        .map_err(|_| io::Error::other(format!("the server printed {line:?}, not its address")))
}

fn stop(child: &mut Child) {
    // Killing an already exited child fails harmlessly; wait reaps it.
    let _ = child.kill();
    let _ = child.wait();
}
