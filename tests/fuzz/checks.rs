//! What must hold for any input: the fuzz targets in `fuzz/` check it on
//! what libFuzzer generates, and `tests/fuzz_corpus.rs` on the seeds and
//! on every input that once failed.

use std::convert::Infallible;
use std::future::{Future, Ready, ready};
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use chat_errors::layer::{TrailerShield, dropped_details};
use chat_errors::{
    ChatStatusExt, DecodeError, DecodedChatError, Domain, ErrorCode, Locale, Settings,
    StatusHeaderError, status_from_headers,
};
use http::header::ACCEPT_LANGUAGE;
use http::{HeaderMap, HeaderName, HeaderValue};
use http_body::{Body, Frame};
use prost::Message;
use tonic::{Code, Status};
use tonic_types::pb;
use tower_service::Service;

const ERROR_INFO_URL_SUFFIX: &str = "/google.rpc.ErrorInfo";

/// `Locale::negotiate`'s documented limits: a longer `accept-language`
/// value, or one with more elements, is ignored whole.
const MAX_ACCEPT_LANGUAGE_BYTES: usize = 4096;
const MAX_LANGUAGE_RANGES: usize = 64;

/// Polls a future that is ready at once, as every service here is.
fn now<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => unreachable!("the service answers at once"),
    }
}

/// A response body that is nothing but `trailers`.
struct TrailersBody(Option<HeaderMap>);

impl Body for TrailersBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(
            self.get_mut()
                .0
                .take()
                .map(|trailers| Ok(Frame::trailers(trailers))),
        )
    }
}

/// A peer that answers every request with `headers` and then `trailers`.
#[derive(Clone)]
struct Peer {
    headers: HeaderMap,
    trailers: Option<HeaderMap>,
}

impl Service<http::Request<()>> for Peer {
    type Response = http::Response<TrailersBody>;
    type Error = Infallible;
    type Future = Ready<Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: http::Request<()>) -> Self::Future {
        let mut response = http::Response::new(TrailersBody(self.trailers.clone()));
        *response.headers_mut() = self.headers.clone();
        ready(Ok(response))
    }
}

/// The response headers and trailers of `peer` as a [`TrailerShield`]
/// around it hands them to tonic.
fn through_the_shield(peer: Peer) -> (HeaderMap, Option<HeaderMap>) {
    let mut shield = TrailerShield::new(peer);
    let Ok(response) = now(shield.call(http::Request::new(())));
    let (parts, body) = response.into_parts();
    let mut body = pin!(body);
    let frame = now(std::future::poll_fn(|cx| body.as_mut().poll_frame(cx)));
    let trailers = frame.map(|Ok(frame)| frame.into_trailers().expect("only trailers were sent"));
    (parts.headers, trailers)
}

/// `status` as a [`TrailerShield`] passes it, sent either way a gRPC
/// server may: alone in the response headers (trailers-only), or as the
/// trailers after a response. Both ways must come out the same.
fn shielded(status: &HeaderMap) -> HeaderMap {
    let (headers, no_trailers) = through_the_shield(Peer {
        headers: status.clone(),
        trailers: None,
    });
    assert_eq!(no_trailers, None);
    let (no_headers, trailers) = through_the_shield(Peer {
        headers: HeaderMap::new(),
        trailers: Some(status.clone()),
    });
    assert!(no_headers.is_empty());
    assert_eq!(
        trailers.as_ref(),
        Some(&headers),
        "the shield treats trailers and trailers-only headers alike"
    );
    headers
}

/// `input` is `[grpc code][message length][message][details...]`: the
/// details bytes as a peer sent them, after base64.
pub fn details_decoder(input: &[u8]) {
    let (code, rest) = input.split_first().unwrap_or((&0, &[]));
    let (length, rest) = rest.split_first().unwrap_or((&0, &[]));
    let (message, details) = rest.split_at(usize::from(*length).min(rest.len()));
    let status = Status::with_details(
        Code::from_i32(i32::from(*code)),
        String::from_utf8_lossy(message),
        Bytes::copy_from_slice(details),
    );
    decoders_agree(&status);
}

