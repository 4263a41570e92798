//! The build's checks on the proto: a value that lacks an option or a
//! declared locale's description, or whose reason breaks AIP-193, must fail
//! the build with a message naming it; so must a malformed locale list.
//! These run the same code `build.rs` runs, on altered copies of the proto.

#[path = "../build/catalogue.rs"]
#[allow(dead_code)]
mod catalogue;

use std::fs;

const REAL_PROTO: &str = include_str!("../proto/chat/errors/v1/chat_errors.proto");

/// The real proto's header, options and GrpcCode enum, with the real
/// locales and `values` as the whole body of `enum ErrorCode`.
fn proto_with_values(values: &str) -> String {
    let locales: Vec<&str> = REAL_PROTO
        .lines()
        .filter(|line| line.trim_start().starts_with("option (locales)"))
        .collect();
    assert_eq!(locales.len(), 2, "the real proto declares ko-KR and en-US");
    proto_with_locales(&locales.join("\n"), values)
}

/// The real proto's header, options and GrpcCode enum, with `locales` (the
/// enum's option lines) and `values` as the whole body of `enum ErrorCode`.
fn proto_with_locales(locales: &str, values: &str) -> String {
    let head = REAL_PROTO
        .split("enum ErrorCode {")
        .next()
        .expect("the proto declares ErrorCode");
    format!("{head}enum ErrorCode {{\n{locales}\n  ERROR_CODE_UNSPECIFIED = 0;\n{values}\n}}\n")
}

fn value(name: &str, number: i32, options: &[&str]) -> String {
    format!("  {name} = {number} [{}];", options.join(", "))
}

const ALL_OPTIONS: [&str; 5] = [
    "(grpc_code) = GRPC_CODE_NOT_FOUND",
    "(retryable) = false",
    "(original_name) = \"ChannelNotFound\"",
    KOREAN_DESCRIPTION,
    ENGLISH_DESCRIPTION,
];
const KOREAN_DESCRIPTION: &str =
    "(description) = {locale: \"ko-KR\" text: \"존재하지 않는 채널입니다\"}";
const ENGLISH_DESCRIPTION: &str =
    "(description) = {locale: \"en-US\" text: \"The channel does not exist.\"}";
/// The options that are not descriptions.
const SINGLE_OPTIONS: usize = 3;

/// Runs the build's generator on `proto` in a scratch directory and
/// returns what it generated: `error_code.rs`, then `locales.rs`.
fn generate(test_name: &str, proto: &str) -> Result<String, String> {
    let root = std::env::temp_dir().join(format!(
        "chat-errors-build-test-{}-{test_name}",
        std::process::id()
    ));
    let proto_dir = root.join("proto/chat/errors/v1");
    let out_dir = root.join("out");
    fs::create_dir_all(&proto_dir).unwrap();
    fs::create_dir_all(&out_dir).unwrap();
    fs::write(proto_dir.join("chat_errors.proto"), proto).unwrap();
    let result = catalogue::generate(&root.join("proto"), &out_dir).map(|()| {
        fs::read_to_string(out_dir.join("error_code.rs")).unwrap()
            + &fs::read_to_string(out_dir.join("locales.rs")).unwrap()
    });
    fs::remove_dir_all(&root).unwrap();
    result
}

#[test]
fn the_real_proto_generates_every_code() {
    let generated = generate("real", REAL_PROTO).expect("the real proto builds");
    assert!(generated.contains("    ChannelNotFound = 2003,"));
    assert!(generated.contains("pub(crate) static ENTRIES: [Entry; 57]"));
}

#[test]
fn a_complete_value_builds() {
    let proto = proto_with_values(&value("ERROR_CODE_CHANNEL_NOT_FOUND", 2003, &ALL_OPTIONS));
    let generated = generate("complete", &proto).expect("a complete value builds");
    assert!(generated.contains("ChannelNotFound = 2003"));
    assert!(generated.contains("grpc_code: tonic::Code::NotFound"));
}

