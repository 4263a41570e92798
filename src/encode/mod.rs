//! The server direction: [`ChatError`] and its conversion into `tonic::Status`.

mod bare_status;
mod details;
mod limits;
mod metadata;
mod relocalize;

use std::error::Error;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::domain::Domain;
use crate::locale::{call_domain, call_for_bare_status, call_locale};
use crate::{ErrorCode, FieldViolation, Locale, RequestInfo, ResourceInfo};
use tonic::Status;

pub(crate) use bare_status::BareStatus;
pub(crate) use details::DomainTables;
pub(crate) use details::pre_encoded;
#[cfg(feature = "http-json")]
pub(crate) use details::shared_bare_status;
use limits::clean;
pub use limits::{MAX_MESSAGE_BYTES, MAX_TRAILER_BYTES};
pub use metadata::{InvalidMetadataKey, MetadataKey};
pub(crate) use relocalize::relocalize;

/// An error a chat service raises: one [`ErrorCode`] plus optional extras.
///
/// Convert it into a [`tonic::Status`] with `into()` or `?`. The status
/// carries the code's gRPC code, its English description (or the custom
/// message), and `grpc-status-details-bin` holding ErrorInfo, one
/// LocalizedMessage and whichever extras were given.
///
/// Built while a [`Settings::layer`](crate::Settings::layer) serves the
/// call (in a handler, or a layer inside it), the error is in the call's
/// domain and its LocalizedMessage in the caller's locale; built elsewhere,
/// in the [default domain](crate::DEFAULT_DOMAIN) and the
/// [default locale](Locale::default), or in the locale
/// [`with_locale`](Self::with_locale) picks.
///
/// Every text it sends is cleaned alike: the custom message, metadata
/// values, and every string of the field violations, `ResourceInfo` and
/// `RequestInfo`. Control characters, the line and paragraph separators
/// (U+2028, U+2029) and the bidi controls (U+061C, U+200E, U+200F, U+202A
/// to U+202E, U+2066 to U+2069) become spaces, so a text cannot forge lines
/// in a client's logs or reorder what a UI shows, and a text over
/// [`MAX_MESSAGE_BYTES`] is cut at a character boundary and ends with `…`.
///
/// ```
/// use std::time::Duration;
/// use chat_errors::{ChatError, ErrorCode, MetadataKey};
///
/// let status: tonic::Status = ChatError::new(ErrorCode::TooManyRequests)
///     .with_retry_delay(Duration::from_secs(3))
///     .with_metadata(MetadataKey::from_static("limit"), "20/minute")
///     .into();
/// assert_eq!(status.code(), tonic::Code::ResourceExhausted);
/// assert_eq!(status.message(), "API rate limit exceeded.");
/// ```
///
/// The [source](ChatError::with_source) is for the server's logs: it is
/// attached to the `Status` as its `source()` and never encoded.
#[derive(Clone, Debug)]
pub struct ChatError {
    code: ErrorCode,
    locale: Locale,
    /// `None` is the default domain, which then costs no reference count.
    domain: Option<Domain>,
    message: Option<String>,
    /// What most errors never set, boxed so that an error stays small to
    /// move and to return in a `Result`.
    extras: Option<Box<Extras>>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Extras {
    pub(crate) metadata: Vec<(String, String)>,
    pub(crate) retry_delay: Option<Duration>,
    pub(crate) field_violations: Vec<FieldViolation>,
    pub(crate) resource_info: Option<ResourceInfo>,
    pub(crate) request_info: Option<RequestInfo>,
    source: Option<Arc<dyn Error + Send + Sync + 'static>>,
}

static NO_EXTRAS: Extras = Extras {
    metadata: Vec::new(),
    retry_delay: None,
    field_violations: Vec::new(),
    resource_info: None,
    request_info: None,
    source: None,
};

impl ChatError {
    /// The error `code`, with its English description as the message, in
    /// the domain and locale of the call being served (see above).
    pub fn new(code: ErrorCode) -> ChatError {
        ChatError {
            code,
            locale: call_locale(),
            domain: call_domain(),
            message: None,
            extras: None,
        }
    }

