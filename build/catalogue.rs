//! Reads the catalogue's options through protox's descriptor pool and
//! renders the Rust enum and lookup table. Shared by `build.rs` and the
//! tests that prove a broken proto fails the build.
//!
//! `prost_types` descriptors drop extensions, so the options are read as
//! dynamic messages instead.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use prost_reflect::{DescriptorPool, EnumValueDescriptor, ExtensionDescriptor, Value};

#[path = "locales.rs"]
mod locales;
use locales::Locales;

/// The catalogue file, relative to the proto root.
pub const PROTO_FILE: &str = "chat/errors/v1/chat_errors.proto";
const PACKAGE: &str = "chat.errors.v1";
const VALUE_PREFIX: &str = "ERROR_CODE_";
const REASON_MAX_LEN: usize = 63;

const GRPC_CODE_PREFIX: &str = "GRPC_CODE_";

struct Row {
    number: i32,
    variant: String,
    reason: String,
    /// The `tonic::Code` variant, e.g. `NotFound`, from the `GrpcCode` value's name.
    grpc_code: String,
    /// The `GrpcCode` value's name without its prefix, e.g. `NOT_FOUND`.
    grpc_code_proto: String,
    retryable: bool,
    original_name: String,
    /// One text per declared locale, in the order of [`Locales`].
    descriptions: Vec<String>,
}

/// Compiles the catalogue under `proto_root` into `out_dir`: prost's
/// `chat.errors.v1.rs`, the crate's `error_code.rs` and its `locales.rs`.
pub fn generate(proto_root: &Path, out_dir: &Path) -> Result<(), String> {
    let mut compiler = protox::Compiler::new([proto_root]).map_err(|e| e.to_string())?;
    compiler
        .include_source_info(true)
        .open_file(PROTO_FILE)
        .map_err(|e| format!("{e:?}"))?;

    // Checked first: prost-build panics on some of what the rows' checks name.
    let (locales, rows) = read_rows(&compiler.descriptor_pool())?;
    prost_build::Config::new()
        .out_dir(out_dir)
        .compile_fds(compiler.file_descriptor_set())
        .map_err(|e| format!("prost-build: {e}"))?;
    fs::write(out_dir.join("error_code.rs"), render(&locales, &rows))
        .map_err(|e| format!("writing error_code.rs: {e}"))?;
    fs::write(out_dir.join("locales.rs"), locales.render())
        .map_err(|e| format!("writing locales.rs: {e}"))
}

fn read_rows(pool: &DescriptorPool) -> Result<(Locales, Vec<Row>), String> {
    let enum_name = format!("{PACKAGE}.ErrorCode");
    let error_code = pool
        .get_enum_by_name(&enum_name)
        .ok_or_else(|| format!("enum {enum_name} is missing"))?;
    let option = |name: &str| {
        let full = format!("{PACKAGE}.{name}");
        pool.get_extension_by_name(&full)
            .ok_or_else(|| format!("extension {full} is missing"))
    };
    let locales = Locales::declared(&error_code.options(), &option("locales")?)
        .map_err(|e| format!("{enum_name}: {e}"))?;
    let options = ValueOptions {
        grpc_code: option("grpc_code")?,
        retryable: option("retryable")?,
        original_name: option("original_name")?,
        description: option("description")?,
        locales: &locales,
    };

    let mut rows = Vec::new();
    for value in error_code.values() {
        if value.number() == 0 {
            continue;
        }
        rows.push(
            options
                .row(&value)
                .map_err(|e| format!("{}: {e}", value.name()))?,
        );
    }
    if rows.is_empty() {
        return Err(format!("{enum_name} has no error codes"));
    }
    rows.sort_by_key(|row| row.number);
    check_unique(&rows)?;
    Ok((locales, rows))
}

