//! `accept-language` negotiation: RFC 9110's syntax and RFC 4647's lookup
//! on known cases, then on generated headers against a plain second
//! reading of the RFCs (`tests/fuzz/checks.rs`), and on arbitrary bytes.

#[path = "fuzz/checks.rs"]
#[allow(dead_code)]
mod checks;

use std::convert::Infallible;

use chat_errors::{ChatStatusExt, Domain, ErrorCode, Locale, Settings};
use http::HeaderValue;
use proptest::prelude::*;
use tonic::Status;
use tower::{Layer, ServiceExt};

/// The longest `accept-language` read, in bytes, as `Locale::negotiate`
/// documents it.
const MAX_ACCEPT_LANGUAGE_BYTES: usize = 4096;

/// The most elements an `accept-language` may have, as `Locale::negotiate`
/// documents it.
const MAX_LANGUAGE_RANGES: usize = 64;

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

/// What a handler behind `settings.layer()` reads from its request for a
/// caller sending `accept_language` (one header line each), and the
/// status the caller gets when the handler fails with `2003
/// ChannelNotFound`.
async fn negotiated(settings: &Settings, accept_language: &[&'static str]) -> (Locale, Status) {
    let handler = tower::service_fn(|request: http::Request<()>| async move {
        let seen = request
            .extensions()
            .get::<Locale>()
            .copied()
            .expect("the layer puts the negotiated locale in the extensions");
        let mut response = Status::from(ErrorCode::ChannelNotFound).into_http::<()>();
        response
            .headers_mut()
            .insert("x-seen-locale", HeaderValue::from_static(seen.as_str()));
        Ok::<_, Infallible>(response)
    });
    let mut request = http::Request::new(());
    for value in accept_language {
        request
            .headers_mut()
            .append("accept-language", HeaderValue::from_static(value));
    }
    let response = settings
        .layer()
        .layer(handler)
        .oneshot(request)
        .await
        .expect("the stack answers");
    let seen = response.headers()["x-seen-locale"].to_str().unwrap();
    let seen = Locale::from_tag(seen).expect("a catalogue locale");
    let status = Status::from_header_map(response.headers()).expect("a trailers-only status");
    (seen, status)
}

/// The locale of the status's one LocalizedMessage.
fn sent_locale(status: &Status) -> Locale {
    let decoded = status
        .check_chat_error(&Domain::default())
        .expect("well-formed details")
        .expect("a chat error");
    let sent = decoded.localized_message().expect("a LocalizedMessage");
    Locale::from_tag(&sent.locale).expect("a catalogue locale")
}

#[tokio::test]
async fn the_default_applies_when_nothing_matches_unless_the_caller_ruled_it_out() {
    // With localized status messages on, the status message shows whether
    // the caller chose the locale: it follows the locale only then.
    let korean_default = Settings::default().with_localized_status_message(true);
    let english_default = korean_default.clone().with_default_locale(Locale::EN_US);
    let code = ErrorCode::ChannelNotFound;
    for (settings, value, expected) in [
        (&korean_default, "fr", Locale::KO_KR),
        (&english_default, "fr", Locale::EN_US),
        (&korean_default, "ko;q=0", Locale::EN_US),
        (&korean_default, "ko;q=0, en;q=0", Locale::KO_KR),
        (&english_default, "*", Locale::EN_US),
        (&korean_default, "en;q=NaN", Locale::KO_KR),
    ] {
        let (seen, status) = negotiated(settings, &[value]).await;
        assert_eq!(seen, expected, "{value}");
        assert_eq!(sent_locale(&status), expected, "{value}");
        // Not chosen by the caller: the status message stays English.
        assert_eq!(status.message(), code.description(Locale::EN_US), "{value}");
    }
    let (seen, status) = negotiated(&korean_default, &[]).await;
    assert_eq!((seen, sent_locale(&status)), (Locale::KO_KR, Locale::KO_KR));
    assert_eq!(status.message(), code.description(Locale::EN_US));

    // What a caller does choose, the status message follows.
    let (seen, status) = negotiated(&english_default, &["ko"]).await;
    assert_eq!((seen, sent_locale(&status)), (Locale::KO_KR, Locale::KO_KR));
    assert_eq!(status.message(), code.description(Locale::KO_KR));

    // Several accept-language lines read as one list.
    let (seen, status) = negotiated(&korean_default, &["fr;q=0.9", "en;q=0.5"]).await;
    assert_eq!((seen, sent_locale(&status)), (Locale::EN_US, Locale::EN_US));
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
