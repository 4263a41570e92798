//! `accept-language` (RFC 9110 §12.5.4) read in place, and RFC 4647 lookup
//! among the catalogue's locales.
//!
//! Nothing here allocates: the ranges are walked twice, once for the
//! `q=0` exclusions and once for the best match, and what is remembered
//! between them is one bit per catalogue locale.

use super::Locale;

/// The longest `accept-language` value read. A browser sends well under
/// 200 bytes; a longer value is ignored whole and the default applies.
pub const MAX_ACCEPT_LANGUAGE_BYTES: usize = 4096;

/// The most language ranges read. A value with more is ignored whole and
/// the default applies.
pub const MAX_LANGUAGE_RANGES: usize = 64;

/// RFC 4647 §2.1: a language subtag has at most eight characters.
const MAX_SUBTAG_LEN: usize = 8;

/// A weight in thousandths: RFC 9110 allows at most three decimals.
type Weight = u16;
const FULL_WEIGHT: Weight = 1000;

const _: () = assert!(Locale::COUNT <= LocaleSet::CAPACITY, "one bit per locale");

/// A set of catalogue locales, one bit each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct LocaleSet(u64);

impl LocaleSet {
    const CAPACITY: usize = u64::BITS as usize;

    fn insert(&mut self, locale: Locale) {
        self.0 |= 1 << locale.index();
    }

    pub(crate) fn contains(self, locale: Locale) -> bool {
        self.0 & (1 << locale.index()) != 0
    }
}

/// What an `accept-language` value says about the catalogue's locales.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Negotiation {
    /// The locale of the best range that found one.
    pub(crate) matched: Option<Locale>,
    /// The locales some `q=0` range rules out.
    pub(crate) excluded: LocaleSet,
}

/// Reads the `accept-language` values that `values` walks, as one list;
/// see [`Locale::negotiate`]. Oversized values, or too many ranges, say
/// nothing at all.
pub(crate) fn negotiate<'a, I>(values: impl Fn() -> I) -> Negotiation
where
    I: Iterator<Item = &'a [u8]>,
{
    let total_len = values().try_fold(0usize, |total, value| {
        Some(total + value.len()).filter(|total| *total <= MAX_ACCEPT_LANGUAGE_BYTES)
    });
    if total_len.is_none() || ranges(values()).nth(MAX_LANGUAGE_RANGES).is_some() {
        return Negotiation::default();
    }
    let mut excluded = LocaleSet::default();
    for (range, weight) in ranges(values()) {
        if weight == 0 {
            for locale in Locale::iter().filter(|locale| filters(range, locale.as_str())) {
                excluded.insert(locale);
            }
        }
    }
    let mut best: Option<(Weight, Locale)> = None;
    for (range, weight) in ranges(values()) {
        // `*` asks for nothing in particular: lookup skips it (RFC 4647 §3.4).
        if weight == 0 || range == b"*" || best.is_some_and(|(top, _)| top >= weight) {
            continue;
        }
        if let Some(locale) = lookup(range, excluded) {
            best = Some((weight, locale));
        }
    }
    Negotiation {
        matched: best.map(|(_, locale)| locale),
        excluded,
    }
}

/// The well-formed `(range, weight)` elements of the values, in order;
/// malformed elements are passed over, empty ones (`a,,b`) too.
fn ranges<'a>(values: impl Iterator<Item = &'a [u8]>) -> impl Iterator<Item = (&'a [u8], Weight)> {
    values
        .flat_map(|value| value.split(|&b| b == b','))
        .filter_map(element)
}

/// `language-range [ OWS ";" OWS "q=" qvalue ]`, between optional whitespace.
fn element(element: &[u8]) -> Option<(&[u8], Weight)> {
    let element = trim(element);
    if element.is_empty() {
        return None;
    }
    let (range, weight) = match element.iter().position(|&b| b == b';') {
        None => (element, FULL_WEIGHT),
        Some(semicolon) => {
            let parameter = trim(&element[semicolon + 1..]);
            let value = match parameter {
                [b'q' | b'Q', b'=', value @ ..] => value,
                _ => return None,
            };
            (trim(&element[..semicolon]), qvalue(value)?)
        }
    };
    is_language_range(range).then_some((range, weight))
}

fn trim(bytes: &[u8]) -> &[u8] {
    let is_ows = |b: &u8| matches!(b, b' ' | b'\t');
    let start = bytes.iter().position(|b| !is_ows(b)).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !is_ows(b))
        .map_or(start, |last| last + 1);
    &bytes[start..end]
}

