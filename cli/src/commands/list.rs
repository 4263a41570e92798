//! `chat-errors list`: the whole catalogue.

use chat_errors::ErrorCode;
use serde_json::{Value, json};

use crate::args::{ListArgs, ListFormat};
use crate::output::json_text;

/// The catalogue's columns, as `tests/fixtures/error-codes.tsv` names them.
const COLUMNS: [&str; 8] = [
    "code",
    "name",
    "reason",
    "grpc_code",
    "http_status",
    "retryable",
    "description_ko",
    "description_en",
];

/// Column order for people: the Korean description last, where its
/// double-width characters cannot push other columns out of line.
const READING_ORDER: [usize; 8] = [0, 1, 2, 3, 4, 5, 7, 6];

pub fn run(args: &ListArgs) -> String {
    let rows: Vec<[String; 8]> = ErrorCode::iter().map(cells).collect();
    match args.format {
        ListFormat::Table => table(&rows),
        ListFormat::Json => json_text(&Value::Array(ErrorCode::iter().map(row_json).collect())),
        ListFormat::Markdown => markdown(&rows),
        ListFormat::Tsv => tsv(&rows),
    }
}

fn cells(code: ErrorCode) -> [String; 8] {
    [
        code.as_i32().to_string(),
        code.name().to_owned(),
        code.reason().to_owned(),
        chat_errors::grpc_code_name(code.grpc_code()).to_owned(),
        code.http_status().as_u16().to_string(),
        code.is_retryable().to_string(),
        code.description(chat_errors::Locale::KO_KR).to_owned(),
        code.description(chat_errors::Locale::EN_US).to_owned(),
    ]
}

fn row_json(code: ErrorCode) -> Value {
    json!({
        "code": code.as_i32(),
        "name": code.name(),
        "reason": code.reason(),
        "grpc_code": chat_errors::grpc_code_name(code.grpc_code()),
        "http_status": code.http_status().as_u16(),
        "retryable": code.is_retryable(),
        "description_ko": code.description(chat_errors::Locale::KO_KR),
        "description_en": code.description(chat_errors::Locale::EN_US),
    })
}

fn table(rows: &[[String; 8]]) -> String {
    let header = COLUMNS.map(str::to_uppercase);
    let lines: Vec<[&str; 8]> = std::iter::once(&header)
        .chain(rows)
        .map(|row| READING_ORDER.map(|column| row[column].as_str()))
        .collect();
    let mut widths = [0; 8];
    for line in &lines {
        for (width, cell) in widths.iter_mut().zip(line) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    for line in &lines {
        let (last, padded) = line.split_last().unwrap_or((&"", &[]));
        for (cell, width) in padded.iter().zip(widths) {
            text.push_str(&format!("{cell:<width$}  "));
        }
        text.push_str(last);
        text.push('\n');
    }
    text
}

fn markdown(rows: &[[String; 8]]) -> String {
    let mut text = markdown_line(READING_ORDER.map(|column| COLUMNS[column]));
    text.push_str(&markdown_line(["---"; 8]));
    for row in rows {
        text.push_str(&markdown_line(
            READING_ORDER.map(|column| row[column].replace('|', "\\|")),
        ));
    }
    text
}

fn markdown_line<S: AsRef<str>>(cells: [S; 8]) -> String {
    let cells: Vec<&str> = cells.iter().map(AsRef::as_ref).collect();
    format!("| {} |\n", cells.join(" | "))
}

fn tsv(rows: &[[String; 8]]) -> String {
    let mut text = COLUMNS.join("\t");
    text.push('\n');
    for row in rows {
        text.push_str(&row.join("\t"));
        text.push('\n');
    }
    text
}
