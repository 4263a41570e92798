//! Finds the chat error in a status's details and reads it out.
//!
//! The code-only path and the full decode share [`find_error_info`] and
//! [`resolve_code`], so they cannot disagree on which error a status holds.

use std::time::Duration;

use prost::Message;
use tonic::Status;
use tonic_types::pb;

use super::{DecodeError, DecodedChatError};
use crate::wire::read::{ErrorInfoView, StatusView, WireError};
use crate::wire::{
    BAD_REQUEST, ERROR_INFO, LOCALIZED_MESSAGE, REQUEST_INFO, RESOURCE_INFO, RETRY_INFO,
};
use crate::{ErrorCode, LocalizedMessage, RequestInfo, ResourceInfo};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strictness {
    /// Any detail the crate reads that is broken, repeated or inconsistent is an error.
    Strict,
    /// Broken details are skipped; the first of repeated ones wins.
    Lenient,
}

/// The details as a whole and the ErrorInfo of `domain` among them, or
/// `None` when the status carries no such ErrorInfo.
///
/// Leniently, only the status's own framing must hold: a detail that does
/// not parse is passed over, and the first ErrorInfo of the domain wins.
/// Strictly, every detail must parse, as prost would parse it (every
/// ErrorInfo's strings UTF-8, whatever its domain, though the domain's own
/// are checked as they are copied), before a repeated ErrorInfo of the
/// domain is reported.
fn find_error_info<'a>(
    details: &'a [u8],
    domain: &str,
    strictness: Strictness,
) -> Result<Option<(StatusView<'a>, ErrorInfoView<'a>)>, DecodeError> {
    if details.is_empty() {
        return Ok(None);
    }
    let malformed = |error: WireError| DecodeError::MalformedStatus(error.into());
    let status = StatusView::parse(details).map_err(malformed)?;
    let strict = strictness == Strictness::Strict;
    if strict {
        status.check_message_utf8().map_err(malformed)?;
    }
    let mut found = None;
    let mut repeated = false;
    for detail in status.details() {
        let detail = match detail {
            Ok(detail) => detail,
            Err(error) if strict => return Err(malformed(error)),
            Err(_) => continue,
        };
        if strict {
            detail.check_type_url().map_err(malformed)?;
        }
        if !detail.is(ERROR_INFO) {
            continue;
        }
        let info = match ErrorInfoView::parse(detail.value) {
            Ok(info) => info,
            Err(error) if strict => return Err(malformed_error_info(error)),
            Err(_) => continue,
        };
        if info.domain != domain.as_bytes() {
            if strict {
                info.check_utf8().map_err(malformed_error_info)?;
            }
            continue;
        }
        if !strict {
            return Ok(Some((status, info)));
        }
        if let Some(earlier) = found.replace(info) {
            // Reported once every detail is known to parse; a lone
            // ErrorInfo of the domain is checked as it is copied.
            repeated = true;
            for info in [earlier, info] {
                info.check_utf8().map_err(malformed_error_info)?;
            }
        }
    }
    if repeated {
        return Err(DecodeError::DuplicateDetail {
            type_name: ERROR_INFO,
        });
    }
    Ok(found.map(|info| (status, info)))
}

fn malformed_error_info(error: WireError) -> DecodeError {
    DecodeError::MalformedDetail {
        type_name: ERROR_INFO,
        error: error.into(),
    }
}

/// The code from metadata `code`, or from the reason when that is absent.
/// A number this catalogue lacks is kept as `(None, Some(number))`.
///
/// Strictly, `code` must be canonical decimal, and it and the reason must
/// name the same code unless this catalogue knows neither: a newer
/// server's code is kept, a contradiction is an error.
fn resolve_code(
    info: &ErrorInfoView<'_>,
    strictness: Strictness,
) -> Result<(Option<ErrorCode>, Option<i32>), DecodeError> {
    let by_reason = || {
        std::str::from_utf8(info.reason)
            .ok()
            .and_then(ErrorCode::from_reason)
    };
    let from_reason = || {
        let code = by_reason();
        (code, code.map(ErrorCode::as_i32))
    };
    let Some(text) = info.code else {
        return Ok(from_reason());
    };
    if strictness == Strictness::Lenient {
        return Ok(
            match std::str::from_utf8(text)
                .ok()
                .and_then(|t| t.parse::<i32>().ok())
            {
                Some(number) => (ErrorCode::from_i32(number), Some(number)),
                None => from_reason(),
            },
        );
    }
    let number = canonical_number(text)?;
    let code = ErrorCode::from_i32(number);
    match (code, by_reason()) {
        (Some(code), Some(named)) if code == named => {}
        (None, None) => {}
        _ => {
            return Err(DecodeError::CodeReasonMismatch {
                number,
                reason: String::from_utf8_lossy(info.reason).into_owned(),
            });
        }
    }
    Ok((code, Some(number)))
}

