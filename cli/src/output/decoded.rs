//! A decoded chat error, as text and as JSON.

use std::collections::BTreeMap;

use chat_errors::{DecodedChatError, LocalizedMessage};
use serde_json::{Value, json};

use super::Fields;

/// Aligned `label: value` lines, labelled like the JSON keys.
pub fn text(error: &DecodedChatError) -> Fields {
    let mut fields = Fields::new();
    let code = match (error.code(), error.number()) {
        (Some(code), _) => code.as_i32().to_string(),
        (None, Some(number)) => format!("{number} (not in this build's catalogue)"),
        (None, None) => "none (no code metadata and an unknown reason)".to_owned(),
    };
    fields.push("code", code);
    if let Some(name) = error.name() {
        fields.push("name", name);
    }
    fields.push("reason", error.reason());
    fields.push("domain", error.domain());
    fields.push(
        "grpc_code",
        crate::output::describe_grpc_code(error.grpc_code()),
    );
    fields.push("http_status", error.http_status().as_u16().to_string());
    fields.push("message", error.message());
    for localized in error.localized_messages() {
        fields.push(
            format!("localized_message[{}]", localized.locale),
            &localized.message,
        );
    }
    if let Some(delay) = error.retry_delay() {
        fields.push("retry_delay", format!("{delay:?}"));
    }
    for violation in error.field_violations() {
        let mut description = violation.description.clone();
        if !violation.reason.is_empty() {
            description.push_str(&format!(" (reason {})", violation.reason));
        }
        fields.push(format!("field_violation[{}]", violation.field), description);
    }
    if let Some(resource) = error.resource_info() {
        fields.push("resource.type", &resource.resource_type);
        fields.push("resource.name", &resource.resource_name);
        fields.push("resource.owner", &resource.owner);
        fields.push("resource.description", &resource.description);
    }
    if let Some(request) = error.request_info() {
        fields.push("request.id", &request.request_id);
        fields.push("request.serving_data", &request.serving_data);
    }
    for (key, value) in sorted_metadata(error) {
        fields.push(format!("metadata[{key}]"), value);
    }
    fields
}

/// One object with every part of the error; absent parts are `null` or empty.
pub fn json(error: &DecodedChatError) -> Value {
    json!({
        "code": error.number(),
        "name": error.name(),
        "reason": error.reason(),
        "domain": error.domain(),
        "grpc_code": chat_errors::grpc_code_name(error.grpc_code()),
        "http_status": error.http_status().as_u16(),
        "message": error.message(),
        "localized_messages": error.localized_messages().iter().map(localized_json).collect::<Vec<_>>(),
        "retry_delay_ms": error
            .retry_delay()
            .map(|delay| u64::try_from(delay.as_millis()).unwrap_or(u64::MAX)),
        "field_violations": error.field_violations().iter().map(|violation| json!({
            "field": violation.field,
            "description": violation.description,
            "reason": violation.reason,
            "localized_message": violation.localized_message.as_ref().map(localized_json),
        })).collect::<Vec<_>>(),
        "resource": error.resource_info().map(|resource| json!({
            "type": resource.resource_type,
            "name": resource.resource_name,
            "owner": resource.owner,
            "description": resource.description,
        })),
        "request": error.request_info().map(|request| json!({
            "id": request.request_id,
            "serving_data": request.serving_data,
        })),
        "metadata": sorted_metadata(error),
    })
}

fn localized_json(localized: &LocalizedMessage) -> Value {
    json!({ "locale": localized.locale, "message": localized.message })
}

fn sorted_metadata(error: &DecodedChatError) -> BTreeMap<&str, &str> {
    error
        .metadata()
        .iter()
        .map(|(key, value)| (key.as_str(), value.as_str()))
        .collect()
}
