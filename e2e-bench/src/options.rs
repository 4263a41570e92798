//! Command-line arguments, kept to a handful of flags.

pub const USAGE: &str = "\
usage: e2e-bench [--quick] [--calls N] [--rounds N]
       e2e-bench instructions [--calls N]
       e2e-bench serve

Times a failing unary RPC over loopback: a plain tonic::Status against the
chat-errors status with details, measuring client latency and server CPU.

  --quick      24000 calls per mode in 480 rounds (default 30000 in 600)
  --calls N    calls per mode, split evenly over the rounds
  --rounds N   rounds; each runs every mode once, compared pairs adjacent
  instructions count the server's instructions per call of each mode
               under callgrind instead (needs valgrind; --calls N counted
               calls per mode, default 300)
  serve        run only the server (the benchmark spawns it itself)";

/// Counted calls per mode under callgrind. Three runs of 300 gave each
/// mode's count per call within 0.5 % of one another (the server's start
/// and exit vary by some tens of thousands of instructions); each call costs
/// the server a few milliseconds there.
pub const INSTRUCTION_CALLS: usize = 300;

#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Bench(Plan),
    /// Count instructions over this many calls per mode.
    Instructions(usize),
    Serve,
    Help,
}

/// How many calls to make, in how many interleaved rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub calls_per_mode: usize,
    pub rounds: usize,
}

impl Plan {
    // Blocks of 50 calls: load from elsewhere comes and goes over tens of
    // milliseconds, and a block of 50 takes about 7 ms, so the two blocks
    // of a compared pair mostly see the same load. Ten quick runs on a
    // loaded machine gave e2e_stack_cpu_overhead_pct within ±1 point of
    // their median in 3 of 10 runs with 60 rounds, 8 of 10 with 240; on
    // the code of 2026-12-06, idle, 8 of 10 with 240 and 10 of 10 with 480.
    const FULL: Plan = Plan {
        calls_per_mode: 30_000,
        rounds: 600,
    };
    const QUICK: Plan = Plan {
        calls_per_mode: 24_000,
        rounds: 480,
    };

    /// Untimed calls per mode before measuring, so that connection buffers,
    /// allocator caches and the details cache are warm.
    pub fn warmup_per_mode(&self) -> usize {
        self.calls_per_mode / 10
    }

    pub fn calls_per_round(&self) -> usize {
        self.calls_per_mode.div_ceil(self.rounds)
    }
}

impl Command {
    pub fn parse(args: &[String]) -> Result<Command, String> {
        if let [only] = args
            && only == "serve"
        {
            return Ok(Command::Serve);
        }
        if let [first, rest @ ..] = args
            && first == "instructions"
        {
            return match rest {
                [] => Ok(Command::Instructions(INSTRUCTION_CALLS)),
                [flag, value] if flag == "--calls" => {
                    positive(flag, Some(value)).map(Command::Instructions)
                }
                _ => Err(format!("instructions takes only --calls N\n\n{USAGE}")),
            };
        }
        let mut plan = Plan::FULL;
        let mut calls = None;
        let mut rounds = None;
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--quick" => plan = Plan::QUICK,
                "--calls" => calls = Some(positive(arg, args.next())?),
                "--rounds" => rounds = Some(positive(arg, args.next())?),
                "-h" | "--help" => return Ok(Command::Help),
                other => return Err(format!("unexpected argument {other:?}\n\n{USAGE}")),
            }
        }
        plan.calls_per_mode = calls.unwrap_or(plan.calls_per_mode);
        plan.rounds = rounds.unwrap_or(plan.rounds);
        Ok(Command::Bench(plan))
    }
}

fn positive(flag: &str, value: Option<&String>) -> Result<usize, String> {
    match value.map(|value| value.parse::<usize>()) {
        Some(Ok(number)) if number > 0 => Ok(number),
        _ => Err(format!("{flag} needs a positive whole number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, String> {
        Command::parse(&args.iter().map(|arg| arg.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn quick_then_overrides() {
        let expected = Plan {
            calls_per_mode: 300,
            rounds: 3,
        };
        assert_eq!(
            parse(&["--quick", "--calls", "300", "--rounds", "3"]),
            Ok(Command::Bench(expected))
        );
        assert_eq!(
            parse(&["--rounds", "3", "--calls", "300", "--quick"]),
            Ok(Command::Bench(expected))
        );
    }

    #[test]
    fn defaults_serve_and_errors() {
        assert_eq!(parse(&[]), Ok(Command::Bench(Plan::FULL)));
        assert_eq!(parse(&["serve"]), Ok(Command::Serve));
        assert_eq!(
            parse(&["instructions"]),
            Ok(Command::Instructions(INSTRUCTION_CALLS))
        );
        assert_eq!(
            parse(&["instructions", "--calls", "40"]),
            Ok(Command::Instructions(40))
        );
        assert!(
            parse(&["instructions", "--quick"])
                .unwrap_err()
                .contains("--calls")
        );
        assert_eq!(parse(&["--help"]), Ok(Command::Help));
        assert!(parse(&["--calls", "0"]).unwrap_err().contains("--calls"));
        assert!(parse(&["--rounds"]).unwrap_err().contains("--rounds"));
        assert!(
            parse(&["serve", "--quick"])
                .unwrap_err()
                .contains("\"serve\"")
        );
    }

    #[test]
    fn rounds_cover_every_call() {
        let plan = Plan {
            calls_per_mode: 1_001,
            rounds: 10,
        };
        assert_eq!(plan.calls_per_round(), 101);
        assert_eq!(plan.warmup_per_mode(), 100);
    }
}
