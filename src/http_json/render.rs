//! Renders a chat `Status` as an HTTP response whose body is AIP-193's
//! JSON form, or as the gateway form that grpc-gateway and Envoy produce.
//!
//! Both forms write the status's details through prost-reflect's proto3
//! JSON mapping; only the envelope around them differs.

use std::sync::OnceLock;
use std::time::Duration;

use bytes::Bytes;
use http::header::{CONTENT_LANGUAGE, CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use http::{HeaderMap, HeaderValue, Response, StatusCode};
use prost::Message;
use serde::Serialize;
use serde_json::value::RawValue;
use tonic::{Code, Status};
use tonic_types::pb;

use super::descriptors::{descriptors, type_name};
use crate::decode::code_of;
use crate::domain::Domain;
use crate::encode::{pre_encoded, shared_bare_status};
use crate::grpc_code_name;
use crate::http_status::http_status_for;
use crate::wire::{LOCALIZED_MESSAGE, RETRY_INFO};
use crate::{ErrorCode, Locale};

/// The `content-type` of every JSON error body.
pub(crate) const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// The `WWW-Authenticate` challenge sent with `UNAUTHENTICATED`: RFC 9110
/// requires one on a 401, and chat sessions are bearer tokens (RFC 6750).
pub(crate) const WWW_AUTHENTICATE_CHALLENGE: &str = "Bearer";

/// A status as an HTTP response, before its body type is chosen.
#[derive(Clone, Debug)]
pub(crate) struct Rendered {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Rendered {
    pub(crate) fn into_response(self) -> Response<Bytes> {
        let mut response = Response::new(self.body);
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers;
        response
    }
}

/// The details the JSON mapping can write, each written, and the headers
/// that some of them imply.
struct Details {
    written: Vec<Box<RawValue>>,
    retry_after_secs: Option<u64>,
    content_language: Option<HeaderValue>,
}

/// Reads the `google.rpc.Status` in `status`'s details. A detail whose type
/// the mapping does not know, or that does not parse, is left out rather
/// than failing the whole body, unlike grpc-gateway's generic 500.
fn details_of(status: &Status) -> Details {
    let mut details = Details {
        written: Vec::new(),
        retry_after_secs: None,
        content_language: None,
    };
    let Ok(rpc_status) = pb::Status::decode(status.details()) else {
        return details;
    };
    let descriptors = descriptors();
    for any in &rpc_status.details {
        let name = type_name(&any.type_url);
        if !descriptors.knows(name) {
            continue;
        }
        let Some(written) = descriptors
            .dynamic_any(any)
            .and_then(|dynamic| serde_json::value::to_raw_value(&dynamic).ok())
        else {
            continue;
        };
        match name {
            RETRY_INFO if details.retry_after_secs.is_none() => {
                details.retry_after_secs = pb::RetryInfo::decode(any.value.as_slice())
                    .ok()
                    .and_then(|info| info.retry_delay)
                    .and_then(crate::decode::non_negative_delay)
                    .map(whole_seconds_rounded_up);
            }
            LOCALIZED_MESSAGE if details.content_language.is_none() => {
                details.content_language = pb::LocalizedMessage::decode(any.value.as_slice())
                    .ok()
                    .and_then(|localized| HeaderValue::from_str(&localized.locale).ok())
                    .filter(|locale| !locale.is_empty());
            }
            _ => {}
        }
        details.written.push(written);
    }
    details
}

/// `Retry-After` takes whole seconds: waiting a little longer is safe,
/// retrying early is not.
fn whole_seconds_rounded_up(delay: Duration) -> u64 {
    delay.as_secs() + u64::from(delay.subsec_nanos() > 0)
}

#[derive(Serialize)]
struct Aip193Body<'a> {
    error: Aip193Error<'a>,
}

#[derive(Serialize)]
struct Aip193Error<'a> {
    code: u16,
    message: &'a str,
    status: &'static str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    details: &'a [Box<RawValue>],
}

#[derive(Serialize)]
struct GatewayBody<'a> {
    code: i32,
    message: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    details: &'a [Box<RawValue>],
}

fn to_json(body: &impl Serialize) -> Bytes {
    match serde_json::to_vec(body) {
        Ok(json) => json.into(),
        // Strings, integers and JSON already written cannot fail to write.
        Err(error) => unreachable!("an error body did not serialize: {error}"),
    }
}

pub(crate) fn render_status(status: &Status) -> Rendered {
    let details = details_of(status);
    let http_status = http_status_for(status.code());
    let body = to_json(&Aip193Body {
        error: Aip193Error {
            code: http_status.as_u16(),
            message: status.message(),
            status: grpc_code_name(status.code()),
            details: &details.written,
        },
    });
    let mut headers = HeaderMap::with_capacity(4);
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(JSON_CONTENT_TYPE));
    if let Some(secs) = details.retry_after_secs {
        headers.insert(RETRY_AFTER, HeaderValue::from(secs));
    }
    if let Some(locale) = details.content_language {
        headers.insert(CONTENT_LANGUAGE, locale);
    }
    if status.code() == Code::Unauthenticated {
        headers.insert(
            WWW_AUTHENTICATE,
            HeaderValue::from_static(WWW_AUTHENTICATE_CHALLENGE),
        );
    }
    Rendered {
        status: http_status,
        headers,
        body,
    }
}

pub(crate) fn gateway_body(status: &Status) -> Bytes {
    let details = details_of(status);
    to_json(&GatewayBody {
        code: status.code() as i32,
        message: status.message(),
        details: &details.written,
    })
}

/// `status` rendered, the rendering shared by every status like it: a bare
/// code's status in the default domain (`Status::from(code)`, as every
/// locale and message form of it is encoded once) is rendered once per
/// process, code and form. Kept because measured: rendering per call took
/// 6.65 times an ad hoc serde body's time, shared 0.56 (`json_error_render`).
pub(crate) fn render(status: &Status) -> Rendered {
    // One slot per bare status of a code: each locale, with the English or
    // the localized message.
    const FORMS: usize = 2 * Locale::COUNT;
    static RENDERED: [[OnceLock<Rendered>; FORMS]; ErrorCode::COUNT] =
        [const { [const { OnceLock::new() }; FORMS] }; ErrorCode::COUNT];
    let domain = Domain::default_ref();
    let shared = code_of(status, domain.as_str())
        .and_then(|code| Some((code, shared_bare_status(domain, code, status)?)))
        .filter(|(_, bare)| bare.message() == status.message())
        .and_then(|(code, bare)| {
            let form = pre_encoded(domain, code)
                .bare_statuses()
                .position(|candidate| std::ptr::eq(candidate, bare))?;
            Some(&RENDERED[code.index()][form])
        });
    match shared {
        Some(slot) => slot.get_or_init(|| render_status(status)).clone(),
        None => render_status(status),
    }
}
