//! What the server answers in each mode and what the client must see, kept
//! in one place so that the two sides cannot drift apart.

use chat_errors::{ChatError, ChatStatusExt, Domain, ErrorCode, Locale, MetadataKey};
use tonic::Status;

use crate::pb::Mode;

/// The catalogue code every mode fails with; plain mode copies its gRPC code
/// and English text so that only the details differ on the wire.
pub const BENCH_CODE: ErrorCode = ErrorCode::ChannelNotFound;
pub const DYNAMIC_MESSAGE: &str = "channel 42 was not found";
pub const DYNAMIC_METADATA: (&str, &str) = ("channel_id", "42");

/// The failing modes.
#[cfg(test)]
pub const MODES: [Mode; 3] = [Mode::Plain, Mode::Rich, Mode::Dynamic];

/// The `accept-language` the localized case sends: a browser's, asking for
/// a locale other than the catalogue's default (`ko-KR`), so that the
/// stack negotiates it and sends each error in it.
pub const ACCEPT_LANGUAGE: &str = "en-US,en;q=0.9,ko-KR;q=0.8,ko;q=0.7";

/// One measured block: a mode, on the bare server and client, through the
/// recommended stack, through the stack with the client sending
/// [`ACCEPT_LANGUAGE`], through the stack recording metrics on both ends
/// (`Settings::with_meter` and `ClientMetrics`), or on the bare server with
/// the client's calls going through `chat_errors::retry::RetryLayer`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Case {
    pub mode: Mode,
    pub stack: bool,
    pub localized: bool,
    pub retry: bool,
    pub metrics: bool,
}

pub const fn case(mode: Mode, stack: bool, localized: bool) -> Case {
    Case {
        mode,
        stack,
        localized,
        retry: false,
        metrics: false,
    }
}

/// `mode` through the stack with metrics on both ends.
pub const fn metered(mode: Mode) -> Case {
    Case {
        mode,
        stack: true,
        localized: false,
        retry: false,
        metrics: true,
    }
}

/// The successful call with the client's retry layer on, which must cost
/// next to nothing when no attempt fails.
pub const OK_VIA_RETRY: Case = Case {
    mode: Mode::Ok,
    stack: false,
    localized: false,
    retry: true,
    metrics: false,
};

/// The measured cases, in the order the report lists them.
pub const CASES: [Case; 10] = [
    case(Mode::Plain, false, false),
    case(Mode::Rich, false, false),
    case(Mode::Dynamic, false, false),
    case(Mode::Rich, true, false),
    case(Mode::Rich, false, true),
    case(Mode::Ok, false, false),
    case(Mode::Ok, true, false),
    OK_VIA_RETRY,
    metered(Mode::Rich),
    metered(Mode::Ok),
];

pub fn label(mode: Mode) -> &'static str {
    match mode {
        Mode::Plain => "plain Status",
        Mode::Rich => "rich (ErrorCode)",
        Mode::Dynamic => "dynamic ChatError",
        Mode::Ok => "ok",
        Mode::Unspecified => "unspecified",
    }
}

pub fn case_label(case: Case) -> &'static str {
    if case == OK_VIA_RETRY {
        return "ok via retry";
    }
    match (case.mode, case.metrics) {
        (Mode::Rich, true) => return "rich via stack+metrics",
        (Mode::Ok, true) => return "ok via stack+metrics",
        _ => {}
    }
    match (case.mode, case.stack, case.localized) {
        (Mode::Rich, true, _) => "rich via stack",
        (Mode::Ok, true, _) => "ok via stack",
        (Mode::Rich, false, true) => "rich localized",
        (mode, _, _) => label(mode),
    }
}

/// The case's name in `key=value` lines.
pub fn case_key(case: Case) -> &'static str {
    if case == OK_VIA_RETRY {
        return "ok_via_retry";
    }
    match (case.mode, case.metrics) {
        (Mode::Rich, true) => return "rich_via_stack_metrics",
        (Mode::Ok, true) => return "ok_via_stack_metrics",
        _ => {}
    }
    match (case.mode, case.stack, case.localized) {
        (Mode::Rich, true, _) => "rich_via_stack",
        (Mode::Ok, true, _) => "ok_via_stack",
        (Mode::Rich, false, true) => "rich_localized",
        (Mode::Plain, ..) => "plain",
        (Mode::Rich, ..) => "rich",
        (Mode::Dynamic, ..) => "dynamic",
        (Mode::Ok, ..) => "ok",
        (Mode::Unspecified, ..) => "unspecified",
    }
}