#[test]
fn each_missing_option_fails_the_build_naming_it() {
    for (index, option) in ALL_OPTIONS[..SINGLE_OPTIONS].iter().enumerate() {
        let mut options = ALL_OPTIONS.to_vec();
        options.remove(index);
        let proto = proto_with_values(&value("ERROR_CODE_CHANNEL_NOT_FOUND", 2003, &options));
        let name = option.split(')').next().unwrap().trim_start_matches('(');
        let error = generate(&format!("missing-{name}"), &proto).unwrap_err();
        assert_eq!(
            error,
            format!("ERROR_CODE_CHANNEL_NOT_FOUND: the ({name}) option is missing")
        );
    }
}

#[test]
fn a_value_with_no_options_fails_the_build() {
    let proto = proto_with_values("  ERROR_CODE_CHANNEL_NOT_FOUND = 2003;");
    let error = generate("no-options", &proto).unwrap_err();
    assert!(error.contains("option is missing"), "{error}");
}

#[test]
fn a_misspelt_grpc_code_fails_the_build() {
    let mut options = ALL_OPTIONS.to_vec();
    options[0] = "(grpc_code) = GRPC_CODE_NOT_FUOND";
    let proto = proto_with_values(&value("ERROR_CODE_CHANNEL_NOT_FOUND", 2003, &options));
    let error = generate("typo", &proto).unwrap_err();
    assert!(error.contains("GRPC_CODE_NOT_FUOND"), "{error}");
}

#[test]
fn an_unspecified_grpc_code_fails_the_build() {
    let mut options = ALL_OPTIONS.to_vec();
    options[0] = "(grpc_code) = GRPC_CODE_UNSPECIFIED";
    let proto = proto_with_values(&value("ERROR_CODE_CHANNEL_NOT_FOUND", 2003, &options));
    let error = generate("unspecified", &proto).unwrap_err();
    assert_eq!(
        error,
        "ERROR_CODE_CHANNEL_NOT_FOUND: (grpc_code) 0 is not an error status code"
    );
}

#[test]
fn empty_or_multiline_text_fails_the_build() {
    for (label, text) in [("empty", "   "), ("newline", "line one\\nline two")] {
        let mut options = ALL_OPTIONS.to_vec();
        let replaced = format!("(description) = {{locale: \"en-US\" text: \"{text}\"}}");
        options[4] = &replaced;
        let proto = proto_with_values(&value("ERROR_CODE_CHANNEL_NOT_FOUND", 2003, &options));
        let error = generate(&format!("text-{label}"), &proto).unwrap_err();
        assert!(
            error.starts_with("ERROR_CODE_CHANNEL_NOT_FOUND: the (description) for locale en-US"),
            "{error}"
        );
    }
    let mut options = ALL_OPTIONS.to_vec();
    options[2] = "(original_name) = \"\"";
    let proto = proto_with_values(&value("ERROR_CODE_CHANNEL_NOT_FOUND", 2003, &options));
    let error = generate("text-name", &proto).unwrap_err();
    assert_eq!(
        error,
        "ERROR_CODE_CHANNEL_NOT_FOUND: the (original_name) option is empty"
    );
}

#[test]
fn a_value_lacking_a_declared_locale_fails_the_build_naming_both() {
    for (missing, present) in [
        ("ko-KR", ENGLISH_DESCRIPTION),
        ("en-US", KOREAN_DESCRIPTION),
    ] {
        let mut options = ALL_OPTIONS[..SINGLE_OPTIONS].to_vec();
        options.push(present);
        let values = [
            value("ERROR_CODE_CHANNEL_NOT_FOUND", 2003, &ALL_OPTIONS),
            value("ERROR_CODE_USER_NOT_FOUND", 3003, &options),
        ]
        .join("\n");
        let error = generate(&format!("lacks-{missing}"), &proto_with_values(&values)).unwrap_err();
        assert_eq!(
            error,
            format!("ERROR_CODE_USER_NOT_FOUND: no (description) for locale {missing}")
        );
    }
}

