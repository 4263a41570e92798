//! The retry layer over loopback: a real tonic server on 127.0.0.1 whose
//! handler follows a script, a channel wrapped in `RetryLayer`, and the
//! server's own count of the attempts it saw. Waits run on tokio's paused
//! clock, which jumps to the next timer whenever the test is idle.

mod common;
mod loopback;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chat_errors::retry::{RetryLayer, RetryPolicy, RetryRule};
use chat_errors::{ChatError, ErrorCode};
use common::{any, error_info, fixture_rows, status_with_details};
use loopback::{Probe, Running, UNARY, call_unary, channel, serve};
use tokio::time::Instant;
use tonic::{Code, Request, Status};
use tower::Layer as _;
use tower::layer::util::Identity;

/// One attempt as the server saw it.
#[derive(Clone, Debug)]
struct Seen {
    at: Instant,
    body: String,
    previous_attempts: Option<String>,
}

/// A server that answers attempt `n` (from 0) with `answer(n)`, and keeps
/// what it saw.
async fn scripted<F>(answer: F) -> (Running, Arc<Mutex<Vec<Seen>>>)
where
    F: Fn(usize) -> Result<String, Status> + Send + Sync + 'static,
{
    let seen = Arc::new(Mutex::new(Vec::<Seen>::new()));
    let log = Arc::clone(&seen);
    let answer = Arc::new(answer);
    let probe = Probe::unary_request(move |request: Request<String>| {
        let previous_attempts = request
            .metadata()
            .get("grpc-previous-rpc-attempts")
            .map(|value| value.to_str().unwrap().to_owned());
        let attempt = {
            let mut log = log.lock().unwrap();
            log.push(Seen {
                at: Instant::now(),
                body: request.into_inner(),
                previous_attempts,
            });
            log.len() - 1
        };
        let reply = answer(attempt);
        async move { reply }
    });
    (serve(Identity::new(), probe).await, seen)
}

fn attempts(seen: &Mutex<Vec<Seen>>) -> usize {
    seen.lock().unwrap().len()
}

async fn call_through(layer: &RetryLayer, server: &Running, body: &str) -> Result<String, Status> {
    call_unary(layer.layer(channel(server.addr).await), body.to_owned()).await
}

fn idempotent() -> RetryPolicy {
    RetryPolicy::default().with_idempotent_method(UNARY)
}

fn rate_limited(delay: Duration) -> Status {
    ChatError::new(ErrorCode::TooManyRequests)
        .with_retry_delay(delay)
        .into()
}

fn with_pushback(mut status: Status, value: &'static str) -> Status {
    status
        .metadata_mut()
        .insert("grpc-retry-pushback-ms", value.parse().unwrap());
    status
}

#[tokio::test(start_paused = true)]
async fn a_rate_limited_call_succeeds_on_the_retry_after_the_retry_info_delay() {
    let (server, seen) = scripted(|attempt| match attempt {
        0 => Err(rate_limited(Duration::from_millis(2_500))),
        _ => Ok("sent".to_owned()),
    })
    .await;
    // Not idempotent: rate limiting says the server did nothing.
    let layer = RetryLayer::new(RetryPolicy::default());
    assert_eq!(
        call_through(&layer, &server, "hello").await.unwrap(),
        "sent"
    );

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    let waited = seen[1].at - seen[0].at;
    assert!(waited >= Duration::from_millis(2_500), "waited {waited:?}");
    assert!(waited < Duration::from_millis(2_600), "waited {waited:?}");
    assert_eq!(seen[1].body, "hello", "the retry resends the same request");
    assert_eq!(seen[0].previous_attempts, None);
    assert_eq!(seen[1].previous_attempts.as_deref(), Some("1"));
}

