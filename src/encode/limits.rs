//! Bounds on what a status puts on the wire.
//!
//! gRPC C-core, under Python, Ruby and PHP clients, rejects trailers over
//! its 8 KiB metadata limit, and hyper, under tonic, ends the connection
//! past its 16 KiB header-list limit with an HTTP/2 protocol error. So a
//! status never lets its message and details grow past [`MAX_TRAILER_BYTES`]
//! as sent: the optional parts give way first, in a documented order, and
//! the `truncated` metadata says what went.

use super::details::{PreEncoded, Shape};

/// The longest custom message, in UTF-8 bytes. A longer one is cut at a
/// character boundary and ends with `…`.
pub const MAX_MESSAGE_BYTES: usize = 1024;

/// The most that `grpc-message` (percent-encoded) and
/// `grpc-status-details-bin` (base64) may take together, as sent.
///
/// This leaves over a kibibyte of C-core's 8 KiB metadata limit for
/// `grpc-status`, header names, HPACK's 32 bytes per entry and the
/// service's own metadata. When a status would exceed it, these are dropped
/// in this order until it fits, and ErrorInfo metadata `truncated` lists
/// them (e.g. `"fieldViolations:12,metadata:2"`):
///
/// 1. field violations (`fieldViolations`), last first;
/// 2. extra metadata entries (`metadata`), last added first;
/// 3. `ResourceInfo` (`resourceInfo`);
/// 4. `RequestInfo` (`requestInfo`).
///
/// The longest run of parts that fits, in keeping order (the reverse of
/// the above), is kept. What the contract requires, the message and
/// `RetryInfo` always fit beside it.
pub const MAX_TRAILER_BYTES: usize = 7 * 1024;

const ELLIPSIS: char = '…';

/// Whether `c` would let a message forge or disguise text in a client's
/// logs or UI: control characters (line breaks among them), the line and
/// paragraph separators, and every Unicode `Bidi_Control` character
/// (the embeddings, overrides and isolates, and the invisible ALM, LRM
/// and RLM marks).
fn is_unsafe_in_message(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// Characters that could forge or disguise text become spaces; then a text
/// over [`MAX_MESSAGE_BYTES`] is cut short, so the cut counts what is sent.
pub(crate) fn clean(text: String) -> String {
    let cleaned = if text.chars().any(is_unsafe_in_message) {
        text.chars()
            .map(|c| if is_unsafe_in_message(c) { ' ' } else { c })
            .collect()
    } else {
        text
    };
    if cleaned.len() <= MAX_MESSAGE_BYTES {
        return cleaned;
    }
    let mut end = MAX_MESSAGE_BYTES - ELLIPSIS.len_utf8();
    while !cleaned.is_char_boundary(end) {
        end -= 1;
    }
    let mut cut = cleaned;
    cut.truncate(end);
    cut.push(ELLIPSIS);
    cut
}

/// The length of `message` as tonic percent-encodes it for `grpc-message`.
fn percent_encoded_len(message: &str) -> usize {
    message
        .bytes()
        .map(|b| match b {
            b' ' | b'"' | b'#' | b'%' | b'<' | b'>' | b'`' | b'?' | b'{' | b'}' => 3,
            0x21..=0x7e => 1,
            _ => 3,
        })
        .sum()
}

/// The length of `raw_len` bytes in unpadded base64, as tonic sends details.
fn base64_len(raw_len: usize) -> usize {
    (raw_len * 4).div_ceil(3)
}

/// `shape`'s encoded length, when what it sends (the `message_len` bytes of
/// `grpc-message` and the base64 of the details) fits the cap.
/// The cap holds for the status in its longest locale, so that it still
/// holds when [`Settings::layer`](crate::Settings::layer) sends it in another.
fn fitting_len(shape: &Shape<'_>, parts: &PreEncoded, message_len: usize) -> Option<usize> {
    let encoded = shape.encoded_len(parts);
    let in_any_locale = encoded + parts.localized_slack(shape.locale);
    fits(message_len, in_any_locale).then_some(encoded)
}

/// Whether a `grpc-message` of `message_len` bytes, percent-encoded, and
/// details of `details_len` bytes stay within [`MAX_TRAILER_BYTES`].
fn fits(message_len: usize, details_len: usize) -> bool {
    message_len + base64_len(details_len) <= MAX_TRAILER_BYTES
}

/// Whether a status with `message` and details of `details_len` bytes
/// stays within [`MAX_TRAILER_BYTES`] as sent.
pub(crate) fn fits_on_wire(message: &str, details_len: usize) -> bool {
    fits(percent_encoded_len(message), details_len)
}

/// `shape` as it may be sent, with its encoded length: whole when it fits,
/// else with the longest run of optional parts, in keeping order, that fits.
///
/// Keeping a part usually costs bytes, but not always: keeping the last
/// one of a kind also shortens the `truncated` marker. So whether a run
/// fits can change more than once as it grows, and every run that might
/// fit is tried, longest first. A run whose parts alone are over the cap
/// cannot fit, which bounds the search.
pub(crate) fn fit<'a>(shape: Shape<'a>, parts: &PreEncoded) -> (Shape<'a>, usize) {
    // Every candidate sends the same message; only the details shrink.
    let message_len = percent_encoded_len(shape.message);
    if let Some(len) = fitting_len(&shape, parts, message_len) {
        return (shape, len);
    }
    let full = shape;
    let raw_budget = MAX_TRAILER_BYTES.saturating_sub(message_len) / 4 * 3;
    let mut longest_possible = 0;
    let mut parts_len = 0;
    for part_len in full.optional_part_lens() {
        parts_len += part_len;
        if parts_len > raw_budget {
            break;
        }
        longest_possible += 1;
    }
    for kept in (0..=longest_possible).rev() {
        let candidate = keep_first(&full, kept);
        if let Some(len) = fitting_len(&candidate, parts, message_len) {
            return (candidate, len);
        }
    }
    // Unreachable while the contract's parts fit beside the longest
    // message, which the tests check for every code; sent as is rather
    // than failing, since tonic and hyper still send it.
    let bare = keep_first(&full, 0);
    let len = bare.encoded_len(parts);
    (bare, len)
}

