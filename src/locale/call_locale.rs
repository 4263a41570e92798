//! The locale of the call being served on this thread, so that errors are
//! built in it from the start rather than rebuilt on the way out.
//!
//! [`LocaleLayer`](crate::layer::LocaleLayer) makes its negotiated locale
//! the call's while it polls the call. A status built elsewhere (another
//! task, another thread, before the call) gets the default and is
//! relocalized by the layer as before: this only saves work, it decides
//! nothing.

use std::cell::Cell;

use super::Locale;

thread_local! {
    static CALL_LOCALE: Cell<Option<Locale>> = const { Cell::new(None) };
}

/// The locale a new error takes: the call's, when a layer is polling one on
/// this thread, or else the default.
#[inline]
pub(crate) fn call_locale() -> Locale {
    CALL_LOCALE.with(Cell::get).unwrap_or_default()
}

/// Makes `locale` the call's until the guard drops, then restores what was
/// there before, so that nested layers and a panic unwinding through a
/// poll leave the thread as they found it.
pub(crate) fn enter_call(locale: Locale) -> CallLocaleGuard {
    CallLocaleGuard {
        previous: CALL_LOCALE.with(|current| current.replace(Some(locale))),
    }
}

/// The call's locale on this thread, until dropped.
pub(crate) struct CallLocaleGuard {
    previous: Option<Locale>,
}

impl Drop for CallLocaleGuard {
    fn drop(&mut self) {
        CALL_LOCALE.with(|current| current.set(self.previous));
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

    #[test]
    fn outside_a_call_the_default_applies() {
        assert_eq!(call_locale(), Locale::default());
    }

    #[test]
    fn a_guard_restores_the_locale_before_it_nested_or_not() {
        let other = other_than_default();
        {
            let _outer = enter_call(other);
            assert_eq!(call_locale(), other);
            {
                let _inner = enter_call(Locale::default());
                assert_eq!(call_locale(), Locale::default());
            }
            assert_eq!(call_locale(), other);
        }
        assert_eq!(call_locale(), Locale::default());
    }

    #[test]
    fn a_panic_inside_a_call_leaves_no_locale_behind() {
        let other = other_than_default();
        let unwound = std::panic::catch_unwind(|| {
            let _call = enter_call(other);
            panic!("a handler panics");
        });
        assert!(unwound.is_err());
        assert_eq!(call_locale(), Locale::default());
    }

    #[test]
    fn each_thread_has_its_own_call() {
        let other = other_than_default();
        let _call = enter_call(other);
        let elsewhere = std::thread::spawn(call_locale).join().expect("no panic");
        assert_eq!(elsewhere, Locale::default());
        assert_eq!(call_locale(), other);
    }
}
