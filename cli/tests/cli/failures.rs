//! Every kind of bad input: one stderr line, an empty stdout, and the
//! documented exit code.

use std::fs::File;
use std::io::Write;
use std::process::{Command, Stdio};

use prost_types::Any;

use crate::common::{any, error_info, status_with_details};
use crate::support::{BINARY, encoded, run, run_with, run_with_stdin, trailer, trailer_lines};

const IO: i32 = 1;
const USAGE: i32 = 2;
const UNKNOWN_CODE: i32 = 3;
const MALFORMED_TRAILERS: i32 = 4;
const INVALID_BASE64: i32 = 5;
const GARBAGE_PROTOBUF: i32 = 6;
const INCONSISTENT_DETAILS: i32 = 7;
const OTHER_DOMAIN: i32 = 8;
const NO_CHAT_ERROR: i32 = 9;

fn decode_failure(input: &str, exit_code: i32) -> String {
    run_with_stdin(&["decode"], input)
        .failure(exit_code)
        .to_owned()
}

#[test]
fn bad_arguments_are_usage_errors() {
    let cases: [(&[&str], &str); 6] = [
        (
            &["encode", "2003", "--format", "yaml"],
            "chat-errors: invalid value 'yaml' for '--format <FORMAT>' [possible values: text, json] \
             (see 'chat-errors encode --help')",
        ),
        (
            &["explain"],
            "chat-errors: the following required arguments were not provided: <CODE> \
             (see 'chat-errors explain --help')",
        ),
        (
            &["frobnicate"],
            "chat-errors: unrecognized subcommand 'frobnicate' (see 'chat-errors --help')",
        ),
        (
            &["encode", "2003", "--domain", "bad domain"],
            "chat-errors: invalid value 'bad domain' for '--domain <DOMAIN>': invalid ErrorInfo \
             domain \"bad domain\": use 1 to 253 ASCII letters, digits, '.', '-' or '_' \
             (see 'chat-errors encode --help')",
        ),
        (
            &["encode", "2003", "--metadata", "code=1"],
            "chat-errors: --metadata: ErrorInfo metadata key \"code\" is reserved for chat-errors",
        ),
        (
            &["encode", "2003", "--retry-after", "-1"],
            "chat-errors: invalid value '-1' for '--retry-after <SECONDS>': expected a non-negative \
             number of seconds, got \"-1\" (see 'chat-errors encode --help')",
        ),
    ];
    for (args, line) in cases {
        assert_eq!(run(args).failure(USAGE), line, "{args:?}");
    }
    for args in [
        &["list", "--format", "csv"][..],
        &["encode", "2003", "--metadata", "Limit=1"],
        &["encode", "2003", "--metadata", "no-equals-sign"],
        &["encode", "2003", "--retry-after", "soon"],
        &["encode", "2003", "--field-violation", "=empty field"],
        &["decode", "--bogus"],
        &["decode", "--domain", ""],
    ] {
        let run = run(args);
        assert!(run.failure(USAGE).starts_with("chat-errors: "), "{args:?}");
    }
}

#[test]
fn unknown_codes_names_and_reasons() {
    for (args, text) in [
        (&["explain", "9999"][..], "9999"),
        (&["encode", "NoSuchError"], "NoSuchError"),
        (&["encode", "channel_not_found"], "channel_not_found"),
        (&["explain", "2003 MutedInChannel"], "2003 MutedInChannel"),
    ] {
        assert_eq!(
            run(args).failure(UNKNOWN_CODE),
            format!(
                "chat-errors: unknown error code {text:?}: give a number (2003), a name \
                 (ChannelNotFound) or a reason (CHANNEL_NOT_FOUND); 'chat-errors list' shows them all"
            ),
            "{args:?}"
        );
    }
}

#[test]
fn input_without_usable_trailers() {
    let no_trailers = "chat-errors: found no trailers in the input: expected lines like 'grpc-status: 5' \
                       and 'grpc-status-details-bin: <base64>', or a bare grpc-status-details-bin value";
    assert_eq!(run(&["decode"]).failure(MALFORMED_TRAILERS), no_trailers);
    assert_eq!(
        decode_failure("nothing to see here\n", MALFORMED_TRAILERS),
        no_trailers
    );
    assert_eq!(
        decode_failure("grpc-status: 99\n", MALFORMED_TRAILERS),
        "chat-errors: grpc-status \"99\" is not a gRPC status code (0 to 16, or a name like NOT_FOUND)"
    );
    assert_eq!(
        decode_failure("grpc-status: 5\ngrpc-status: 7\n", MALFORMED_TRAILERS),
        "chat-errors: the input holds two different grpc-status values (\"5\" and \"7\"); \
         decode one status at a time"
    );
    assert_eq!(
        decode_failure(
            "grpc-status: 13\ngrpc-message: %FF%FE\n",
            MALFORMED_TRAILERS
        ),
        "chat-errors: grpc-message \"%FF%FE\" is not UTF-8 once percent-decoded"
    );
    assert_eq!(
        decode_failure("grpc-message: boom\n", MALFORMED_TRAILERS),
        "chat-errors: the input has no grpc-status, and no grpc-status-details-bin to take it from"
    );
}

