//! `chat-errors encode`: the trailers a server sends for one error.

use chat_errors::{MetadataKey, Settings};
use serde_json::{Map, Value};

use crate::args::{EncodeArgs, OutputFormat};
use crate::failure::Failure;
use crate::output::json_text;
use crate::wire::{self, Trailer};

pub fn run(args: EncodeArgs) -> Result<String, Failure> {
    let code = super::error_code(&args.code.code)?;
    let mut error = Settings::new(args.domain.domain)
        .error(code)
        .with_locale(args.locale);
    if let Some(message) = args.message {
        error = error.with_message(message);
    }
    for (key, value) in args.metadata {
        let key: MetadataKey = key
            .parse()
            .map_err(|refused| Failure::usage(format!("--metadata: {refused}")))?;
        error = error.with_metadata(key, value);
    }
    if let Some(delay) = args.retry_after {
        error = error.with_retry_delay(delay);
    }
    for (field, description) in args.field_violation {
        error = error.with_field_violation(field, description);
    }
    let trailers = wire::trailers(&error.into_status())?;
    Ok(match args.format {
        OutputFormat::Text => text(&trailers),
        OutputFormat::Json => json_text(&json(&trailers)),
    })
}

/// `name: value` lines, as a server log or `curl -v` would show them.
pub fn text(trailers: &[Trailer]) -> String {
    trailers
        .iter()
        .map(|trailer| format!("{}: {}\n", trailer.name, trailer.value))
        .collect()
}

/// grpc-status as a number, the others as the strings sent.
fn json(trailers: &[Trailer]) -> Value {
    let object: Map<String, Value> = trailers
        .iter()
        .map(|trailer| {
            let value = match trailer.value.parse::<u8>() {
                Ok(number) if trailer.name == "grpc-status" => Value::from(number),
                _ => Value::from(trailer.value.as_str()),
            };
            (trailer.name.to_owned(), value)
        })
        .collect();
    Value::Object(object)
}
