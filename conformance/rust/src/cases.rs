//! The named cases of the corpus, by group.

use serde_json::{Value, json};

use crate::catalogue::{Row, rows};
use crate::pbtree::{self, Field, Val, encode, field, text};
use crate::statuses::*;

/// Inputs by group, each with a name unique in its group.
#[derive(Default)]
pub struct Cases {
    pub groups: Vec<(String, Vec<(String, Value)>)>,
}

impl Cases {
    pub fn add(&mut self, group: &str, name: impl Into<String>, input: Value) {
        if self.groups.last().is_none_or(|(last, _)| last != group) {
            self.groups.push((group.to_owned(), Vec::new()));
        }
        let entries = &mut self.groups.last_mut().expect("a group").1;
        entries.push((name.into(), input));
    }
}

/// Text that is not UTF-8, each of a different way.
pub const NOT_UTF8: [(&str, &[u8]); 6] = [
    ("ff", &[b'a', 0xff, b'b']),
    ("lone-continuation", &[0x80]),
    ("truncated-3-byte", &[b'x', 0xe2, 0x82]),
    ("overlong-nul", &[0xc0, 0x80]),
    ("surrogate", &[0xed, 0xa0, 0x80]),
    ("past-u10ffff", &[0xf4, 0x90, 0x80, 0x80, b'z']),
];

pub fn all() -> Cases {
    let rows = rows();
    let mut cases = Cases::default();
    codes(&rows, &mut cases);
    breaches(&rows, &mut cases);
    header_cases(&rows, &mut cases);
    wire_types(&rows, &mut cases);
    not_utf8(&rows, &mut cases);
    utf8_text(&rows, &mut cases);
    repeated(&rows, &mut cases);
    unknown_details(&rows, &mut cases);
    truncation(&rows, &mut cases);
    http(&rows, &mut cases);
    negotiate(&mut cases);
    encode_cases(&rows, &mut cases);
    cases
}

fn row(rows: &[Row], code: i32) -> &Row {
    rows.iter()
        .find(|r| r.code == code)
        .expect("a fixture code")
}

fn codes(rows: &[Row], cases: &mut Cases) {
    const OTHER: &str = "billing.example.com";
    for r in rows {
        let c = r.code;
        cases.add(
            "codes",
            format!("{c}-contract"),
            grpc_status_input(&contract(r, DOMAIN)),
        );
        let english = status(
            r.grpc_code,
            &r.description_en,
            vec![
                row_error_info(r, DOMAIN),
                detail(LOCALIZED_MESSAGE, localized("en-US", &r.description_en)),
            ],
        );
        cases.add("codes", format!("{c}-en-us"), grpc_status_input(&english));
        cases.add("codes", format!("{c}-full"), grpc_status_input(&full(r)));
        let elsewhere = contract(r, OTHER);
        cases.add(
            "codes",
            format!("{c}-other-domain-asked"),
            with_domain(grpc_status_input(&elsewhere), OTHER),
        );
        cases.add(
            "codes",
            format!("{c}-other-domain-unasked"),
            grpc_status_input(&elsewhere),
        );
        let reason_only = status(
            r.grpc_code,
            &r.description_en,
            vec![detail(ERROR_INFO, error_info(&r.reason, DOMAIN, &[]))],
        );
        cases.add(
            "codes",
            format!("{c}-reason-only"),
            grpc_status_input(&reason_only),
        );
    }
}

/// `row`'s contract status with its ErrorInfo metadata replaced.
fn with_metadata(r: &Row, metadata: &[(&str, &str)]) -> Vec<Field> {
    status(
        r.grpc_code,
        &r.description_en,
        vec![detail(ERROR_INFO, error_info(&r.reason, DOMAIN, metadata))],
    )
}

