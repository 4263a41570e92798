//! `accept-language` (RFC 9110 §12.5.4) read in place, and RFC 4647 lookup
//! among the catalogue's locales.
//!
//! Nothing here allocates: the ranges are walked once, or twice when a
//! `q=0` range rules a locale out, and what is remembered between the walks
//! is one bit per catalogue locale.

use super::Locale;

/// The longest `accept-language` value read. A browser sends well under
/// 200 bytes; a longer value is ignored whole and the default applies.
pub const MAX_ACCEPT_LANGUAGE_BYTES: usize = 4096;

/// The most elements (language ranges, well-formed or not) read. A value
/// with more is ignored whole and the default applies.
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

/// Reads the `accept-language` values, as one list; see
/// [`Locale::negotiate`]. Oversized values, or too many elements, say
/// nothing at all.
pub(crate) fn negotiate(values: &[&[u8]]) -> Negotiation {
    let total_len: usize = values.iter().map(|value| value.len()).sum();
    if total_len > MAX_ACCEPT_LANGUAGE_BYTES || values.len() > MAX_LANGUAGE_RANGES {
        return Negotiation::default();
    }
    // One pass counts the elements, gathers the `q=0` exclusions and looks
    // up the best range as if nothing were excluded; only a value that does
    // exclude something (rare: browsers never send `q=0`) needs a second.
    let mut count = 0;
    let mut excluded = LocaleSet::default();
    let mut best = Best::default();
    for_each_element(values, |range, weight| {
        count += 1;
        if weight == Some(0) && is_language_range(range) {
            for locale in Locale::iter().filter(|locale| filters(range, locale.as_str())) {
                excluded.insert(locale);
            }
        } else if let Some(weight) = weight {
            best.consider(range, weight, LocaleSet::default());
        }
        count <= MAX_LANGUAGE_RANGES
    });
    if count > MAX_LANGUAGE_RANGES {
        return Negotiation::default();
    }
    if excluded != LocaleSet::default() {
        best = Best::default();
        for_each_element(values, |range, weight| {
            if let Some(weight) = weight {
                best.consider(range, weight, excluded);
            }
            true
        });
    }
    Negotiation {
        matched: best.locale(),
        excluded,
    }
}

/// The heaviest range so far that found a locale, and the locale; the
/// first of equally heavy ranges wins.
#[derive(Clone, Copy, Default)]
struct Best(Option<(Weight, Locale)>);

impl Best {
    fn locale(self) -> Option<Locale> {
        self.0.map(|(_, locale)| locale)
    }

    /// Looks `range` up, if it is a well-formed range heavier than the best
    /// so far and not `q=0`: a range is checked only where it could matter.
    fn consider(&mut self, range: &[u8], weight: Weight, excluded: LocaleSet) {
        // `*` asks for nothing in particular: lookup skips it (RFC 4647 §3.4).
        if weight == 0 || self.0.is_some_and(|(top, _)| top >= weight) || range == b"*" {
            return;
        }
        // A range that is one of the tags is well-formed, as the tags are:
        // what browsers send first is found without checking its syntax.
        let found = exact_tag(range, excluded)
            .or_else(|| is_language_range(range).then(|| lookup(range, excluded))?);
        if let Some(locale) = found {
            self.0 = Some((weight, locale));
        }
    }
}

/// Calls `visit` with each non-empty element of the values, in order
/// (`a,,b` has two), as its range, not yet checked, and its weight, or
/// `None` when its parameters are not a weight; stops when `visit` says so.
fn for_each_element(values: &[&[u8]], mut visit: impl FnMut(&[u8], Option<Weight>) -> bool) {
    for value in values {
        for element in value.split(|&b| b == b',') {
            let element = trim(element);
            if !element.is_empty() {
                let (range, weight) = element_parts(element);
                if !visit(range, weight) {
                    return;
                }
            }
        }
    }
}

/// `language-range [ OWS ";" OWS "q=" qvalue ]`, trimmed, split into the
/// range (whatever precedes the first whitespace or `;`) and the weight.
fn element_parts(element: &[u8]) -> (&[u8], Option<Weight>) {
    let range_len = element
        .iter()
        .position(|&b| matches!(b, b';' | b' ' | b'\t'))
        .unwrap_or(element.len());
    let (range, parameter) = element.split_at(range_len);
    let weight = match trim(parameter) {
        [] => Some(FULL_WEIGHT),
        [b';', parameter @ ..] => match trim(parameter) {
            [b'q' | b'Q', b'=', value @ ..] => qvalue(value),
            _ => None,
        },
        _ => None,
    };
    (range, weight)
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
    let mut thousandths: Weight = 0;
    for place in 0..3 {
        let digit = match fraction.get(place) {
            Some(digit @ b'0'..=b'9') => digit - b'0',
            Some(_) => return None,
            None => 0,
        };
        thousandths = thousandths * 10 + Weight::from(digit);
    }
    match whole {
        b'0' => Some(thousandths),
        b'1' if thousandths == 0 => Some(FULL_WEIGHT),
        _ => None,
    }
}

/// RFC 4647 §2.1, read in one pass: subtags of 1 to 8 characters, letters
/// in the first and letters or digits after it, or `*` alone.
fn is_language_range(range: &[u8]) -> bool {
    if range == b"*" {
        return true;
    }
    let mut subtag_len = 0;
    let mut first_subtag = true;
    for &b in range {
        if b == b'-' {
            if subtag_len == 0 {
                return false;
            }
            subtag_len = 0;
            first_subtag = false;
            continue;
        }
        let allowed = if first_subtag {
            b.is_ascii_alphabetic()
        } else {
            b.is_ascii_alphanumeric()
        };
        subtag_len += 1;
        if !allowed || subtag_len > MAX_SUBTAG_LEN {
            return false;
        }
    }
    subtag_len > 0
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
        if let Some(locale) = exact_tag(candidate, excluded).or_else(|| {
            available().find(|locale| is_tag_or_prefix(candidate, locale.as_str().as_bytes()))
        }) {
            return Some(locale);
        }
        candidate = truncate(candidate)?;
    }
}

/// The locale, not ruled out, whose tag `range` is, ignoring case.
fn exact_tag(range: &[u8], excluded: LocaleSet) -> Option<Locale> {
    Locale::iter().find(|locale| {
        !excluded.contains(*locale) && locale.as_str().as_bytes().eq_ignore_ascii_case(range)
    })
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