/// Metadata `code` as strict decoding takes it: the digits of a number
/// from 0 to `i32::MAX`, with no sign, padding or leading zero, exactly as
/// the number prints. Anything else that reads as a number is
/// non-canonical; the rest is not a number.
fn canonical_number(text: &[u8]) -> Result<i32, DecodeError> {
    let lossy = || String::from_utf8_lossy(text).into_owned();
    let digits_only = !text.is_empty() && text.iter().all(u8::is_ascii_digit);
    let canonical = digits_only && (text[0] != b'0' || text.len() == 1);
    let parsed = std::str::from_utf8(text)
        .ok()
        .and_then(|t| t.parse::<i32>().ok());
    match parsed {
        Some(number) if canonical => Ok(number),
        _ if canonical => Err(DecodeError::InvalidCodeMetadata(lossy())),
        _ => {
            let reads_as_number = std::str::from_utf8(text)
                .ok()
                .is_some_and(|t| t.trim().parse::<i64>().is_ok());
            Err(if reads_as_number {
                DecodeError::NonCanonicalCode(lossy())
            } else {
                DecodeError::InvalidCodeMetadata(lossy())
            })
        }
    }
}

/// What the catalogue says about a known code, against what was sent with it.
fn check_known_code(
    code: ErrorCode,
    grpc_status: tonic::Code,
    name: Option<&str>,
) -> Result<(), DecodeError> {
    if grpc_status != code.grpc_code() {
        return Err(DecodeError::GrpcCodeMismatch { code, grpc_status });
    }
    match name {
        Some(name) if name != code.name() => Err(DecodeError::NameMismatch {
            code,
            name: name.to_owned(),
        }),
        _ => Ok(()),
    }
}

/// The domain and code of a chat error of a domain other than `own`, read
/// leniently: how a server tells a catalogue error raised in the wrong
/// domain from a status that is no chat error at all.
pub(crate) fn foreign_chat_error(status: &Status, own: &str) -> Option<(String, ErrorCode)> {
    let rpc_status = StatusView::parse(status.details()).ok()?;
    rpc_status
        .details()
        .filter_map(Result::ok)
        .filter(|detail| detail.is(ERROR_INFO))
        .filter_map(|detail| ErrorInfoView::parse(detail.value).ok())
        .filter(|info| info.domain != own.as_bytes())
        .find_map(|info| {
            let (code, _) = resolve_code(&info, Strictness::Lenient).ok()?;
            Some((String::from_utf8_lossy(info.domain).into_owned(), code?))
        })
}

/// Only the code, leniently, without allocating. Kept because the server
/// stack reads it from every error it sends: 180 ns against 1,200 ns for
/// tonic-types decoding every detail (`decode_code` in `benches/error_paths.rs`).
pub(crate) fn code_of(status: &Status, domain: &str) -> Option<ErrorCode> {
    let (_, info) = find_error_info(status.details(), domain, Strictness::Lenient).ok()??;
    resolve_code(&info, Strictness::Lenient).ok()?.0
}

/// Whether `details` (a `google.rpc.Status`) hold a chat error of
/// `domain`, and its code when this catalogue has it, read leniently and
/// without allocating, as [`code_of`]: for metrics, which must tell a
/// newer catalogue's code from no chat error on every error they count.
#[cfg(feature = "opentelemetry")]
pub(crate) fn chat_code_in(details: &[u8], domain: &str) -> Option<Option<ErrorCode>> {
    let (_, info) = find_error_info(details, domain, Strictness::Lenient).ok()??;
    Some(
        resolve_code(&info, Strictness::Lenient)
            .ok()
            .and_then(|(code, _)| code),
    )
}

