//! The binaries' command lines: `--addr HOST:PORT`, a few flags and a few
//! options with values.

/// What a command line asked for.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Args {
    /// The value of `--addr`, if given.
    pub addr: Option<String>,
    /// The flags given, such as `--list`.
    pub flags: Vec<String>,
    /// The other options given with their values, in order, e.g.
    /// `("--allow-origin", "http://localhost:8080")`.
    pub options: Vec<(String, String)>,
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
        Args::parse_with_options(args, known_flags, &[])
    }

    /// Like [`parse`](Self::parse), also accepting `OPTION VALUE` and
    /// `OPTION=VALUE` for each of `known_options`, any number of times.
    ///
    /// # Errors
    ///
    /// A message naming the first argument that is not understood.
    pub fn parse_with_options(
        args: impl IntoIterator<Item = String>,
        known_flags: &[&str],
        known_options: &[&str],
    ) -> Result<Args, String> {
        let mut parsed = Args::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (name, inline) = match arg.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (arg.as_str(), None),
            };
            if name == "--addr" || known_options.contains(&name) {
                let value = match inline {
                    Some(value) => value,
                    None => args.next().ok_or_else(|| needs_value(name))?,
                };
                if name == "--addr" {
                    parsed.addr = Some(value);
                } else {
                    parsed.options.push((name.to_owned(), value));
                }
            } else if arg == "--help" || arg == "-h" || known_flags.contains(&arg.as_str()) {
                parsed.flags.push(arg);
            } else {
                return Err(format!("unexpected argument {arg:?}"));
            }
        }
        Ok(parsed)
    }

    /// Every value given to `option`, in order.
    pub fn values<'a>(&'a self, option: &'a str) -> impl Iterator<Item = &'a str> {
        self.options
            .iter()
            .filter(move |(name, _)| name == option)
            .map(|(_, value)| value.as_str())
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

fn needs_value(option: &str) -> String {
    match option {
        "--addr" => "--addr needs a value, e.g. 127.0.0.1:50051".to_owned(),
        _ => format!("{option} needs a value"),
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
    fn options_repeat_in_both_spellings() {
        let args = Args::parse_with_options(
            [
                "--allow-origin",
                "http://a",
                "--allow-origin=http://b",
                "--addr=x:1",
            ]
            .map(str::to_owned),
            &[],
            &["--allow-origin"],
        )
        .unwrap();
        assert_eq!(
            args.values("--allow-origin").collect::<Vec<_>>(),
            ["http://a", "http://b"]
        );
        assert_eq!(args.addr.as_deref(), Some("x:1"));
        assert_eq!(
            parse(&["--allow-origin", "http://a"]),
            Err("unexpected argument \"--allow-origin\"".to_owned())
        );
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