/// `full` keeping only its first `kept` optional parts in keeping order
/// (request info, resource info, metadata, violations), marked with what
/// it dropped.
fn keep_first<'a>(full: &Shape<'a>, mut kept: usize) -> Shape<'a> {
    let mut take = |present: bool| {
        let keep = present && kept > 0;
        kept -= usize::from(keep);
        keep
    };
    let request = take(full.request.is_some());
    let resource = take(full.resource.is_some());
    let metadata = kept.min(full.metadata.len());
    kept -= metadata;
    let violations = kept.min(full.violations.len());

    let mut dropped = Vec::new();
    let mut count = |name: &str, n: usize| {
        if n > 0 {
            dropped.push(format!("{name}:{n}"));
        }
    };
    count("fieldViolations", full.violations.len() - violations);
    count("metadata", full.metadata.len() - metadata);
    count(
        "resourceInfo",
        usize::from(full.resource.is_some() && !resource),
    );
    count(
        "requestInfo",
        usize::from(full.request.is_some() && !request),
    );

    Shape {
        metadata: &full.metadata[..metadata],
        violations: &full.violations[..violations],
        resource: full.resource.filter(|_| resource),
        request: full.request.filter(|_| request),
        truncated: Some(dropped.join(",")),
        ..full.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_spaces() {
        assert_eq!(clean("a\r\nb\tc\u{7}".to_owned()), "a  b c ");
        assert_eq!(clean("채널\u{85}".to_owned()), "채널 ");
    }

    #[test]
    fn separators_and_bidi_controls_become_spaces() {
        let unsafe_chars = [
            '\u{2028}', '\u{2029}', '\u{061C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}',
            '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
        ];
        for c in unsafe_chars {
            assert_eq!(clean(format!("a{c}b")), "a b", "U+{:04X}", c as u32);
        }
        // Neighbours of the ranges, and joiners that scripts need, stay.
        for c in ['\u{200D}', '\u{2027}', '\u{202F}', '\u{2065}', '\u{206A}'] {
            assert_eq!(clean(format!("a{c}b")), format!("a{c}b"));
        }
    }

    #[test]
    fn long_messages_are_cut_at_a_character_boundary() {
        let korean = "채".repeat(400); // 1200 bytes
        let cut = clean(korean);
        assert!(cut.len() <= MAX_MESSAGE_BYTES);
        assert!(cut.ends_with(ELLIPSIS));
        assert_eq!(cut.chars().filter(|c| *c == '채').count(), 340);

        let exact = "a".repeat(MAX_MESSAGE_BYTES);
        assert_eq!(clean(exact.clone()), exact);
        let over = "a".repeat(MAX_MESSAGE_BYTES + 1);
        assert_eq!(clean(over).len(), MAX_MESSAGE_BYTES);
    }

    #[test]
    fn the_cut_counts_the_cleaned_text() {
        // 1024 overrides of 3 bytes each become 1024 one-byte spaces: sent whole.
        let overrides = "\u{202E}".repeat(MAX_MESSAGE_BYTES);
        assert_eq!(clean(overrides), " ".repeat(MAX_MESSAGE_BYTES));
    }

    #[test]
    fn lengths_match_what_tonic_sends() {
        let message = "채널 #일반? 100% {ok} <b> `x` \"q\" ~!";
        let status = tonic::Status::with_details(
            tonic::Code::NotFound,
            message,
            bytes::Bytes::from(vec![7u8; 301]),
        );
        let mut headers = http::HeaderMap::new();
        status.add_header(&mut headers).unwrap();
        assert_eq!(percent_encoded_len(message), headers["grpc-message"].len());
        assert_eq!(base64_len(301), headers["grpc-status-details-bin"].len());
    }
}
