//! The catalogue's locales and how a caller's `accept-language` picks one.

mod accept_language;
mod call_locale;
mod headers;

use std::fmt;

pub(crate) use accept_language::MAX_LANGUAGE_RANGES;
pub(crate) use accept_language::negotiate;
pub(crate) use call_locale::{
    CallGuard, call_domain, call_for_bare_status, call_locale, enter_call,
};
pub(crate) use headers::{Negotiated, negotiate_headers};

include!(concat!(env!("OUT_DIR"), "/locales.rs"));

/// One of the locales the catalogue has a description in, as
/// `chat_errors.proto` declares them with `option (locales)`.
///
/// [`Locale::default()`] is the first declared, `ko-KR`: the locale of the
/// `LocalizedMessage` a status carries when nobody chose one. `en-US` is
/// always declared: its description is also the developer-facing status
/// message.
///
/// Behind [`Settings::layer`](crate::Settings::layer), each request's
/// extensions hold the `Locale` negotiated for it, for a handler that
/// writes text of its own in the caller's language.
///
/// ```
/// use chat_errors::{ErrorCode, Locale};
///
/// assert_eq!(Locale::default(), Locale::KO_KR);
/// assert_eq!(Locale::from_tag("en-us"), Some(Locale::EN_US));
/// // RFC 4647 lookup, falling back by language.
/// assert_eq!(Locale::negotiate(b"en-GB,en;q=0.9"), Some(Locale::EN_US));
/// assert_eq!(Locale::negotiate(b"fr-CH, fr;q=0.9, ko;q=0.5"), Some(Locale::KO_KR));
/// assert_eq!(Locale::negotiate(b"fr"), None);
/// assert_eq!(ErrorCode::ChannelNotFound.description(Locale::EN_US), "The channel does not exist.");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Locale(u8);

impl Locale {
    pub(crate) const COUNT: usize = TAGS.len();

    /// The locale whose description is the developer-facing status message:
    /// `en-US`, as AIP-193 wants `Status.message` in English.
    pub(crate) const DEVELOPER: Locale = Locale(DEVELOPER_INDEX);

    /// Every locale, in the order the proto declares them.
    pub fn iter() -> impl DoubleEndedIterator<Item = Locale> + ExactSizeIterator + Clone {
        (0..TAGS.len()).map(|index| Locale(index as u8))
    }

    /// The language tag, e.g. `"ko-KR"`, as sent in `LocalizedMessage.locale`.
    pub fn as_str(self) -> &'static str {
        TAGS[self.index()]
    }

    /// The locale whose tag is `tag`, ignoring ASCII case as language tags do.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        Locale::iter().find(|locale| locale.as_str().eq_ignore_ascii_case(tag))
    }

    /// The locale an `accept-language` value asks for: its language ranges
    /// by weight, each looked up as RFC 4647 §3.4 describes (`en-GB-oxendict`,
    /// then `en-GB`, then `en`), where a range also finds a locale it is a
    /// prefix of (`en` finds `en-US`, `ko` finds `ko-KR`). A range with
    /// `q=0` rules out the locales it matches.
    ///
    /// `None` when nothing matches, when the value is malformed throughout,
    /// or when it is longer than 4096 bytes or has more than 64 elements
    /// (malformed ones count too): the caller then gets its default. Malformed ranges (`q=NaN`, `q=2`,
    /// `e$n`) are passed over. It never allocates and takes time linear in
    /// the value's length.
    pub fn negotiate(accept_language: &[u8]) -> Option<Locale> {
        negotiate(&[accept_language]).matched
    }

    pub(crate) const fn index(self) -> usize {
        self.0 as usize
    }
}

/// `Locale("ko-KR")`.
impl fmt::Debug for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Locale").field(&self.as_str()).finish()
    }
}

/// The tag, e.g. `ko-KR`.
impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