/// RFC 9110 §12.4.2: `( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`.
/// Anything else (`1e999`, `-1`, `NaN`, `0.5000`) is not a weight.
fn qvalue(text: &[u8]) -> Option<Weight> {
    let (whole, fraction) = match text {
        [whole] => (*whole, &[][..]),
        [whole, b'.', fraction @ ..] if fraction.len() <= 3 => (*whole, fraction),
        _ => return None,
    };
    if !fraction.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let thousandths = fraction
        .iter()
        .chain(std::iter::repeat(&b'0'))
        .take(3)
        .fold(0, |sum, digit| sum * 10 + Weight::from(digit - b'0'));
    match whole {
        b'0' => Some(thousandths),
        b'1' if thousandths == 0 => Some(FULL_WEIGHT),
        _ => None,
    }
}

/// RFC 4647 §2.1: `(1*8ALPHA *("-" 1*8alphanum)) / "*"`.
fn is_language_range(range: &[u8]) -> bool {
    if range == b"*" {
        return true;
    }
    let mut subtags = range.split(|&b| b == b'-');
    let language = subtags.next().unwrap_or_default();
    (1..=MAX_SUBTAG_LEN).contains(&language.len())
        && language.iter().all(u8::is_ascii_alphabetic)
        && subtags.all(|subtag| {
            (1..=MAX_SUBTAG_LEN).contains(&subtag.len())
                && subtag.iter().all(u8::is_ascii_alphanumeric)
        })
}

/// RFC 4647 §3.3.1 basic filtering: whether `range` matches `tag` (is it,
/// or a prefix of it ending at a subtag boundary, or `*`).
fn filters(range: &[u8], tag: &str) -> bool {
    range == b"*" || is_tag_or_prefix(range, tag.as_bytes())
}

fn is_tag_or_prefix(range: &[u8], tag: &[u8]) -> bool {
    tag.len() >= range.len()
        && tag[..range.len()].eq_ignore_ascii_case(range)
        && (tag.len() == range.len() || tag[range.len()] == b'-')
}

/// RFC 4647 §3.4 lookup of one range: the range, then shorter and shorter
/// truncations of it, each matching a locale whose tag it equals or, failing
/// that, the first locale whose tag it is a prefix of. Ruled-out locales
/// never match.
fn lookup(range: &[u8], excluded: LocaleSet) -> Option<Locale> {
    let mut candidate = range;
    loop {
        let available = || Locale::iter().filter(|locale| !excluded.contains(*locale));
        let exact =
            available().find(|locale| locale.as_str().as_bytes().eq_ignore_ascii_case(candidate));
        if let Some(locale) = exact.or_else(|| {
            available().find(|locale| is_tag_or_prefix(candidate, locale.as_str().as_bytes()))
        }) {
            return Some(locale);
        }
        candidate = truncate(candidate)?;
    }
}

/// The range without its last subtag, and without a single-character
/// subtag left before that (`zh-x-abc` goes to `zh`), as §3.4 says.
fn truncate(range: &[u8]) -> Option<&[u8]> {
    let shorter = &range[..range.iter().rposition(|&b| b == b'-')?];
    match shorter.iter().rposition(|&b| b == b'-') {
        Some(dash) if shorter.len() - dash == 2 => Some(&shorter[..dash]),
        _ => Some(shorter),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_follow_rfc_9110_exactly() {
        let cases: [(&[u8], Option<Weight>); 14] = [
            (b"1", Some(1000)),
            (b"1.", Some(1000)),
            (b"1.000", Some(1000)),
            (b"0", Some(0)),
            (b"0.", Some(0)),
            (b"0.5", Some(500)),
            (b"0.05", Some(50)),
            (b"0.123", Some(123)),
            (b"0.1234", None),
            (b"1.001", None),
            (b"1e999", None),
            (b"-1", None),
            (b"NaN", None),
            (b"", None),
        ];
        for (text, weight) in cases {
            assert_eq!(qvalue(text), weight, "{:?}", String::from_utf8_lossy(text));
        }
    }

    #[test]
    fn truncation_drops_a_trailing_singleton_with_its_subtag() {
        assert_eq!(truncate(b"zh-Hant-CN-x-private1"), Some(&b"zh-Hant-CN"[..]));
        assert_eq!(truncate(b"zh-Hant-CN"), Some(&b"zh-Hant"[..]));
        assert_eq!(truncate(b"zh"), None);
    }
}