fn breaches(rows: &[Row], cases: &mut Cases) {
    let g = "breaches";
    let r = row(rows, 2003);
    let other = row(rows, 2027);
    let name = r.name.as_str();
    let tree = contract(r, DOMAIN);
    let details = encode(&tree);

    cases.add(
        g,
        "code-mismatch",
        grpc_bytes_input(3, &r.description_en, &details),
    );
    cases.add(
        g,
        "code-mismatch-header-ok",
        grpc_bytes_input(0, &r.description_en, &details),
    );
    cases.add(
        g,
        "message-mismatch",
        grpc_bytes_input(r.grpc_code, "another message", &details),
    );
    cases.add(
        g,
        "message-mismatch-header-empty",
        grpc_input(headers(Some("5"), None, Some(&base64_unpadded(&details)))),
    );
    for (label, value) in [
        ("letters", "abc"),
        ("empty", ""),
        ("trailing-letter", "2003x"),
        ("past-i32", "99999999999"),
        ("i32-max-plus-one", "2147483648"),
        ("decimal-point", "2003.0"),
        ("hex", "0x7d3"),
        ("fullwidth-digits", "２００３"),
    ] {
        cases.add(
            g,
            format!("code-metadata-{label}"),
            grpc_status_input(&with_metadata(r, &[("code", value), ("message", name)])),
        );
    }
    for (label, value) in [
        ("leading-zero", "02003"),
        ("plus", "+2003"),
        ("leading-space", " 2003"),
        ("trailing-space", "2003 "),
        ("minus-zero", "-0"),
        ("negative", "-2003"),
        ("zero-padded-zero", "00"),
        ("tab", "\t2003"),
    ] {
        cases.add(
            g,
            format!("code-metadata-{label}"),
            grpc_status_input(&with_metadata(r, &[("code", value), ("message", name)])),
        );
    }
    // Lenient reading takes metadata `code` as Rust's `str::parse::<i32>`
    // reads it and otherwise falls back to the reason; the reason here is
    // another code's, so every runner shows which way it read each text.
    for (label, value) in [
        ("arabic-indic-digits", "٢٠٢٧"),
        ("fullwidth-digits", "２０２７"),
        ("leading-space", " 2027"),
        ("trailing-space", "2027 "),
        ("plus", "+2027"),
        ("underscore", "2_027"),
        ("leading-zero", "02027"),
        ("negative", "-2027"),
        ("decimal-point", "2027.0"),
        ("exponent", "2.027e3"),
        ("i32-min", "-2147483648"),
        ("past-i32", "2147483648"),
        ("trailing-newline", "2027\n"),
    ] {
        cases.add(
            g,
            format!("lenient-code-{label}"),
            grpc_status_input(&with_metadata(
                r,
                &[("code", value), ("message", "MutedInChannel")],
            )),
        );
    }
    let other_code = other.code.to_string();
    cases.add(
        g,
        "code-reason-mismatch-both-known",
        grpc_status_input(&with_metadata(
            r,
            &[("code", &other_code), ("message", name)],
        )),
    );
    cases.add(
        g,
        "code-reason-mismatch-code-unknown",
        grpc_status_input(&with_metadata(r, &[("code", "9999"), ("message", name)])),
    );
    let unknown_reason = status(
        r.grpc_code,
        &r.description_en,
        vec![detail(
            ERROR_INFO,
            error_info("NO_SUCH_REASON", DOMAIN, &[("code", "2003")]),
        )],
    );
    cases.add(
        g,
        "code-reason-mismatch-reason-unknown",
        grpc_status_input(&unknown_reason),
    );
    let newer = status(
        9,
        "from a newer catalogue",
        vec![detail(
            ERROR_INFO,
            error_info(
                "BRAND_NEW_ERROR",
                DOMAIN,
                &[("code", "9999"), ("message", "BrandNewError")],
            ),
        )],
    );
    cases.add(g, "newer-catalogue-code-kept", grpc_status_input(&newer));
    let newer_no_code = status(
        9,
        "",
        vec![detail(
            ERROR_INFO,
            error_info("BRAND_NEW_ERROR", DOMAIN, &[]),
        )],
    );
    cases.add(
        g,
        "newer-catalogue-reason-only",
        grpc_status_input(&newer_no_code),
    );
    cases.add(
        g,
        "name-mismatch",
        grpc_status_input(&with_metadata(
            r,
            &[("code", "2003"), ("message", "ChannelMissing")],
        )),
    );
    cases.add(
        g,
        "name-mismatch-case",
        grpc_status_input(&with_metadata(
            r,
            &[("code", "2003"), ("message", "channelnotfound")],
        )),
    );
    cases.add(
        g,
        "name-absent",
        grpc_status_input(&with_metadata(r, &[("code", "2003")])),
    );
    cases.add(
        g,
        "grpc-code-mismatch",
        grpc_bytes_input(
            13,
            &r.description_en,
            &encode(&status(13, &r.description_en, tree[2..].to_vec())),
        ),
    );
    cases.add(
        g,
        "grpc-code-mismatch-and-name",
        grpc_status_input(&status(
            13,
            "x",
            vec![detail(
                ERROR_INFO,
                error_info(&r.reason, DOMAIN, &[("code", "2003"), ("message", "Wrong")]),
            )],
        )),
    );
    for (label, seconds, nanos) in [
        ("negative-seconds", -1i64, 0i32),
        ("negative-nanos", 0, -5),
        ("nanos-a-second", 0, 1_000_000_000),
        ("mixed-signs", 1, -1),
        ("past-max-seconds", 315_576_000_001, 0),
        ("max-seconds", 315_576_000_000, 0),
        ("zero", 0, 0),
        ("one-nano", 0, 1),
        // Normalising saturates at the ends of i64; prost-types' conversion
        // then negated i64::MIN (a panic with overflow checks on).
        ("i64-min-seconds", i64::MIN, 0),
        ("i64-min-seconds-minus-a-second", i64::MIN, -1_000_000_000),
        ("i64-min-seconds-plus-nanos", i64::MIN, 5),
        ("i64-max-seconds-plus-a-second", i64::MAX, 1_000_000_000),
        ("i64-max-seconds-minus-a-nano", i64::MAX, -1),
        ("minus-one-second-plus-a-second", -1, 1_000_000_000),
        ("one-second-minus-two-seconds", 1, -2_000_000_000),
        ("i32-min-nanos", 0, i32::MIN),
        ("i32-max-nanos", 0, i32::MAX),
    ] {
        let mut t = contract(r, DOMAIN);
        t.push(detail(RETRY_INFO, retry_info(seconds, nanos)));
        cases.add(g, format!("retry-delay-{label}"), grpc_status_input(&t));
    }
    for type_name in [
        ERROR_INFO,
        LOCALIZED_MESSAGE,
        RETRY_INFO,
        BAD_REQUEST,
        RESOURCE_INFO,
        REQUEST_INFO,
    ] {
        let mut t = full(r);
        let index = t.iter().position(|f| {
            matches!(&f.val, Val::Msg(any) if any[0].val == Val::Str(format!("{TYPE_PREFIX}{type_name}").into_bytes()))
        }).expect("full has every detail");
        let copy = t[index].clone();
        t.push(copy.clone());
        cases.add(g, format!("twice-{type_name}"), grpc_status_input(&t));
        let mut broken = full(r);
        broken[index] = detail(type_name, vec![field(1, Val::Raw(vec![0x0a, 0x05, b'a']))]);
        cases.add(
            g,
            format!("malformed-{type_name}"),
            grpc_status_input(&broken),
        );
        let mut adjacent = full(r);
        adjacent.insert(index, copy);
        cases.add(
            g,
            format!("twice-adjacent-{type_name}"),
            grpc_status_input(&adjacent),
        );
    }
    let mut two_domains = contract(r, DOMAIN);
    two_domains.insert(2, row_error_info(other, "billing.example.com"));
    cases.add(
        g,
        "error-info-of-another-domain-first",
        grpc_status_input(&two_domains),
    );
    let mut bad_other = contract(r, DOMAIN);
    bad_other.push(detail(
        ERROR_INFO,
        vec![
            text(1, "X"),
            text(2, "billing.example.com"),
            field(1, Val::Str(vec![0xff])),
        ],
    ));
    cases.add(
        g,
        "error-info-of-another-domain-not-utf8",
        grpc_status_input(&bad_other),
    );
    cases.add(
        g,
        "status-garbage",
        grpc_bytes_input(13, "x", &[0xff, 0xff]),
    );
    cases.add(g, "status-empty-details", grpc_bytes_input(5, "x", &[]));
    cases.add(
        g,
        "status-without-details",
        grpc_input(headers(Some("5"), Some("plain"), None)),
    );
    cases.add(
        g,
        "status-ok-plain",
        grpc_input(headers(Some("0"), None, None)),
    );
    cases.add(
        g,
        "detail-not-any",
        grpc_status_input(&status(
            5,
            "x",
            vec![field(3, Val::Str(vec![0x08, 0x01, 0xff]))],
        )),
    );
    cases.add(
        g,
        "details-as-varint",
        grpc_status_input(&[contract(r, DOMAIN), vec![field(3, Val::Varint(7))]].concat()),
    );
    cases.add(
        g,
        "error-info-reason-fixed32",
        grpc_status_input(&status(
            r.grpc_code,
            &r.description_en,
            vec![detail(
                ERROR_INFO,
                vec![
                    field(1, Val::Fixed32(7)),
                    text(2, DOMAIN),
                    field(3, Val::Msg(vec![text(1, "code"), text(2, "2003")])),
                ],
            )],
        )),
    );
    cases.add(
        g,
        "no-error-info",
        grpc_status_input(&status(
            5,
            "x",
            vec![detail(LOCALIZED_MESSAGE, localized("ko-KR", "x"))],
        )),
    );
    let mut metadata_twice = with_metadata(
        r,
        &[
            ("code", "2027"),
            ("message", "MutedInChannel"),
            ("code", "2003"),
            ("message", name),
        ],
    );
    cases.add(
        g,
        "metadata-key-twice-last-wins",
        grpc_status_input(&metadata_twice),
    );
    metadata_twice = with_metadata(r, &[("code", "2003"), ("message", name), ("code", "abc")]);
    cases.add(
        g,
        "metadata-key-twice-last-bad",
        grpc_status_input(&metadata_twice),
    );
}