#[test]
fn adding_a_locale_is_a_change_to_the_proto_alone() {
    let locales = "  option (locales) = \"ko-KR\";\n  option (locales) = \"en-US\";\n  option (locales) = \"ja-JP\";";
    let japanese = "(description) = {locale: \"ja-JP\" text: \"チャンネルが存在しません\"}";
    let mut options = ALL_OPTIONS.to_vec();
    options.push(japanese);
    let proto = proto_with_locales(
        locales,
        &value("ERROR_CODE_CHANNEL_NOT_FOUND", 2003, &options),
    );
    let generated = generate("ja-JP", &proto).expect("three locales build");
    assert!(
        generated.contains("pub const JA_JP: Locale = Locale(2);"),
        "{generated}"
    );
    assert!(
        generated.contains("チャンネルが存在しません"),
        "{generated}"
    );

    // Declared but forgotten on a value: the build names the value.
    let error = generate(
        "ja-JP-missing",
        &proto_with_locales(
            locales,
            &value("ERROR_CODE_CHANNEL_NOT_FOUND", 2003, &ALL_OPTIONS),
        ),
    )
    .unwrap_err();
    assert_eq!(
        error,
        "ERROR_CODE_CHANNEL_NOT_FOUND: no (description) for locale ja-JP"
    );
}

#[test]
fn a_description_in_an_undeclared_or_repeated_locale_fails_the_build() {
    let mut undeclared = ALL_OPTIONS.to_vec();
    undeclared.push("(description) = {locale: \"fr-FR\" text: \"Le canal n'existe pas.\"}");
    let error = generate(
        "undeclared",
        &proto_with_values(&value("ERROR_CODE_CHANNEL_NOT_FOUND", 2003, &undeclared)),
    )
    .unwrap_err();
    assert!(
        error.starts_with(
            "ERROR_CODE_CHANNEL_NOT_FOUND: a (description) has locale \"fr-FR\", which (locales) does not declare"
        ),
        "{error}"
    );

    let mut repeated = ALL_OPTIONS.to_vec();
    repeated.push(KOREAN_DESCRIPTION);
    let error = generate(
        "repeated",
        &proto_with_values(&value("ERROR_CODE_CHANNEL_NOT_FOUND", 2003, &repeated)),
    )
    .unwrap_err();
    assert_eq!(
        error,
        "ERROR_CODE_CHANNEL_NOT_FOUND: two (description) options for locale ko-KR"
    );
}

#[test]
fn a_malformed_locale_list_fails_the_build() {
    let one_value = value("ERROR_CODE_CHANNEL_NOT_FOUND", 2003, &ALL_OPTIONS);
    for (label, locales, expected) in [
        ("none", "", "the (locales) option is missing"),
        (
            "no-english",
            "  option (locales) = \"ko-KR\";",
            "(locales) must declare \"en-US\"",
        ),
        (
            "twice",
            "  option (locales) = \"ko-KR\";\n  option (locales) = \"en-US\";\n  option (locales) = \"EN-us\";",
            "(locales) declares \"EN-us\" twice",
        ),
        (
            "not-a-tag",
            "  option (locales) = \"en-US\";\n  option (locales) = \"ko_KR\";",
            "(locales) entry \"ko_KR\" is not a language tag",
        ),
    ] {
        let error = generate(
            &format!("locales-{label}"),
            &proto_with_locales(locales, &one_value),
        )
        .unwrap_err();
        assert!(
            error.starts_with(&format!("chat.errors.v1.ErrorCode: {expected}")),
            "{label}: {error}"
        );
    }
}

#[test]
fn reasons_that_break_aip_193_fail_the_build() {
    let too_long = format!("ERROR_CODE_{}", "A".repeat(64));
    let longest = format!("ERROR_CODE_{}", "A".repeat(63));
    for (case, (name, ok)) in [
        ("ERROR_CODE_CHANNEL_NOT_FOUND_", false),
        ("ERROR_CODE__CHANNEL", false),
        ("ERROR_CODE_9LIVES", false),
        ("ERROR_CODE_AB", false),
        (too_long.as_str(), false),
        (longest.as_str(), true),
        ("ERROR_CODE_ABC", true),
        ("CHANNEL_NOT_FOUND", false),
    ]
    .into_iter()
    .enumerate()
    {
        let proto = proto_with_values(&value(name, 2003, &ALL_OPTIONS));
        let result = generate(&format!("reason-{case}"), &proto);
        assert_eq!(result.is_ok(), ok, "{name}: {result:?}");
        if let Err(error) = result {
            assert!(error.starts_with(&format!("{name}: ")), "{error}");
            assert!(
                error.contains("AIP-193") || error.contains("does not start with ERROR_CODE_"),
                "{error}"
            );
        }
    }
}

