//! What must hold for any HTTP JSON error body: the `http_json_decoder`
//! fuzz target checks it on what libFuzzer generates, and
//! `tests/http_json.rs` on the seeds and on proptest's inputs.

use chat_errors::Domain;
use chat_errors::http_json::{check_error, get_error};
use http::StatusCode;

/// `input` is `[status high byte][status low byte][body...]`; the status is
/// folded into HTTP's 100 to 999.
pub fn http_json_decoder(input: &[u8]) {
    let (status, body) = match input {
        [high, low, body @ ..] => (u16::from_be_bytes([*high, *low]), body),
        _ => (0, input),
    };
    let Ok(status) = StatusCode::from_u16(100 + status % 900) else {
        unreachable!("100 to 999 are valid statuses");
    };
    decoders_agree(status, body);
}

/// Both decoders answer, and whatever the strict one accepts the lenient
/// one reads the same.
pub fn decoders_agree(status: StatusCode, body: &[u8]) {
    let domain = Domain::default();
    let strict = check_error(status, body, &domain);
    let lenient = get_error(status, body, &domain);
    if let Ok(Some(strict)) = &strict {
        assert_eq!(lenient.as_ref(), Some(strict), "the decoders disagree");
    }
}