fn header_cases(rows: &[Row], cases: &mut Cases) {
    let g = "headers";
    let r = row(rows, 2003);
    let details = encode(&contract(r, DOMAIN));
    let b64 = base64_unpadded(&details);
    let message = percent_encode(&r.description_en);
    for status in [
        "5", "0", "16", "17", "05", "+5", " 5", "5 ", "-1", "", "abc", "99", "2",
    ] {
        cases.add(
            g,
            format!("grpc-status-{status:?}"),
            grpc_input(headers(Some(status), Some(&message), Some(&b64))),
        );
    }
    cases.add(
        g,
        "no-grpc-status",
        grpc_input(headers(None, Some(&message), Some(&b64))),
    );
    cases.add(g, "nothing", grpc_input(json!({})));
    cases.add(
        g,
        "no-message",
        grpc_input(headers(Some("5"), None, Some(&b64))),
    );
    cases.add(
        g,
        "no-details",
        grpc_input(headers(Some("5"), Some(&message), None)),
    );
    let padded = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &details);
    cases.add(
        g,
        "details-padded",
        grpc_input(headers(Some("5"), Some(&message), Some(&padded))),
    );
    let url_safe = b64.replace('+', "-").replace('/', "_");
    cases.add(
        g,
        "details-url-safe-alphabet",
        grpc_input(headers(Some("5"), Some(&message), Some(&url_safe))),
    );
    for (label, bad) in [
        ("space-inside", format!("{} {}", &b64[..8], &b64[8..])),
        ("star", format!("{b64}*")),
        ("one-extra-char", format!("{b64}A")),
        ("wrong-padding", format!("{b64}=")),
        ("trailing-bits", "QR".to_owned()),
        ("trailing-bits-padded", "QR==".to_owned()),
        ("only-padding", "====".to_owned()),
        ("empty", String::new()),
        ("single-char", "Q".to_owned()),
        ("padding-inside", format!("{}=={}", &b64[..6], &b64[6..])),
    ] {
        cases.add(
            g,
            format!("details-{label}"),
            grpc_input(headers(Some("5"), Some(&message), Some(&bad))),
        );
    }
    for (label, m) in [
        ("lowercase-hex", "The%20channel%20does%20not%20exist."),
        ("mixed-case-hex", "The%2fchannel%2Fdoes not exist."),
        ("bad-escape", "100%zz done"),
        ("lone-percent", "100%"),
        ("percent-one-digit", "50%4"),
        ("raw-unescaped", "The channel does not exist."),
        ("encoded-utf8", "%EC%A1%B4%EC%9E%AC"),
        ("encoded-not-utf8", "bad %FF byte"),
        ("encoded-truncated-utf8", "cut %EC%A1"),
        ("encoded-nul", "nul %00 here"),
        ("encoded-newline", "line%0Abreak"),
    ] {
        cases.add(
            g,
            format!("message-{label}"),
            grpc_input(headers(Some("5"), Some(m), Some(&b64))),
        );
        let decoded = percent_encoding::percent_decode_str(m)
            .decode_utf8_lossy()
            .into_owned();
        let agreeing = status(r.grpc_code, &decoded, contract(r, DOMAIN)[2..].to_vec());
        cases.add(
            g,
            format!("message-{label}-in-details-too"),
            grpc_input(headers(
                Some("5"),
                Some(m),
                Some(&base64_unpadded(&encode(&agreeing))),
            )),
        );
    }
    cases.add(
        g,
        "bad-status-and-bad-base64",
        grpc_input(headers(Some("x"), Some(&message), Some("*"))),
    );
    cases.add(
        g,
        "bad-base64-and-bad-message",
        grpc_input(headers(Some("5"), Some("%FF"), Some("*"))),
    );
    cases.add(
        g,
        "bad-status-and-bad-message",
        grpc_input(headers(Some("x"), Some("%FF"), Some(&b64))),
    );
}

