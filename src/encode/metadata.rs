//! Checks on the extra `ErrorInfo.metadata` a server attaches.

use std::fmt;

use crate::wire::{METADATA_CODE_KEY, METADATA_NAME_KEY, METADATA_TRUNCATED_KEY};

/// ErrorInfo's documented limit on a metadata key.
pub const MAX_METADATA_KEY_LEN: usize = 64;

/// Accepts keys that `google.rpc.ErrorInfo` allows, `[a-z][a-zA-Z0-9-_]+` and
/// at most 64 characters, other than the keys the wire contract owns.
pub(crate) fn check_key(key: &str) -> Result<(), MetadataError> {
    if [METADATA_CODE_KEY, METADATA_NAME_KEY, METADATA_TRUNCATED_KEY].contains(&key) {
        return Err(MetadataError::ReservedKey(key.to_owned()));
    }
    let bytes = key.as_bytes();
    let well_formed = bytes.len() >= 2
        && bytes.len() <= MAX_METADATA_KEY_LEN
        && bytes[0].is_ascii_lowercase()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'));
    if well_formed {
        Ok(())
    } else {
        Err(MetadataError::InvalidKey(key.to_owned()))
    }
}

/// Extra metadata that [`ChatError::with_metadata`](crate::ChatError::with_metadata) refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MetadataError {
    /// `code`, `message` or `truncated`: the crate fills these in.
    ReservedKey(String),
    /// A key outside `[a-z][a-zA-Z0-9-_]+`, or longer than 64 characters.
    InvalidKey(String),
}

impl fmt::Display for MetadataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MetadataError::ReservedKey(key) => write!(
                f,
                "ErrorInfo metadata key {key:?} is reserved for chat-errors"
            ),
            MetadataError::InvalidKey(key) => write!(
                f,
                "ErrorInfo metadata key {key:?} must match [a-z][a-zA-Z0-9-_]+ \
                 and be at most {MAX_METADATA_KEY_LEN} characters"
            ),
        }
    }
}

impl std::error::Error for MetadataError {}
