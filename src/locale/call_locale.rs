//! The locale and domain of the call being served on this thread, so that
//! errors are built in them from the start rather than rebuilt on the way out.
//!
//! The server layers make the call's locale and domain the thread's only
//! while they poll the call's future or its body, through a guard that
//! restores what was there before when the poll returns, or unwinds. So
//! nothing can leak from one call into another that the same thread polls
//! next: between polls the thread holds no call at all. A thread-local
//! rather than a task-local because tonic's handlers are plain futures the
//! layer polls, and because `ErrorCode::X.into()`, which reads it, has no
//! other way to learn the call. A status built elsewhere (another task,
//! another thread, before the call) gets the defaults, and the layers
//! treat it as they treat any status they did not see built.
//!
//! The call also notes the code of the last bare status built in it, so
//! that the stack knows which shared status to compare the answer with,
//! by address, instead of reading the code back out of it.
//!
//! Kept because measured: before it, every error a handler built behind the
//! stack was rebuilt in the caller's locale on the way out, and a browser's
//! caller paid 5.49 % p50 over a plain status (median of 13 runs) against
//! 3.33 % with it (median of 15; BENCHMARKS.md).

use std::cell::{Cell, RefCell};

use super::Locale;
use crate::{Domain, ErrorCode};

thread_local! {
    static CALL: Cell<Option<CallState>> = const { Cell::new(None) };
    /// The call's domain, when it is not the default: kept apart, so that a
    /// call of the default domain, the common case, enters and leaves with
    /// a plain copy and no reference count.
    static CALL_DOMAIN: RefCell<Option<Domain>> = const { RefCell::new(None) };
}

#[derive(Clone, Copy)]
struct CallState {
    locale: Locale,
    /// Whether the call's domain is in `CALL_DOMAIN` rather than the default.
    custom_domain: bool,
    /// The code of the last bare status (`ErrorCode::X.into()`) built in
    /// the call: the stack's hint of which shared status to look for.
    built: Option<ErrorCode>,
}

/// The locale a new error takes: the call's, when a layer is polling one on
/// this thread, or else the default.
#[inline]
pub(crate) fn call_locale() -> Locale {
    CALL.get().map(|state| state.locale).unwrap_or_default()
}

/// The domain a new error takes: the call's, or `None` for the default,
/// also when the call's is the default, so that such an error keeps the
/// default domain's cheaper path (no reference count, shared statuses).
#[inline]
pub(crate) fn call_domain() -> Option<Domain> {
    CALL.get().and_then(custom_domain)
}

/// [`call_locale`] and [`call_domain`] for the bare status of `code` about
/// to be built, which the call notes as the last it built.
#[inline]
pub(crate) fn call_for_bare_status(code: ErrorCode) -> (Locale, Option<Domain>) {
    match CALL.get() {
        Some(state) => {
            CALL.set(Some(CallState {
                built: Some(code),
                ..state
            }));
            (state.locale, custom_domain(state))
        }
        None => (Locale::default(), None),
    }
}

fn custom_domain(state: CallState) -> Option<Domain> {
    if state.custom_domain {
        CALL_DOMAIN.with(|domain| domain.borrow().clone())
    } else {
        None
    }
}

/// Makes `locale` and `domain` the call's until the guard drops, then
/// restores what was there before, so that nested layers and a panic
/// unwinding through a poll leave the thread as they found it. `built` is
/// what [`CallGuard::built`] said when the call was last entered.
pub(crate) fn enter_call(locale: Locale, domain: &Domain, built: Option<ErrorCode>) -> CallGuard {
    let custom_domain = domain != Domain::default_ref();
    let previous = CALL.replace(Some(CallState {
        locale,
        custom_domain,
        built,
    }));
    let previous_domain = (custom_domain || previous.is_some_and(|state| state.custom_domain))
        .then(|| CALL_DOMAIN.replace(custom_domain.then(|| domain.clone())));
    CallGuard {
        previous,
        previous_domain,
    }
}

/// The call's locale and domain on this thread, until dropped.
pub(crate) struct CallGuard {
    previous: Option<CallState>,
    /// What `CALL_DOMAIN` held before, when entering changed it.
    previous_domain: Option<Option<Domain>>,
}

impl CallGuard {
    /// The code of the last bare status built in the call, in this poll or
    /// an earlier one.
    pub(crate) fn built(&self) -> Option<ErrorCode> {
        CALL.get().and_then(|state| state.built)
    }
}

impl Drop for CallGuard {
    fn drop(&mut self) {
        CALL.set(self.previous);
        if let Some(previous) = self.previous_domain.take() {
            CALL_DOMAIN.set(previous);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn other_than_default() -> Locale {
        Locale::iter()
            .find(|locale| *locale != Locale::default())
            .expect("the catalogue has two locales")
    }

    fn other_domain() -> Domain {
        Domain::new("chat.example.com").expect("a valid domain")
    }

    #[test]
    fn outside_a_call_the_defaults_apply() {
        assert_eq!(call_locale(), Locale::default());
        assert_eq!(call_domain(), None);
    }

    #[test]
    fn a_guard_restores_the_call_before_it_nested_or_not() {
        let other = other_than_default();
        {
            let _outer = enter_call(other, &other_domain(), None);
            assert_eq!(call_locale(), other);
            assert_eq!(call_domain(), Some(other_domain()));
            {
                let _inner = enter_call(Locale::default(), &Domain::default(), None);
                assert_eq!(call_locale(), Locale::default());
                // The default domain is told as `None`, its cheaper path.
                assert_eq!(call_domain(), None);
            }
            assert_eq!(call_locale(), other);
            assert_eq!(call_domain(), Some(other_domain()));
        }
        assert_eq!(call_locale(), Locale::default());
        assert_eq!(call_domain(), None);
    }

    #[test]
    fn a_panic_inside_a_call_leaves_no_call_behind() {
        let other = other_than_default();
        let unwound = std::panic::catch_unwind(|| {
            let _call = enter_call(other, &other_domain(), None);
            panic!("a handler panics");
        });
        assert!(unwound.is_err());
        assert_eq!(call_locale(), Locale::default());
        assert_eq!(call_domain(), None);
    }

    #[test]
    fn a_bare_status_built_in_a_call_is_noted_until_the_next_entry() {
        let first = enter_call(Locale::default(), &Domain::default(), None);
        assert_eq!(first.built(), None);
        let _ = tonic::Status::from(ErrorCode::ChannelNotFound);
        assert_eq!(first.built(), Some(ErrorCode::ChannelNotFound));
        let noted = first.built();
        drop(first);
        // Outside a call nothing is noted, and nothing is left behind.
        let _ = tonic::Status::from(ErrorCode::MutedInChannel);
        let next = enter_call(other_than_default(), &other_domain(), noted);
        assert_eq!(next.built(), Some(ErrorCode::ChannelNotFound));
        let _ = tonic::Status::from(ErrorCode::MutedInChannel);
        assert_eq!(next.built(), Some(ErrorCode::MutedInChannel));
    }

    #[test]
    fn each_thread_has_its_own_call() {
        let other = other_than_default();
        let _call = enter_call(other, &other_domain(), None);
        let elsewhere = std::thread::spawn(|| (call_locale(), call_domain()))
            .join()
            .expect("no panic");
        assert_eq!(elsewhere, (Locale::default(), None));
        assert_eq!(call_locale(), other);
    }
}
