//! Running the binary and reading what it prints.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use base64::Engine as _;
use http::HeaderMap;
use tonic::Status;

pub const BINARY: &str = env!("CARGO_BIN_EXE_chat-errors");

/// What one run of the binary left behind.
#[derive(Debug)]
pub struct Run {
    pub exit_code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts success with nothing on stderr, and returns stdout.
    pub fn success(&self) -> &str {
        assert_eq!(
            (self.exit_code, self.stderr.as_str()),
            (0, ""),
            "expected success, stdout: {}",
            self.stdout
        );
        &self.stdout
    }

    /// Asserts a failure with `exit_code`, an empty stdout and exactly one
    /// stderr line, and returns that line.
    pub fn failure(&self, exit_code: i32) -> &str {
        assert_eq!(self.exit_code, exit_code, "{self:?}");
        assert_eq!(self.stdout, "", "{self:?}");
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "one stderr line: {self:?}");
        assert!(self.stderr.ends_with('\n'), "{self:?}");
        lines[0]
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.success()).expect("stdout is JSON")
    }
}

pub fn run(args: &[&str]) -> Run {
    run_with(args, Stdio::null())
}

/// What `chat-errors encode ARGS...` prints.
pub fn encoded(args: &[&str]) -> String {
    let mut full = vec!["encode"];
    full.extend_from_slice(args);
    run(&full).success().to_owned()
}

pub fn run_with_stdin(args: &[&str], input: &str) -> Run {
    let mut child = command(args, Stdio::piped());
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = input.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("the binary runs");
    writer
        .join()
        .expect("writer thread")
        .expect("stdin accepted the input");
    finished(output)
}

pub fn run_with(args: &[&str], stdin: impl Into<Stdio>) -> Run {
    let child = command(args, stdin.into());
    finished(child.wait_with_output().expect("the binary runs"))
}

fn command(args: &[&str], stdin: Stdio) -> std::process::Child {
    Command::new(BINARY)
        .args(args)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts")
}

fn finished(output: Output) -> Run {
    Run {
        exit_code: output
            .status
            .code()
            .expect("exited, not killed by a signal"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// The value of the `label: value` line labelled `label`.
pub fn field<'a>(text: &'a str, label: &str) -> Option<&'a str> {
    text.lines().find_map(|line| {
        let (name, value) = line.trim_start().split_once(':')?;
        (name == label).then(|| value.trim())
    })
}

/// `status` as `name: value` trailer lines, written by tonic itself.
pub fn trailer_lines(status: &Status) -> String {
    let mut headers = HeaderMap::new();
    status
        .add_header(&mut headers)
        .expect("tonic encodes the status");
    headers
        .iter()
        .map(|(name, value)| format!("{name}: {}\n", value.to_str().expect("ASCII")))
        .collect()
}

/// The trailers `chat-errors encode` printed, by name.
pub fn trailer<'a>(encoded: &'a str, name: &str) -> &'a str {
    encoded
        .lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(": "))
        .unwrap_or_else(|| panic!("no {name} in {encoded:?}"))
}

/// The `google.rpc.Status` inside base64 details, padded or not.
pub fn rpc_status_of(details_base64: &str) -> tonic_types::pb::Status {
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireNone),
    );
    let bytes = engine.decode(details_base64).expect("unpadded base64");
    prost::Message::decode(bytes.as_slice()).expect("a google.rpc.Status")
}

/// `unpadded` with the `=` padding grpcurl and Go's StdEncoding add.
pub fn padded(unpadded: &str) -> String {
    let mut text = unpadded.to_owned();
    while !text.len().is_multiple_of(4) {
        text.push('=');
    }
    text
}

/// A `google.rpc.Status` with its ErrorInfo decoded: ErrorInfo.metadata is
/// a map, whose encoded order varies from process to process.
#[derive(Debug, PartialEq)]
pub struct Comparable {
    code: i32,
    message: String,
    details: Vec<Detail>,
}

#[derive(Debug, PartialEq)]
enum Detail {
    ErrorInfo(tonic_types::pb::ErrorInfo),
    Other(prost_types::Any),
}

pub fn comparable(status: tonic_types::pb::Status) -> Comparable {
    Comparable {
        code: status.code,
        message: status.message,
        details: status
            .details
            .into_iter()
            .map(|any| {
                if any.type_url.ends_with("/google.rpc.ErrorInfo") {
                    Detail::ErrorInfo(
                        prost::Message::decode(any.value.as_slice()).expect("an ErrorInfo"),
                    )
                } else {
                    Detail::Other(any)
                }
            })
            .collect(),
    }
}

/// The normative table, `tests/fixtures/error-codes.tsv`.
pub const FIXTURE: &str = include_str!("../../../tests/fixtures/error-codes.tsv");

/// The table's rows as text columns: code, name, reason, grpc_code,
/// http_status, retryable, description_ko, description_en.
pub fn fixture_columns() -> Vec<Vec<&'static str>> {
    FIXTURE
        .lines()
        .skip(1)
        .map(|line| line.split('\t').collect())
        .collect()
}
