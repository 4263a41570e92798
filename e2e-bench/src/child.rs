//! The server as a child process: this same binary run with `serve`.

use std::ffi::OsString;
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
    stack_address: SocketAddr,
    localized_address: SocketAddr,
    metrics_address: SocketAddr,
    cpu: CpuClock,
}

impl ServerProcess {
    pub fn spawn() -> io::Result<ServerProcess> {
        ServerProcess::spawn_under(&[])
    }

    /// The server run by `wrapper` (a command and its arguments, to which the
    /// server's own command line is appended), such as callgrind.
    pub fn spawn_under(wrapper: &[OsString]) -> io::Result<ServerProcess> {
        let server = [std::env::current_exe()?.into_os_string(), "serve".into()];
        let mut command_line = wrapper.iter().chain(&server);
        let program = command_line.next().expect("the server's own command line");
        // Stdin stays piped and open: the server exits when it closes.
        let mut child = Command::new(program)
            .args(command_line)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let started =
            CpuClock::of_process(child.id()).and_then(|cpu| Ok((cpu, read_addresses(&mut child)?)));
        match started {
            Ok((cpu, [address, stack_address, localized_address, metrics_address])) => {
                Ok(ServerProcess {
                    child,
                    address,
                    stack_address,
                    localized_address,
                    metrics_address,
                    cpu,
                })
            }
            Err(error) => {
                stop(&mut child);
                Err(error)
            }
        }
    }

    /// The bare server.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The server behind the recommended stack.
    pub fn stack_address(&self) -> SocketAddr {
        self.stack_address
    }

    /// The server behind the recommended stack, for clients that send `accept-language`.
    pub fn localized_address(&self) -> SocketAddr {
        self.localized_address
    }

    /// The stack recording `rpc.server.call.duration`.
    pub fn metrics_address(&self) -> SocketAddr {
        self.metrics_address
    }

    pub fn cpu_time(&self) -> io::Result<Duration> {
        self.cpu.elapsed()
    }

    /// Closes the server's stdin and waits for it to exit on its own, as a
    /// wrapper such as callgrind writes its report only then.
    pub fn finish(mut self) -> io::Result<()> {
        drop(self.child.stdin.take());
        let status = self.child.wait()?;
        if status.success() {
            Ok(())
        } else {
            Err(io::Error::other(format!("the server exited with {status}")))
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

/// The four lines `serve` prints: the bare server's address, then the
/// stacked one's, the localized one's and the metered one's.
fn read_addresses(child: &mut Child) -> io::Result<[SocketAddr; 4]> {
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| io::Error::other("no stdout"))?;
    let mut lines = BufReader::new(stdout);
    let mut read_one = || {
        let mut line = String::new();
        lines.read_line(&mut line)?;
        line.trim()
            .parse()
            .map_err(|_| io::Error::other(format!("the server printed {line:?}, not an address")))
    };
    Ok([read_one()?, read_one()?, read_one()?, read_one()?])
}

fn stop(child: &mut Child) {
    // Killing an already exited child fails harmlessly; wait reaps it.
    let _ = child.kill();
    let _ = child.wait();
}
