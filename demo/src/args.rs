//! The binaries' command lines: `--addr HOST:PORT` and a few flags.

/// What a command line asked for.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Args {
    /// The value of `--addr`, if given.
    pub addr: Option<String>,
    /// The flags given, such as `--list`.
    pub flags: Vec<String>,
}

impl Args {
    /// Parses `args` (without the program name), accepting `--addr VALUE`,
    /// `--addr=VALUE`, `--help` and the `known_flags`.
    ///
    /// # Errors
    ///
    /// A message naming the first argument that is not understood.
    pub fn parse(
        args: impl IntoIterator<Item = String>,
        known_flags: &[&str],
    ) -> Result<Args, String> {
        let mut parsed = Args::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if arg == "--addr" {
                let value = args
                    .next()
                    .ok_or("--addr needs a value, e.g. 127.0.0.1:50051")?;
                parsed.addr = Some(value);
            } else if let Some(value) = arg.strip_prefix("--addr=") {
                parsed.addr = Some(value.to_owned());
            } else if arg == "--help" || arg == "-h" || known_flags.contains(&arg.as_str()) {
                parsed.flags.push(arg);
            } else {
                return Err(format!("unexpected argument {arg:?}"));
            }
        }
        Ok(parsed)
    }

    /// Whether `flag` was given.
    pub fn has(&self, flag: &str) -> bool {
        self.flags.iter().any(|given| given == flag)
    }

    /// Whether help was asked for.
    pub fn wants_help(&self) -> bool {
        self.has("--help") || self.has("-h")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Args, String> {
        Args::parse(args.iter().map(|arg| (*arg).to_owned()), &["--list"])
    }

    #[test]
    fn addr_comes_in_both_spellings() {
        assert_eq!(
            parse(&["--addr", "127.0.0.1:1"]).unwrap().addr.as_deref(),
            Some("127.0.0.1:1")
        );
        assert_eq!(
            parse(&["--addr=[::1]:2"]).unwrap().addr.as_deref(),
            Some("[::1]:2")
        );
        assert_eq!(parse(&[]).unwrap(), Args::default());
    }

    #[test]
    fn flags_are_known_or_refused() {
        let args = parse(&["--list", "-h"]).unwrap();
        assert!(args.has("--list") && args.wants_help());
        assert_eq!(
            parse(&["--lsit"]),
            Err("unexpected argument \"--lsit\"".to_owned())
        );
        assert_eq!(
            parse(&["--addr"]),
            Err("--addr needs a value, e.g. 127.0.0.1:50051".to_owned())
        );
    }
}