/// One value of each wire type, for a field whose own type is another.
fn wire_type_values() -> Vec<(&'static str, Val)> {
    vec![
        ("varint", Val::Varint(1)),
        ("fixed64", Val::Fixed64(0x0102_0304_0506_0708)),
        ("length-delimited", Val::Str(b"x".to_vec())),
        ("group", Val::Group(vec![field(1, Val::Varint(1))])),
        ("fixed32", Val::Fixed32(7)),
    ]
}

fn wire_type_of(val: &Val) -> &'static str {
    match val {
        Val::Varint(_) => "varint",
        Val::Fixed64(_) => "fixed64",
        Val::Str(_) | Val::Msg(_) => "length-delimited",
        Val::Group(_) => "group",
        Val::Fixed32(_) => "fixed32",
        Val::Raw(_) => "raw",
    }
}

fn wire_types(rows: &[Row], cases: &mut Cases) {
    let g = "wire-types";
    let base = full(row(rows, 2003));
    for path in pbtree::paths(&base) {
        let place = pbtree::describe(&base, &path);
        let own = wire_type_of(&pbtree::get(&base, &path).val);
        for (label, value) in wire_type_values() {
            if label == own {
                continue;
            }
            let mut t = base.clone();
            let (parent, index) = pbtree::parent_of(&mut t, &path);
            parent[index].val = value;
            cases.add(g, format!("{place}-as-{label}"), grpc_status_input(&t));
        }
    }
    for path in pbtree::message_paths(&base) {
        let place = if path.is_empty() {
            "status".to_owned()
        } else {
            pbtree::describe(&base, &path)
        };
        let invalid: [(&str, Vec<u8>); 5] = [
            ("wire-type-6", vec![0x0e, 1]),
            ("wire-type-7", vec![0x0f, 1]),
            ("stray-end-group", vec![0x0c]),
            ("field-zero", vec![0x00, 1]),
            ("field-2-pow-29", vec![0x80, 0x80, 0x80, 0x80, 0x10, 1]),
        ];
        for (label, raw) in invalid {
            let mut t = base.clone();
            pbtree::fields_at(&mut t, &path).push(field(0, Val::Raw(raw)));
            cases.add(g, format!("{place}-{label}"), grpc_status_input(&t));
        }
        for (label, value) in wire_type_values() {
            let mut t = base.clone();
            pbtree::fields_at(&mut t, &path).insert(0, field(99, value));
            cases.add(
                g,
                format!("{place}-unknown-field-99-{label}"),
                grpc_status_input(&t),
            );
        }
    }
}

fn not_utf8(rows: &[Row], cases: &mut Cases) {
    let g = "not-utf8";
    let base = full(row(rows, 2003));
    for path in pbtree::paths(&base) {
        if !matches!(pbtree::get(&base, &path).val, Val::Str(_)) {
            continue;
        }
        let place = pbtree::describe(&base, &path);
        for (label, bytes) in NOT_UTF8 {
            let mut t = base.clone();
            let (parent, at) = pbtree::parent_of(&mut t, &path);
            parent[at].val = Val::Str(bytes.to_vec());
            cases.add(g, format!("{place}-{label}"), grpc_status_input(&t));
        }
    }
}

/// Valid UTF-8 that a text decoder may still alter: a byte order mark,
/// which `String::from_utf8_lossy` and prost keep and WHATWG's default
/// `TextDecoder` strips.
fn utf8_text(rows: &[Row], cases: &mut Cases) {
    let g = "utf8-text";
    let base = full(row(rows, 2003));
    let texts: [(&str, &[u8]); 3] = [
        ("leading-bom", &[0xef, 0xbb, 0xbf, b'x']),
        ("only-bom", &[0xef, 0xbb, 0xbf]),
        ("bom-then-ff", &[0xef, 0xbb, 0xbf, 0xff]),
    ];
    for path in pbtree::paths(&base) {
        if !matches!(pbtree::get(&base, &path).val, Val::Str(_)) {
            continue;
        }
        let place = pbtree::describe(&base, &path);
        for (label, bytes) in texts {
            let mut t = base.clone();
            let (parent, at) = pbtree::parent_of(&mut t, &path);
            parent[at].val = Val::Str(bytes.to_vec());
            cases.add(g, format!("{place}-{label}"), grpc_status_input(&t));
        }
    }
}