#[test]
fn invalid_base64() {
    let prefix =
        "chat-errors: grpc-status-details-bin is not base64 (standard alphabet, padded or not): ";
    for details in ["not*base64", "CAUS-_x", "CAUSG", "hello"] {
        let line = decode_failure(
            &format!("grpc-status: 5\ngrpc-status-details-bin: {details}\n"),
            INVALID_BASE64,
        );
        assert!(line.starts_with(prefix), "{details}: {line}");
    }
}

#[test]
fn garbage_protobuf() {
    assert_eq!(
        decode_failure(
            "grpc-status: 5\ngrpc-status-details-bin: AAAA\n",
            GARBAGE_PROTOBUF
        ),
        "chat-errors: grpc-status-details-bin is not a google.rpc.Status: \
         failed to decode Protobuf message: invalid tag value: 0"
    );
    // Without grpc-status the details are read to find it, with the same verdict.
    assert_eq!(
        decode_failure("grpc-status-details-bin: AAAA\n", GARBAGE_PROTOBUF),
        "chat-errors: grpc-status-details-bin is not a google.rpc.Status: \
         failed to decode Protobuf message: invalid tag value: 0"
    );
    let broken_error_info = status_with_details(
        tonic::Code::NotFound,
        "x",
        vec![Any {
            type_url: "type.googleapis.com/google.rpc.ErrorInfo".to_owned(),
            value: vec![0xff, 0xff, 0xff],
        }],
    );
    let line = decode_failure(&trailer_lines(&broken_error_info), GARBAGE_PROTOBUF);
    assert!(
        line.starts_with("chat-errors: malformed google.rpc.ErrorInfo detail: "),
        "{line}"
    );
}

#[test]
fn details_that_break_the_contract() {
    let trailers = encoded(&["2003"]);
    assert_eq!(
        decode_failure(
            &trailers.replace("grpc-status: 5", "grpc-status: 3"),
            INCONSISTENT_DETAILS
        ),
        "chat-errors: grpc-status is 3 but the details say 5"
    );
    let message = trailer(&trailers, "grpc-message");
    assert_eq!(
        decode_failure(
            &trailers.replace(message, "Something%20else"),
            INCONSISTENT_DETAILS
        ),
        "chat-errors: grpc-message differs from the message inside the details"
    );
    let twice = status_with_details(
        tonic::Code::NotFound,
        "x",
        vec![
            error_info("CHANNEL_NOT_FOUND", "chat.errors.v1", &[("code", "2003")]),
            error_info("CHANNEL_NOT_FOUND", "chat.errors.v1", &[("code", "2003")]),
        ],
    );
    assert_eq!(
        decode_failure(&trailer_lines(&twice), INCONSISTENT_DETAILS),
        "chat-errors: google.rpc.ErrorInfo appears more than once in the details"
    );
    let bad_code = status_with_details(
        tonic::Code::NotFound,
        "x",
        vec![error_info(
            "CHANNEL_NOT_FOUND",
            "chat.errors.v1",
            &[("code", "two")],
        )],
    );
    assert_eq!(
        decode_failure(&trailer_lines(&bad_code), INCONSISTENT_DETAILS),
        "chat-errors: ErrorInfo metadata code \"two\" is not a number"
    );
}

#[test]
fn a_chat_error_that_contradicts_itself() {
    let chat_error = |grpc_code: tonic::Code, reason: &str, metadata: &[(&str, &str)]| {
        let status = status_with_details(
            grpc_code,
            "x",
            vec![error_info(reason, "chat.errors.v1", metadata)],
        );
        decode_failure(&trailer_lines(&status), INCONSISTENT_DETAILS)
    };
    assert_eq!(
        chat_error(
            tonic::Code::NotFound,
            "CHANNEL_NOT_FOUND",
            &[("code", "3003"), ("message", "UserNotFound")]
        ),
        "chat-errors: ErrorInfo metadata code 3003 and reason \"CHANNEL_NOT_FOUND\" name different codes"
    );
    assert_eq!(
        chat_error(
            tonic::Code::NotFound,
            "CHANNEL_NOT_FOUND",
            &[("code", "2003"), ("message", "UserNotFound")]
        ),
        "chat-errors: ErrorInfo metadata message \"UserNotFound\" is not the name of 2003, \"ChannelNotFound\""
    );
    assert_eq!(
        chat_error(
            tonic::Code::NotFound,
            "CHANNEL_NOT_FOUND",
            &[("code", "02003")]
        ),
        "chat-errors: ErrorInfo metadata code \"02003\" is not written as canonical decimal digits"
    );
    assert_eq!(
        chat_error(
            tonic::Code::Internal,
            "CHANNEL_NOT_FOUND",
            &[("code", "2003")]
        ),
        "chat-errors: grpc-status is 13 (Internal) but 2003 ChannelNotFound is sent as 5 (NotFound)"
    );
    // A newer catalogue's code is not a contradiction.
    let future = status_with_details(
        tonic::Code::FailedPrecondition,
        "x",
        vec![error_info(
            "THREAD_ARCHIVED",
            "chat.errors.v1",
            &[("code", "7001"), ("message", "ThreadArchived")],
        )],
    );
    run_with_stdin(&["decode"], &trailer_lines(&future)).success();
}