#[test]
fn two_values_with_one_number_fail_the_build_naming_both() {
    let values = [
        value("ERROR_CODE_CHANNEL_NOT_FOUND", 2003, &ALL_OPTIONS),
        value("ERROR_CODE_CHANNEL_GONE", 2003, &ALL_OPTIONS),
    ]
    .join("\n");
    // Without allow_alias the proto compiler refuses; with it, the build does.
    let error = generate("duplicate-number", &proto_with_values(&values)).unwrap_err();
    assert!(
        error.contains("enum number '2003' has already been used"),
        "{error}"
    );

    let aliased = format!("  option allow_alias = true;\n{values}");
    let error = generate("duplicate-number-alias", &proto_with_values(&aliased)).unwrap_err();
    assert!(error.ends_with(" share the number 2003"), "{error}");
    assert!(error.contains("ERROR_CODE_CHANNEL_NOT_FOUND"), "{error}");
    assert!(error.contains("ERROR_CODE_CHANNEL_GONE"), "{error}");
}

#[test]
fn reasons_that_become_one_variant_fail_the_build_naming_both() {
    let values = [
        value("ERROR_CODE_CHANNEL_1", 2003, &ALL_OPTIONS),
        value("ERROR_CODE_CHANNEL1", 2004, &ALL_OPTIONS),
    ]
    .join("\n");
    let error = generate("variant-collision", &proto_with_values(&values)).unwrap_err();
    assert!(
        error.ends_with(" both become the Rust variant ErrorCode::Channel1"),
        "{error}"
    );
    assert!(error.contains("ERROR_CODE_CHANNEL1 "), "{error}");
    assert!(error.contains("ERROR_CODE_CHANNEL_1 "), "{error}");
}

#[test]
fn a_reason_that_becomes_a_keyword_fails_the_build() {
    let proto = proto_with_values(&value("ERROR_CODE_SELF", 2003, &ALL_OPTIONS));
    let error = generate("keyword", &proto).unwrap_err();
    assert!(error.starts_with("ERROR_CODE_SELF: "), "{error}");
    assert!(error.contains("keyword"), "{error}");
}

#[test]
fn the_grpc_code_of_each_value_comes_from_the_proto_enum() {
    let mut options = ALL_OPTIONS.to_vec();
    options[0] = "(grpc_code) = GRPC_CODE_RESOURCE_EXHAUSTED";
    let proto = proto_with_values(&value("ERROR_CODE_CHANNEL_NOT_FOUND", 2003, &options));
    let generated = generate("grpc-code-name", &proto).unwrap();
    assert!(generated.contains("grpc_code: tonic::Code::ResourceExhausted"));
    assert!(generated.contains("gRPC `RESOURCE_EXHAUSTED`"));
}

#[test]
fn a_grpc_code_value_outside_google_rpc_code_fails_the_build() {
    let proto = proto_with_values(&value(
        "ERROR_CODE_CHANNEL_NOT_FOUND",
        2003,
        &[
            "(grpc_code) = GRPC_CODE_TEAPOT",
            ALL_OPTIONS[1],
            ALL_OPTIONS[2],
            ALL_OPTIONS[3],
            ALL_OPTIONS[4],
        ],
    ))
    .replace(
        "  GRPC_CODE_UNAUTHENTICATED = 16;",
        "  GRPC_CODE_UNAUTHENTICATED = 16;\n  GRPC_CODE_TEAPOT = 17;",
    );
    let error = generate("grpc-code-17", &proto).unwrap_err();
    assert_eq!(
        error,
        "ERROR_CODE_CHANNEL_NOT_FOUND: (grpc_code) 17 is not an error status code"
    );
}