    /// Replaces the English description as `grpc-message` and as the
    /// `google.rpc.Status` message, cleaned (see above). The
    /// LocalizedMessage stays. An empty or blank message keeps the
    /// description, so that an error never goes out saying nothing.
    ///
    /// ```
    /// use chat_errors::{ChatError, ErrorCode};
    ///
    /// let status = ChatError::new(ErrorCode::ChannelNotFound)
    ///     .with_message("channel #general is\r\narchived")
    ///     .into_status();
    /// assert_eq!(status.message(), "channel #general is  archived");
    ///
    /// let blank = ChatError::new(ErrorCode::ChannelNotFound).with_message(" \n ");
    /// assert_eq!(blank.into_status().message(), "The channel does not exist.");
    /// ```
    #[must_use]
    pub fn with_message(mut self, message: impl Into<String>) -> ChatError {
        let message = clean(message.into());
        if !message.trim().is_empty() {
            self.message = Some(message);
        }
        self
    }

    /// Sends the LocalizedMessage in `locale` instead of the default.
    ///
    /// ```
    /// use chat_errors::{ChatError, ChatStatusExt, Domain, ErrorCode, Locale};
    /// let status = ChatError::new(ErrorCode::ChannelNotFound)
    ///     .with_locale(Locale::EN_US)
    ///     .into_status();
    /// let sent = status.get_chat_error(&Domain::default()).unwrap();
    /// let localized = sent.localized_message().unwrap();
    /// assert_eq!((localized.locale.as_str(), localized.message.as_str()),
    ///            ("en-US", "The channel does not exist."));
    /// ```
    #[must_use]
    pub fn with_locale(mut self, locale: Locale) -> ChatError {
        self.locale = locale;
        self
    }

    /// The error in `domain`, whatever the call's: the layers' own errors.
    pub(crate) fn in_domain(mut self, domain: Domain) -> ChatError {
        self.domain = Some(domain);
        self
    }

    /// Adds `key: value` to `ErrorInfo.metadata`, replacing an earlier value
    /// of the same key. The value is cleaned (see above).
    #[must_use]
    pub fn with_metadata(mut self, key: MetadataKey, value: impl Into<String>) -> ChatError {
        let key = key.as_str().to_owned();
        let value = clean(value.into());
        let metadata = &mut self.extras_mut().metadata;
        match metadata.iter_mut().find(|(existing, _)| *existing == key) {
            Some(entry) => entry.1 = value,
            None => metadata.push((key, value)),
        }
        self
    }

    /// Tells the client how long to wait before retrying, as `RetryInfo`.
    #[must_use]
    pub fn with_retry_delay(mut self, delay: Duration) -> ChatError {
        self.extras_mut().retry_delay = Some(delay);
        self
    }

    /// Adds a violation of `field` (a dotted path into the request), sent
    /// in one `BadRequest` with any others.
    #[must_use]
    pub fn with_field_violation(
        self,
        field: impl Into<String>,
        description: impl Into<String>,
    ) -> ChatError {
        self.with_field_violations([FieldViolation {
            field: field.into(),
            description: description.into(),
            ..FieldViolation::default()
        }])
    }

    /// Adds whole field violations, with their own reasons or localized
    /// messages, cleaned (see above).
    #[must_use]
    pub fn with_field_violations(
        mut self,
        violations: impl IntoIterator<Item = FieldViolation>,
    ) -> ChatError {
        let cleaned = violations.into_iter().map(|violation| FieldViolation {
            field: clean(violation.field),
            description: clean(violation.description),
            reason: clean(violation.reason),
            localized_message: violation.localized_message.map(|localized| {
                crate::LocalizedMessage {
                    locale: clean(localized.locale),
                    message: clean(localized.message),
                }
            }),
        });
        self.extras_mut().field_violations.extend(cleaned);
        self
    }

    /// Names the resource the error is about, as `ResourceInfo`, cleaned (see above).
    #[must_use]
    pub fn with_resource_info(mut self, resource: ResourceInfo) -> ChatError {
        self.extras_mut().resource_info = Some(ResourceInfo {
            resource_type: clean(resource.resource_type),
            resource_name: clean(resource.resource_name),
            owner: clean(resource.owner),
            description: clean(resource.description),
        });
        self
    }

