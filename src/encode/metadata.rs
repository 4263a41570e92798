//! [`MetadataKey`]: an extra `ErrorInfo.metadata` key, checked where it is written.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use crate::wire::{METADATA_CODE_KEY, METADATA_NAME_KEY, METADATA_TRUNCATED_KEY};

/// ErrorInfo's documented limit on a metadata key.
const MAX_METADATA_KEY_LEN: usize = 64;

/// A key for extra `ErrorInfo.metadata`, as
/// [`ChatError::with_metadata`](crate::ChatError::with_metadata) takes it.
///
/// A key matches ErrorInfo's `[a-z][a-zA-Z0-9-_]+`, has at most 64
/// characters, and is none of the keys the wire contract fills in: `code`,
/// `message` and `truncated`. A key is checked when it is made, where a bad
/// one can be fixed, so that adding metadata to an error cannot fail:
///
/// ```
/// use chat_errors::MetadataKey;
///
/// // A literal is checked at compile time in a `const`.
/// const LIMIT_BYTES: MetadataKey = MetadataKey::from_static("limitBytes");
/// assert_eq!(LIMIT_BYTES.as_str(), "limitBytes");
///
/// // A key from elsewhere is parsed.
/// assert!("channel_id".parse::<MetadataKey>().is_ok());
/// assert!("Channel".parse::<MetadataKey>().is_err());
/// assert!("code".parse::<MetadataKey>().is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MetadataKey(Cow<'static, str>);

impl MetadataKey {
    /// The key `key`.
    ///
    /// # Panics
    ///
    /// When `key` is not a valid key (see [`MetadataKey`]): at compile time
    /// in a `const`, otherwise when called, as `http::HeaderName::from_static`.
    pub const fn from_static(key: &'static str) -> MetadataKey {
        match check(key) {
            Ok(()) => MetadataKey(Cow::Borrowed(key)),
            Err(Refusal::Reserved) => panic!("ErrorInfo metadata key is reserved for chat-errors"),
            Err(Refusal::Malformed) => panic!(
                "ErrorInfo metadata key must match [a-z][a-zA-Z0-9-_]+ and be at most 64 characters"
            ),
        }
    }

    /// The key as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for MetadataKey {
    type Err = InvalidMetadataKey;

    fn from_str(key: &str) -> Result<MetadataKey, InvalidMetadataKey> {
        match check(key) {
            Ok(()) => Ok(MetadataKey(Cow::Owned(key.to_owned()))),
            Err(_) => Err(InvalidMetadataKey(key.to_owned())),
        }
    }
}

/// A string that is not a [`MetadataKey`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidMetadataKey(String);

impl fmt::Display for InvalidMetadataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = &self.0;
        match check(key) {
            Err(Refusal::Reserved) => write!(
                f,
                "ErrorInfo metadata key {key:?} is reserved for chat-errors"
            ),
            _ => write!(
                f,
                "ErrorInfo metadata key {key:?} must match [a-z][a-zA-Z0-9-_]+ \
                 and be at most {MAX_METADATA_KEY_LEN} characters"
            ),
        }
    }
}

impl std::error::Error for InvalidMetadataKey {}

enum Refusal {
    Reserved,
    Malformed,
}

/// `const` so that [`MetadataKey::from_static`] can run at compile time.
const fn check(key: &str) -> Result<(), Refusal> {
    if eq(key, METADATA_CODE_KEY) || eq(key, METADATA_NAME_KEY) || eq(key, METADATA_TRUNCATED_KEY) {
        return Err(Refusal::Reserved);
    }
    let bytes = key.as_bytes();
    if bytes.len() < 2 || bytes.len() > MAX_METADATA_KEY_LEN || !bytes[0].is_ascii_lowercase() {
        return Err(Refusal::Malformed);
    }
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
            return Err(Refusal::Malformed);
        }
        i += 1;
    }
    Ok(())
}

const fn eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_error_info_and_leave_the_contract_s_own_alone() {
        for good in ["limitBytes", "channel_id", "a-b", "x1", &"k".repeat(64)] {
            assert!(good.parse::<MetadataKey>().is_ok(), "{good}");
        }
        for bad in ["", "a", "Limit", "1a", "a b", "é", "a.b", &"k".repeat(65)] {
            let refused = bad.parse::<MetadataKey>().unwrap_err();
            assert!(refused.to_string().contains("must match"), "{bad}");
        }
        for reserved in ["code", "message", "truncated"] {
            let refused = reserved.parse::<MetadataKey>().unwrap_err();
            assert!(refused.to_string().contains("reserved"), "{reserved}");
        }
    }

    #[test]
    #[should_panic(expected = "reserved")]
    fn from_static_refuses_a_reserved_key() {
        let _ = MetadataKey::from_static(std::hint::black_box("code"));
    }
}
