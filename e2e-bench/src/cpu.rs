//! CPU time of another process, read through its POSIX CPU-time clock.
//!
//! The clock counts nanoseconds of user and system time over all of the
//! process's threads, where `/proc/<pid>/stat` counts whole clock ticks
//! (10 ms each on this kernel's usual `CLK_TCK` of 100): too coarse to split
//! a few microseconds per call between modes.

use std::io;
use std::time::Duration;

pub struct CpuClock {
    clock: libc::clockid_t,
}

impl CpuClock {
    pub fn of_process(pid: u32) -> io::Result<CpuClock> {
        let pid = libc::pid_t::try_from(pid).map_err(io::Error::other)?;
        let mut clock: libc::clockid_t = 0;
        // SAFETY: `clock` is a valid place for the call to write a clockid_t.
        let failed = unsafe { libc::clock_getcpuclockid(pid, &mut clock) };
        if failed != 0 {
            return Err(io::Error::from_raw_os_error(failed));
        }
        Ok(CpuClock { clock })
    }

    /// User plus system time the process has used so far.
    pub fn elapsed(&self) -> io::Result<Duration> {
        let mut now = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `now` is a valid place for the call to write a timespec.
        if unsafe { libc::clock_gettime(self.clock, &mut now) } != 0 {
            return Err(io::Error::last_os_error());
        }
        let seconds = u64::try_from(now.tv_sec).map_err(io::Error::other)?;
        let nanos = u32::try_from(now.tv_nsec).map_err(io::Error::other)?;
        Ok(Duration::new(seconds, nanos))
    }
}