/// `input` is the values of `grpc-status`, `grpc-message` and
/// `grpc-status-details-bin`, one per line; a value that is not a valid
/// header value is left out, as HTTP/2 would not deliver it.
pub fn trailer_shield(input: &[u8]) {
    let names = [
        HeaderName::from_static("grpc-status"),
        HeaderName::from_static("grpc-message"),
        HeaderName::from_static("grpc-status-details-bin"),
    ];
    let mut headers = HeaderMap::new();
    for (name, value) in names
        .into_iter()
        .zip(input.splitn(3, |byte| *byte == b'\n'))
    {
        if let Ok(value) = HeaderValue::from_bytes(value) {
            headers.insert(name, value);
        }
    }
    let sent = headers.clone();
    let read_as_sent = status_from_headers(&sent);
    let headers = shielded(&sent);
    let changed = headers != sent;
    // Both refuse details tonic cannot decode, once there is a status to read.
    let refused_details = matches!(read_as_sent, Err(StatusHeaderError::DetailsNotBase64(_)));
    if refused_details {
        assert!(
            changed,
            "status_from_headers refused details the shield kept"
        );
    }
    if changed {
        assert!(
            !matches!(read_as_sent, Ok(Some(_))),
            "status_from_headers read details the shield dropped"
        );
    }
    if !changed {
        assert_eq!(headers, sent, "the shield changed headers it called fine");
    }
    assert_eq!(
        shielded(&headers),
        headers,
        "the shield's own output does not pass the shield"
    );

    // tonic 0.14 panics here on undecodable details: the point of the shield.
    let Some(status) = Status::from_header_map(&headers) else {
        assert!(headers.get("grpc-status").is_none());
        return;
    };
    if changed {
        assert!(status.details().is_empty());
        assert!(dropped_details(&status).is_some());
    } else {
        assert_eq!(dropped_details(&status), None);
    }
    // After the shield, the checked reading agrees with tonic's wherever
    // tonic did not have to guess.
    match status_from_headers(&headers) {
        Ok(Some(checked)) => {
            assert_eq!(checked.code(), status.code());
            assert_eq!(checked.message(), status.message());
            assert_eq!(checked.details(), status.details());
        }
        Ok(None) => panic!("status_from_headers found no status where tonic found one"),
        Err(StatusHeaderError::DetailsNotBase64(_)) => {
            panic!("status_from_headers refused details the shield let through")
        }
        Err(_) => assert_eq!(status.code(), Code::Unknown, "tonic guessed Unknown"),
    }
    decoders_agree(&status);
}

/// Every decoder answers without panicking, and they agree: lenient finds
/// what strict finds, and the code-only path finds the lenient code. A
/// well-formed ErrorInfo of the domain, as prost reads it, is always found.
pub fn decoders_agree(status: &Status) {
    let other = Domain::new("fuzz.example").expect("a valid domain");
    for domain in [Domain::default(), other] {
        let strict = status.check_chat_error(&domain);
        let lenient = status.get_chat_error(&domain);
        match &strict {
            Ok(found) => assert_eq!(&lenient, found, "strict and lenient disagree"),
            Err(error) => assert!(!error.to_string().is_empty()),
        }
        assert_eq!(
            status.chat_error_code(&domain),
            lenient.as_ref().and_then(DecodedChatError::code),
            "the code-only path disagrees with the full decode"
        );
        if let Some(found) = &lenient {
            touch(found);
        }
        reference_agrees(status, domain.as_str(), &strict, lenient.as_ref());
    }
}

/// Reads every accessor, as a caller printing the error would.
fn touch(found: &DecodedChatError) {
    assert!(!found.to_string().is_empty());
    let _ = (
        found.http_status(),
        found.name(),
        found.number(),
        found.retry_delay(),
    );
    let _ = found.localized_message();
    let _ = (
        found.field_violations().len(),
        found.resource_info(),
        found.request_info(),
    );
}

