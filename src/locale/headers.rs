//! The locale of one request, from its `accept-language` headers.

use http::HeaderMap;
use http::header::ACCEPT_LANGUAGE;

use super::accept_language::Negotiation;
use super::{Locale, MAX_LANGUAGE_RANGES, negotiate};

/// The locale negotiated for one call, and whether the caller chose it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Negotiated {
    pub(crate) locale: Locale,
    /// Whether the caller's `accept-language` chose it, rather than the
    /// default standing in because the caller named nothing the catalogue has.
    pub(crate) requested: bool,
}

/// The locale for a request with these headers, every `accept-language`
/// line read as one list, `default` standing in when it names nothing.
pub(crate) fn negotiate_headers(headers: &HeaderMap, default: Locale) -> Negotiated {
    let mut lines = headers.get_all(ACCEPT_LANGUAGE).iter();
    let negotiation = match (lines.next(), lines.next()) {
        (None, _) => Negotiation::default(),
        (Some(only), None) => negotiate(&[only.as_bytes()]),
        (Some(_), Some(_)) => {
            // Each header line holds at least one element, so more lines
            // than elements allowed are too many: the rest need no room.
            let mut values = [&[][..]; MAX_LANGUAGE_RANGES + 1];
            let mut count = 0;
            for (slot, value) in values.iter_mut().zip(headers.get_all(ACCEPT_LANGUAGE)) {
                *slot = value.as_bytes();
                count += 1;
            }
            negotiate(&values[..count])
        }
    };
    match negotiation.matched {
        Some(locale) => Negotiated {
            locale,
            requested: true,
        },
        None => Negotiated {
            locale: std::iter::once(default)
                .chain(Locale::iter())
                .find(|locale| !negotiation.excluded.contains(*locale))
                .unwrap_or(default),
            requested: false,
        },
    }
}
