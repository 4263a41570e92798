//! `chat-errors explain`: one code's whole contract.

use chat_errors::{ChatStatusExt, DEFAULT_DOMAIN, ErrorCode, Locale, Settings};

use crate::args::ExplainArgs;
use crate::failure::Failure;
use crate::output::describe_grpc_code;
use crate::output::{Fields, decoded};
use crate::wire;

pub fn run(args: &ExplainArgs) -> Result<String, Failure> {
    let code = super::error_code(&args.code.code)?;
    let domain = &args.domain.domain;
    let status = Settings::new(domain.clone()).error(code).into_status();

    let mut text = format!("{code}: {}\n\n", code.description(Locale::EN_US));
    text.push_str(&catalogue_entry(code).render(""));

    let domain_flag = if domain.as_str() == DEFAULT_DOMAIN {
        String::new()
    } else {
        format!(" --domain {domain}")
    };
    text.push_str(&format!(
        "\nTrailers a server sends (chat-errors encode {}{domain_flag}):\n",
        code.as_i32()
    ));
    for line in super::encode::text(&wire::trailers(&status)?).lines() {
        text.push_str(&format!("  {line}\n"));
    }

    if let Ok(Some(received)) = status.check_chat_error(domain) {
        text.push_str("\nWhat a client reads from them (chat-errors decode):\n");
        text.push_str(&decoded::text(&received).render("  "));
    }

    text.push_str(&format!(
        "\nIn Rust:\n  raise: Err(ErrorCode::{code:?}.into())\n  check: status.chat_error_code(&domain) == Some(ErrorCode::{code:?})\n"
    ));
    Ok(text)
}

fn catalogue_entry(code: ErrorCode) -> Fields {
    let mut fields = Fields::new();
    fields.push("code", code.as_i32().to_string());
    fields.push("name", code.name());
    fields.push("reason", code.reason());
    // The proto names each value ERROR_CODE_ plus its reason.
    fields.push("proto_value", format!("ERROR_CODE_{}", code.reason()));
    fields.push("grpc_code", describe_grpc_code(code.grpc_code()));
    let http = code.http_status();
    fields.push(
        "http_status",
        format!(
            "{} {}",
            http.as_u16(),
            http.canonical_reason().unwrap_or_default()
        ),
    );
    fields.push(
        "retryable",
        if code.is_retryable() {
            "yes: a client may retry the same request unchanged"
        } else {
            "no: retrying the same request fails the same way"
        },
    );
    // Every locale the catalogue declares, in the proto's order.
    for locale in Locale::iter() {
        fields.push(format!("description ({locale})"), code.description(locale));
    }
    let namesakes: Vec<String> = ErrorCode::iter()
        .filter(|other| *other != code && other.name() == code.name())
        .map(|other| other.as_i32().to_string())
        .collect();
    if !namesakes.is_empty() {
        fields.push(
            "same_name_as",
            format!("{} (name them by number or reason)", namesakes.join(", ")),
        );
    }
    fields
}
