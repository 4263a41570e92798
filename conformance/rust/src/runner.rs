//! One input line in, one output line out: the reference runner's answer.

use serde_json::{Value, json};

use crate::view::{self, Trailers};

/// The answer to one input, as a JSON value; `runner_error` when the input
/// is outside the schema.
pub fn answer(input: &Value) -> Value {
    let id = input.get("id").cloned().unwrap_or(Value::Null);
    let mut output = match answer_fields(input) {
        Ok(output) => output,
        Err(error) => json!({"runner_error": error}),
    };
    output
        .as_object_mut()
        .expect("every answer is an object")
        .insert("id".to_owned(), id);
    output
}

pub fn answer_line(line: &str) -> String {
    let answer = match serde_json::from_str::<Value>(line) {
        Ok(input) => answer(&input),
        Err(error) => json!({"id": null, "runner_error": format!("not JSON: {error}")}),
    };
    crate::canonical::to_line(&answer)
}

fn answer_fields(input: &Value) -> Result<Value, String> {
    let domain = match input.get("domain") {
        None => view::DEFAULT_DOMAIN,
        Some(value) => value.as_str().ok_or("domain is not a string")?,
    };
    if let Some(value) = input.get("negotiate") {
        let value = value.as_str().ok_or("negotiate is not a string")?;
        return Ok(json!({"locale": view::negotiate(value)}));
    }
    if let Some(spec) = input.get("encode") {
        return Ok(match view::encode(spec)? {
            Ok(trailers) => json!({"headers": trailers.to_json()}),
            Err(refusal) => json!({"refused": refusal}),
        });
    }
    match input.get("transport").and_then(Value::as_str) {
        Some("grpc") => {
            let headers = input.get("headers").ok_or("headers is missing")?;
            view::decode_grpc(&Trailers::from_json(headers)?, domain)
        }
        Some("http") => {
            let status = input
                .get("status")
                .and_then(Value::as_u64)
                .and_then(|status| u16::try_from(status).ok())
                .ok_or("status is not an HTTP status")?;
            let body = input
                .get("body")
                .and_then(Value::as_str)
                .ok_or("body is not a string")?;
            view::decode_http(status, body, domain)
        }
        _ => Err("neither transport grpc or http, negotiate nor encode".to_owned()),
    }
}
