//! The ErrorInfo domain that scopes the catalogue's reasons.

use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::encode::DomainTables;

/// The domain sent in every `ErrorInfo` unless a service picks its own: the
/// proto package that defines the reasons.
pub const DEFAULT_DOMAIN: &str = "chat.errors.v1";

const MAX_DOMAIN_LEN: usize = 253;

/// The `ErrorInfo.domain` a service sends and a client expects.
///
/// AIP-193 scopes every reason to a domain, typically the service's
/// registered name. [`Domain::default()`] is [`DEFAULT_DOMAIN`]. A service
/// that picks its own puts it in its [`Settings`](crate::Settings), the one
/// place the server side reads it from; a client names the domain it
/// expects when it decodes.
///
/// Cloning is cheap: clones share the encoded details of every code, which
/// are built on first use.
///
/// ```
/// use chat_errors::{ChatStatusExt, Domain, ErrorCode};
///
/// let domain = Domain::new("chat.example.com")?;
/// let status = tonic::Status::from(ErrorCode::ChannelNotFound);
/// // Built outside a call: the default domain, which `domain` does not claim.
/// assert_eq!(status.chat_error_code(&Domain::default()), Some(ErrorCode::ChannelNotFound));
/// assert_eq!(status.chat_error_code(&domain), None);
/// # Ok::<(), chat_errors::InvalidDomain>(())
/// ```
#[derive(Clone)]
pub struct Domain(Arc<DomainInner>);

pub(crate) struct DomainInner {
    pub(crate) name: Box<str>,
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
        Ok(Domain::from_valid(name.into_boxed_str()))
    }

    fn from_valid(name: Box<str>) -> Domain {
        Domain(Arc::new(DomainInner {
            name,
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
        DEFAULT.get_or_init(|| Domain::from_valid(DEFAULT_DOMAIN.into()))
    }

    pub(crate) fn inner(&self) -> &DomainInner {
        &self.0
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
        Arc::ptr_eq(&self.0, &other.0) || self.as_str() == other.as_str()
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
