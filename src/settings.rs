//! [`Settings`]: the one value a service's whole error stack is built from.

use http::HeaderMap;
use tonic::Status;

use crate::encode::{BareStatus, pre_encoded, relocalize};
use crate::layer::ServerLayer;
use crate::locale::{Negotiated, negotiate_headers};
use crate::{ChatError, Domain, ErrorCode, Locale};

/// A service's error settings: its domain and its locales.
///
/// Everything on the server side is built from one `Settings`, so the
/// domain and the locales are set in exactly one place:
///
/// - [`layer`](Self::layer) is the server stack for gRPC and gRPC-Web:
///   each caller's locale is negotiated from `accept-language`, every error
///   leaves in it, and whatever is not a chat error of the domain (a panic,
///   `Status::internal(format!("db: {e}"))`) leaves as `1003
///   InternalServerError` with a request id, its cause logged instead;
/// - `json_layer` (feature `http-json`) does the same for REST routes;
/// - while the layer serves a call, the errors its handlers build
///   (`ErrorCode::X.into()`, [`ChatError::new`](crate::ChatError::new)) are
///   in the call's domain and locale from the start.
///
/// The locale is negotiated as [`Locale::negotiate`] describes. When the
/// caller names nothing the catalogue has, or sends nothing, the default
/// locale applies (`ko-KR` unless
/// [`with_default_locale`](Self::with_default_locale) says otherwise), or,
/// if the caller ruled that out with `q=0`, the first locale it did not
/// rule out.
///
/// ```
/// use chat_errors::{Domain, Locale, Settings};
///
/// let settings = Settings::new(Domain::new("chat.example.com")?)
///     .with_default_locale(Locale::EN_US);
/// let _server = tonic::transport::Server::builder().layer(settings.layer());
/// # Ok::<(), chat_errors::InvalidDomain>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Settings {
    domain: Domain,
    default_locale: Locale,
    localized_status_message: bool,
    #[cfg(feature = "opentelemetry")]
    metrics: Option<crate::metrics::ServerMetrics>,
}

impl Settings {
    /// Settings for `domain`, with `ko-KR` as the default locale and English
    /// status messages. [`Settings::default()`] is the same for the
    /// [default domain](crate::DEFAULT_DOMAIN).
    pub fn new(domain: Domain) -> Settings {
        Settings {
            domain,
            ..Settings::default()
        }
    }

    /// Sends errors in `locale` when the caller names no locale of the catalogue.
    #[must_use]
    pub fn with_default_locale(mut self, locale: Locale) -> Settings {
        self.default_locale = locale;
        self
    }

    /// With `true`, a status whose message is its code's description sends
    /// that description in the negotiated locale as `grpc-message` and
    /// `google.rpc.Status.message` too, when the caller asked for that
    /// locale. Custom messages stay as they are. Off by default: AIP-193
    /// keeps `Status.message` for developers, in English.
    #[must_use]
    pub fn with_localized_status_message(mut self, localized: bool) -> Settings {
        self.localized_status_message = localized;
        self
    }

    /// Makes [`layer`](Self::layer) record `rpc.server.call.duration` with
    /// `meter`, for every call, with the status the caller gets (after
    /// masking), and record the same attributes on the call's span; see
    /// [`metrics`](crate::metrics). Without it the stack records nothing
    /// and costs nothing more.
    ///
    /// ```
    /// use chat_errors::Settings;
    ///
    /// let meter = opentelemetry::global::meter("chat-server");
    /// let _server = tonic::transport::Server::builder()
    ///     .trace_fn(|request| chat_errors::metrics::server_span(request))
    ///     .layer(Settings::default().with_meter(&meter).layer());
    /// ```
    #[cfg(feature = "opentelemetry")]
    #[must_use]
    pub fn with_meter(mut self, meter: &opentelemetry::metrics::Meter) -> Settings {
        self.metrics = Some(crate::metrics::ServerMetrics::new(meter));
        self
    }

    #[cfg(feature = "opentelemetry")]
    pub(crate) fn metrics(&self) -> Option<&crate::metrics::ServerMetrics> {
        self.metrics.as_ref()
    }

    /// The domain of the service's errors.
    pub fn domain(&self) -> &Domain {
        &self.domain
    }

    /// The error `code` in this service's domain, for an error built
    /// outside a call the layer serves (on a spawned task, say), where
    /// [`ChatError::new`] would take the default domain.
    pub fn error(&self, code: ErrorCode) -> ChatError {
        ChatError::new(code).in_domain(self.domain.clone())
    }

    /// The server stack for gRPC and gRPC-Web; see [`ServerLayer`].
    pub fn layer(&self) -> ServerLayer {
        ServerLayer::new(self.clone())
    }

    /// The locale for a request with these headers, from its
    /// `accept-language` (every such header, as one list).
    pub(crate) fn negotiate(&self, headers: &HeaderMap) -> Negotiated {
        negotiate_headers(headers, self.default_locale)
    }

    /// The shared status of `code` as a caller who negotiated `negotiated`
    /// gets it: what [`relocalize`](Settings::relocalize) leaves alone.
    pub(crate) fn bare_status(&self, code: ErrorCode, negotiated: Negotiated) -> &BareStatus {
        pre_encoded(&self.domain, code)
            .bare_status(negotiated.locale, self.localizes_message(negotiated))
    }

    /// `status` as it is sent to a caller who negotiated `negotiated`, or
    /// `None` to send it as it is.
    pub(crate) fn relocalize(
        &self,
        status: &Status,
        code: Option<ErrorCode>,
        negotiated: Negotiated,
    ) -> Option<Status> {
        relocalize(
            status,
            code,
            &self.domain,
            negotiated.locale,
            self.localizes_message(negotiated),
        )
    }

    /// Whether the status message, too, is sent in the negotiated locale:
    /// only when the settings say so and the caller asked for one.
    fn localizes_message(&self, negotiated: Negotiated) -> bool {
        self.localized_status_message && negotiated.requested
    }
}