/// Two values with one number (an `allow_alias` enum) would make lookups by
/// number ambiguous, and two reasons that camel-case alike would generate
/// one Rust variant twice: either is named rather than left to rustc.
fn check_unique(rows: &[Row]) -> Result<(), String> {
    for pair in rows.windows(2) {
        if pair[0].number == pair[1].number {
            return Err(format!(
                "{VALUE_PREFIX}{} and {VALUE_PREFIX}{} share the number {}",
                pair[0].reason, pair[1].reason, pair[0].number
            ));
        }
    }
    let mut by_variant: Vec<&Row> = rows.iter().collect();
    by_variant.sort_by(|a, b| a.variant.cmp(&b.variant));
    for pair in by_variant.windows(2) {
        if pair[0].variant == pair[1].variant {
            return Err(format!(
                "{VALUE_PREFIX}{} and {VALUE_PREFIX}{} both become the Rust variant ErrorCode::{}",
                pair[0].reason, pair[1].reason, pair[0].variant
            ));
        }
    }
    Ok(())
}

struct ValueOptions<'a> {
    grpc_code: ExtensionDescriptor,
    retryable: ExtensionDescriptor,
    original_name: ExtensionDescriptor,
    description: ExtensionDescriptor,
    locales: &'a Locales,
}

impl ValueOptions<'_> {
    fn row(&self, value: &EnumValueDescriptor) -> Result<Row, String> {
        let number = value.number();
        if number < 0 {
            return Err(format!("number {number} is negative"));
        }
        let reason = value
            .name()
            .strip_prefix(VALUE_PREFIX)
            .ok_or_else(|| format!("the name does not start with {VALUE_PREFIX}"))?;
        check_reason(reason)?;

        let options = value.options();
        let get = |ext: &ExtensionDescriptor| {
            if options.has_extension(ext) {
                Ok(options.get_extension(ext).into_owned())
            } else {
                Err(format!("the ({}) option is missing", ext.name()))
            }
        };
        let text = |ext: &ExtensionDescriptor| match get(ext)? {
            Value::String(s) => check_text(&format!("the ({}) option", ext.name()), s),
            other => Err(format!(
                "the ({}) option is not a string: {other:?}",
                ext.name()
            )),
        };

        let grpc_number = match get(&self.grpc_code)? {
            Value::EnumNumber(n) => n,
            other => return Err(format!("the (grpc_code) option is not an enum: {other:?}")),
        };
        // GrpcCode's numbers are google.rpc.Code's, and its names are
        // tonic::Code's variants in upper snake case; 0 marks a missing value.
        if !(1..=16).contains(&grpc_number) {
            return Err(format!(
                "(grpc_code) {grpc_number} is not an error status code"
            ));
        }
        let grpc_code_proto = self
            .grpc_code
            .kind()
            .as_enum()
            .and_then(|e| e.get_value(grpc_number))
            .and_then(|v| v.name().strip_prefix(GRPC_CODE_PREFIX).map(str::to_owned))
            .ok_or_else(|| format!("(grpc_code) {grpc_number} has no {GRPC_CODE_PREFIX} name"))?;
        let retryable = match get(&self.retryable)? {
            Value::Bool(b) => b,
            other => return Err(format!("the (retryable) option is not a bool: {other:?}")),
        };

        let variant = upper_camel(reason);
        if variant == "Self" {
            return Err(format!(
                "reason {reason:?} becomes the Rust keyword {variant}, which cannot name a variant"
            ));
        }
        Ok(Row {
            number,
            variant,
            reason: reason.to_owned(),
            grpc_code: upper_camel(&grpc_code_proto),
            grpc_code_proto,
            retryable,
            original_name: text(&self.original_name)?,
            descriptions: self
                .locales
                .descriptions(options.get_extension(&self.description).as_ref())?,
        })
    }
}

/// A user-facing text: not blank, and no control characters, which would
/// forge lines in logs and cannot travel in `grpc-message` as they are.
fn check_text(what: &str, text: String) -> Result<String, String> {
    if text.trim().is_empty() {
        Err(format!("{what} is empty"))
    } else if text.chars().any(char::is_control) {
        Err(format!("{what} has a control character: {text:?}"))
    } else {
        Ok(text)
    }
}

