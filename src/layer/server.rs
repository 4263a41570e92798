//! [`ServerLayer`]: the server stack, locale outside masking.

use std::sync::Arc;

use tower_layer::Layer;

use super::internal::{InternalErrorLayer, InternalErrorService};
use super::locale::{LocaleLayer, LocaleService};
use crate::Settings;

/// The recommended server stack, made by [`Settings::layer`]: every error
/// leaves in the caller's locale, and nothing internal leaves at all.
///
/// Per call, from outside in:
///
/// 1. **Locale.** The caller's locale is negotiated from `accept-language`
///    and put in the request's extensions as a [`Locale`](crate::Locale).
///    While the call is polled, its errors are built in that locale and in
///    the settings' domain. On the way out, any chat error of the domain
///    still in another locale (built on another task, say) is rewritten so
///    that its one `LocalizedMessage` is in the caller's.
/// 2. **Masking.** A handler panic, or an error status with no chat error
///    of the domain in it (`Status::internal(format!("db: {e}"))`, a chat
///    error of another domain), becomes `1003 InternalServerError` with a
///    `RequestInfo` request id: the request's `x-request-id` when that is a
///    plain token (letters, digits, `.`, `_`, `:`, `-`, at most 128), or a
///    fresh random one. The cause, with that id, goes to a `tracing` error
///    event, never to the peer. A request body the service cannot decode
///    (with [`ChatCodec`](crate::codec::ChatCodec)) becomes `1001
///    ParamsBindingError`. `Cancelled`, `DeadlineExceeded` and
///    `Unimplemented` pass unchanged, as they say nothing about the
///    server's inside; a status that passes with a
///    [source](crate::ChatError::with_source) has that source logged.
///
/// It goes on a tonic `Server`, or around one service. tonic-web's
/// `GrpcWebLayer` moves trailers into the response body, where no layer can
/// read them, so for gRPC-Web this layer goes inside it (added after it):
/// placed outside, it refuses every streamed gRPC-Web response with 1003
/// and logs why, so that the mistake fails the first test.
#[derive(Clone, Debug)]
pub struct ServerLayer {
    locale: LocaleLayer,
    internal: InternalErrorLayer,
}

impl ServerLayer {
    pub(crate) fn new(settings: Settings) -> ServerLayer {
        ServerLayer {
            internal: InternalErrorLayer::new(settings.domain().clone()),
            locale: LocaleLayer::new(Arc::new(settings)),
        }
    }
}

impl<S> Layer<S> for ServerLayer {
    type Service = LocaleService<InternalErrorService<S>>;

    fn layer(&self, inner: S) -> Self::Service {
        self.locale.layer(self.internal.layer(inner))
    }
}
