//! [`ErrorCode`] and its metadata, generated from `chat_errors.proto`.

use std::fmt;
use std::str::FromStr;

use crate::Locale;
use crate::http_status::http_status_for;

include!(concat!(env!("OUT_DIR"), "/error_code.rs"));

/// One row of the catalogue, as the proto's value options give it.
pub(crate) struct Entry {
    code: ErrorCode,
    /// The numeric code as text, e.g. `"2003"`, for metric attributes that
    /// must not allocate per call.
    #[cfg_attr(not(feature = "opentelemetry"), allow(dead_code))]
    number_text: &'static str,
    reason: &'static str,
    original_name: &'static str,
    grpc_code: tonic::Code,
    retryable: bool,
    /// The description in each locale, by locale index.
    descriptions: [&'static str; Locale::COUNT],
}

impl ErrorCode {
    #[cfg(feature = "http-json")]
    pub(crate) const COUNT: usize = ENTRIES.len();

    fn entry(self) -> &'static Entry {
        &ENTRIES[self.index()]
    }

    /// Every code, in ascending numeric order.
    ///
    /// ```
    /// use chat_errors::ErrorCode;
    /// assert_eq!(ErrorCode::iter().len(), 57);
    /// assert_eq!(ErrorCode::iter().next(), Some(ErrorCode::ParamsBindingError));
    /// ```
    pub fn iter() -> impl DoubleEndedIterator<Item = ErrorCode> + ExactSizeIterator + Clone {
        ENTRIES.iter().map(|entry| entry.code)
    }

    /// The numeric code, e.g. `2003`.
    pub const fn as_i32(self) -> i32 {
        self as i32
    }

    /// The code whose number is `number`, if this catalogue has it.
    ///
    /// ```
    /// use chat_errors::ErrorCode;
    /// assert_eq!(ErrorCode::from_i32(2027), Some(ErrorCode::MutedInChannel));
    /// assert_eq!(ErrorCode::from_i32(1008), None);
    /// ```
    pub fn from_i32(number: i32) -> Option<ErrorCode> {
        ENTRIES
            .binary_search_by_key(&number, |entry| entry.code.as_i32())
            .ok()
            .map(|index| ENTRIES[index].code)
    }

    /// The code whose ErrorInfo reason is `reason`, e.g. `"CHANNEL_NOT_FOUND"`.
    /// Reasons are case-sensitive, as AIP-193 defines them.
    pub fn from_reason(reason: &str) -> Option<ErrorCode> {
        ErrorCode::from_reason_exact(reason)
    }

    /// The numeric code as text, e.g. `"2003"`.
    #[cfg(feature = "opentelemetry")]
    pub(crate) fn number_text(self) -> &'static str {
        self.entry().number_text
    }

    /// The AIP-193 reason sent in `ErrorInfo.reason`, e.g. `"CHANNEL_NOT_FOUND"`.
    pub fn reason(self) -> &'static str {
        self.entry().reason
    }

    /// The error's name in the platform's original document, e.g.
    /// `"ChannelNotFound"`; sent as ErrorInfo metadata `message`.
    pub fn name(self) -> &'static str {
        self.entry().original_name
    }

    /// The gRPC status code this error is sent with.
    pub fn grpc_code(self) -> tonic::Code {
        self.entry().grpc_code
    }

    /// The HTTP status of [`grpc_code`](Self::grpc_code) under the standard
    /// gRPC-to-HTTP mapping.
    pub fn http_status(self) -> http::StatusCode {
        http_status_for(self.grpc_code())
    }

    /// Whether a client may retry the same request unchanged: true for
    /// server errors, rate limiting and failed uploads.
    pub fn is_retryable(self) -> bool {
        self.entry().retryable
    }

    /// The description in `locale`, sent as the `LocalizedMessage` of a
    /// caller who negotiated that locale.
    ///
    /// ```
    /// use chat_errors::{ErrorCode, Locale};
    /// assert_eq!(ErrorCode::MutedInChannel.description(Locale::KO_KR), "채널에서 mute된 상태입니다");
    /// ```
    pub fn description(self, locale: Locale) -> &'static str {
        self.entry().descriptions[locale.index()]
    }
}

/// `2003 ChannelNotFound`: the number, then the original name.
impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.as_i32(), self.name())
    }
}

/// Parses the number, e.g. `"2003"`, as `http::StatusCode` parses `"404"`:
/// decimal digits only, for a code this catalogue has. The reason has its
/// own parser, [`ErrorCode::from_reason`].
///
/// ```
/// use chat_errors::ErrorCode;
/// assert_eq!("2003".parse(), Ok(ErrorCode::ChannelNotFound));
/// assert!("CHANNEL_NOT_FOUND".parse::<ErrorCode>().is_err());
/// assert!("+2003".parse::<ErrorCode>().is_err());
/// assert!("02003".parse::<ErrorCode>().is_err());
/// ```
impl FromStr for ErrorCode {
    type Err = UnknownErrorCode;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.parse()
            .ok()
            .and_then(ErrorCode::from_i32)
            // Canonical decimal only: no sign, space or leading zero.
            .filter(|code| code.as_i32().to_string() == text)
            .ok_or_else(|| UnknownErrorCode(text.to_owned()))
    }
}

impl From<ErrorCode> for i32 {
    fn from(code: ErrorCode) -> i32 {
        code.as_i32()
    }
}

/// A text that names no code of the catalogue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownErrorCode(String);

impl UnknownErrorCode {
    /// The text or number that was looked up.
    pub fn input(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown chat error code {:?}", self.0)
    }
}

impl std::error::Error for UnknownErrorCode {}
