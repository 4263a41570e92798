//! [`ErrorCode`] and its metadata, generated from `chat_errors.proto`.

use std::fmt;
use std::str::FromStr;

use crate::Locale;
use crate::http_status::http_status_for;

include!(concat!(env!("OUT_DIR"), "/error_code.rs"));

/// One row of the catalogue, as the proto's value options give it.
pub(crate) struct Entry {
    code: ErrorCode,
    reason: &'static str,
    original_name: &'static str,
    grpc_code: tonic::Code,
    retryable: bool,
    /// The description in each locale, by locale index.
    descriptions: [&'static str; Locale::COUNT],
}

impl ErrorCode {
    /// How many codes the catalogue has.
    pub const COUNT: usize = ENTRIES.len();

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

    /// The lowest code whose original name is `name`, e.g. `"ChannelNotFound"`.
    ///
    /// Original names are not unique: `InternalServerError` names 1003, 1004,
    /// 1005 and 3000, and this returns 1003 for it. Use the number or the
    /// reason where the exact code matters.
    pub fn from_name(name: &str) -> Option<ErrorCode> {
        ENTRIES
            .iter()
            .find(|entry| entry.original_name == name)
            .map(|entry| entry.code)
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

    /// The Korean description, byte for byte as in the platform's document:
    /// [`description`](Self::description) in [`Locale::KO_KR`].
    pub fn description_ko(self) -> &'static str {
        self.description(Locale::KO_KR)
    }

    /// The English description, the default `grpc-message` and developer
    /// message: [`description`](Self::description) in [`Locale::EN_US`].
    pub fn description_en(self) -> &'static str {
        self.description(Locale::DEVELOPER)
    }
}

/// `2003 ChannelNotFound`: the number, then the original name.
impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.as_i32(), self.name())
    }
}

/// Parses a number (`2003`), a reason (`CHANNEL_NOT_FOUND`), a proto value
/// name (`ERROR_CODE_CHANNEL_NOT_FOUND`), an original name
/// (`ChannelNotFound`, see [`ErrorCode::from_name`]) or the `Display` form
/// (`2003 ChannelNotFound`).
///
/// ```
/// use chat_errors::ErrorCode;
/// for text in ["2003", "CHANNEL_NOT_FOUND", "ERROR_CODE_CHANNEL_NOT_FOUND", "ChannelNotFound"] {
///     assert_eq!(text.parse(), Ok(ErrorCode::ChannelNotFound));
/// }
/// let code = ErrorCode::InternalServerError3000;
/// assert_eq!(code.to_string().parse(), Ok(code));
/// ```
impl FromStr for ErrorCode {
    type Err = UnknownErrorCode;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        let parsed = match trimmed.split_once(' ') {
            Some((number, name)) => number
                .parse()
                .ok()
                .and_then(ErrorCode::from_i32)
                .filter(|code| code.name() == name.trim()),
            None => trimmed
                .parse()
                .ok()
                .and_then(ErrorCode::from_i32)
                .or_else(|| ErrorCode::from_reason(trimmed))
                .or_else(|| {
                    trimmed
                        .strip_prefix("ERROR_CODE_")
                        .and_then(ErrorCode::from_reason)
                })
                .or_else(|| ErrorCode::from_name(trimmed)),
        };
        parsed.ok_or_else(|| UnknownErrorCode(text.to_owned()))
    }
}

impl From<ErrorCode> for i32 {
    fn from(code: ErrorCode) -> i32 {
        code.as_i32()
    }
}

impl TryFrom<i32> for ErrorCode {
    type Error = UnknownErrorCode;

    fn try_from(number: i32) -> Result<Self, Self::Error> {
        ErrorCode::from_i32(number).ok_or_else(|| UnknownErrorCode(number.to_string()))
    }
}

impl From<ErrorCode> for crate::pb::ErrorCode {
    fn from(code: ErrorCode) -> crate::pb::ErrorCode {
        match crate::pb::ErrorCode::try_from(code.as_i32()) {
            Ok(proto) => proto,
            Err(_) => unreachable!("both enums are generated from the same proto values"),
        }
    }
}

impl TryFrom<crate::pb::ErrorCode> for ErrorCode {
    type Error = UnknownErrorCode;

    /// Fails only for `ERROR_CODE_UNSPECIFIED`.
    fn try_from(proto: crate::pb::ErrorCode) -> Result<Self, Self::Error> {
        ErrorCode::try_from(proto as i32)
    }
}

/// A number or name that is not in the catalogue.
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