/// prost as the reference reader, both ways. The details are malformed for
/// strict decoding exactly when prost refuses them as a `google.rpc.Status`
/// or refuses one of their ErrorInfos. And when the details are a
/// well-formed `google.rpc.Status` holding exactly one ErrorInfo of
/// `domain`, which is itself well-formed, the lenient decoder finds it,
/// with the same reason and metadata (protobuf maps keep the last value of
/// a repeated key).
fn reference_agrees(
    status: &Status,
    domain: &str,
    strict: &Result<Option<DecodedChatError>, DecodeError>,
    lenient: Option<&DecodedChatError>,
) {
    let refused_as_malformed = matches!(
        strict,
        Err(DecodeError::MalformedStatus(_))
            | Err(DecodeError::MalformedDetail {
                type_name: "google.rpc.ErrorInfo",
                ..
            })
    );
    let Ok(rpc_status) = pb::Status::decode(status.details()) else {
        assert!(
            refused_as_malformed,
            "prost refuses the details, strict decoding says {strict:?}"
        );
        return;
    };
    let infos: Vec<_> = rpc_status
        .details
        .iter()
        .filter(|detail| {
            detail.type_url.ends_with(ERROR_INFO_URL_SUFFIX)
                || detail.type_url == ERROR_INFO_URL_SUFFIX[1..]
        })
        .map(|detail| pb::ErrorInfo::decode(&detail.value[..]))
        .collect();
    let prost_reads_all = infos.iter().all(Result::is_ok);
    assert_eq!(
        refused_as_malformed, !prost_reads_all,
        "prost reads every ErrorInfo: {prost_reads_all}; strict decoding says {strict:?}"
    );
    let mut ours = infos.into_iter();
    let (Some(Ok(info)), None) = (ours.next(), ours.next()) else {
        return;
    };
    if info.domain != domain {
        return;
    }
    let found = lenient.expect("a well-formed ErrorInfo of the domain is found");
    assert_eq!(found.reason(), info.reason);
    assert_eq!(found.metadata(), &info.metadata);
}

/// `input` is an `accept-language` value: negotiating it never panics,
/// answers one of the catalogue's locales, agrees with
/// [`reference_negotiation`], and a service's stack answers in it, or in
/// its fallback exactly when nothing matched.
pub fn accept_language(input: &[u8]) {
    let negotiated = Locale::negotiate(input);
    assert_eq!(
        negotiated,
        reference_negotiation(input),
        "{:?}",
        String::from_utf8_lossy(input)
    );
    let Ok(value) = HeaderValue::from_bytes(input) else {
        return;
    };
    let mut headers = HeaderMap::new();
    headers.insert(ACCEPT_LANGUAGE, value);
    let reference = reference_negotiation_in_full(input);
    for default in Locale::iter() {
        let (locale, requested) = negotiated_by_the_stack(&headers, default);
        assert_eq!(locale, reference.locale(default), "default {default}");
        if let Some(requested) = requested {
            assert_eq!(requested, negotiated.is_some(), "default {default}");
        }
    }
    several_header_lines(input);
}

/// A handler behind `Settings::layer` that fails with a bare code, so that
/// what the stack negotiated shows in the request's extensions and in the
/// error sent.
#[derive(Clone)]
struct FailingHandler;

/// The code [`FailingHandler`] fails with: its descriptions differ in every locale.
const HANDLER_CODE: ErrorCode = ErrorCode::ChannelNotFound;

impl Service<http::Request<()>> for FailingHandler {
    type Response = http::Response<http_body_util::Empty<Bytes>>;
    type Error = Infallible;
    type Future = Ready<Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<()>) -> Self::Future {
        let locale = *request
            .extensions()
            .get::<Locale>()
            .expect("the stack puts the locale in the extensions");
        let mut response = Status::from(HANDLER_CODE).into_http();
        response.extensions_mut().insert(locale);
        ready(Ok(response))
    }
}

