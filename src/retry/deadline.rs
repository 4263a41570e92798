//! The caller's deadline, sent as `grpc-timeout`, bounds the whole call:
//! each retry carries what is left of it, and a wait that would outlast it
//! is not begun.

use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue};
use tokio::time::Instant;

pub(crate) const GRPC_TIMEOUT: HeaderName = HeaderName::from_static("grpc-timeout");

/// The gRPC spec's largest `TimeoutValue`: eight ASCII digits.
const MAX_TIMEOUT_VALUE: u64 = 99_999_999;

/// When a call sent now with `headers` must be over, if it has a deadline;
/// a `grpc-timeout` that cannot be read sets none, as the server will
/// refuse the call anyway. The clock is read only for a call with one.
pub(crate) fn deadline(headers: &HeaderMap) -> Option<Instant> {
    let timeout = parse(headers.get(GRPC_TIMEOUT)?.as_bytes())?;
    Instant::now().checked_add(timeout)
}

/// `TimeoutValue TimeoutUnit`: 1 to 8 digits, then one of `H M S m u n`.
fn parse(value: &[u8]) -> Option<Duration> {
    let (&unit, digits) = value.split_last()?;
    if digits.is_empty() || digits.len() > 8 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let amount: u64 = std::str::from_utf8(digits).ok()?.parse().ok()?;
    Some(match unit {
        b'H' => Duration::from_secs(amount * 3600),
        b'M' => Duration::from_secs(amount * 60),
        b'S' => Duration::from_secs(amount),
        b'm' => Duration::from_millis(amount),
        b'u' => Duration::from_micros(amount),
        b'n' => Duration::from_nanos(amount),
        _ => return None,
    })
}

/// `remaining` in the finest unit whose value fits eight digits, rounded
/// down so that the server never waits past the caller's deadline.
pub(crate) fn encode(remaining: Duration) -> HeaderValue {
    let nanos = remaining.as_nanos();
    let units: [(u128, char); 6] = [
        (1, 'n'),
        (1_000, 'u'),
        (1_000_000, 'm'),
        (1_000_000_000, 'S'),
        (60_000_000_000, 'M'),
        (3_600_000_000_000, 'H'),
    ];
    let (amount, unit) = units
        .iter()
        .map(|&(per_unit, unit)| (nanos / per_unit, unit))
        .find(|&(amount, _)| amount <= u128::from(MAX_TIMEOUT_VALUE))
        .unwrap_or((u128::from(MAX_TIMEOUT_VALUE), 'H'));
    HeaderValue::try_from(format!("{amount}{unit}")).expect("digits and a letter")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unit_of_the_spec_is_read() {
        for (text, expected) in [
            ("1H", Duration::from_secs(3600)),
            ("2M", Duration::from_secs(120)),
            ("3S", Duration::from_secs(3)),
            ("250m", Duration::from_millis(250)),
            ("99999999u", Duration::from_micros(99_999_999)),
            ("7n", Duration::from_nanos(7)),
        ] {
            assert_eq!(parse(text.as_bytes()), Some(expected), "{text}");
        }
    }

    #[test]
    fn what_the_spec_does_not_allow_is_no_deadline() {
        for text in ["", "m", "100", "123456789m", "-1S", "1.5S", "10s", " 1S"] {
            assert_eq!(parse(text.as_bytes()), None, "{text:?}");
        }
    }

    #[test]
    fn encoding_keeps_eight_digits_and_never_rounds_up() {
        for remaining in [
            Duration::from_nanos(1),
            Duration::from_millis(1_500),
            Duration::from_secs(7_000),
            Duration::from_secs(100_000_000),
            Duration::MAX,
        ] {
            let encoded = encode(remaining);
            let read = parse(encoded.as_bytes()).expect("the encoding parses");
            assert!(read <= remaining, "{encoded:?} for {remaining:?}");
            assert!(encoded.len() <= 9, "{encoded:?}");
        }
        assert_eq!(encode(Duration::from_millis(1_500)), "1500000u");
    }
}