#[test]
fn a_chat_error_of_another_domain() {
    let trailers = encoded(&["2003", "--domain", "chat.example.com"]);
    assert_eq!(
        decode_failure(&trailers, OTHER_DOMAIN),
        "chat-errors: the chat error is from domain \"chat.example.com\" (reason CHANNEL_NOT_FOUND), \
         not \"chat.errors.v1\"; decode it with --domain chat.example.com"
    );
    let run = run_with_stdin(
        &["decode", "--domain", "other.example"],
        &encoded(&["2003"]),
    );
    assert_eq!(
        run.failure(OTHER_DOMAIN),
        "chat-errors: the chat error is from domain \"chat.errors.v1\" (reason CHANNEL_NOT_FOUND), \
         not \"other.example\"; decode it with --domain chat.errors.v1"
    );
}

#[test]
fn a_status_without_a_chat_error() {
    assert_eq!(
        run(&["decode", "grpc-status: 13", "grpc-message: boom"]).failure(NO_CHAT_ERROR),
        "chat-errors: no chat error: the status (grpc-status 13 INTERNAL, grpc-message \"boom\") \
         has no grpc-status-details-bin"
    );
    let plain_details = status_with_details(
        tonic::Code::Internal,
        "boom",
        vec![any(
            "google.rpc.DebugInfo",
            &tonic_types::pb::DebugInfo::default(),
        )],
    );
    assert_eq!(
        decode_failure(&trailer_lines(&plain_details), NO_CHAT_ERROR),
        "chat-errors: no chat error: the details of the status (grpc-status 13 INTERNAL, \
         grpc-message \"boom\") hold no google.rpc.ErrorInfo"
    );
}

#[test]
fn unreadable_stdin_and_unwritable_stdout() {
    let directory = File::open("/").expect("the root directory opens");
    assert_eq!(
        run_with(&["decode"], directory).failure(IO),
        "chat-errors: cannot read stdin: Is a directory (os error 21)"
    );

    let full = File::options()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let output = Command::new(BINARY)
        .args(["list"])
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(IO));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "chat-errors: cannot write to stdout: No space left on device (os error 28)\n"
    );
}

#[test]
fn a_reader_that_goes_away_is_not_an_error() {
    let mut child = Command::new(BINARY)
        .args(["decode"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // decode reads all of stdin before it writes, so the reader is surely
    // gone by the time it writes: a pipe that went away under `| head`.
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().expect("piped stdin");
    stdin
        .write_all(encoded(&["2003"]).as_bytes())
        .expect("stdin accepts the trailers");
    drop(stdin);
    let output = child.wait_with_output().expect("the binary ends");
    assert_eq!(String::from_utf8(output.stderr).unwrap(), "");
    assert_eq!(output.status.code(), Some(0));
}

/// Mangled real trailers, a bounded batch: every one ends with a
/// documented exit code and at most one stderr line, never a panic.
#[test]
fn mangled_trailers_never_panic() {
    let trailers = encoded(&["2027"]);
    let details = trailer(&trailers, "grpc-status-details-bin").to_owned();
    let mut seed: u64 = 0x2027;
    let mut next = move |bound: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize % bound
    };
    const ALPHABET: &[u8] =
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_*% ";
    for _ in 0..150 {
        let mut mangled = details.clone().into_bytes();
        for _ in 0..1 + next(4) {
            match next(3) {
                0 => {
                    let at = next(mangled.len());
                    mangled[at] = ALPHABET[next(ALPHABET.len())];
                }
                1 => mangled.truncate(next(mangled.len())),
                _ => {
                    let at = next(mangled.len() + 1);
                    mangled.insert(at, ALPHABET[next(ALPHABET.len())]);
                }
            }
            if mangled.is_empty() {
                mangled.push(b'A');
            }
        }
        let mangled = String::from_utf8(mangled).unwrap();
        let input = trailers.replace(&details, &mangled);
        let run = run_with_stdin(&["decode", "--format", "json"], &input);
        match run.exit_code {
            0 => assert!(run.stderr.is_empty(), "{input}"),
            4..=9 => {
                run.failure(run.exit_code);
            }
            other => panic!("exit code {other} for {input:?}: {}", run.stderr),
        }
    }
}
