//! The server direction: [`ChatError`] and its conversion into `tonic::Status`.

mod bare_status;
mod details;
mod limits;
mod metadata;
mod relocalize;
mod writer;

use std::error::Error;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::domain::Domain;
use crate::locale::call_locale;
use crate::{ErrorCode, FieldViolation, Locale, RequestInfo, ResourceInfo};
use tonic::Status;

pub(crate) use bare_status::StatusHeaderValues;
pub(crate) use details::{DomainTables, shared_bare_status};
pub use limits::{MAX_MESSAGE_BYTES, MAX_TRAILER_BYTES};
pub use metadata::{MAX_METADATA_KEY_LEN, MetadataError};
pub(crate) use relocalize::{Relocalized, relocalize};

/// An error a chat service raises: one [`ErrorCode`] plus optional extras.
///
/// Convert it into a [`tonic::Status`] with `into()` or `?`. The status
/// carries the code's gRPC code, its English description (or the custom
/// message), and `grpc-status-details-bin` holding ErrorInfo, one
/// LocalizedMessage and whichever extras were given.
///
/// The LocalizedMessage is in the caller's locale when the error is built
/// while a [`LocaleLayer`](crate::layer::LocaleLayer) serves the call (in a
/// handler, or a layer inside it), in the [default locale](Locale::default)
/// otherwise, or in the one [`with_locale`](Self::with_locale) picks. Behind
/// the layer it goes out in the caller's locale whatever was picked here:
/// building it in that locale only spares the layer rebuilding it.
///
/// ```
/// use std::time::Duration;
/// use chat_errors::{ChatError, ErrorCode};
///
/// let status: tonic::Status = ChatError::new(ErrorCode::TooManyRequests)
///     .with_retry_delay(Duration::from_secs(3))
///     .with_metadata("limit", "20/minute")?
///     .into();
/// assert_eq!(status.code(), tonic::Code::ResourceExhausted);
/// assert_eq!(status.message(), "API rate limit exceeded.");
/// # Ok::<(), chat_errors::MetadataError>(())
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
    /// The error `code` in the [default domain](crate::DEFAULT_DOMAIN), with
    /// its English description as the message, and its LocalizedMessage in
    /// the locale of the call being served (see above).
    pub fn new(code: ErrorCode) -> ChatError {
        ChatError {
            code,
            locale: call_locale(),
            domain: None,
            message: None,
            extras: None,
        }
    }

    /// Replaces the English description as `grpc-message` and as the
    /// `google.rpc.Status` message. The LocalizedMessage stays.
    ///
    /// Control characters, the line and paragraph separators (U+2028,
    /// U+2029) and the bidi controls (U+061C, U+200E, U+200F, U+202A to
    /// U+202E, U+2066 to U+2069) become spaces, so a message cannot forge
    /// lines in a client's logs or reorder what a UI shows; a message over
    /// [`MAX_MESSAGE_BYTES`] is cut at a character boundary and ends with `…`.
    #[must_use]
    pub fn with_message(mut self, message: impl Into<String>) -> ChatError {
        self.message = Some(limits::sanitize_message(message.into()));
        self
    }

    /// Sends the LocalizedMessage in `locale` instead of the default.
    ///
    /// ```
    /// use chat_errors::{ChatError, ChatStatusExt, ErrorCode, Locale};
    /// let status = ChatError::new(ErrorCode::ChannelNotFound)
    ///     .with_locale(Locale::EN_US)
    ///     .into_status();
    /// let sent = status.get_chat_error().unwrap();
    /// let localized = sent.localized_message().unwrap();
    /// assert_eq!((localized.locale.as_str(), localized.message.as_str()),
    ///            ("en-US", "The channel does not exist."));
    /// ```
    #[must_use]
    pub fn with_locale(mut self, locale: Locale) -> ChatError {
        self.locale = locale;
        self
    }

    /// Sends the error under `domain` instead of the default.
    #[must_use]
    pub fn with_domain(mut self, domain: Domain) -> ChatError {
        self.domain = Some(domain);
        self
    }

    /// Adds `key: value` to `ErrorInfo.metadata`, replacing an earlier value
    /// of the same key.
    ///
    /// # Errors
    ///
    /// [`MetadataError::ReservedKey`] for `code` and `message`, which the
    /// error code fills in, and `truncated`, which marks what the size cap
    /// dropped ([`MAX_TRAILER_BYTES`]); [`MetadataError::InvalidKey`] for a key
    /// outside ErrorInfo's `[a-z][a-zA-Z0-9-_]+` (at most 64 characters).
    pub fn with_metadata(
        mut self,
        key: impl Into<String>,
        value: impl Into<String>,
    ) -> Result<ChatError, MetadataError> {
        let key = key.into();
        metadata::check_key(&key)?;
        let value = value.into();
        let metadata = &mut self.extras_mut().metadata;
        match metadata.iter_mut().find(|(existing, _)| *existing == key) {
            Some(entry) => entry.1 = value,
            None => metadata.push((key, value)),
        }
        Ok(self)
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

    /// Adds whole field violations, with their own reasons or localized messages.
    #[must_use]
    pub fn with_field_violations(
        mut self,
        violations: impl IntoIterator<Item = FieldViolation>,
    ) -> ChatError {
        self.extras_mut().field_violations.extend(violations);
        self
    }

    /// Names the resource the error is about, as `ResourceInfo`.
    #[must_use]
    pub fn with_resource_info(mut self, resource: ResourceInfo) -> ChatError {
        self.extras_mut().resource_info = Some(resource);
        self
    }

    /// Identifies the request, as `RequestInfo`, so a client can quote it
    /// when reporting the error and the server's logs can be searched for it.
    #[must_use]
    pub fn with_request_info(mut self, request: RequestInfo) -> ChatError {
        self.extras_mut().request_info = Some(request);
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
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// The domain sent in `ErrorInfo`.
    pub fn domain(&self) -> &Domain {
        self.domain
            .as_ref()
            .unwrap_or_else(|| Domain::default_ref())
    }

    /// The message sent to the client: the custom one, or the English description.
    pub fn message(&self) -> &str {
        self.message
            .as_deref()
            .unwrap_or_else(|| self.code.description_en())
    }

    /// The extra ErrorInfo metadata, in the order it was added.
    pub fn metadata(&self) -> impl ExactSizeIterator<Item = (&str, &str)> {
        self.extras()
            .metadata
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The retry delay, if one was given.
    pub fn retry_delay(&self) -> Option<Duration> {
        self.extras().retry_delay
    }

    /// The field violations, in the order they were added.
    pub fn field_violations(&self) -> &[FieldViolation] {
        &self.extras().field_violations
    }

    /// The resource info, if any was given.
    pub fn resource_info(&self) -> Option<&ResourceInfo> {
        self.extras().resource_info.as_ref()
    }

    /// The request info, if any was given.
    pub fn request_info(&self) -> Option<&RequestInfo> {
        self.extras().request_info.as_ref()
    }

    /// The `tonic::Status` this error is sent as.
    pub fn to_status(&self) -> Status {
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

    /// Consumes the error into the `tonic::Status` it is sent as.
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

/// `Err(ErrorCode::ChannelNotFound.into())` in a tonic handler: the
/// LocalizedMessage is in the locale of the call being served, as with
/// [`ChatError::new`].
impl From<ErrorCode> for Status {
    #[inline]
    fn from(code: ErrorCode) -> Status {
        default_status(Domain::default_ref(), code, call_locale())
    }
}

/// The status of `code` with nothing but the defaults, its details shared.
#[inline]
fn default_status(domain: &Domain, code: ErrorCode, locale: Locale) -> Status {
    Status::with_details(
        code.grpc_code(),
        code.description_en(),
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
