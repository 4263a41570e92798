//! The ErrorInfo domain that scopes the catalogue's reasons.

use std::fmt;
use std::sync::{Arc, OnceLock};

use tonic::Status;

use crate::decode::{Strictness, decode_status};
use crate::encode::DomainTables;
use crate::{ChatError, DecodedChatError, ErrorCode, NotChatError};

/// The domain sent in every `ErrorInfo` unless a service picks its own: the
/// proto package that defines the reasons.
pub const DEFAULT_DOMAIN: &str = "chat.errors.v1";

const MAX_DOMAIN_LEN: usize = 253;

/// The `ErrorInfo.domain` a service sends and a client expects.
///
/// AIP-193 scopes every reason to a domain, typically the service's
/// registered name. [`Domain::default()`] is [`DEFAULT_DOMAIN`]. A service
/// that picks its own builds one `Domain` at start-up and hands it to the
/// places that raise or decode errors; there is no global setting to race on.
///
/// Cloning is cheap: clones share the encoded details of every code, which
/// are built on first use.
///
/// ```
/// use chat_errors::{ChatStatusExt, Domain, ErrorCode};
///
/// let domain = Domain::new("chat.example.com")?;
/// let status = domain.error(ErrorCode::ChannelNotFound).into_status();
/// assert_eq!(status.chat_error_code_in(&domain), Some(ErrorCode::ChannelNotFound));
/// // A client that expects the default domain does not claim it.
/// assert_eq!(status.chat_error_code(), None);
/// # Ok::<(), chat_errors::InvalidDomain>(())
/// ```
#[derive(Clone)]
pub struct Domain(Arc<DomainInner>);

pub(crate) struct DomainInner {
    pub(crate) name: Box<str>,
    /// Whether this domain lives as long as the process, so its encoded
    /// details can be `'static` and shared without reference counting.
    pub(crate) lives_forever: bool,
    /// Each code's shared encoded parts, encoded on first use.
    pub(crate) pre_encoded: OnceLock<DomainTables>,
}

impl Domain {
    /// A domain named `name`: 1 to 253 ASCII letters, digits, `.`, `-` or `_`.
    pub fn new(name: impl Into<String>) -> Result<Domain, InvalidDomain> {
        let name = name.into();
        let valid = !name.is_empty()
            && name.len() <= MAX_DOMAIN_LEN
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
        if !valid {
            return Err(InvalidDomain(name));
        }
        Ok(Domain::from_valid(name.into_boxed_str(), false))
    }

    fn from_valid(name: Box<str>, lives_forever: bool) -> Domain {
        Domain(Arc::new(DomainInner {
            name,
            lives_forever,
            pre_encoded: OnceLock::new(),
        }))
    }

    /// The domain's name, as sent in `ErrorInfo.domain`.
    pub fn as_str(&self) -> &str {
        &self.0.name
    }

    /// The process-wide default domain, without touching its reference count.
    pub(crate) fn default_ref() -> &'static Domain {
        static DEFAULT: OnceLock<Domain> = OnceLock::new();
        DEFAULT.get_or_init(|| Domain::from_valid(DEFAULT_DOMAIN.into(), true))
    }

    pub(crate) fn inner(&self) -> &DomainInner {
        &self.0
    }

    /// The error `code` in this domain: shorthand for
    /// `ChatError::new(code).with_domain(domain.clone())`.
    pub fn error(&self, code: ErrorCode) -> ChatError {
        ChatError::new(code).with_domain(self.clone())
    }

    /// Takes `status` apart as a chat error of this domain, strictly, or
    /// hands it back when it is not one.
    ///
    /// ```
    /// use chat_errors::{Domain, ErrorCode};
    /// let domain = Domain::default();
    /// let err = domain.decode(ErrorCode::ChannelNotFound.into()).expect("a chat error");
    /// assert!(err.is(ErrorCode::ChannelNotFound));
    ///
    /// let plain = tonic::Status::not_found("no such route");
    /// let handed_back = domain.decode(plain).unwrap_err().into_status();
    /// assert_eq!(handed_back.message(), "no such route");
    /// ```
    pub fn decode(&self, status: Status) -> Result<DecodedChatError, NotChatError> {
        match decode_status(&status, self.as_str(), Strictness::Strict) {
            Ok(Some(decoded)) => Ok(decoded),
            Ok(None) => Err(NotChatError::new(status, None)),
            Err(cause) => Err(NotChatError::new(status, Some(cause))),
        }
    }
}

impl Default for Domain {
    /// [`DEFAULT_DOMAIN`]. Every default shares one cache of encoded details.
    fn default() -> Domain {
        Domain::default_ref().clone()
    }
}

impl PartialEq for Domain {
    fn eq(&self, other: &Domain) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Domain {}

impl std::hash::Hash for Domain {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Domain").field(&self.as_str()).finish()
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Domain {
    type Err = InvalidDomain;

    fn from_str(name: &str) -> Result<Domain, InvalidDomain> {
        Domain::new(name)
    }
}

/// A domain name that is empty, too long, or has characters outside
/// ASCII letters, digits, `.`, `-` and `_`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidDomain(String);

impl fmt::Display for InvalidDomain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid ErrorInfo domain {:?}: use 1 to {MAX_DOMAIN_LEN} ASCII letters, digits, '.', '-' or '_'",
            self.0
        )
    }
}

impl std::error::Error for InvalidDomain {}
