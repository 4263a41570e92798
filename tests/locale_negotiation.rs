//! `accept-language` negotiation: RFC 9110's syntax and RFC 4647's lookup
//! on known cases, then on generated headers against a plain second
//! reading of the RFCs (`tests/fuzz/checks.rs`), and on arbitrary bytes.

#[path = "fuzz/checks.rs"]
#[allow(dead_code)]
mod checks;

use chat_errors::{Locale, Localizer, MAX_ACCEPT_LANGUAGE_BYTES, MAX_LANGUAGE_RANGES};
use proptest::prelude::*;

/// Cases read off the RFCs: `(accept-language, the locale lookup finds)`.
const CASES: [(&str, Option<&str>); 30] = [
    // The interop checks' three and browsers' usual shapes.
    ("ko-KR,ko;q=0.9,en;q=0.8", Some("ko-KR")),
    ("en-US", Some("en-US")),
    ("", None),
    ("en-US,en;q=0.9", Some("en-US")),
    ("ko", Some("ko-KR")),
    ("en-GB", Some("en-US")),
    ("EN-gb", Some("en-US")),
    ("en-GB-oxendict", Some("en-US")),
    ("ko-KP", Some("ko-KR")),
    ("fr", None),
    (
        "fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5",
        Some("en-US"),
    ),
    ("ja, ko;q=0.8", Some("ko-KR")),
    // Weight, not position, decides; equal weights keep header order.
    ("en;q=0.5, ko;q=0.6", Some("ko-KR")),
    ("en;q=0.5, ko;q=0.5", Some("en-US")),
    ("ko;q=0.001, en;q=0.002", Some("en-US")),
    // `*` asks for nothing in particular; q=0 rules out what it matches.
    ("*", None),
    ("*, en;q=0.1", Some("en-US")),
    ("en;q=0, en-GB", None),
    ("en-GB;q=0, en", Some("en-US")),
    ("ko-KR;q=0, ko", None),
    ("*;q=0, en", None),
    // RFC 4647 §3.4 drops a singleton with the subtag after it.
    ("zh-Hant-CN-x-private1, en;q=0.001", Some("en-US")),
    // Whitespace, empty elements and `Q=` are all allowed.
    (" \t, ,en ; Q=1.000 ,", Some("en-US")),
    // Malformed ranges are passed over; the rest still count.
    ("en;q=1e999, ko", Some("ko-KR")),
    ("en;q=-1, en;q=NaN, en;q=2, en;q=0.5000, en;level=1", None),
    ("e$n, k o, ko-KR-toolongsubtag, 12, ko", Some("ko-KR")),
    ("ko;q=0.5;q=1", None),
    ("ko;", None),
    ("ko;q", None),
    ("x-klingon, en", Some("en-US")),
];

#[test]
fn known_headers_negotiate_what_the_rfcs_say() {
    for (header, expected) in CASES {
        let negotiated = Locale::negotiate(header.as_bytes()).map(Locale::as_str);
        assert_eq!(negotiated, expected, "{header:?}");
        checks::accept_language(header.as_bytes());
    }
}

#[test]
fn the_default_applies_when_nothing_matches_unless_the_caller_ruled_it_out() {
    let headers = |value: &'static str| {
        let mut headers = http::HeaderMap::new();
        headers.insert("accept-language", http::HeaderValue::from_static(value));
        headers
    };
    let korean_default = Localizer::new();
    let english_default = Localizer::new().with_default_locale(Locale::EN_US);
    for (localizer, value, expected) in [
        (&korean_default, "fr", Locale::KO_KR),
        (&english_default, "fr", Locale::EN_US),
        (&korean_default, "ko;q=0", Locale::EN_US),
        (&korean_default, "ko;q=0, en;q=0", Locale::KO_KR),
        (&english_default, "*", Locale::EN_US),
        (&korean_default, "en;q=NaN", Locale::KO_KR),
    ] {
        let negotiated = localizer.negotiate(&headers(value));
        assert_eq!(negotiated.locale(), expected, "{value}");
        assert!(!negotiated.was_requested(), "{value}");
    }
    let none = korean_default.negotiate(&http::HeaderMap::new());
    assert_eq!(
        (none.locale(), none.was_requested()),
        (Locale::KO_KR, false)
    );

    // Several accept-language lines read as one list.
    let mut two = http::HeaderMap::new();
    two.append(
        "accept-language",
        http::HeaderValue::from_static("fr;q=0.9"),
    );
    two.append(
        "accept-language",
        http::HeaderValue::from_static("en;q=0.5"),
    );
    assert_eq!(korean_default.negotiate(&two).locale(), Locale::EN_US);
}

#[test]
fn oversized_headers_are_ignored_whole() {
    let ranges = |n: usize| vec!["en"; n].join(",");
    assert_eq!(
        Locale::negotiate(ranges(MAX_LANGUAGE_RANGES).as_bytes()),
        Some(Locale::EN_US)
    );
    assert_eq!(
        Locale::negotiate(ranges(MAX_LANGUAGE_RANGES + 1).as_bytes()),
        None
    );

    let padded = |len: usize| format!("en{}", " ".repeat(len - 2));
    assert_eq!(
        Locale::negotiate(padded(MAX_ACCEPT_LANGUAGE_BYTES).as_bytes()),
        Some(Locale::EN_US)
    );
    assert_eq!(
        Locale::negotiate(padded(MAX_ACCEPT_LANGUAGE_BYTES + 1).as_bytes()),
        None
    );
    let huge = "ko,".repeat(100_000);
    assert_eq!(Locale::negotiate(huge.as_bytes()), None);
}

fn element() -> impl Strategy<Value = String> {
    let ranges = prop::sample::select(vec![
        "ko",
        "ko-KR",
        "KO-kr",
        "ko-KP",
        "en",
        "en-US",
        "en-GB",
        "en-GB-oxendict",
        "fr",
        "fr-CH",
        "*",
        "zh-Hant-TW",
        "x-klingon",
        "e$n",
        "ko-x-a",
        "",
    ]);
    let weights = prop::sample::select(vec![
        "",
        ";q=0",
        ";q=0.",
        ";q=0.5",
        ";q=0.50",
        ";q=0.001",
        ";q=1",
        ";q=1.000",
        " ; Q=0.9",
        ";q=1e999",
        ";q=NaN",
        ";q=-1",
        ";q=0.0001",
        ";q=1.5",
        ";level=1",
    ]);
    (ranges, weights).prop_map(|(range, weight)| format!("{range}{weight}"))
}

proptest! {
    #[test]
    fn generated_headers_agree_with_a_plain_reading_of_the_rfcs(
        elements in prop::collection::vec(element(), 0..12),
        separator in prop::sample::select(vec![",", ", ", " ,\t"]),
    ) {
        let header = elements.join(separator);
        prop_assert_eq!(
            Locale::negotiate(header.as_bytes()),
            checks::reference_negotiation(header.as_bytes()),
            "{:?}", header
        );
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_agree_too(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        checks::accept_language(&bytes);
    }

    #[test]
    fn junk_elements_change_nothing(
        elements in prop::collection::vec(element(), 1..8),
        junk in prop::sample::select(vec!["", " ", "q=1", ";", "e$n;q=1", "en;q=NaN", "=,="]),
        at in any::<prop::sample::Index>(),
    ) {
        let header = elements.join(",");
        let mut with_junk = elements.clone();
        with_junk.insert(at.index(elements.len() + 1), junk.to_owned());
        prop_assert_eq!(
            Locale::negotiate(header.as_bytes()),
            Locale::negotiate(with_junk.join(",").as_bytes())
        );
    }
}
