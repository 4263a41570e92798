//! Finds the chat error in a status's details and reads it out.
//!
//! The code-only path and the full decode share [`find_error_info`] and
//! [`resolve_code`], so they cannot disagree on which error a status holds.

use std::time::Duration;

use prost::Message;
use tonic::Status;
use tonic_types::pb;

use super::scan::{ErrorInfoView, StatusView, WireError, check_utf8};
use super::{DecodeError, DecodedChatError};
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
/// Strictly, every detail must parse and the domain's ErrorInfo must be
/// the only one.
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
        check_utf8(status.message).map_err(malformed)?;
    }
    let mut found = None;
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
            Err(error) if strict => {
                return Err(DecodeError::MalformedDetail {
                    type_name: ERROR_INFO,
                    error: error.into(),
                });
            }
            Err(_) => continue,
        };
        if info.domain != domain.as_bytes() {
            continue;
        }
        if !strict {
            return Ok(Some((status, info)));
        }
        if found.is_some() {
            return Err(DecodeError::DuplicateDetail {
                type_name: ERROR_INFO,
            });
        }
        found = Some(info);
    }
    Ok(found.map(|info| (status, info)))
}

/// The code from metadata `code`, or from the reason when that is absent.
/// A number this catalogue lacks is kept as `(None, Some(number))`.
fn resolve_code(
    info: &ErrorInfoView<'_>,
    strictness: Strictness,
) -> Result<(Option<ErrorCode>, Option<i32>), DecodeError> {
    let from_reason = || {
        let code = std::str::from_utf8(info.reason)
            .ok()
            .and_then(ErrorCode::from_reason);
        (code, code.map(ErrorCode::as_i32))
    };
    let Some(text) = info.code else {
        return Ok(from_reason());
    };
    match std::str::from_utf8(text)
        .ok()
        .and_then(|t| t.parse::<i32>().ok())
    {
        Some(number) => Ok((ErrorCode::from_i32(number), Some(number))),
        None if strictness == Strictness::Strict => Err(DecodeError::InvalidCodeMetadata(
            String::from_utf8_lossy(text).into_owned(),
        )),
        None => Ok(from_reason()),
    }
}

/// Only the code, leniently, without allocating.
pub(crate) fn code_of(status: &Status, domain: &str) -> Option<ErrorCode> {
    let (_, info) = find_error_info(status.details(), domain, Strictness::Lenient).ok()??;
    resolve_code(&info, Strictness::Lenient).ok()?.0
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
    if strictness == Strictness::Strict {
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
    let text = |bytes: &[u8]| match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(_) if strictness == Strictness::Strict => Err(DecodeError::MalformedDetail {
            type_name: ERROR_INFO,
            error: WireError::NotUtf8.into(),
        }),
        Err(_) => Ok(String::from_utf8_lossy(bytes).into_owned()),
    };
    let mut decoded = DecodedChatError {
        code,
        number,
        grpc_code: status.code(),
        reason: text(info.reason)?,
        // Equal to the expected domain, so already known to be UTF-8.
        domain: domain.to_owned(),
        metadata: info
            .metadata()
            .map(|(key, value)| Ok((text(key)?, text(value)?)))
            .collect::<Result<_, DecodeError>>()?,
        message: status.message().to_owned(),
        localized_messages: Vec::new(),
        retry_delay: None,
        field_violations: Vec::new(),
        resource_info: None,
        request_info: None,
    };

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
    match info.retry_delay.map(Duration::try_from) {
        None => Ok(None),
        Some(Ok(delay)) => Ok(Some(delay)),
        Some(Err(_)) if strictness == Strictness::Strict => Err(DecodeError::InvalidRetryDelay),
        Some(Err(_)) => Ok(None),
    }
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
