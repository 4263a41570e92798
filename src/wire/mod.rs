//! The protobuf wire format as the crate reads and writes it by hand: the
//! reader (`read`) and the writer (`write`) that both directions and the
//! layers use, and what they share: metadata keys, detail type names,
//! header names, the base64 settings of `grpc-status-details-bin`, and the
//! field numbers of the messages read and written.

pub(crate) mod read;
pub(crate) mod write;

/// The ErrorInfo metadata key that holds the numeric code, e.g. `"2003"`.
pub(crate) const METADATA_CODE_KEY: &str = "code";
/// The ErrorInfo metadata key that holds the original error name, e.g. `"ChannelNotFound"`.
pub(crate) const METADATA_NAME_KEY: &str = "message";
/// The ErrorInfo metadata key that marks what the size cap dropped, e.g.
/// `"fieldViolations:12,metadata:2"`; see [`MAX_TRAILER_BYTES`](crate::MAX_TRAILER_BYTES).
pub(crate) const METADATA_TRUNCATED_KEY: &str = "truncated";

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

/// `grpc-status`, `grpc-message` and `grpc-status-details-bin`, as tonic names them.
pub(crate) const GRPC_STATUS: http::HeaderName = tonic::Status::GRPC_STATUS;
pub(crate) const GRPC_MESSAGE: http::HeaderName = tonic::Status::GRPC_MESSAGE;
pub(crate) const GRPC_STATUS_DETAILS: http::HeaderName = tonic::Status::GRPC_STATUS_DETAILS;

/// tonic 0.14's decoder for `grpc-status-details-bin`: the standard
/// alphabet, padding optional. Refusing exactly what it refuses is what
/// keeps tonic from panicking on a value that passed a check here.
pub(crate) const DETAILS_BASE64: base64::engine::GeneralPurpose =
    base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_encode_padding(true)
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );

/// Field numbers of the `google.rpc` and `google.protobuf` messages the
/// crate writes and reads by hand.
pub(crate) mod field {
    pub(crate) const STATUS_CODE: u32 = 1;
    pub(crate) const STATUS_MESSAGE: u32 = 2;
    pub(crate) const STATUS_DETAILS: u32 = 3;
    pub(crate) const ANY_TYPE_URL: u32 = 1;
    pub(crate) const ANY_VALUE: u32 = 2;
    pub(crate) const ERROR_INFO_REASON: u32 = 1;
    pub(crate) const ERROR_INFO_DOMAIN: u32 = 2;
    pub(crate) const ERROR_INFO_METADATA: u32 = 3;
    /// A `map<string, string>` entry's key and value.
    pub(crate) const MAP_KEY: u32 = 1;
    pub(crate) const MAP_VALUE: u32 = 2;
    pub(crate) const LOCALIZED_LOCALE: u32 = 1;
    pub(crate) const LOCALIZED_MESSAGE: u32 = 2;
    pub(crate) const BAD_REQUEST_VIOLATIONS: u32 = 1;
}
