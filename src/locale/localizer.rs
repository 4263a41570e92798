//! A service's locale settings: how it negotiates a caller's locale and
//! sends a status in it.

use http::HeaderMap;
use http::header::HeaderName;
use tonic::Status;

use super::accept_language::Negotiation;
use super::{Locale, MAX_LANGUAGE_RANGES, negotiate};
use crate::Domain;
use crate::encode::{Relocalized, relocalize};

/// The request header a caller names its languages in.
pub const ACCEPT_LANGUAGE: HeaderName = http::header::ACCEPT_LANGUAGE;

/// The locale negotiated for one call.
///
/// A [`LocaleLayer`](crate::layer::LocaleLayer) puts it in each request's
/// extensions, where a handler finds it:
///
/// ```
/// use chat_errors::{ErrorCode, NegotiatedLocale};
/// use tonic::{Request, Status};
///
/// fn greet(request: Request<()>) -> Result<String, Status> {
///     let locale = request
///         .extensions()
///         .get::<NegotiatedLocale>()
///         .map(|negotiated| negotiated.locale())
///         .unwrap_or_default();
///     Ok(format!("{}: {}", locale, ErrorCode::ChannelNotFound.description(locale)))
/// }
/// assert_eq!(greet(Request::new(())).unwrap(), "ko-KR: 존재하지 않는 채널입니다");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct NegotiatedLocale {
    locale: Locale,
    requested: bool,
}

impl NegotiatedLocale {
    /// The locale the call's errors are sent in.
    pub fn locale(self) -> Locale {
        self.locale
    }

    /// Whether the caller's `accept-language` chose it, rather than the
    /// service's default standing in because the caller named nothing the
    /// catalogue has.
    pub fn was_requested(self) -> bool {
        self.requested
    }
}

/// How a service picks the locale of its errors and sends them in it.
///
/// - The locale is negotiated from the caller's `accept-language`, as
///   [`Locale::negotiate`] describes. When that names nothing the catalogue
///   has, or is absent or hostile, the service's default locale applies
///   ([`Locale::default`], `ko-KR`, unless
///   [`with_default_locale`](Self::with_default_locale) sets another), or,
///   if the caller ruled that out with `q=0`, the first locale it did not
///   rule out.
/// - A status then carries exactly one `LocalizedMessage`, in that locale.
/// - `grpc-message` and `google.rpc.Status.message` stay the English,
///   developer-facing description, as AIP-193 asks, unless
///   [`with_localized_status_message`](Self::with_localized_status_message)
///   is set.
///
/// A server installs it with [`LocaleLayer`](crate::layer::LocaleLayer);
/// other front ends (REST, say) call [`negotiate`](Self::negotiate) and
/// [`localize`](Self::localize) themselves.
///
/// ```
/// use chat_errors::{ChatStatusExt, ErrorCode, Locale, Localizer};
///
/// let localizer = Localizer::new();
/// let mut headers = http::HeaderMap::new();
/// headers.insert("accept-language", "en-GB,en;q=0.9,ko;q=0.5".parse().unwrap());
/// let negotiated = localizer.negotiate(&headers);
/// assert_eq!(negotiated.locale(), Locale::EN_US);
///
/// let status = localizer
///     .localize(&ErrorCode::ChannelNotFound.into(), negotiated)
///     .expect("sent in ko-KR, wanted in en-US");
/// let sent = status.get_chat_error().unwrap();
/// assert_eq!(sent.localized_message().unwrap().message, "The channel does not exist.");
/// assert_eq!(status.message(), "The channel does not exist.");
///
/// // Nothing asked: the default locale, today's bytes exactly.
/// let nothing = localizer.negotiate(&http::HeaderMap::new());
/// assert_eq!(nothing.locale(), Locale::KO_KR);
/// assert!(localizer.localize(&ErrorCode::ChannelNotFound.into(), nothing).is_none());
/// ```
#[derive(Clone, Debug, Default)]
pub struct Localizer {
    default_locale: Locale,
    domain: Domain,
    localized_status_message: bool,
}

