//! The query string of a route without a body: as `google.api.http` has
//! it, every request field the path does not bind is a query parameter,
//! named by its field path (`view`, `a.b`; JSON or proto names), repeated
//! for a repeated field.
//!
//! The parameters become the proto3 JSON object a body would carry, so
//! that the same JSON mapping reads their values (enum names or numbers,
//! quoted integers, base64 bytes, well-known types' strings). A parameter
//! that names no field, or whose value the mapping refuses, is 1001 on that
//! parameter, as Envoy's transcoder refuses unknown parameters.

use chat_errors::ChatError;
use percent_encoding::percent_decode_str;
use prost_reflect::{DeserializeOptions, DynamicMessage, FieldDescriptor, Kind, MessageDescriptor};
use serde_json::{Map, Value};

use crate::validate::malformed;

/// The message `query`'s parameters describe.
pub(crate) fn query_message(
    input: &MessageDescriptor,
    query: &str,
) -> Result<DynamicMessage, ChatError> {
    let mut fields = Map::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (raw_name, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = decode(raw_name).map_err(|()| not_utf8(raw_name))?;
        let value = decode(raw_value).map_err(|()| not_utf8(&name))?;
        let (path, field) = resolve(input, &name)?;
        let value = json_value(&field, &value).map_err(|why| malformed(&name, why))?;
        // Checked alone, a bad value is blamed on its own parameter.
        let alone = nest(
            &path,
            if field.is_list() {
                Value::Array(vec![value.clone()])
            } else {
                value.clone()
            },
        );
        deserialize(input, alone).map_err(|why| malformed(&name, why))?;
        insert(&mut fields, &path, &field, value).map_err(|why| malformed(&name, why))?;
    }
    deserialize(input, Value::Object(fields)).map_err(|why| malformed("query", why))
}

/// `+` is a space in a query string, then percent-decoding as in paths.
fn decode(raw: &str) -> Result<String, ()> {
    let spaced = raw.replace('+', " ");
    percent_decode_str(&spaced)
        .decode_utf8()
        .map(|text| text.into_owned())
        .map_err(|_| ())
}

fn not_utf8(name: &str) -> ChatError {
    malformed(name, "is not UTF-8 once percent-decoded")
}

/// The JSON names along `name`'s field path, and its last field.
fn resolve(
    input: &MessageDescriptor,
    name: &str,
) -> Result<(Vec<String>, FieldDescriptor), ChatError> {
    let mut message = input.clone();
    let mut path = Vec::new();
    let mut segments = name.split('.').peekable();
    while let Some(segment) = segments.next() {
        let field = message
            .get_field_by_json_name(segment)
            .or_else(|| message.get_field_by_name(segment))
            .ok_or_else(|| malformed(name, format!("is not a field of {}", input.name())))?;
        path.push(field.json_name().to_owned());
        if segments.peek().is_none() {
            if field.is_map() {
                return Err(malformed(name, "is a map, which a query cannot carry"));
            }
            return Ok((path, field));
        }
        message = match field.kind() {
            Kind::Message(nested) if !field.is_list() && !field.is_map() => nested,
            _ => {
                return Err(malformed(
                    name,
                    format!("has no fields: {segment} is not a message"),
                ));
            }
        };
    }
    Err(malformed(name, "is empty"))
}

/// The JSON the mapping reads `text` as, for `field`: its strings take
/// every scalar but booleans (quoted numbers included), and an enum's
/// number is a JSON number.
fn json_value(field: &FieldDescriptor, text: &str) -> Result<Value, String> {
    Ok(match field.kind() {
        Kind::Bool => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err("must be true or false".to_owned()),
        },
        Kind::Enum(_) => match text.parse::<i32>() {
            Ok(number) => Value::from(number),
            Err(_) => Value::String(text.to_owned()),
        },
        _ => Value::String(text.to_owned()),
    })
}

fn nest(path: &[String], value: Value) -> Value {
    path.iter().rev().fold(value, |inner, name| {
        Value::Object(Map::from_iter([(name.clone(), inner)]))
    })
}

/// Puts `value` at `path` in `fields`: appended for a repeated field,
/// refused when a singular field already has one.
fn insert(
    fields: &mut Map<String, Value>,
    path: &[String],
    field: &FieldDescriptor,
    value: Value,
) -> Result<(), String> {
    let (last, parents) = path.split_last().expect("a field path is never empty");
    let mut object = fields;
    for parent in parents {
        object = match object
            .entry(parent.clone())
            .or_insert_with(|| Value::Object(Map::new()))
        {
            Value::Object(nested) => nested,
            _ => return Err(format!("sets {parent} both as a value and as a message")),
        };
    }
    if field.is_list() {
        match object
            .entry(last.clone())
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            Value::Array(values) => values.push(value),
            _ => return Err(format!("sets {last} both as a value and as a message")),
        }
        return Ok(());
    }
    if object.insert(last.clone(), value).is_some() {
        return Err("is given more than once, for a field that holds one value".to_owned());
    }
    Ok(())
}

fn deserialize(input: &MessageDescriptor, json: Value) -> Result<DynamicMessage, String> {
    DynamicMessage::deserialize_with_options(input.clone(), json, &DeserializeOptions::new())
        .map_err(|error| format!("is not a valid value: {error}"))
}