/// AIP-193: at most 63 characters of `[A-Z][A-Z0-9_]+[A-Z0-9]`.
fn check_reason(reason: &str) -> Result<(), String> {
    let bytes = reason.as_bytes();
    let well_formed = bytes.len() >= 3
        && bytes.len() <= REASON_MAX_LEN
        && bytes[0].is_ascii_uppercase()
        && bytes
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
        && bytes[bytes.len() - 1] != b'_';
    if well_formed {
        Ok(())
    } else {
        Err(format!(
            "reason {reason:?} breaks AIP-193: it must match [A-Z][A-Z0-9_]+[A-Z0-9] \
             and be at most {REASON_MAX_LEN} characters"
        ))
    }
}

/// `CHANNEL_NOT_FOUND` -> `ChannelNotFound`, as prost names enum variants.
fn upper_camel(reason: &str) -> String {
    reason
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_string() + &chars.as_str().to_ascii_lowercase()
            })
        })
        .collect()
}

fn render(locales: &Locales, rows: &[Row]) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "// @generated by build.rs from proto/{PROTO_FILE}.\n");

    let _ = writeln!(
        w,
        "/// One of the chat platform's {} error codes.\n///\n\
         /// The discriminant is the numeric code (`ErrorCode::ChannelNotFound as i32 == 2003`).\n\
         /// Generated from the `ErrorCode` enum of `chat_errors.proto`; new codes may be\n\
         /// added in minor releases, so matches need a wildcard arm.",
        rows.len()
    );
    let _ = writeln!(
        w,
        "#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]\n\
         #[non_exhaustive]\n#[repr(i32)]\npub enum ErrorCode {{"
    );
    for row in rows {
        let _ = writeln!(
            w,
            "    /// `{}` {}: {}\n    ///\n    /// gRPC `{}`, {}; reason `{}`.\n    {} = {},",
            row.number,
            row.original_name,
            row.descriptions[locales.developer_index()],
            row.grpc_code_proto,
            if row.retryable {
                "retryable"
            } else {
                "not retryable"
            },
            row.reason,
            row.variant,
            row.number,
        );
    }
    let _ = writeln!(w, "}}\n");

    let _ = writeln!(
        w,
        "/// Every row of the catalogue, in ascending numeric order.\n\
         pub(crate) static ENTRIES: [Entry; {}] = [",
        rows.len()
    );
    for row in rows {
        let _ = writeln!(
            w,
            "    Entry {{ code: ErrorCode::{}, number_text: \"{}\", reason: {:?}, original_name: {:?}, \
             grpc_code: tonic::Code::{}, retryable: {}, descriptions: {:?} }},",
            row.variant,
            row.number,
            row.reason,
            row.original_name,
            row.grpc_code,
            row.retryable,
            row.descriptions,
        );
    }
    let _ = writeln!(w, "];\n");

    let _ = writeln!(
        w,
        "impl ErrorCode {{\n    /// This code's position in [`ENTRIES`].\n    \
         pub(crate) const fn index(self) -> usize {{\n        match self {{"
    );
    for (index, row) in rows.iter().enumerate() {
        let _ = writeln!(w, "            ErrorCode::{} => {index},", row.variant);
    }
    let _ = writeln!(w, "        }}\n    }}\n");

    let _ = writeln!(
        w,
        "    /// The code whose AIP-193 reason is `reason`, exactly.\n    \
         pub(crate) fn from_reason_exact(reason: &str) -> Option<ErrorCode> {{\n        \
         Some(match reason {{"
    );
    for row in rows {
        let _ = writeln!(
            w,
            "            {:?} => ErrorCode::{},",
            row.reason, row.variant
        );
    }
    let _ = writeln!(w, "            _ => return None,\n        }})\n    }}\n}}");
    out
}
