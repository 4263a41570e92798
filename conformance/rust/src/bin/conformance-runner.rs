//! The Rust reference runner: JSON lines on stdin, one answer per line on
//! stdout (conformance/README.md).

use std::io::{BufRead, Write};

fn main() -> std::io::Result<()> {
    let stdin = std::io::stdin().lock();
    let mut stdout = std::io::stdout().lock();
    for line in stdin.lines() {
        let line = line?;
        writeln!(
            stdout,
            "{}",
            chat_errors_conformance::runner::answer_line(&line)
        )?;
        stdout.flush()?;
    }
    Ok(())
}