/// The whole chat error; `Ok(None)` when `status` carries no ErrorInfo of `domain`.
pub(crate) fn decode_status(
    status: &Status,
    domain: &str,
    strictness: Strictness,
) -> Result<Option<DecodedChatError>, DecodeError> {
    let Some((rpc_status, info)) = find_error_info(status.details(), domain, strictness)? else {
        return Ok(None);
    };
    let strict = strictness == Strictness::Strict;
    let text = |bytes: &[u8]| match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(_) if strict => Err(malformed_error_info(WireError::NotUtf8)),
        Err(_) => Ok(String::from_utf8_lossy(bytes).into_owned()),
    };
    // Copied, and so checked for UTF-8, before anything is compared: a
    // detail that does not parse is reported as such first.
    if strict {
        info.check_replaced_utf8().map_err(malformed_error_info)?;
    }
    let reason = text(info.reason)?;
    let metadata = info
        .metadata()
        .map(|(key, value)| Ok((text(key)?, text(value)?)))
        .collect::<Result<_, DecodeError>>()?;
    if strict {
        let header = status.code() as i32;
        if rpc_status.code != header {
            return Err(DecodeError::CodeMismatch {
                header,
                details: rpc_status.code,
            });
        }
        if rpc_status.message != status.message().as_bytes() {
            return Err(DecodeError::MessageMismatch);
        }
    }

    let (code, number) = resolve_code(&info, strictness)?;
    let mut decoded = DecodedChatError {
        code,
        number,
        grpc_code: status.code(),
        reason,
        // Equal to the expected domain, so already known to be UTF-8.
        domain: domain.to_owned(),
        metadata,
        message: status.message().to_owned(),
        localized_messages: Vec::new(),
        retry_delay: None,
        field_violations: Vec::new(),
        resource_info: None,
        request_info: None,
    };
    if strict && let Some(code) = code {
        check_known_code(code, status.code(), decoded.name())?;
    }

    let mut reader = DetailReader {
        strictness,
        seen: Vec::new(),
    };
    // Every detail parsed when strict, so what fails to here is skipped.
    for detail in rpc_status.details().filter_map(Result::ok) {
        let value = detail.value;
        match std::str::from_utf8(detail.type_name()).unwrap_or_default() {
            LOCALIZED_MESSAGE => {
                if let Some(m) = reader.read::<LocalizedMessage>(LOCALIZED_MESSAGE, value)? {
                    decoded.localized_messages.push(m);
                }
            }
            RETRY_INFO => {
                if let Some(info) = reader.read_once::<pb::RetryInfo>(RETRY_INFO, value)? {
                    decoded.retry_delay = retry_delay(info, strictness)?;
                }
            }
            BAD_REQUEST => {
                if let Some(bad) = reader.read_once::<pb::BadRequest>(BAD_REQUEST, value)? {
                    decoded.field_violations = bad.field_violations;
                }
            }
            RESOURCE_INFO => {
                if let Some(info) = reader.read_once::<ResourceInfo>(RESOURCE_INFO, value)? {
                    decoded.resource_info = Some(info);
                }
            }
            REQUEST_INFO => {
                if let Some(info) = reader.read_once::<RequestInfo>(REQUEST_INFO, value)? {
                    decoded.request_info = Some(info);
                }
            }
            // Other detail types, from this server or a proxy, are not ours to judge.
            _ => {}
        }
    }
    Ok(Some(decoded))
}

fn retry_delay(
    info: pb::RetryInfo,
    strictness: Strictness,
) -> Result<Option<Duration>, DecodeError> {
    match info.retry_delay.map(non_negative_delay) {
        None => Ok(None),
        Some(Some(delay)) => Ok(Some(delay)),
        Some(None) if strictness == Strictness::Strict => Err(DecodeError::InvalidRetryDelay),
        Some(None) => Ok(None),
    }
}

/// The delay as prost-types' `TryFrom<Duration> for std::time::Duration`
/// gives it (normalised, then `None` when negative), without that
/// conversion's error value: building it negates the normalised seconds,
/// which overflows for a peer's `seconds: i64::MIN` (a panic wherever
/// overflow checks are on, as in debug and fuzz builds).
pub(crate) fn non_negative_delay(mut delay: prost_types::Duration) -> Option<Duration> {
    delay.normalize();
    // Normalised, nanos is below one second, so Duration::new cannot carry.
    (delay.seconds >= 0 && delay.nanos >= 0)
        .then(|| Duration::new(delay.seconds as u64, delay.nanos as u32))
}

/// Decodes detail values, failing on bad ones when strict and skipping them
/// otherwise, and remembers which once-only types it has seen.
struct DetailReader {
    strictness: Strictness,
    seen: Vec<&'static str>,
}

impl DetailReader {
    fn read<M: Message + Default>(
        &self,
        type_name: &'static str,
        value: &[u8],
    ) -> Result<Option<M>, DecodeError> {
        match M::decode(value) {
            Ok(message) => Ok(Some(message)),
            Err(error) if self.strictness == Strictness::Strict => {
                Err(DecodeError::MalformedDetail {
                    type_name,
                    error: error.into(),
                })
            }
            Err(_) => Ok(None),
        }
    }

    /// Like `read`, for a type that may appear once: a repeat is an error
    /// when strict and ignored otherwise.
    fn read_once<M: Message + Default>(
        &mut self,
        type_name: &'static str,
        value: &[u8],
    ) -> Result<Option<M>, DecodeError> {
        if self.seen.contains(&type_name) {
            return match self.strictness {
                Strictness::Strict => Err(DecodeError::DuplicateDetail { type_name }),
                Strictness::Lenient => Ok(None),
            };
        }
        self.seen.push(type_name);
        self.read(type_name, value)
    }
}
