//! The one JSON form every runner writes: no whitespace, object keys sorted
//! by code point at every level, integers only (conformance/README.md).
//!
//! Written by hand rather than by `serde_json::to_string`, whose key order
//! follows the map type that feature unification picks (`preserve_order`
//! elsewhere in the workspace would keep insertion order).

use serde_json::Value;

pub fn to_line(value: &Value) -> String {
    let mut out = String::new();
    write(value, &mut out);
    out
}

fn write(value: &Value, out: &mut String) {
    match value {
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {
            out.push_str(&serde_json::to_string(value).expect("a JSON scalar serialises"));
        }
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (index, (key, item)) in entries.into_iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(key).expect("a string serialises"));
                out.push(':');
                write(item, out);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_sorted_by_code_point_and_text_is_escaped_as_the_schema_says() {
        let value = serde_json::json!({"b": [1, null], "a": {"\u{10000}": "x", "\u{ffff}": "\u{7f}\u{1}\n\"é/"}});
        assert_eq!(
            to_line(&value),
            "{\"a\":{\"\u{ffff}\":\"\u{7f}\\u0001\\n\\\"é/\",\"\u{10000}\":\"x\"},\"b\":[1,null]}"
        );
    }
}
