//! Names that both directions of the wire contract share.

/// The ErrorInfo metadata key that holds the numeric code, e.g. `"2003"`.
pub const METADATA_CODE_KEY: &str = "code";
/// The ErrorInfo metadata key that holds the original error name, e.g. `"ChannelNotFound"`.
pub const METADATA_NAME_KEY: &str = "message";
/// The locale of the `LocalizedMessage` every chat error carries.
pub const KOREAN_LOCALE: &str = "ko-KR";

pub(crate) const TYPE_URL_PREFIX: &str = "type.googleapis.com/";
pub(crate) const ERROR_INFO: &str = "google.rpc.ErrorInfo";
pub(crate) const LOCALIZED_MESSAGE: &str = "google.rpc.LocalizedMessage";
pub(crate) const RETRY_INFO: &str = "google.rpc.RetryInfo";
pub(crate) const BAD_REQUEST: &str = "google.rpc.BadRequest";
pub(crate) const RESOURCE_INFO: &str = "google.rpc.ResourceInfo";
pub(crate) const REQUEST_INFO: &str = "google.rpc.RequestInfo";

/// The message name an `Any` type URL points at, whatever its host prefix,
/// as protobuf's own `Any.Is` reads it.
pub(crate) fn type_name(type_url: &str) -> &str {
    type_url.rsplit_once('/').map_or(type_url, |(_, name)| name)
}