impl Localizer {
    /// The default settings: `ko-KR` when the caller names no locale of the
    /// catalogue, the [default domain](crate::DEFAULT_DOMAIN), English status messages.
    pub fn new() -> Localizer {
        Localizer::default()
    }

    /// Sends errors in `locale` when the caller names no locale of the catalogue.
    #[must_use]
    pub fn with_default_locale(mut self, locale: Locale) -> Localizer {
        self.default_locale = locale;
        self
    }

    /// Localizes chat errors of `domain` (the default domain otherwise).
    #[must_use]
    pub fn with_domain(mut self, domain: Domain) -> Localizer {
        self.domain = domain;
        self
    }

    /// With `true`, a status whose message is its code's description sends
    /// that description in the negotiated locale as `grpc-message` and
    /// `google.rpc.Status.message` too, when the caller asked for the locale
    /// ([`NegotiatedLocale::was_requested`]). Custom messages stay as they
    /// are. Off by default: AIP-193 keeps `Status.message` for developers,
    /// in English.
    #[must_use]
    pub fn with_localized_status_message(mut self, localized: bool) -> Localizer {
        self.localized_status_message = localized;
        self
    }

    /// The locale errors are sent in when the caller names none.
    pub fn default_locale(&self) -> Locale {
        self.default_locale
    }

    /// The domain whose chat errors are localized.
    pub fn domain(&self) -> &Domain {
        &self.domain
    }

    /// The locale for a request with these headers, from its
    /// `accept-language` (every such header, as one list).
    pub fn negotiate(&self, headers: &HeaderMap) -> NegotiatedLocale {
        let mut lines = headers.get_all(ACCEPT_LANGUAGE).iter();
        let negotiation = match (lines.next(), lines.next()) {
            (None, _) => Negotiation::default(),
            (Some(only), None) => negotiate(&[only.as_bytes()]),
            (Some(_), Some(_)) => {
                // Each header line holds at least one element, so more lines
                // than elements allowed are too many: the rest need no room.
                let mut values = [&[][..]; MAX_LANGUAGE_RANGES + 1];
                let all = headers.get_all(ACCEPT_LANGUAGE);
                let mut count = 0;
                for (slot, value) in values.iter_mut().zip(all) {
                    *slot = value.as_bytes();
                    count += 1;
                }
                negotiate(&values[..count])
            }
        };
        match negotiation.matched {
            Some(locale) => NegotiatedLocale {
                locale,
                requested: true,
            },
            None => NegotiatedLocale {
                locale: std::iter::once(self.default_locale)
                    .chain(Locale::iter())
                    .find(|locale| !negotiation.excluded.contains(*locale))
                    .unwrap_or(self.default_locale),
                requested: false,
            },
        }
    }

    /// `status` as it is sent to a caller who negotiated `negotiated`: its
    /// one LocalizedMessage in that locale, and its message too when
    /// [`with_localized_status_message`](Self::with_localized_status_message)
    /// says so.
    ///
    /// `None` when `status` is already so, or is not a chat error of the
    /// domain, or its details do not parse: send it as it is. The result
    /// keeps the status's metadata but not its `source()`, which tonic
    /// cannot hand over.
    pub fn localize(&self, status: &Status, negotiated: NegotiatedLocale) -> Option<Status> {
        self.relocalize(status, negotiated)
            .map(|relocalized| relocalized.status)
    }

    /// [`localize`](Self::localize), with the header values of a bare code's
    /// status already encoded.
    pub(crate) fn relocalize(
        &self,
        status: &Status,
        negotiated: NegotiatedLocale,
    ) -> Option<Relocalized<'_>> {
        relocalize(
            status,
            &self.domain,
            negotiated.locale,
            self.localized_status_message && negotiated.requested,
        )
    }
}
