//! Names that both directions of the wire contract share.

/// The ErrorInfo metadata key that holds the numeric code, e.g. `"2003"`.
pub const METADATA_CODE_KEY: &str = "code";
/// The ErrorInfo metadata key that holds the original error name, e.g. `"ChannelNotFound"`.
pub const METADATA_NAME_KEY: &str = "message";
/// The ErrorInfo metadata key that marks what the size cap dropped, e.g.
/// `"fieldViolations:12,metadata:2"`; see [`MAX_TRAILER_BYTES`](crate::MAX_TRAILER_BYTES).
pub const METADATA_TRUNCATED_KEY: &str = "truncated";
/// The locale of the `LocalizedMessage` every chat error carries.
pub const KOREAN_LOCALE: &str = "ko-KR";

/// Declares each detail type's message name and its `Any` type URL.
macro_rules! detail_types {
    ($($name:ident, $url:ident = $message:literal;)*) => {
        $(
            pub(crate) const $name: &str = $message;
            pub(crate) const $url: &str = concat!("type.googleapis.com/", $message);
        )*
    };
}

detail_types! {
    ERROR_INFO, ERROR_INFO_URL = "google.rpc.ErrorInfo";
    LOCALIZED_MESSAGE, LOCALIZED_MESSAGE_URL = "google.rpc.LocalizedMessage";
    RETRY_INFO, RETRY_INFO_URL = "google.rpc.RetryInfo";
    BAD_REQUEST, BAD_REQUEST_URL = "google.rpc.BadRequest";
    RESOURCE_INFO, RESOURCE_INFO_URL = "google.rpc.ResourceInfo";
    REQUEST_INFO, REQUEST_INFO_URL = "google.rpc.RequestInfo";
}
