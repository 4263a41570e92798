//! Encodes a [`ChatError`] as the `google.rpc.Status` of `grpc-status-details-bin`.
//!
//! Everything about a code that does not change from one error to the next
//! (its ErrorInfo reason, domain and reserved metadata, its Korean
//! LocalizedMessage, and the whole default status) is encoded once per
//! domain and shared. A status with extras is then written in one pass,
//! copying those parts, into a buffer of exactly the right size.

use bytes::Bytes;
use prost::Message;

use super::ChatError;
use super::writer::{
    any_len, field_len, int32_field_len, map_entry_len, put_any_header, put_field_header,
    put_int32_field, put_map_entry, put_message, put_string_field, string_field_len,
};
use crate::ErrorCode;
use crate::domain::Domain;
use crate::wire::{
    BAD_REQUEST_URL, ERROR_INFO_URL, KOREAN_LOCALE, LOCALIZED_MESSAGE_URL, METADATA_CODE_KEY,
    METADATA_NAME_KEY, REQUEST_INFO_URL, RESOURCE_INFO_URL, RETRY_INFO_URL,
};

// Field numbers of google.rpc.Status, ErrorInfo, LocalizedMessage and BadRequest.
const STATUS_CODE: u32 = 1;
const STATUS_MESSAGE: u32 = 2;
const STATUS_DETAILS: u32 = 3;
const ERROR_INFO_REASON: u32 = 1;
const ERROR_INFO_DOMAIN: u32 = 2;
const ERROR_INFO_METADATA: u32 = 3;
const LOCALIZED_LOCALE: u32 = 1;
const LOCALIZED_MESSAGE: u32 = 2;
const BAD_REQUEST_VIOLATIONS: u32 = 1;

/// The parts of one code's details that every error of that code and domain shares.
pub(crate) struct PreEncoded {
    /// ErrorInfo's reason, domain and `code`/`message` metadata: the
    /// message body that extra metadata entries are appended to.
    error_info_body: Box<[u8]>,
    /// The Korean LocalizedMessage as a whole `details` field of the status.
    localized_detail: Box<[u8]>,
    /// The whole status of an error with nothing but the defaults.
    default_status: Bytes,
}

impl PreEncoded {
    fn new(domain: &Domain, code: ErrorCode) -> PreEncoded {
        let number = code.as_i32().to_string();
        let mut error_info_body = Vec::new();
        put_string_field(&mut error_info_body, ERROR_INFO_REASON, code.reason());
        put_string_field(&mut error_info_body, ERROR_INFO_DOMAIN, domain.as_str());
        put_map_entry(
            &mut error_info_body,
            ERROR_INFO_METADATA,
            METADATA_CODE_KEY,
            &number,
        );
        put_map_entry(
            &mut error_info_body,
            ERROR_INFO_METADATA,
            METADATA_NAME_KEY,
            code.name(),
        );

        let localized_len = string_field_len(LOCALIZED_LOCALE, KOREAN_LOCALE)
            + string_field_len(LOCALIZED_MESSAGE, code.description_ko());
        let mut localized_detail = Vec::new();
        put_field_header(
            &mut localized_detail,
            STATUS_DETAILS,
            any_len(LOCALIZED_MESSAGE_URL, localized_len),
        );
        put_any_header(&mut localized_detail, LOCALIZED_MESSAGE_URL, localized_len);
        put_string_field(&mut localized_detail, LOCALIZED_LOCALE, KOREAN_LOCALE);
        put_string_field(
            &mut localized_detail,
            LOCALIZED_MESSAGE,
            code.description_ko(),
        );

        let mut parts = PreEncoded {
            error_info_body: error_info_body.into(),
            localized_detail: localized_detail.into(),
            default_status: Bytes::new(),
        };
        let default_status = write_status(&parts, &ChatError::new(code));
        parts.default_status = if domain.inner().lives_forever {
            // Once per code per process: clones of a static buffer touch no
            // shared counter, so hot error paths on many cores do not contend.
            Bytes::from_static(default_status.leak())
        } else {
            default_status.into()
        };
        parts
    }
}

/// The shared parts of `code` in `domain`, encoded on the domain's first use.
fn pre_encoded(domain: &Domain, code: ErrorCode) -> &PreEncoded {
    let all = domain.inner().pre_encoded.get_or_init(|| {
        ErrorCode::iter()
            .map(|code| PreEncoded::new(domain, code))
            .collect()
    });
    &all[code.index()]
}

/// The details of `code` with nothing but the defaults: a shared buffer.
pub(crate) fn static_details(domain: &Domain, code: ErrorCode) -> Bytes {
    pre_encoded(domain, code).default_status.clone()
}

pub(crate) fn encode(error: &ChatError) -> Bytes {
    write_status(pre_encoded(&error.domain, error.code), error).into()
}

