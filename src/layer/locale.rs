//! The locale half of the server stack: each caller's locale, and every
//! chat error of the call sent in it, whatever built the error.

use std::sync::Arc;

use http::HeaderMap;
use tonic::{Code, Status};

use super::status_headers::{replace_status, sent_status};
use crate::locale::{CallGuard, Negotiated, enter_call};
use crate::{ErrorCode, Settings};

/// One call's locale, kept until its status is sent. While the stack polls
/// the call, the call's locale and domain are the polling thread's, so most
/// errors are built right and pass untouched, byte for byte; a bare code's
/// status built elsewhere is resent from header values encoded once per
/// code and locale.
#[derive(Debug)]
pub(super) struct LocaleCall {
    pub(super) settings: Arc<Settings>,
    pub(super) negotiated: Negotiated,
    /// The code of the last bare status the call built, as its guard said.
    pub(super) built: Option<ErrorCode>,
}

impl LocaleCall {
    /// Makes the call's locale and domain the thread's while the guard lives.
    pub(super) fn enter(&self) -> CallGuard {
        enter_call(self.negotiated.locale, self.settings.domain(), self.built)
    }

    /// Notes what the call built while `guard` was entered.
    pub(super) fn leave(&mut self, guard: &CallGuard) {
        self.built = guard.built();
    }

    /// The code of `status` when it is, byte for byte, the shared status the
    /// call last built and what the caller is to get, so that neither the
    /// masking nor the localizing has anything to read or change.
    ///
    /// Kept because measured: reading the code back out of the details and
    /// checking them against the target cost about 1,800 server
    /// instructions per error through the stack, about 3 % of a call
    /// (`e2e-bench instructions`, BENCHMARKS.md).
    pub(super) fn built_as_sent(&self, status: &Status) -> Option<ErrorCode> {
        let code = self.built?;
        let bare = self.settings.bare_status(code, self.negotiated);
        let same = std::ptr::eq(bare.details().as_ptr(), status.details().as_ptr())
            && bare.details().len() == status.details().len()
            && status.code() == code.grpc_code()
            && bare.message() == status.message()
            && std::error::Error::source(status).is_none();
        same.then_some(code)
    }

    /// Localizes the error status in `headers`, if any, whose `grpc-status`
    /// is `code`. `sent` is the status they were built from, when the stack
    /// has it (tonic leaves a trailers-only status in the response's
    /// extensions), and `checked` its catalogue code, when the masking
    /// already read it. Returns the status as now sent, when it changed.
    pub(super) fn localize(
        &self,
        headers: &mut HeaderMap,
        code: Code,
        sent: Option<&Status>,
        checked: Option<ErrorCode>,
    ) -> Option<Status> {
        if code == Code::Ok {
            return None;
        }
        let left = sent.filter(|status| status.code() == code);
        let checked = checked.filter(|_| left.is_some());
        let sent = sent_status(headers, left)?;
        let relocalized = self.settings.relocalize(&sent, checked, self.negotiated)?;
        replace_status(headers, &relocalized);
        Some(relocalized)
    }
}
