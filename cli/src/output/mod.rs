//! Rendering for people (aligned `label: value` lines) and for scripts (JSON).

pub mod decoded;
mod fields;

pub use fields::Fields;

/// Pretty JSON with a final newline, as every `--format json` prints it.
pub fn json_text(value: &serde_json::Value) -> String {
    format!("{value:#}\n")
}
