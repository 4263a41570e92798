//! The locale half of the server stack: each caller's locale, and every
//! chat error of the call sent in it, whatever built the error.

use std::sync::Arc;

use http::HeaderMap;
use tonic::Status;

use super::status_headers::{error_code, replace_status, sent_status};
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
}

impl LocaleCall {
    /// Makes the call's locale and domain the thread's while the guard lives.
    pub(super) fn enter(&self) -> CallGuard {
        enter_call(self.negotiated.locale, self.settings.domain())
    }

    /// Localizes the error status in `headers`, if any. `sent` is the status
    /// they were built from, when the stack has it (tonic leaves a
    /// trailers-only status in the response's extensions), and `checked`
    /// its catalogue code, when the masking already read it. Returns the
    /// status as now sent, when it changed.
    pub(super) fn localize(
        &self,
        headers: &mut HeaderMap,
        sent: Option<&Status>,
        checked: Option<ErrorCode>,
    ) -> Option<Status> {
        let code = error_code(headers)?;
        let left = sent.filter(|status| status.code() == code);
        let checked = checked.filter(|_| left.is_some());
        let sent = sent_status(headers, left)?;
        let relocalized = self.settings.relocalize(&sent, checked, self.negotiated)?;
        replace_status(headers, &relocalized);
        Some(relocalized)
    }
}
