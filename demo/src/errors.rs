//! Small builders for the extras the service adds to catalogue errors.

use chat_errors::{ChatError, ResourceInfo};

/// Adds `key: value` to the ErrorInfo metadata. The service only uses
/// literal lowerCamelCase keys, which the library always accepts.
pub(crate) fn with_metadata(
    error: ChatError,
    key: &'static str,
    value: impl ToString,
) -> ChatError {
    error.with_metadata(
        key.parse::<chat_errors::MetadataKey>()
            .expect("a valid metadata key"),
        value.to_string(),
    )
}

/// The `ResourceInfo` naming the resource of `resource_type` called `name`.
pub(crate) fn resource(resource_type: &str, name: &str) -> ResourceInfo {
    ResourceInfo {
        resource_type: resource_type.to_owned(),
        resource_name: name.to_owned(),
        ..ResourceInfo::default()
    }
}
