//! The request id a masked error carries to the client and into the logs.

use std::hash::{BuildHasher, Hasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use http::{HeaderName, HeaderValue};

/// The request header whose value is reused as the request id, as set by
/// proxies such as Envoy and nginx.
pub(crate) const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

const MAX_REQUEST_ID_LEN: usize = 128;

/// The caller's `x-request-id` when it is a plain token that is safe to
/// echo into logs and details, or else a fresh one.
pub(crate) fn request_id(sent: Option<&HeaderValue>) -> String {
    match sent.and_then(|value| value.to_str().ok()) {
        Some(token) if is_plain_token(token) => token.to_owned(),
        _ => fresh_request_id(),
    }
}

fn is_plain_token(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_REQUEST_ID_LEN
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
}

/// 32 hex digits, unique within the process and unpredictable across
/// processes. Not a secret: it only has to find one log line.
fn fresh_request_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos() as u64);
    // std's randomly keyed SipHash stands in for a random number generator.
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(count);
    hasher.write_u64(nanos);
    let high = hasher.finish();
    hasher.write_u64(high);
    let low = hasher.finish();
    format!("{high:016x}{low:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_caller_id_is_reused() {
        let sent = HeaderValue::from_static("req-42.a_b:c");
        assert_eq!(request_id(Some(&sent)), "req-42.a_b:c");
    }

    #[test]
    fn an_unsafe_or_oversized_caller_id_is_replaced() {
        let too_long = "a".repeat(MAX_REQUEST_ID_LEN + 1);
        for sent in ["", "has space", "new\tline", "quote\"", too_long.as_str()] {
            let sent = HeaderValue::from_str(sent).unwrap();
            let id = request_id(Some(&sent));
            assert_ne!(id, sent.to_str().unwrap());
            assert_eq!(id.len(), 32);
            assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
        }
    }

    #[test]
    fn fresh_ids_differ() {
        let ids: std::collections::HashSet<String> = (0..1000).map(|_| request_id(None)).collect();
        assert_eq!(ids.len(), 1000);
    }
}
