//! The table the demo prints: one row per scenario, as the client decoded it.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use chat_errors::{DecodedChatError, Locale};
use unicode_width::UnicodeWidthStr;

use crate::client::Client;
use crate::scenarios::{Failure, Outcome, new_run_id, run_all};

/// Runs every scenario through `client`, prints the table, and says whether
/// every scenario passed.
pub async fn run_and_print(client: &Client) -> bool {
    let outcomes = run_all(client, &new_run_id()).await;
    print!("{}", render(&outcomes));
    all_passed(&outcomes)
}

/// Runs every scenario through `client` and prints only what failed and
/// the summary line after `label`; says whether every scenario passed.
pub async fn run_and_summarize(client: &Client, label: &str) -> bool {
    let outcomes = run_all(client, &new_run_id()).await;
    for outcome in &outcomes {
        if let Err(failure) = &outcome.result {
            println!("FAIL {}: {failure}", outcome.scenario.id);
        }
    }
    println!("{label}{}", summary(&outcomes));
    all_passed(&outcomes)
}

const HEADER: [&str; 9] = [
    "",
    "scenario",
    "gRPC status",
    "reason",
    "code",
    "variant",
    "message",
    "ko-KR",
    "retry",
];

/// The outcomes as an aligned table, followed by what went wrong, if anything,
/// and a one-line summary.
pub fn render(outcomes: &[Outcome]) -> String {
    let mut rows = vec![HEADER.map(str::to_owned)];
    rows.extend(outcomes.iter().map(row));
    let mut text = align(&rows);

    for outcome in outcomes {
        if let Err(failure) = &outcome.result {
            let _ = writeln!(text, "FAIL {}: {failure}", outcome.scenario.id);
        }
    }
    let _ = writeln!(text, "{}", summary(outcomes));
    text
}

/// `53 scenarios, 52 distinct codes: all decoded as expected`, or how many failed.
pub fn summary(outcomes: &[Outcome]) -> String {
    let failed = outcomes
        .iter()
        .filter(|outcome| outcome.result.is_err())
        .count();
    let codes: BTreeSet<_> = outcomes
        .iter()
        .filter_map(|outcome| outcome.result.as_ref().ok()?.code())
        .collect();
    let verdict = if failed == 0 {
        "all decoded as expected".to_owned()
    } else {
        format!("{failed} failed")
    };
    format!(
        "{} scenarios, {} distinct codes: {verdict}",
        outcomes.len(),
        codes.len()
    )
}

/// Whether every scenario ended in the error it expects.
pub fn all_passed(outcomes: &[Outcome]) -> bool {
    outcomes.iter().all(|outcome| outcome.result.is_ok())
}

fn row(outcome: &Outcome) -> [String; 9] {
    let status = outcome.status.as_ref().map_or_else(
        || "-".to_owned(),
        |status| chat_errors::grpc_code_name(status.code()).to_owned(),
    );
    let decoded = match &outcome.result {
        Ok(decoded) => Some(decoded),
        Err(Failure::Mismatch { decoded, .. }) => Some(&**decoded),
        Err(_) => None,
    };
    let mark = if outcome.result.is_ok() { "ok" } else { "FAIL" };
    let [reason, code, variant, message, korean, retry] =
        decoded.map_or_else(|| ["-"; 6].map(str::to_owned), columns);
    [
        mark.to_owned(),
        outcome.scenario.title.to_owned(),
        status,
        reason,
        code,
        variant,
        message,
        korean,
        retry,
    ]
}

fn columns(decoded: &DecodedChatError) -> [String; 6] {
    let retry = match (decoded.retry_delay(), decoded.code()) {
        (Some(delay), _) => format!("after {:.1}s", delay.as_secs_f64()),
        (None, Some(code)) if code.is_retryable() => "retryable".to_owned(),
        (None, _) => "-".to_owned(),
    };
    [
        decoded.reason().to_owned(),
        decoded
            .number()
            .map_or_else(|| "?".to_owned(), |number| number.to_string()),
        decoded
            .code()
            .map_or_else(|| "unknown".to_owned(), |code| format!("{code:?}")),
        decoded.message().to_owned(),
        decoded
            .localized_message()
            .filter(|m| m.locale == Locale::KO_KR.as_str())
            .map_or("-", |m| m.message.as_str())
            .to_owned(),
        retry,
    ]
}

/// Pads every column to its widest cell, measuring Hangul as two columns
/// wide as terminals draw it.
fn align<const N: usize>(rows: &[[String; N]]) -> String {
    let mut widths = [0; N];
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }
    let mut text = String::new();
    for row in rows {
        let mut line = String::new();
        for (column, (cell, width)) in row.iter().zip(widths).enumerate() {
            if column > 0 {
                line.push_str("  ");
            }
            line.push_str(cell);
            line.extend(std::iter::repeat_n(' ', width - cell.width()));
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_cells_count_two_columns_each() {
        let rows = [
            ["채널".to_owned(), "x".to_owned()],
            ["abcd".to_owned(), "y".to_owned()],
            ["ab".to_owned(), "z".to_owned()],
        ];
        assert_eq!(align(&rows), "채널  x\nabcd  y\nab    z\n");
    }
}
