use serde_json::json;

use crate::common::fixture_rows;
use crate::support::{FIXTURE, fixture_columns, run};

#[test]
fn tsv_is_the_normative_table_byte_for_byte() {
    assert_eq!(run(&["list", "--format", "tsv"]).success(), FIXTURE);
}

#[test]
fn table_has_a_header_and_one_aligned_row_per_code() {
    let run = run(&["list"]);
    let lines: Vec<&str> = run.success().lines().collect();
    assert_eq!(lines.len(), 1 + 57);
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(
        header,
        [
            "CODE",
            "NAME",
            "REASON",
            "GRPC_CODE",
            "HTTP_STATUS",
            "RETRYABLE",
            "DESCRIPTION_EN",
            "DESCRIPTION_KO"
        ]
    );
    let fixture = fixture_columns();
    let english_width = fixture.iter().map(|cols| cols[7].len()).max().unwrap();
    let description_column = lines[0].find("DESCRIPTION_EN").unwrap();
    for (line, cols) in lines[1..].iter().zip(&fixture) {
        let words: Vec<&str> = line[..description_column].split_whitespace().collect();
        assert_eq!(words, cols[..6], "{line}");
        assert_eq!(
            line[description_column..],
            format!("{:<english_width$}  {}", cols[7], cols[6])
        );
    }
}

#[test]
fn json_has_every_column_with_its_type() {
    let list = run(&["list", "--format", "json"]).json();
    let list = list.as_array().expect("an array");
    assert_eq!(list.len(), 57);
    let channel_not_found = list.iter().find(|entry| entry["code"] == 2003).unwrap();
    assert_eq!(
        *channel_not_found,
        json!({
            "code": 2003,
            "name": "ChannelNotFound",
            "reason": "CHANNEL_NOT_FOUND",
            "grpc_code": "NOT_FOUND",
            "http_status": 404,
            "retryable": false,
            "description_ko": "존재하지 않는 채널입니다",
            "description_en": "The channel does not exist.",
        })
    );
    for (entry, row) in list.iter().zip(fixture_rows()) {
        assert_eq!(entry["code"], row.code);
        assert_eq!(entry["reason"], row.reason.as_str());
        assert_eq!(entry["http_status"], row.http_status);
        assert_eq!(entry["retryable"], row.retryable);
        assert_eq!(entry["description_ko"], row.description_ko.as_str());
    }
}

#[test]
fn markdown_is_a_table_with_one_row_per_code() {
    let run = run(&["list", "--format", "markdown"]);
    let lines: Vec<&str> = run.success().lines().collect();
    assert_eq!(lines.len(), 2 + 57);
    assert_eq!(
        lines[0],
        "| code | name | reason | grpc_code | http_status | retryable | description_en | description_ko |"
    );
    assert_eq!(
        lines[1],
        "| --- | --- | --- | --- | --- | --- | --- | --- |"
    );
    assert!(lines.contains(
        &"| 2027 | MutedInChannel | MUTED_IN_CHANNEL | PERMISSION_DENIED | 403 | false | \
           You are muted in the channel. | 채널에서 mute된 상태입니다 |"
    ));
    assert!(
        lines[2..]
            .iter()
            .all(|line| line.matches(" | ").count() == 7)
    );
}