fn repeated(rows: &[Row], cases: &mut Cases) {
    let g = "repeated";
    let base = full(row(rows, 2003));
    for path in pbtree::paths(&base) {
        let place = pbtree::describe(&base, &path);
        let original = pbtree::get(&base, &path).clone();
        let mut earlier: Vec<(&str, Val)> = Vec::new();
        match &original.val {
            Val::Str(bytes) => {
                earlier.push(("earlier-not-utf8", Val::Str(vec![0xc3, 0x28])));
                earlier.push((
                    "earlier-other-text",
                    Val::Str([b"was-".as_slice(), bytes].concat()),
                ));
            }
            Val::Varint(value) => earlier.push(("earlier-other-number", Val::Varint(value + 1))),
            Val::Msg(inner) => {
                earlier.push(("earlier-empty", Val::Msg(Vec::new())));
                earlier.push(("earlier-same", Val::Msg(inner.clone())));
            }
            _ => {}
        }
        for (label, value) in earlier {
            let mut t = base.clone();
            let (parent, at) = pbtree::parent_of(&mut t, &path);
            parent.insert(at, field(original.number, value));
            cases.add(g, format!("{place}-{label}"), grpc_status_input(&t));
        }
        let mut later = base.clone();
        let (parent, at) = pbtree::parent_of(&mut later, &path);
        let copy = match &original.val {
            Val::Str(_) => field(original.number, Val::Str(vec![0xed, 0xbf, 0xbf])),
            _ => original.clone(),
        };
        parent.insert(at + 1, copy);
        cases.add(g, format!("{place}-later-copy"), grpc_status_input(&later));
    }
}

fn unknown_details(rows: &[Row], cases: &mut Cases) {
    let g = "unknown-details";
    let r = row(rows, 2003);
    let unknown =
        |type_url: &str, value: Val| field(3, Val::Msg(vec![text(1, type_url), field(2, value)]));
    let entries: Vec<(&str, Field)> = vec![
        (
            "debug-info",
            unknown(
                "type.googleapis.com/google.rpc.DebugInfo",
                Val::Msg(vec![text(2, "stack")]),
            ),
        ),
        (
            "quota-failure",
            unknown(
                "type.googleapis.com/google.rpc.QuotaFailure",
                Val::Msg(vec![field(1, Val::Msg(vec![text(1, "s")]))]),
            ),
        ),
        (
            "custom-type",
            unknown(
                "type.example.com/acme.v1.Trace",
                Val::Msg(vec![field(1, Val::Varint(9))]),
            ),
        ),
        (
            "garbage-value",
            unknown(
                "type.googleapis.com/acme.v1.Opaque",
                Val::Str(vec![0xff, 0xff, 0xff]),
            ),
        ),
        (
            "value-not-utf8-bytes",
            unknown(
                "type.googleapis.com/acme.v1.Opaque",
                Val::Str(vec![0x0a, 1, 0xff]),
            ),
        ),
        (
            "no-type-url",
            field(3, Val::Msg(vec![field(2, Val::Msg(vec![text(1, "x")]))])),
        ),
        ("empty-any", field(3, Val::Msg(Vec::new()))),
        (
            "type-url-not-utf8",
            field(
                3,
                Val::Msg(vec![
                    field(1, Val::Str(vec![b't', 0xff])),
                    field(2, Val::Msg(Vec::new())),
                ]),
            ),
        ),
        (
            "error-info-other-host",
            unknown(
                "example.com/google.rpc.ErrorInfo",
                Val::Msg(error_info("MUTED_IN_CHANNEL", DOMAIN, &[("code", "2027")])),
            ),
        ),
        (
            "error-info-no-host",
            unknown(
                "google.rpc.ErrorInfo",
                Val::Msg(error_info("MUTED_IN_CHANNEL", DOMAIN, &[("code", "2027")])),
            ),
        ),
        (
            "error-info-suffix-only",
            unknown(
                "type.googleapis.com/rpc.ErrorInfo",
                Val::Msg(error_info("MUTED_IN_CHANNEL", DOMAIN, &[])),
            ),
        ),
        (
            "error-info-prefixed-name",
            unknown(
                "type.googleapis.com/xgoogle.rpc.ErrorInfo",
                Val::Msg(error_info("MUTED_IN_CHANNEL", DOMAIN, &[])),
            ),
        ),
        (
            "localized-other-host",
            unknown(
                "a/b/google.rpc.LocalizedMessage",
                Val::Msg(localized("en-US", "hi")),
            ),
        ),
        (
            "retry-info-garbage-unknown-name",
            unknown(
                "type.googleapis.com/google.rpc.RetryInfoV2",
                Val::Str(vec![0xff]),
            ),
        ),
    ];
    for (label, extra) in entries {
        for position in ["first", "last"] {
            let mut t = contract(r, DOMAIN);
            match position {
                "first" => t.insert(2, extra.clone()),
                _ => t.push(extra.clone()),
            }
            cases.add(g, format!("{label}-{position}"), grpc_status_input(&t));
        }
    }
    let mut many = contract(r, DOMAIN);
    for index in 0..20 {
        many.insert(
            2,
            field(
                3,
                Val::Msg(vec![
                    text(1, &format!("type.googleapis.com/t{index}")),
                    field(2, Val::Str(vec![index])),
                ]),
            ),
        );
    }
    cases.add(g, "twenty-unknown-before", grpc_status_input(&many));
    let mut deep = contract(r, DOMAIN);
    deep.push(field(
        3,
        Val::Msg(vec![
            text(1, "type.googleapis.com/x"),
            field(2, Val::Raw(vec![])),
        ]),
    ));
    cases.add(g, "value-missing-after-key", grpc_status_input(&deep));
}