/// What the server answers for `mode`.
pub fn answer(mode: Mode) -> Result<(), Status> {
    match mode {
        Mode::Ok => Ok(()),
        failing => Err(failure(failing)),
    }
}

/// The status the server returns for a failing `mode`.
pub fn failure(mode: Mode) -> Status {
    match mode {
        Mode::Ok => Status::internal("MODE_OK does not fail"),
        Mode::Plain => Status::new(
            BENCH_CODE.grpc_code(),
            BENCH_CODE.description(Locale::EN_US),
        ),
        Mode::Rich => BENCH_CODE.into(),
        Mode::Dynamic => {
            let (key, value) = DYNAMIC_METADATA;
            ChatError::new(BENCH_CODE)
                .with_message(DYNAMIC_MESSAGE)
                .with_metadata(MetadataKey::from_static(key), value)
                .into()
        }
        Mode::Unspecified => Status::invalid_argument("FailRequest.mode must name a mode"),
    }
}

/// Checks that `status` is what [`failure`] sends for `mode`, as the client
/// decodes it.
pub fn verify(mode: Mode, status: &Status) -> Result<(), String> {
    if status.code() != BENCH_CODE.grpc_code() {
        return Err(format!(
            "{}: gRPC code {:?}: {}",
            label(mode),
            status.code(),
            status.message()
        ));
    }
    let expected = match mode {
        Mode::Plain => None,
        _ => Some(BENCH_CODE),
    };
    let decoded = status.chat_error_code(&Domain::default());
    if decoded != expected {
        return Err(format!(
            "{}: decoded {decoded:?}, expected {expected:?}",
            label(mode)
        ));
    }
    if mode == Mode::Dynamic {
        verify_dynamic_parts(status)?;
    }
    Ok(())
}

/// The locale [`ACCEPT_LANGUAGE`] negotiates.
pub const NEGOTIATED_LOCALE: &str = "en-US";

/// Checks that `status` carries its LocalizedMessage in the locale the
/// localized case's `accept-language` negotiates.
pub fn verify_localized(status: &Status) -> Result<(), String> {
    let decoded = status
        .get_chat_error(&Domain::default())
        .ok_or("localized: the details do not decode")?;
    match decoded.localized_message() {
        Some(localized) if localized.locale == NEGOTIATED_LOCALE => Ok(()),
        other => Err(format!(
            "localized: LocalizedMessage {other:?}, expected one in {NEGOTIATED_LOCALE}"
        )),
    }
}

fn verify_dynamic_parts(status: &Status) -> Result<(), String> {
    let decoded = status
        .get_chat_error(&Domain::default())
        .ok_or("dynamic: the details do not decode")?;
    let (key, value) = DYNAMIC_METADATA;
    if decoded.message() != DYNAMIC_MESSAGE {
        return Err(format!("dynamic: message {:?}", decoded.message()));
    }
    match decoded.metadata().get(key) {
        Some(found) if found == value => Ok(()),
        other => Err(format!("dynamic: metadata {key:?} is {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_mode_passes_only_its_own_check() {
        for sent in MODES {
            let status = failure(sent);
            for checked in MODES {
                let verdict = verify(checked, &status);
                let matches = sent == checked || (sent == Mode::Dynamic && checked == Mode::Rich);
                assert_eq!(
                    verdict.is_ok(),
                    matches,
                    "sent {sent:?}, checked {checked:?}: {verdict:?}"
                );
            }
        }
    }

    #[test]
    fn modes_share_the_grpc_code_and_plain_shares_the_message() {
        let plain = failure(Mode::Plain);
        let rich = failure(Mode::Rich);
        assert_eq!(plain.code(), tonic::Code::NotFound);
        assert_eq!(rich.code(), plain.code());
        assert_eq!(failure(Mode::Dynamic).code(), plain.code());
        assert_eq!(rich.message(), plain.message());
        assert!(plain.details().is_empty());
        assert!(!rich.details().is_empty());
    }

    #[test]
    fn the_localized_case_asks_for_a_locale_other_than_the_default() {
        let locale = chat_errors::Locale::negotiate(ACCEPT_LANGUAGE.as_bytes());
        assert_eq!(
            locale.map(chat_errors::Locale::as_str),
            Some(NEGOTIATED_LOCALE)
        );
        assert_ne!(locale, Some(chat_errors::Locale::default()));
    }

    #[test]
    fn unspecified_mode_is_refused() {
        let status = failure(Mode::Unspecified);
        assert_eq!(status.code(), tonic::Code::InvalidArgument);
        assert!(verify(Mode::Plain, &status).is_err());
    }
}