/// The locale a service with `default` as its default locale and localized
/// status messages negotiates for a request with `headers`, as the
/// handler sees it and as the error is sent; and whether the caller asked
/// for it, which the status message shows unless the locale is English.
fn negotiated_by_the_stack(headers: &HeaderMap, default: Locale) -> (Locale, Option<bool>) {
    let settings = Settings::default()
        .with_default_locale(default)
        .with_localized_status_message(true);
    let mut stack = tower_layer::Layer::layer(&settings.layer(), FailingHandler);
    let mut request = http::Request::new(());
    *request.headers_mut() = headers.clone();
    let Ok(response) = now(stack.call(request));
    let locale = *response
        .extensions()
        .get::<Locale>()
        .expect("the handler's extensions are kept");
    let status = Status::from_header_map(response.headers()).expect("a trailers-only error");
    let sent: pb::Status = Message::decode(status.details()).expect("a google.rpc.Status");
    let localized = sent
        .details
        .iter()
        .find(|detail| detail.type_url == "type.googleapis.com/google.rpc.LocalizedMessage")
        .map(|detail| pb::LocalizedMessage::decode(&detail.value[..]).expect("a LocalizedMessage"))
        .expect("a LocalizedMessage");
    assert_eq!(
        localized.locale,
        locale.as_str(),
        "the error is sent in the handler's locale"
    );
    assert_eq!(localized.message, HANDLER_CODE.description(locale));
    assert_eq!(sent.message, status.message());
    // The status message is localized only when the caller asked for the
    // locale, and English either way.
    let english = HANDLER_CODE.description(Locale::EN_US);
    let requested = (locale != Locale::EN_US).then(|| status.message() != english);
    if requested == Some(true) {
        assert_eq!(status.message(), localized.message);
    }
    if requested != Some(true) {
        assert_eq!(status.message(), english);
    }
    (locale, requested)
}

/// The lines of `input` as separate `accept-language` header lines read
/// as one list, as RFC 9110 §5.3 joins them: the same as the lines joined
/// with commas, while there are no more lines than elements allowed.
fn several_header_lines(input: &[u8]) {
    let lines: Vec<&[u8]> = input.split(|&b| b == b'\n').collect();
    let joined = lines.join(&b","[..]);
    if lines.len() < 2
        || lines.len() > MAX_LANGUAGE_RANGES
        || joined.len() > MAX_ACCEPT_LANGUAGE_BYTES
    {
        return;
    }
    let mut headers = HeaderMap::new();
    for line in &lines {
        let Ok(value) = HeaderValue::from_bytes(line) else {
            return;
        };
        headers.append(ACCEPT_LANGUAGE, value);
    }
    let expected = reference_negotiation_in_full(&joined);
    for default in Locale::iter() {
        let (locale, requested) = negotiated_by_the_stack(&headers, default);
        let context = format!("default {default}: {:?}", String::from_utf8_lossy(input));
        assert_eq!(locale, expected.locale(default), "{context}");
        if let Some(requested) = requested {
            assert_eq!(requested, expected.matched.is_some(), "{context}");
        }
    }
}

/// What [`reference_negotiation`] finds in an `accept-language` value.
pub struct ReferenceNegotiation {
    /// The locale of the best range that finds one.
    pub matched: Option<Locale>,
    /// The locales a `q=0` range rules out.
    pub excluded: Vec<Locale>,
}

impl ReferenceNegotiation {
    /// The locale a service with `default` answers in, as `Settings`
    /// documents it: the match, or else the default, or, if the caller
    /// ruled that out, the first locale it did not rule out.
    pub fn locale(&self, default: Locale) -> Locale {
        self.matched
            .or_else(|| {
                std::iter::once(default)
                    .chain(Locale::iter())
                    .find(|locale| !self.excluded.contains(locale))
            })
            .unwrap_or(default)
    }
}