    /// Identifies the request, as `RequestInfo`, so a client can quote it
    /// when reporting the error and the server's logs can be searched for
    /// it. Cleaned (see above).
    #[must_use]
    pub fn with_request_info(mut self, request: RequestInfo) -> ChatError {
        self.extras_mut().request_info = Some(RequestInfo {
            request_id: clean(request.request_id),
            serving_data: clean(request.serving_data),
        });
        self
    }

    /// Keeps the underlying cause for the server's logs. It is never sent:
    /// neither `grpc-message` nor the details mention it.
    #[must_use]
    pub fn with_source(mut self, source: impl Into<Box<dyn Error + Send + Sync>>) -> ChatError {
        self.extras_mut().source = Some(Arc::from(source.into()));
        self
    }

    /// The error code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The locale of the LocalizedMessage.
    pub(crate) fn locale(&self) -> Locale {
        self.locale
    }

    /// The domain sent in `ErrorInfo`.
    pub(crate) fn domain(&self) -> &Domain {
        self.domain
            .as_ref()
            .unwrap_or_else(|| Domain::default_ref())
    }

    /// The message sent to the client: the custom one, or the English description.
    pub(crate) fn message(&self) -> &str {
        self.message
            .as_deref()
            .unwrap_or_else(|| self.code.description(Locale::DEVELOPER))
    }

    /// The `tonic::Status` this error is sent as.
    pub(crate) fn to_status(&self) -> Status {
        let mut status = if self.has_only_defaults() {
            default_status(self.domain(), self.code, self.locale)
        } else {
            Status::with_details(self.code.grpc_code(), self.message(), details::encode(self))
        };
        if let Some(source) = &self.extras().source {
            status.set_source(Arc::clone(source));
        }
        status
    }

    /// Consumes the error into the `tonic::Status` it is sent as: the same as
    /// `Status::from`, for where inference needs a name.
    #[inline]
    pub fn into_status(self) -> Status {
        match self {
            // The common case, as cheap as `Status::from(code)`.
            ChatError {
                code,
                locale,
                domain: None,
                message: None,
                extras: None,
            } => default_status(Domain::default_ref(), code, locale),
            error => error.to_status(),
        }
    }

    /// Whether the wire form is the code's default: a source is never sent.
    pub(crate) fn has_only_defaults(&self) -> bool {
        let extras = self.extras();
        self.message.is_none()
            && extras.metadata.is_empty()
            && extras.retry_delay.is_none()
            && extras.field_violations.is_empty()
            && extras.resource_info.is_none()
            && extras.request_info.is_none()
    }

    pub(crate) fn extras(&self) -> &Extras {
        self.extras.as_deref().unwrap_or(&NO_EXTRAS)
    }

    fn extras_mut(&mut self) -> &mut Extras {
        self.extras.get_or_insert_with(Box::default)
    }
}

impl From<ErrorCode> for ChatError {
    fn from(code: ErrorCode) -> ChatError {
        ChatError::new(code)
    }
}

impl From<ChatError> for Status {
    fn from(error: ChatError) -> Status {
        error.into_status()
    }
}

/// `Err(ErrorCode::ChannelNotFound.into())` in a tonic handler: in the
/// domain and locale of the call being served, as with [`ChatError::new`].
impl From<ErrorCode> for Status {
    #[inline]
    fn from(code: ErrorCode) -> Status {
        match call_for_bare_status(code) {
            (locale, Some(domain)) => default_status(&domain, code, locale),
            (locale, None) => default_status(Domain::default_ref(), code, locale),
        }
    }
}

/// The status of `code` with nothing but the defaults, its details shared.
#[inline]
fn default_status(domain: &Domain, code: ErrorCode, locale: Locale) -> Status {
    Status::with_details(
        code.grpc_code(),
        code.description(Locale::DEVELOPER),
        details::static_details(domain, code, locale),
    )
}

/// `2003 ChannelNotFound: The channel does not exist.`, with the custom
/// message in place of the description when there is one.
impl fmt::Display for ChatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message())
    }
}

impl Error for ChatError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.extras()
            .source
            .as_deref()
            .map(|source| source as &(dyn Error + 'static))
    }
}
