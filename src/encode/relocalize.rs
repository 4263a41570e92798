//! A status already built, sent in another locale: its one LocalizedMessage
//! becomes the pre-encoded one of that locale and the rest is copied as it
//! was. This is how [`Settings::layer`](crate::Settings::layer) reaches
//! statuses that handlers built without knowing the caller.

use bytes::Bytes;
use tonic::Status;

use super::details::{pre_encoded, shared_bare_status};
use super::limits::fits_on_wire;
use crate::decode::{AnyView, ErrorInfoView, StatusView, code_of};
use crate::wire::field::{ANY_TYPE_URL, ANY_VALUE, STATUS_CODE, STATUS_DETAILS, STATUS_MESSAGE};
use crate::wire::write::{field_len, put_bytes_field, put_field_header, put_int32_field};
use crate::wire::{ERROR_INFO, LOCALIZED_MESSAGE};
use crate::{Domain, ErrorCode, Locale};

/// `status`, a chat error of `domain` (of `code`, when the caller has
/// already read it), with its LocalizedMessage in
/// `locale` and, when `localize_message` is set and the message is one of
/// the code's descriptions, its message in `locale` too.
///
/// `None` when there is nothing to change, when `status` is not a chat
/// error of `domain`, when its details do not parse, or when the result
/// would break [`MAX_TRAILER_BYTES`](crate::MAX_TRAILER_BYTES). Metadata
/// attached to `status` is kept; its `source()` is not (tonic gives no way
/// to move it), so log it before this runs.
pub(crate) fn relocalize(
    status: &Status,
    code: Option<ErrorCode>,
    domain: &Domain,
    locale: Locale,
    localize_message: bool,
) -> Option<Status> {
    let code = code.or_else(|| code_of(status, domain.as_str()))?;
    let shared =
        shared_bare_status(domain, code, status).filter(|bare| bare.message() == status.message());
    let parts = pre_encoded(domain, code);
    // What a handler builds behind the server stack: already what is wanted.
    if let Some(bare) = shared
        && std::ptr::eq(bare, parts.bare_status(locale, localize_message))
    {
        return None;
    }
    let sent_message = status.message();
    let is_description = Locale::iter().any(|l| code.description(l) == sent_message);
    let message = if localize_message && is_description {
        code.description(locale)
    } else {
        sent_message
    };

    // A bare code, as `Status::from(code)`, `ChatError::with_locale` or an
    // earlier relocalizing sent it, goes out as another bare status.
    let was_bare = || {
        shared.is_some()
            || parts
                .bare_statuses()
                .any(|bare| bare.message() == sent_message && bare.details() == status.details())
    };
    let target = [false, true]
        .into_iter()
        .map(|localized_message| parts.bare_status(locale, localized_message))
        .find(|bare| bare.message() == message);
    if let Some(target) = target.filter(|_| was_bare()) {
        return (target.details() != status.details() || message != sent_message)
            .then(|| rebuilt(status, message, target.details().clone()));
    }

    let details = spliced(status.details(), domain, code, locale, message)?;
    let (message, details) = if fits_on_wire(message, details.len()) {
        (message, details)
    } else if message != sent_message {
        // The localized message is what gives way, as it is optional.
        let details = spliced(status.details(), domain, code, locale, sent_message)?;
        (sent_message, details)
    } else {
        return None;
    };
    let unchanged = message == sent_message && details == status.details();
    (!unchanged).then(|| rebuilt(status, message, details.into()))
}

fn rebuilt(status: &Status, message: &str, details: Bytes) -> Status {
    Status::with_details_and_metadata(status.code(), message, details, status.metadata().clone())
}

/// The details with `message` as the status message and `locale`'s
/// LocalizedMessage in place of whatever LocalizedMessages they had, or
/// right after `domain`'s ErrorInfo if they had none.
fn spliced(
    details: &[u8],
    domain: &Domain,
    code: ErrorCode,
    locale: Locale,
    message: &str,
) -> Option<Vec<u8>> {
    let view = StatusView::parse(details).ok()?;
    let localized = pre_encoded(domain, code).localized_detail(locale);
    let mut had_localized = false;
    for detail in view.details() {
        had_localized |= detail.ok()?.is(LOCALIZED_MESSAGE);
    }

    let mut out = Vec::with_capacity(details.len() + localized.len() + message.len());
    put_int32_field(&mut out, STATUS_CODE, view.code);
    put_bytes_field(&mut out, STATUS_MESSAGE, message.as_bytes());
    let mut localized_written = false;
    for detail in view.details().filter_map(Result::ok) {
        if detail.is(LOCALIZED_MESSAGE) {
            if !localized_written {
                out.extend_from_slice(localized);
                localized_written = true;
            }
            continue;
        }
        put_any(&mut out, &detail);
        let is_ours = || {
            detail.is(ERROR_INFO)
                && ErrorInfoView::parse(detail.value)
                    .is_ok_and(|info| info.domain == domain.as_str().as_bytes())
        };
        if !had_localized && !localized_written && is_ours() {
            out.extend_from_slice(localized);
            localized_written = true;
        }
    }
    Some(out)
}

/// One `details` entry, as it was.
fn put_any(out: &mut Vec<u8>, detail: &AnyView<'_>) {
    let url = detail.type_url();
    let url_len = if url.is_empty() {
        0
    } else {
        field_len(ANY_TYPE_URL, url.len())
    };
    put_field_header(
        out,
        STATUS_DETAILS,
        url_len + field_len(ANY_VALUE, detail.value.len()),
    );
    put_bytes_field(out, ANY_TYPE_URL, url);
    put_field_header(out, ANY_VALUE, detail.value.len());
    out.extend_from_slice(detail.value);
}
