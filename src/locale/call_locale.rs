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
//! Kept because measured: before it, every error a handler built behind the
//! stack was rebuilt in the caller's locale on the way out, and a browser's
//! caller paid 5.49 % p50 over a plain status (median of 13 runs) against
//! 3.33 % with it (median of 15; BENCHMARKS.md).

use std::cell::RefCell;

use super::Locale;
use crate::Domain;

thread_local! {
    static CALL: RefCell<Option<(Locale, Domain)>> = const { RefCell::new(None) };
}

/// The locale a new error takes: the call's, when a layer is polling one on
/// this thread, or else the default.
#[inline]
pub(crate) fn call_locale() -> Locale {
    CALL.with(|call| call.borrow().as_ref().map(|(locale, _)| *locale))
        .unwrap_or_default()
}

/// The domain a new error takes: the call's, or `None` for the default,
/// also when the call's is the default, so that such an error keeps the
/// default domain's cheaper path (no reference count, shared statuses).
#[inline]
pub(crate) fn call_domain() -> Option<Domain> {
    CALL.with(|call| {
        call.borrow()
            .as_ref()
            .map(|(_, domain)| domain)
            .filter(|domain| *domain != Domain::default_ref())
            .cloned()
    })
}

/// Makes `locale` and `domain` the call's until the guard drops, then
/// restores what was there before, so that nested layers and a panic
/// unwinding through a poll leave the thread as they found it.
pub(crate) fn enter_call(locale: Locale, domain: &Domain) -> CallGuard {
    CallGuard {
        previous: CALL.with(|call| call.replace(Some((locale, domain.clone())))),
    }
}

/// The call's locale and domain on this thread, until dropped.
pub(crate) struct CallGuard {
    previous: Option<(Locale, Domain)>,
}

impl Drop for CallGuard {
    fn drop(&mut self) {
        let previous = self.previous.take();
        CALL.with(|call| *call.borrow_mut() = previous);
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
            let _outer = enter_call(other, &other_domain());
            assert_eq!(call_locale(), other);
            assert_eq!(call_domain(), Some(other_domain()));
            {
                let _inner = enter_call(Locale::default(), &Domain::default());
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
            let _call = enter_call(other, &other_domain());
            panic!("a handler panics");
        });
        assert!(unwound.is_err());
        assert_eq!(call_locale(), Locale::default());
        assert_eq!(call_domain(), None);
    }

    #[test]
    fn each_thread_has_its_own_call() {
        let other = other_than_default();
        let _call = enter_call(other, &other_domain());
        let elsewhere = std::thread::spawn(|| (call_locale(), call_domain()))
            .join()
            .expect("no panic");
        assert_eq!(elsewhere, (Locale::default(), None));
        assert_eq!(call_locale(), other);
    }
}