/// RFC 9110 §12.5.4 and RFC 4647 §3.4 read plainly, with allocations and a
/// sort, as a second opinion on the crate's single-pass reader: the ranges
/// by descending weight (stable), `*` skipped, each range and its
/// truncations matching a tag equal to it or, failing that, the first tag
/// it is a prefix of, among the tags no `q=0` range filters out.
pub fn reference_negotiation(input: &[u8]) -> Option<Locale> {
    reference_negotiation_in_full(input).matched
}

/// [`reference_negotiation`], with the locales the value rules out.
pub fn reference_negotiation_in_full(input: &[u8]) -> ReferenceNegotiation {
    let nothing = ReferenceNegotiation {
        matched: None,
        excluded: Vec::new(),
    };
    if input.len() > MAX_ACCEPT_LANGUAGE_BYTES {
        return nothing;
    }
    let text = String::from_utf8_lossy(input);
    let is_ows = |c: char| c == ' ' || c == '\t';
    let mut ranges: Vec<(String, u32)> = Vec::new();
    let mut elements = 0;
    for element in text.split(',') {
        let element = element.trim_matches(is_ows);
        if element.is_empty() {
            continue;
        }
        elements += 1;
        let (range, weight) = match element.split_once(';') {
            None => (element, Some(1000)),
            Some((range, parameter)) => {
                let parameter = parameter.trim_matches(is_ows);
                let value = parameter
                    .strip_prefix("q=")
                    .or_else(|| parameter.strip_prefix("Q="));
                (range.trim_matches(is_ows), value.and_then(reference_weight))
            }
        };
        if let Some(weight) = weight.filter(|_| reference_is_range(range)) {
            ranges.push((range.to_ascii_lowercase(), weight));
        }
    }
    // The limit counts elements, well-formed or not.
    if elements > MAX_LANGUAGE_RANGES {
        return nothing;
    }
    let filtered_out = |tag: &str| {
        let tag = tag.to_ascii_lowercase();
        ranges.iter().any(|(range, weight)| {
            *weight == 0 && (range == "*" || tag == *range || tag.starts_with(&format!("{range}-")))
        })
    };
    let excluded: Vec<Locale> = Locale::iter()
        .filter(|locale| filtered_out(locale.as_str()))
        .collect();
    let available: Vec<(String, Locale)> = Locale::iter()
        .filter(|locale| !excluded.contains(locale))
        .map(|locale| (locale.as_str().to_ascii_lowercase(), locale))
        .collect();
    ranges.sort_by_key(|(_, weight)| std::cmp::Reverse(*weight));
    for (range, _) in ranges
        .iter()
        .filter(|(range, weight)| *weight > 0 && range != "*")
    {
        let mut candidate = range.clone();
        loop {
            let prefix = format!("{candidate}-");
            let found = available
                .iter()
                .find(|(tag, _)| *tag == candidate)
                .or_else(|| available.iter().find(|(tag, _)| tag.starts_with(&prefix)));
            if let Some((_, locale)) = found {
                return ReferenceNegotiation {
                    matched: Some(*locale),
                    excluded,
                };
            }
            let Some(dash) = candidate.rfind('-') else {
                break;
            };
            candidate.truncate(dash);
            if let Some(dash) = candidate
                .rfind('-')
                .filter(|dash| candidate.len() - dash == 2)
            {
                candidate.truncate(dash);
            }
        }
    }
    ReferenceNegotiation {
        matched: None,
        excluded,
    }
}

/// `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`, in thousandths.
fn reference_weight(text: &str) -> Option<u32> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths: u32 = format!("{fraction:0<3}").parse().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// `(1*8ALPHA *("-" 1*8alphanum)) / "*"`.
fn reference_is_range(range: &str) -> bool {
    range == "*"
        || range.split('-').enumerate().all(|(index, subtag)| {
            (1..=8).contains(&subtag.len())
                && subtag.bytes().all(|b| {
                    if index == 0 {
                        b.is_ascii_alphabetic()
                    } else {
                        b.is_ascii_alphanumeric()
                    }
                })
        })
}
