use crate::support::{field, run, run_with_stdin};

#[test]
fn shows_the_catalogue_entry() {
    let run = run(&["explain", "2003"]);
    let text = run.success();
    assert_eq!(
        text.lines().next(),
        Some("2003 ChannelNotFound: The channel does not exist.")
    );
    for (label, value) in [
        ("code", "2003"),
        ("name", "ChannelNotFound"),
        ("reason", "CHANNEL_NOT_FOUND"),
        ("proto_value", "ERROR_CODE_CHANNEL_NOT_FOUND"),
        ("grpc_code", "5 NOT_FOUND"),
        ("http_status", "404 Not Found"),
        (
            "retryable",
            "no: retrying the same request fails the same way",
        ),
        ("description (en-US)", "The channel does not exist."),
        ("description (ko-KR)", "존재하지 않는 채널입니다"),
    ] {
        assert_eq!(field(text, label), Some(value), "{label}");
    }
    assert!(text.contains("  raise: Err(ErrorCode::ChannelNotFound.into())\n"));
    assert!(text.contains(
        "  check: status.chat_error_code(&domain) == Some(ErrorCode::ChannelNotFound)\n"
    ));
}

#[test]
fn shows_the_exact_trailers_and_what_a_client_reads_back() {
    let run = run(&["explain", "CHANNEL_NOT_FOUND"]);
    let text = run.success();
    let trailers_at = text
        .find("Trailers a server sends (chat-errors encode 2003):\n")
        .expect("a trailers section");
    let trailers: Vec<&str> = text[trailers_at..].lines().skip(1).take(3).collect();
    assert_eq!(trailers[0], "  grpc-status: 5");
    assert_eq!(
        trailers[1],
        "  grpc-message: The%20channel%20does%20not%20exist."
    );
    assert!(
        trailers[2].starts_with("  grpc-status-details-bin: CAUS"),
        "{}",
        trailers[2]
    );

    // The example trailers are real: they decode to the same error.
    let decoded = run_with_stdin(&["decode"], &trailers.join("\n"));
    assert_eq!(
        field(decoded.success(), "reason"),
        Some("CHANNEL_NOT_FOUND")
    );

    let client_at = text
        .find("What a client reads from them (chat-errors decode):\n")
        .expect("a decoded section");
    let client = &text[client_at..];
    assert_eq!(field(client, "domain"), Some("chat.errors.v1"));
    assert_eq!(
        field(client, "localized_message[ko-KR]"),
        Some("존재하지 않는 채널입니다")
    );
    assert_eq!(field(client, "metadata[code]"), Some("2003"));
    assert_eq!(field(client, "metadata[message]"), Some("ChannelNotFound"));
}

#[test]
fn number_name_and_reason_explain_the_same_code() {
    let by_number = run(&["explain", "2027"]);
    for name in ["MutedInChannel", "MUTED_IN_CHANNEL", "2027 MutedInChannel"] {
        let by_name = run(&["explain", name]);
        let strip_details = |text: &str| -> String {
            text.lines()
                .filter(|line| !line.contains("grpc-status-details-bin"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(
            strip_details(by_name.success()),
            strip_details(by_number.success()),
            "{name}"
        );
    }
}

#[test]
fn a_shared_name_means_the_lowest_code_and_lists_the_others() {
    let run = run(&["explain", "InternalServerError"]);
    let text = run.success();
    assert_eq!(field(text, "code"), Some("1003"));
    assert_eq!(
        field(text, "retryable"),
        Some("yes: a client may retry the same request unchanged")
    );
    assert_eq!(
        field(text, "same_name_as"),
        Some("1004, 1005, 3000 (name them by number or reason)")
    );
    assert_eq!(
        field(run_ok(&["explain", "2003"]).as_str(), "same_name_as"),
        None
    );
}

fn run_ok(args: &[&str]) -> String {
    run(args).success().to_owned()
}

#[test]
fn another_domain_shows_in_the_example_and_the_decoded_error() {
    let run = run(&["explain", "2003", "--domain", "chat.example.com"]);
    let text = run.success();
    assert!(text.contains(
        "Trailers a server sends (chat-errors encode 2003 --domain chat.example.com):\n"
    ));
    assert_eq!(field(text, "domain"), Some("chat.example.com"));
}
