//! Every call pays the recommended stack's layers, not only the failing
//! ones: on a call that succeeds they must not allocate, except for the
//! one slot the server layer takes in the request's extensions so that
//! handlers can read the negotiated `Locale`.
//!
//! The count comes from a global allocator that counts per thread, around
//! one call driven by hand (no runtime): the same inner service with and
//! without the layers, so that what the mock itself allocates cancels out.

mod stack_harness;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use chat_errors::Settings;
use chat_errors::layer::TrailerShield;
use http::{HeaderMap, HeaderValue, Request, Response};
use http_body::{Body, Frame};
use stack_harness::{call_to_the_end, grpc_request};
use tower::layer::Layer;
use tower::{Service, ServiceExt};

struct CountingAllocator;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call goes straight to the system allocator; the count is
// a const-initialised thread local, which itself never allocates.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

/// A unary gRPC response that succeeds: one message, then `grpc-status: 0`.
struct OkBody {
    sent: u8,
}

impl Body for OkBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.sent += 1;
        Poll::Ready(match self.sent {
            1 => Some(Ok(Frame::data(Bytes::from_static(b"\0\0\0\0\x02\x08\x01")))),
            2 => {
                let mut trailers = HeaderMap::new();
                trailers.insert("grpc-status", HeaderValue::from_static("0"));
                Some(Ok(Frame::trailers(trailers)))
            }
            _ => None,
        })
    }
}

type Handler = fn(Request<()>) -> std::future::Ready<Result<Response<OkBody>, Infallible>>;

fn succeed(_: Request<()>) -> std::future::Ready<Result<Response<OkBody>, Infallible>> {
    let mut response = Response::new(OkBody { sent: 0 });
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/grpc"),
    );
    std::future::ready(Ok(response))
}

fn service() -> tower::util::ServiceFn<Handler> {
    tower::service_fn(succeed as Handler)
}

/// Allocations during one call through `service`: the call, its response,
/// its body to the end, and dropping it all. The second of two calls, so
/// that one-time initialisation does not count.
fn allocations_per_call<S, B>(mut service: S, accept_language: Option<&'static str>) -> usize
where
    S: Service<Request<()>, Response = Response<B>>,
    S::Error: std::fmt::Debug,
    B: Body,
    B::Error: std::fmt::Debug,
{
    let once = |service: &mut S| {
        let request = grpc_request(accept_language);
        let before = allocations();
        let frames = call_to_the_end(service, request);
        assert_eq!(frames, 2, "one message, then the trailers");
        allocations() - before
    };
    once(&mut service);
    once(&mut service)
}

#[test]
fn the_shield_allocates_nothing_on_a_successful_call() {
    let bare = allocations_per_call(service(), None);
    assert_eq!(
        allocations_per_call(TrailerShield::new(service()), None),
        bare,
        "TrailerShield"
    );
}

/// The server layer (locale outside masking) adds one allocation, the
/// negotiated `Locale` in the request's extensions, whatever the caller
/// asks for: the masking half and the call's scoped locale add none.
#[test]
fn the_server_stack_allocates_only_the_request_extension() {
    let bare = allocations_per_call(service(), Some("ko-KR,ko;q=0.9,en-US;q=0.8"));
    for accept_language in [None, Some("ko-KR,ko;q=0.9,en-US;q=0.8"), Some("en-US")] {
        for settings in [
            Settings::default(),
            Settings::new(chat_errors::Domain::new("chat.example.com").expect("a valid domain")),
        ] {
            let served = settings.layer().layer(service());
            assert_eq!(
                allocations_per_call(served, accept_language),
                bare + 1,
                "the server layer of {settings:?}, {accept_language:?}"
            );
            let shielded = TrailerShield::new(settings.layer().layer(service()));
            assert_eq!(
                allocations_per_call(shielded, accept_language),
                bare + 1,
                "the whole stack of {settings:?}, {accept_language:?}"
            );
        }
    }
}

/// The extension is the one allocation: inserting it alone costs the same.
#[test]
fn a_locale_in_the_extensions_is_one_allocation() {
    let bare = allocations_per_call(service(), None);
    let with_extension = service().map_request(|mut request: Request<()>| {
        request
            .extensions_mut()
            .insert(chat_errors::Locale::default());
        request
    });
    assert_eq!(allocations_per_call(with_extension, None), bare + 1);
}

/// The count sees what it should: a layer that allocates is caught.
#[test]
fn the_count_catches_an_allocating_layer() {
    let bare = allocations_per_call(service(), None);
    let allocating = service().map_request(|request: Request<()>| {
        std::hint::black_box(vec![0u8; 16]);
        request
    });
    assert_eq!(allocations_per_call(allocating, None), bare + 1);
}