fn write_status(parts: &PreEncoded, error: &ChatError) -> Vec<u8> {
    let grpc_code = error.code.grpc_code() as i32;
    let message = error.message();
    let error_info_len = parts.error_info_body.len()
        + error
            .metadata
            .iter()
            .map(|(key, value)| field_len(ERROR_INFO_METADATA, map_entry_len(key, value)))
            .sum::<usize>();
    let error_info_any_len = any_len(ERROR_INFO_URL, error_info_len);
    let optional = OptionalDetails::of(error);

    let mut buf = Vec::with_capacity(
        int32_field_len(STATUS_CODE, grpc_code)
            + string_field_len(STATUS_MESSAGE, message)
            + field_len(STATUS_DETAILS, error_info_any_len)
            + parts.localized_detail.len()
            + optional.len(),
    );
    put_int32_field(&mut buf, STATUS_CODE, grpc_code);
    put_string_field(&mut buf, STATUS_MESSAGE, message);

    put_field_header(&mut buf, STATUS_DETAILS, error_info_any_len);
    put_any_header(&mut buf, ERROR_INFO_URL, error_info_len);
    buf.extend_from_slice(&parts.error_info_body);
    for (key, value) in &error.metadata {
        put_map_entry(&mut buf, ERROR_INFO_METADATA, key, value);
    }

    buf.extend_from_slice(&parts.localized_detail);
    optional.write(&mut buf);
    buf
}

/// RetryInfo, BadRequest, ResourceInfo and RequestInfo, in contract order,
/// with the encoded length of each.
struct OptionalDetails<'a> {
    retry: Option<(tonic_types::pb::RetryInfo, usize)>,
    bad_request: Option<(&'a [crate::FieldViolation], usize)>,
    resource: Option<(&'a crate::ResourceInfo, usize)>,
    request: Option<(&'a crate::RequestInfo, usize)>,
}

impl<'a> OptionalDetails<'a> {
    fn of(error: &'a ChatError) -> OptionalDetails<'a> {
        let retry = error.retry_delay.map(|delay| {
            let info = tonic_types::pb::RetryInfo {
                retry_delay: Some(duration_to_proto(delay)),
            };
            let len = info.encoded_len();
            (info, len)
        });
        let violations = &error.field_violations[..];
        let bad_request = (!violations.is_empty()).then(|| {
            let len = violations
                .iter()
                .map(|v| field_len(BAD_REQUEST_VIOLATIONS, v.encoded_len()))
                .sum();
            (violations, len)
        });
        OptionalDetails {
            retry,
            bad_request,
            resource: error.resource_info.as_ref().map(|r| (r, r.encoded_len())),
            request: error.request_info.as_ref().map(|r| (r, r.encoded_len())),
        }
    }

    fn detail_len(type_url: &str, value_len: usize) -> usize {
        field_len(STATUS_DETAILS, any_len(type_url, value_len))
    }

    fn len(&self) -> usize {
        self.retry
            .as_ref()
            .map_or(0, |(_, len)| Self::detail_len(RETRY_INFO_URL, *len))
            + self
                .bad_request
                .map_or(0, |(_, len)| Self::detail_len(BAD_REQUEST_URL, len))
            + self
                .resource
                .map_or(0, |(_, len)| Self::detail_len(RESOURCE_INFO_URL, len))
            + self
                .request
                .map_or(0, |(_, len)| Self::detail_len(REQUEST_INFO_URL, len))
    }

    fn write(&self, buf: &mut Vec<u8>) {
        if let Some((info, len)) = &self.retry {
            put_detail_header(buf, RETRY_INFO_URL, *len);
            put_message(buf, info);
        }
        if let Some((violations, len)) = self.bad_request {
            put_detail_header(buf, BAD_REQUEST_URL, len);
            for violation in violations {
                put_field_header(buf, BAD_REQUEST_VIOLATIONS, violation.encoded_len());
                put_message(buf, violation);
            }
        }
        if let Some((resource, len)) = self.resource {
            put_detail_header(buf, RESOURCE_INFO_URL, len);
            put_message(buf, resource);
        }
        if let Some((request, len)) = self.request {
            put_detail_header(buf, REQUEST_INFO_URL, len);
            put_message(buf, request);
        }
    }
}

fn put_detail_header(buf: &mut Vec<u8>, type_url: &str, value_len: usize) {
    put_field_header(buf, STATUS_DETAILS, any_len(type_url, value_len));
    put_any_header(buf, type_url, value_len);
}

/// Saturates at protobuf's largest `Duration` rather than failing: a delay
/// of ten thousand years means "do not retry soon" either way.
fn duration_to_proto(delay: std::time::Duration) -> prost_types::Duration {
    prost_types::Duration::try_from(delay).unwrap_or(prost_types::Duration {
        seconds: 315_576_000_000,
        nanos: 999_999_999,
    })
}
