use crate::support::run;

/// The documented exit codes, as `--help` and cli/README.md list them.
const EXIT_CODES: [(u8, &str); 10] = [
    (0, "success"),
    (1, "reading stdin or writing stdout failed"),
    (
        2,
        "bad arguments: unknown option, bad --format, --domain, --metadata, ...",
    ),
    (3, "no error code has that number, name or reason"),
    (
        4,
        "decode found no grpc-status, a bad one, or conflicting values in its input",
    ),
    (5, "grpc-status-details-bin is not base64"),
    (
        6,
        "the details are not a google.rpc.Status or hold a broken detail",
    ),
    (
        7,
        "the chat error contradicts itself or its status: code vs reason, name, non-canonical code, gRPC code, message, repeated detail, ...",
    ),
    (8, "the chat error belongs to another domain than --domain"),
    (9, "the status carries no chat error (no ErrorInfo at all)"),
];

fn exit_code_section() -> String {
    let mut section = String::from("Exit codes:\n");
    for (code, meaning) in EXIT_CODES {
        section.push_str(&format!("  {code}  {meaning}\n"));
    }
    section
}

#[test]
fn every_help_has_examples_and_the_exit_codes() {
    for (args, usage) in [
        (&["--help"][..], "Usage: chat-errors <COMMAND>"),
        (&["list", "--help"], "Usage: chat-errors list [OPTIONS]"),
        (
            &["explain", "--help"],
            "Usage: chat-errors explain [OPTIONS] <CODE>",
        ),
        (
            &["encode", "--help"],
            "Usage: chat-errors encode [OPTIONS] <CODE>",
        ),
        (
            &["decode", "--help"],
            "Usage: chat-errors decode [OPTIONS] [TRAILER]...",
        ),
    ] {
        let run = run(args);
        let help = run.success();
        assert!(help.contains(usage), "{args:?}: {help}");
        assert!(
            help.contains("\nExamples:\n  chat-errors "),
            "{args:?}: {help}"
        );
        assert!(help.ends_with(&exit_code_section()), "{args:?}: {help}");
    }
}

#[test]
fn subcommand_help_names_each_option() {
    for (subcommand, options) in [
        (
            "list",
            &[
                "--format <FORMAT>",
                "- table:    Aligned columns for a terminal",
                "- tsv:      Tab-separated values with a header line",
                "[default: table]",
            ][..],
        ),
        (
            "explain",
            &["<CODE>", "--domain <DOMAIN>", "[default: chat.errors.v1]"],
        ),
        (
            "encode",
            &[
                "--message <TEXT>",
                "--domain <DOMAIN>",
                "--metadata <KEY=VALUE>",
                "--retry-after <SECONDS>",
                "--field-violation <FIELD=DESCRIPTION>",
                "[possible values: text, json]",
            ],
        ),
        (
            "decode",
            &[
                "[TRAILER]...",
                "--domain <DOMAIN>",
                "retry_delay_ms",
                "grpcurl -v",
            ],
        ),
    ] {
        let run = run(&[subcommand, "--help"]);
        for option in options {
            assert!(run.success().contains(option), "{subcommand}: {option}");
        }
    }
}

#[test]
fn no_arguments_show_the_help_as_a_usage_error() {
    let run = run(&[]);
    assert_eq!(run.exit_code, 2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("Usage: chat-errors <COMMAND>"),
        "{}",
        run.stderr
    );
}

#[test]
fn version() {
    assert_eq!(
        run(&["--version"]).success(),
        format!("chat-errors {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn the_readme_documents_the_same_exit_codes() {
    let readme = include_str!("../../README.md");
    for (code, meaning) in EXIT_CODES {
        let row = format!("| {code} | {meaning} |");
        assert!(readme.contains(&row), "cli/README.md lacks {row:?}");
    }
}