#[tokio::test(start_paused = true)]
async fn every_code_is_retried_as_its_fixture_row_says() {
    let rows = fixture_rows();
    assert_eq!(rows.len(), 57);
    let failing = Arc::new(Mutex::new(ErrorCode::ParamsBindingError));
    let code = Arc::clone(&failing);
    let (server, seen) = scripted(move |_| Err((*code.lock().unwrap()).into())).await;
    for row in &rows {
        let code = ErrorCode::from_i32(row.code).expect("the fixture's codes are the build's");
        *failing.lock().unwrap() = code;
        // Only rate limiting is a refusal before the server acted.
        let not_processed = row.retryable && row.reason == "TOO_MANY_REQUESTS";
        for (policy, retried) in [
            (idempotent(), row.retryable),
            (RetryPolicy::default(), not_processed),
        ] {
            seen.lock().unwrap().clear();
            // A fresh layer: a budget drained by the codes before would stop retries.
            let layer = RetryLayer::new(policy.with_max_attempts(3));
            let status = call_through(&layer, &server, "hi").await.unwrap_err();
            assert_eq!(status.code(), row.grpc_code, "{code}");
            let expected = if retried { 3 } else { 1 };
            assert_eq!(attempts(&seen), expected, "{code}, retried: {retried}");
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_non_idempotent_method_is_not_retried_after_an_internal_error() {
    let (server, seen) = scripted(|_| Err(ErrorCode::InternalServerError1003.into())).await;
    let status = call_through(&RetryLayer::new(RetryPolicy::default()), &server, "send")
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::Internal);
    assert_eq!(attempts(&seen), 1);

    // The same error on the method marked idempotent is retried.
    seen.lock().unwrap().clear();
    call_through(&RetryLayer::new(idempotent()), &server, "get")
        .await
        .unwrap_err();
    assert_eq!(attempts(&seen), 3);
}

#[tokio::test(start_paused = true)]
async fn the_budget_stops_a_storm() {
    let (server, seen) = scripted(|_| Err(ErrorCode::InternalServerError3000.into())).await;
    let layer = RetryLayer::new(idempotent().with_max_attempts(5).with_budget(10, 0.1));
    for _ in 0..20 {
        call_through(&layer, &server, "get").await.unwrap_err();
    }
    // gRFC A6 throttling with 10 tokens: each failed attempt takes one, and
    // retries stop at 5 or fewer. The first call fails at 9, 8, 7, 6 (each
    // retried) and 5 (its fifth and last attempt); every later call fails
    // once, at 4 and below, and is not retried: 5 + 19 attempts, not 100.
    assert_eq!(attempts(&seen), 24);
}

#[tokio::test(start_paused = true)]
async fn a_code_from_a_newer_catalogue_is_not_retried() {
    let newer = || {
        status_with_details(
            Code::Unavailable,
            "The shard is moving.",
            vec![
                error_info(
                    "SHARD_MOVING",
                    chat_errors::DEFAULT_DOMAIN,
                    &[("code", "7001"), ("message", "ShardMoving")],
                ),
                any(
                    "google.rpc.RetryInfo",
                    &tonic_types::pb::RetryInfo {
                        retry_delay: Some(prost_types::Duration {
                            seconds: 0,
                            nanos: 1_000_000,
                        }),
                    },
                ),
            ],
        )
    };
    assert_eq!(ErrorCode::from_i32(7001), None, "7001 must be unknown here");
    let (server, seen) = scripted(move |_| Err(newer())).await;
    // Even a policy that retries plain UNAVAILABLE leaves it: it is a chat error.
    let policy = idempotent().with_plain_retryable_codes([Code::Unavailable]);
    let status = call_through(&RetryLayer::new(policy), &server, "get")
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::Unavailable);
    assert_eq!(attempts(&seen), 1);
}

#[tokio::test(start_paused = true)]
async fn a_body_over_the_limit_is_sent_once() {
    let (server, seen) = scripted(|_| Err(rate_limited(Duration::from_millis(10)))).await;
    let long = "x".repeat(100);
    // 100 bytes of text frame as 5 + 2 + 100 bytes on the wire.
    let layer = RetryLayer::new(RetryPolicy::default().with_body_limit(106));
    call_through(&layer, &server, &long).await.unwrap_err();
    assert_eq!(attempts(&seen), 1);
    assert_eq!(seen.lock().unwrap()[0].body, long, "passed on whole");

    seen.lock().unwrap().clear();
    let layer = RetryLayer::new(RetryPolicy::default().with_body_limit(107));
    call_through(&layer, &server, &long).await.unwrap_err();
    assert_eq!(attempts(&seen), 3, "a body at the limit is kept");
}

#[tokio::test(start_paused = true)]
async fn a_pushback_in_milliseconds_is_waited() {
    let (server, seen) = scripted(|attempt| match attempt {
        0 => Err(with_pushback(ErrorCode::TooManyRequests.into(), "1500")),
        _ => Ok("sent".to_owned()),
    })
    .await;
    let layer = RetryLayer::new(RetryPolicy::default());
    assert_eq!(call_through(&layer, &server, "hi").await.unwrap(), "sent");
    let seen = seen.lock().unwrap().clone();
    let waited = seen[1].at - seen[0].at;
    assert!(
        (Duration::from_millis(1_500)..Duration::from_millis(1_600)).contains(&waited),
        "waited {waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_negative_or_unreadable_pushback_means_do_not_retry() {
    for value in ["-1", "-0", "soon", "1.5", "1e3", " 100", ""] {
        let (server, seen) =
            scripted(move |_| Err(with_pushback(ErrorCode::TooManyRequests.into(), value))).await;
        let layer = RetryLayer::new(RetryPolicy::default());
        call_through(&layer, &server, "hi").await.unwrap_err();
        assert_eq!(attempts(&seen), 1, "pushback {value:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_pushback_does_not_make_a_code_retryable() {
    let (server, seen) =
        scripted(|_| Err(with_pushback(ErrorCode::ChannelNotFound.into(), "10"))).await;
    call_through(&RetryLayer::new(idempotent()), &server, "get")
        .await
        .unwrap_err();
    assert_eq!(attempts(&seen), 1);
}

#[tokio::test(start_paused = true)]
async fn a_server_delay_over_the_cap_goes_to_the_caller() {
    let (server, seen) = scripted(|_| Err(rate_limited(Duration::from_secs(30)))).await;
    let layer = RetryLayer::new(RetryPolicy::default().with_max_delay(Duration::from_secs(10)));
    let started = Instant::now();
    let status = call_through(&layer, &server, "hi").await.unwrap_err();
    assert_eq!(started.elapsed(), Duration::ZERO, "nothing was waited");
    assert_eq!(attempts(&seen), 1);
    let sent = chat_errors::ChatStatusExt::get_chat_error(&status, &Default::default()).unwrap();
    assert_eq!(sent.retry_delay(), Some(Duration::from_secs(30)));
}

#[tokio::test(start_paused = true)]
async fn a_plain_status_is_retried_only_when_listed_and_idempotent() {
    let (server, seen) = scripted(|_| Err(Status::unavailable("no healthy upstream"))).await;
    for (policy, expected) in [
        (idempotent(), 1),
        (
            RetryPolicy::default().with_plain_retryable_codes([Code::Unavailable]),
            1,
        ),
        (
            idempotent().with_plain_retryable_codes([Code::Unavailable]),
            3,
        ),
        (idempotent().with_plain_retryable_codes([Code::Internal]), 1),
    ] {
        seen.lock().unwrap().clear();
        call_through(&RetryLayer::new(policy.clone()), &server, "get")
            .await
            .unwrap_err();
        assert_eq!(attempts(&seen), expected, "{policy:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_success_is_one_attempt() {
    let (server, seen) = scripted(|_| Ok("done".to_owned())).await;
    let layer = RetryLayer::new(idempotent());
    for _ in 0..3 {
        assert_eq!(call_through(&layer, &server, "get").await.unwrap(), "done");
    }
    assert_eq!(attempts(&seen), 3);
}

#[test]
fn the_rule_of_each_code_follows_its_fixture_row() {
    for row in fixture_rows() {
        let code = ErrorCode::from_i32(row.code).unwrap();
        let expected = match (row.retryable, row.grpc_code) {
            (false, _) => RetryRule::Never,
            (true, Code::ResourceExhausted) => RetryRule::AnyMethod,
            (true, _) => RetryRule::IdempotentOnly,
        };
        assert_eq!(RetryRule::of(code), expected, "{code}");
    }
}

/// docs/retries.md lists every code's rule; it must say what the code does.
#[test]
fn the_documented_table_is_the_rule_of_every_code() {
    let docs = include_str!("../docs/retries.md");
    let documented: Vec<(i32, String, String)> = docs
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            let number = cells.first()?.parse().ok()?;
            Some((number, cells[1].to_owned(), cells[3].to_owned()))
        })
        .collect();
    let expected: Vec<(i32, String, String)> = ErrorCode::iter()
        .map(|code| {
            let rule = match RetryRule::of(code) {
                RetryRule::Never => "never",
                RetryRule::IdempotentOnly => "idempotent methods",
                RetryRule::AnyMethod => "any method",
            };
            (code.as_i32(), code.name().to_owned(), rule.to_owned())
        })
        .collect();
    assert_eq!(documented, expected);
}

#[tokio::test(start_paused = true)]
async fn a_wait_that_would_outlast_the_callers_deadline_is_not_begun() {
    let (server, seen) = scripted(|_| Err(rate_limited(Duration::from_secs(2)))).await;
    let layer = RetryLayer::new(RetryPolicy::default());
    let mut request = Request::new("hi".to_owned());
    request.set_timeout(Duration::from_millis(1_500));
    call_unary(layer.layer(channel(server.addr).await), request)
        .await
        .unwrap_err();
    assert_eq!(attempts(&seen), 1);
}

#[tokio::test(start_paused = true)]
async fn a_retry_carries_what_is_left_of_the_callers_deadline() {
    let timeouts = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&timeouts);
    let probe = Probe::unary_request(move |request: Request<String>| {
        let timeout = request
            .metadata()
            .get("grpc-timeout")
            .map(|value| value.to_str().unwrap().to_owned());
        let attempt = {
            let mut log = log.lock().unwrap();
            log.push(timeout);
            log.len()
        };
        async move {
            match attempt {
                1 => Err(rate_limited(Duration::from_secs(2))),
                _ => Ok("sent".to_owned()),
            }
        }
    });
    let server = serve(Identity::new(), probe).await;
    let layer = RetryLayer::new(RetryPolicy::default());
    let mut request = Request::new("hi".to_owned());
    request.set_timeout(Duration::from_secs(10));
    let reply = call_unary(layer.layer(channel(server.addr).await), request).await;
    assert_eq!(reply.unwrap(), "sent");
    let timeouts = timeouts.lock().unwrap().clone();
    assert_eq!(timeouts.len(), 2);
    // tonic writes 10 s as microseconds; the retry, 2 s later, gets at most 8 s.
    assert_eq!(timeouts[0].as_deref(), Some("10000000u"));
    let retry_timeout = timeouts[1].as_deref().expect("the retry has a deadline");
    let micros: u64 = retry_timeout
        .strip_suffix('u')
        .and_then(|digits| digits.parse().ok())
        .unwrap_or_else(|| panic!("{retry_timeout:?} is not in microseconds"));
    assert!((7_900_000..=8_000_000).contains(&micros), "{retry_timeout}");
}