fn truncation(rows: &[Row], cases: &mut Cases) {
    let g = "truncation";
    let r = row(rows, 2027);
    let tree = full(r);
    let bytes = encode(&tree);
    for len in 0..bytes.len() {
        cases.add(
            g,
            format!("{len:04}-of-{}", bytes.len()),
            grpc_bytes_input(r.grpc_code, &r.description_en, &bytes[..len]),
        );
    }
}

fn http(rows: &[Row], cases: &mut Cases) {
    let g = "http";
    for r in rows {
        let spec = json!({"code": r.code, "locale": "ko-KR"});
        let (status, aip, gateway) =
            crate::view::render_http(&spec).expect("a catalogue code renders");
        let (aip, gateway) = (sorted_body(&aip), sorted_body(&gateway));
        cases.add(g, format!("{}-aip-193", r.code), http_input(status, &aip));
        cases.add(
            g,
            format!("{}-gateway", r.code),
            http_input(status, &gateway),
        );
    }
    let full_spec = json!({
        "code": 2003, "locale": "en-US", "message": "channel 7 is gone", "metadata": {"channelId": "7"},
        "retry_delay": "1500000000",
        "field_violations": [{"field": "channel_id", "description": "unknown", "reason": "UNKNOWN_ID",
                              "localized_message": {"locale": "ko-KR", "message": "알 수 없음"}}],
        "resource_info": {"resource_type": "chat.channel", "resource_name": "channels/7", "owner": "u", "description": "gone"},
        "request_info": {"request_id": "r-1", "serving_data": "s"},
    });
    let (status, aip, gateway) = crate::view::render_http(&full_spec).expect("renders");
    let (aip, gateway) = (sorted_body(&aip), sorted_body(&gateway));
    cases.add(g, "full-aip-193", http_input(status, &aip));
    cases.add(g, "full-gateway", http_input(status, &gateway));
    cases.add(g, "full-aip-193-wrong-status", http_input(400, &aip));
    cases.add(g, "full-gateway-wrong-status", http_input(500, &gateway));
    let ei = |reason: &str, code: &str| json!({"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason, "domain": DOMAIN, "metadata": {"code": code, "message": "ChannelNotFound"}});
    let aip_body = |details: Value| {
        crate::canonical::to_line(
            &json!({"error": {"code": 404, "message": "The channel does not exist.", "status": "NOT_FOUND", "details": details}}),
        )
    };
    let named: Vec<(&str, u16, String)> = vec![
        ("not-json", 404, "<html>Not Found</html>".to_owned()),
        ("empty-body", 404, String::new()),
        ("json-null", 404, "null".to_owned()),
        ("json-array", 404, "[]".to_owned()),
        ("empty-object", 404, "{}".to_owned()),
        ("error-not-object", 404, r#"{"error":"nope"}"#.to_owned()),
        ("status-unknown-name", 404, r#"{"error":{"code":404,"message":"m","status":"NOPE","details":[]}}"#.to_owned()),
        ("code-as-string", 404, r#"{"error":{"code":"404","message":"m","status":"NOT_FOUND","details":[]}}"#.to_owned()),
        ("code-float", 404, r#"{"error":{"code":404.0,"message":"m","status":"NOT_FOUND","details":[]}}"#.to_owned()),
        ("message-number", 404, r#"{"error":{"code":404,"message":7,"status":"NOT_FOUND","details":[]}}"#.to_owned()),
        ("details-object", 404, r#"{"error":{"code":404,"message":"m","status":"NOT_FOUND","details":{}}}"#.to_owned()),
        ("no-details", 404, r#"{"error":{"code":404,"message":"m","status":"NOT_FOUND"}}"#.to_owned()),
        ("http-status-mismatch", 400, aip_body(json!([ei("CHANNEL_NOT_FOUND", "2003")]))),
        ("code-status-disagree", 404, r#"{"error":{"code":400,"message":"m","status":"NOT_FOUND","details":[]}}"#.to_owned()),
        ("ok", 404, aip_body(json!([ei("CHANNEL_NOT_FOUND", "2003")]))),
        ("non-canonical-code", 404, aip_body(json!([ei("CHANNEL_NOT_FOUND", "02003")]))),
        ("code-reason-mismatch", 404, aip_body(json!([ei("MUTED_IN_CHANNEL", "2003")]))),
        ("error-info-twice", 404, aip_body(json!([ei("CHANNEL_NOT_FOUND", "2003"), ei("CHANNEL_NOT_FOUND", "2003")]))),
        ("error-info-reason-number", 404, aip_body(json!([{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": 5, "domain": DOMAIN}]))),
        ("error-info-unknown-field", 404, aip_body(json!([{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "CHANNEL_NOT_FOUND", "domain": DOMAIN, "extra": 1}]))),
        ("detail-no-type", 404, aip_body(json!([{"reason": "CHANNEL_NOT_FOUND", "domain": DOMAIN}]))),
        ("detail-unknown-type", 404, aip_body(json!([{"@type": "type.googleapis.com/acme.Unknown", "x": 1}, ei("CHANNEL_NOT_FOUND", "2003")]))),
        ("retry-delay-bad", 404, aip_body(json!([ei("CHANNEL_NOT_FOUND", "2003"), {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "soon"}]))),
        ("retry-delay-negative", 404, aip_body(json!([ei("CHANNEL_NOT_FOUND", "2003"), {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "-1s"}]))),
        ("retry-delay-fraction", 404, aip_body(json!([ei("CHANNEL_NOT_FOUND", "2003"), {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "1.000000001s"}]))),
        ("localized-snake-case", 404, aip_body(json!([ei("CHANNEL_NOT_FOUND", "2003"), {"@type": "type.googleapis.com/google.rpc.LocalizedMessage", "locale": "en-US", "message": "x"}]))),
        ("bad-request-snake-case", 404, aip_body(json!([ei("CHANNEL_NOT_FOUND", "2003"), {"@type": "type.googleapis.com/google.rpc.BadRequest", "field_violations": [{"field": "a", "description": "b"}]}]))),
        ("bad-request-violation-a-string", 404, aip_body(json!([ei("CHANNEL_NOT_FOUND", "2003"), {"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [""]}]))),
        ("bad-request-violation-a-list", 404, aip_body(json!([ei("CHANNEL_NOT_FOUND", "2003"), {"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [[]]}]))),
        ("gateway-minimal", 404, crate::canonical::to_line(&json!({"code": 5, "message": "m", "details": [ei("CHANNEL_NOT_FOUND", "2003")]}))),
        ("gateway-code-wrong", 404, crate::canonical::to_line(&json!({"code": 3, "message": "m", "details": [ei("CHANNEL_NOT_FOUND", "2003")]}))),
        ("gateway-code-string", 404, crate::canonical::to_line(&json!({"code": "5", "message": "m", "details": []}))),
        ("both-forms", 404, crate::canonical::to_line(&json!({"code": 5, "error": {"code": 404, "message": "m", "status": "NOT_FOUND", "details": [ei("CHANNEL_NOT_FOUND", "2003")]}}))),
        ("too-large", 404, format!("{{\"error\":{{\"code\":404,\"message\":\"{}\",\"status\":\"NOT_FOUND\"}}}}", "x".repeat(70_000))),
        ("trailing-garbage", 404, format!("{} x", aip_body(json!([ei("CHANNEL_NOT_FOUND", "2003")])))),
        ("duplicate-key", 404, r#"{"error":{"code":404,"code":404,"message":"m","status":"NOT_FOUND","details":[]}}"#.to_owned()),
        ("escaped-unicode", 404, r#"{"error":{"code":404,"message":"\u00e9\ud83d\ude00","status":"NOT_FOUND","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"CHANNEL_NOT_FOUND","domain":"chat.errors.v1","metadata":{"code":"2003"}}]}}"#.to_owned()),
        ("lone-surrogate-escape", 404, r#"{"error":{"code":404,"message":"\ud800","status":"NOT_FOUND","details":[]}}"#.to_owned()),
    ];
    for (label, status, body) in named {
        cases.add(g, label, http_input(status, &body));
    }
}

fn negotiate(cases: &mut Cases) {
    let g = "negotiate";
    let values = [
        "",
        "ko",
        "ko-KR",
        "KO-kr",
        "en",
        "en-US",
        "en-GB",
        "en-GB-oxendict",
        "fr",
        "fr, en;q=0.5",
        "ko;q=0.5, en-GB",
        "en;q=0.5, ko;q=0.6",
        "*",
        "*;q=0",
        "en;q=0",
        "en;q=0, *",
        "ko;q=0, en;q=0",
        "ko;q=1.0",
        "ko;q=1.001",
        "ko;q=2",
        "ko;q=NaN",
        "ko;q=",
        "ko;q=0.0001",
        "ko;q=0.001, en;q=0.002",
        "e$n, ko",
        " ko ",
        "ko,,en",
        ",",
        "ko-KR-x-private",
        "zh-Hant-TW, en",
        "en-us;q=0.9, ko-kr;q=0.9",
        "en;q=0.9, ko;q=0.9",
        "ko;Q=0.5, en;q=0.4",
        "ko ; q=0.5",
        "ko;q =0.5",
        "x-klingon, en",
        "i-default",
        "en-US;level=1",
        "ko;q=0.5;x=y, en;q=0.4",
        "en-",
        "-en",
        "en--US",
        "enUS",
        "한국어, en",
        "kor, en",
        "ko-Kore-KR",
        "ko_KR",
        "en_US, ko",
        "de-DE;q=0.9, *;q=0.1",
        "*, ko;q=0",
    ];
    for (index, value) in values.iter().enumerate() {
        cases.add(g, format!("{index:02}"), json!({"negotiate": value}));
    }
    cases.add(
        g,
        "many-ranges",
        json!({"negotiate": vec!["fr"; 70].join(", ") + ", ko"}),
    );
    cases.add(
        g,
        "sixty-four-ranges",
        json!({"negotiate": vec!["fr"; 63].join(",") + ",ko"}),
    );
    cases.add(
        g,
        "long-value",
        json!({"negotiate": format!("{}, ko", "x".repeat(5000))}),
    );
    cases.add(
        g,
        "just-under-the-byte-limit",
        json!({"negotiate": format!("{}en", " ".repeat(4094))}),
    );
}

fn encode_cases(rows: &[Row], cases: &mut Cases) {
    let g = "encode";
    for (index, r) in rows.iter().enumerate() {
        let locale = if index % 2 == 0 { "ko-KR" } else { "en-US" };
        cases.add(
            g,
            format!("{}-{locale}", r.code),
            json!({"encode": {"code": r.code, "locale": locale}}),
        );
    }
    let long = "긴 메시지 ".repeat(200);
    let specs: Vec<(&str, Value)> = vec![
        (
            "message-plain",
            json!({"code": 2003, "locale": "ko-KR", "message": "channel 7 is gone"}),
        ),
        (
            "message-empty",
            json!({"code": 2003, "locale": "ko-KR", "message": ""}),
        ),
        (
            "message-blank",
            json!({"code": 2003, "locale": "ko-KR", "message": "   "}),
        ),
        (
            "message-controls",
            json!({"code": 2003, "locale": "ko-KR", "message": "a\nb\rc\td\u{0}e\u{7f}f\u{85}g"}),
        ),
        (
            "message-separators-and-bidi",
            json!({"code": 2003, "locale": "en-US", "message": "x\u{2028}y\u{2029}z\u{202e}evil\u{2066}\u{200f}\u{61c}"}),
        ),
        (
            "message-long",
            json!({"code": 2003, "locale": "ko-KR", "message": long}),
        ),
        (
            "message-cut-inside-char",
            json!({"code": 2003, "locale": "ko-KR", "message": format!("{}한국어", "a".repeat(1022))}),
        ),
        (
            "message-percent-and-unicode",
            json!({"code": 2003, "locale": "en-US", "message": "100% 채널 😀"}),
        ),
        (
            "domain",
            json!({"code": 2003, "locale": "en-US", "domain": "billing.example.com"}),
        ),
        (
            "metadata",
            json!({"code": 2003, "locale": "ko-KR", "metadata": {"channelId": "7", "limit-bytes": "4", "x_y": "\n"}}),
        ),
        (
            "metadata-reserved-code",
            json!({"code": 2003, "locale": "ko-KR", "metadata": {"code": "1"}}),
        ),
        (
            "metadata-reserved-message",
            json!({"code": 2003, "locale": "ko-KR", "metadata": {"message": "1"}}),
        ),
        (
            "metadata-reserved-truncated",
            json!({"code": 2003, "locale": "ko-KR", "metadata": {"truncated": "1"}}),
        ),
        (
            "metadata-key-uppercase",
            json!({"code": 2003, "locale": "ko-KR", "metadata": {"Channel": "1"}}),
        ),
        (
            "metadata-key-one-char",
            json!({"code": 2003, "locale": "ko-KR", "metadata": {"c": "1"}}),
        ),
        (
            "metadata-key-65-chars",
            json!({"code": 2003, "locale": "ko-KR", "metadata": {"a".repeat(65): "1"}}),
        ),
        (
            "metadata-key-64-chars",
            json!({"code": 2003, "locale": "ko-KR", "metadata": {"a".repeat(64): "1"}}),
        ),
        (
            "metadata-value-controls",
            json!({"code": 2003, "locale": "ko-KR", "metadata": {"note": "a\u{0}b\u{2028}c\u{202a}d"}}),
        ),
        (
            "metadata-value-long",
            json!({"code": 2003, "locale": "ko-KR", "metadata": {"note": "값".repeat(2000)}}),
        ),
        (
            "retry-delay",
            json!({"code": 4001, "locale": "en-US", "retry_delay": "2000000000"}),
        ),
        (
            "retry-delay-zero",
            json!({"code": 4001, "locale": "en-US", "retry_delay": "0"}),
        ),
        (
            "retry-delay-nanos",
            json!({"code": 4001, "locale": "en-US", "retry_delay": "1000000001"}),
        ),
        (
            "field-violations",
            json!({"code": 1002, "locale": "ko-KR", "field_violations": [
            {"field": "channel_id", "description": "is required"},
            {"field": "text", "description": "too\nlong\u{202e}", "reason": "TOO_LONG", "localized_message": {"locale": "ko-KR", "message": "너무 깁니다"}}]}),
        ),
        (
            "field-violations-many",
            json!({"code": 1002, "locale": "en-US", "field_violations":
            (0..300).map(|i| json!({"field": format!("items[{i}].name"), "description": "must not be empty ".repeat(3)})).collect::<Vec<_>>()}),
        ),
        (
            "resource-info",
            json!({"code": 2003, "locale": "en-US", "resource_info": {"resource_type": "chat.channel", "resource_name": "channels/7\n", "owner": "u\u{2029}", "description": "gone"}}),
        ),
        (
            "request-info",
            json!({"code": 1003, "locale": "en-US", "request_info": {"request_id": "req\u{0}1", "serving_data": "d".repeat(3000)}}),
        ),
        (
            "everything-over-the-cap",
            json!({"code": 2003, "locale": "ko-KR", "message": long,
            "metadata": {"note": "x".repeat(3000), "other": "y".repeat(3000)}, "retry_delay": "3000000000",
            "field_violations": (0..100).map(|i| json!({"field": format!("f{i}"), "description": "d".repeat(100)})).collect::<Vec<_>>(),
            "resource_info": {"resource_type": "t", "resource_name": "n".repeat(2000), "owner": "o", "description": "d".repeat(2000)},
            "request_info": {"request_id": "r", "serving_data": "s".repeat(4000)}}),
        ),
    ];
    for (label, spec) in specs {
        cases.add(g, label, json!({"encode": spec}));
    }
}
