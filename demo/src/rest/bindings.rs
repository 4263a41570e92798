//! The REST bindings the proto declares: each `google.api.http` option of
//! `ChatService`, read from the descriptors the build script kept.

use std::sync::OnceLock;

use axum::http::Method;
use prost_reflect::{
    DescriptorPool, DynamicMessage, Kind, MessageDescriptor, MethodDescriptor, Value,
};

use super::template::{BadSegment, PathTemplate};

const DESCRIPTORS: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/chat_service_descriptors.bin"));
const SERVICE: &str = "chat.demo.v1.ChatService";
const HTTP_RULE: &str = "google.api.http";
/// `HttpRule`'s pattern fields and the methods they stand for.
const VERBS: [(&str, Method); 5] = [
    ("get", Method::GET),
    ("put", Method::PUT),
    ("post", Method::POST),
    ("delete", Method::DELETE),
    ("patch", Method::PATCH),
];

/// One RPC's REST route.
pub(crate) struct Binding {
    pub(crate) http_method: Method,
    template: PathTemplate,
    pub(crate) template_text: String,
    /// Whether the whole request message comes from the body (`body: "*"`).
    pub(crate) has_body: bool,
    pub(crate) rpc: MethodDescriptor,
}

impl Binding {
    pub(crate) fn input(&self) -> MessageDescriptor {
        self.rpc.input()
    }
}

/// What a request's method and path find among the bindings.
pub(crate) enum Route<'a> {
    Found(&'a Binding, Vec<(String, String)>),
    /// A path segment for `field` is not UTF-8 once percent-decoded.
    BadSegment(BadSegment),
    /// Some binding has the path, none with this method.
    WrongMethod,
    Unrouted,
}

/// Every binding, read once. The proto is compiled into the binary, so a
/// rule this server cannot serve is a bug in the proto, found on first use
/// and by the tests.
pub(crate) fn bindings() -> &'static [Binding] {
    static BINDINGS: OnceLock<Vec<Binding>> = OnceLock::new();
    BINDINGS.get_or_init(|| {
        let pool = DescriptorPool::decode(DESCRIPTORS).expect("the build script's descriptor set");
        let service = pool
            .get_service_by_name(SERVICE)
            .expect("the ChatService descriptor");
        let http_rule = pool
            .get_extension_by_name(HTTP_RULE)
            .expect("google/api/annotations.proto is compiled in");
        service
            .methods()
            .filter_map(|rpc| {
                let options = rpc.options();
                if !options.has_extension(&http_rule) {
                    return None;
                }
                match options.get_extension(&http_rule).as_ref() {
                    Value::Message(rule) => Some(binding(rpc.clone(), rule)),
                    other => panic!("{}: google.api.http is {other:?}", rpc.full_name()),
                }
            })
            .collect()
    })
}

fn binding(rpc: MethodDescriptor, rule: &DynamicMessage) -> Binding {
    let text = |field: &str| match rule.get_field_by_name(field).as_deref() {
        Some(Value::String(text)) => text.clone(),
        _ => String::new(),
    };
    let (http_method, template) = VERBS
        .iter()
        .find_map(|(field, method)| {
            let template = text(field);
            (!template.is_empty()).then(|| (method.clone(), template))
        })
        .unwrap_or_else(|| panic!("{}: no get/put/post/delete/patch", rpc.full_name()));
    let template_text = template;
    let template = PathTemplate::parse(&template_text)
        .unwrap_or_else(|| panic!("{}: path template {template_text:?}", rpc.full_name()));
    for field in template.fields() {
        let kind = rpc.input().get_field_by_name(field).map(|f| f.kind());
        assert!(
            matches!(kind, Some(Kind::String)),
            "{}: path variable {field} is not a string field of the request",
            rpc.full_name()
        );
    }
    let has_body = match text("body").as_str() {
        "*" => true,
        "" => false,
        other => panic!("{}: body {other:?}: only \"*\" is served", rpc.full_name()),
    };
    Binding {
        http_method,
        template,
        template_text,
        has_body,
        rpc,
    }
}

/// The binding for `method` and `path`.
pub(crate) fn route(method: &Method, path: &str) -> Route<'static> {
    let mut path_known = false;
    for binding in bindings() {
        let Some(fields) = binding.template.matches(path) else {
            continue;
        };
        if binding.http_method != *method {
            path_known = true;
            continue;
        }
        return match fields {
            Ok(fields) => Route::Found(binding, fields),
            Err(bad) => Route::BadSegment(bad),
        };
    }
    if path_known {
        Route::WrongMethod
    } else {
        Route::Unrouted
    }
}
