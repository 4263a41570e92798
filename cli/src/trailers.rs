//! Finding gRPC trailers in text: `chat-errors encode` output, log lines,
//! `grpcurl -v` output, or a bare grpc-status-details-bin value.

use crate::failure::{Class, Failure};

/// The trailer values found, still as text.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FoundTrailers {
    pub status: Option<String>,
    pub message: Option<MessageText>,
    pub details: Option<String>,
}

/// grpc-message as found: percent-encoded as on the wire, or already
/// decoded, as grpcurl prints it after `Message:`.
#[derive(Debug, PartialEq, Eq)]
pub enum MessageText {
    PercentEncoded(String),
    Plain(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Status,
    Message,
    Details,
}

impl Field {
    fn header_name(self) -> &'static str {
        match self {
            Field::Status => "grpc-status",
            Field::Message => "grpc-message",
            Field::Details => "grpc-status-details-bin",
        }
    }
}

/// Longest first, so `grpc-status` never claims `grpc-status-details-bin`.
const HEADERS: [Field; 3] = [Field::Details, Field::Status, Field::Message];

/// grpcurl's error block: `  Code: NotFound` and `  Message: ...`.
const GRPCURL_LABELS: [(&str, Field); 2] = [("Code:", Field::Status), ("Message:", Field::Message)];

/// Values seen for one field. Repeating a value is fine (logs repeat
/// themselves); two different values mean two statuses were pasted.
#[derive(Default)]
struct Seen(Option<String>);

impl Seen {
    fn add(&mut self, field: Field, value: String) -> Result<(), Failure> {
        match &self.0 {
            Some(earlier) if *earlier != value => Err(Failure::new(
                Class::MalformedTrailers,
                format!(
                    "the input holds two different {} values ({earlier:?} and {value:?}); decode one status at a time",
                    field.header_name()
                ),
            )),
            _ => {
                self.0 = Some(value);
                Ok(())
            }
        }
    }
}

/// Finds the trailers in `input`. Header lines win over grpcurl's
/// `Code:`/`Message:` lines; lines that hold neither are ignored.
pub fn find(input: &str) -> Result<FoundTrailers, Failure> {
    let mut headers: [Seen; 3] = Default::default();
    let mut grpcurl: [Seen; 2] = Default::default();
    for line in input.lines() {
        for (field, value) in headers_in(line) {
            headers[field as usize].add(field, value)?;
        }
        if let Some((field, value)) = grpcurl_label(line) {
            grpcurl[field as usize].add(field, value)?;
        }
    }
    let [status, message, details] = headers.map(|seen| seen.0);
    let [grpcurl_status, grpcurl_message] = grpcurl.map(|seen| seen.0);
    let found = FoundTrailers {
        status: status.or(grpcurl_status),
        message: message
            .map(MessageText::PercentEncoded)
            .or(grpcurl_message.map(MessageText::Plain)),
        details: details.or_else(|| bare_value(input)),
    };
    if found == FoundTrailers::default() {
        return Err(Failure::new(
            Class::MalformedTrailers,
            "found no trailers in the input: expected lines like 'grpc-status: 5' and \
             'grpc-status-details-bin: <base64>', or a bare grpc-status-details-bin value",
        ));
    }
    Ok(found)
}

/// A lone token with no trailer name: taken as a grpc-status-details-bin
/// value copied out of a log.
fn bare_value(input: &str) -> Option<String> {
    let mut tokens = input.split_whitespace();
    let token = tokens.next()?;
    let lone = tokens.next().is_none() && !token.contains([':', '=']);
    lone.then(|| token.to_owned())
}

fn grpcurl_label(line: &str) -> Option<(Field, String)> {
    let line = line.trim_start();
    GRPCURL_LABELS.iter().find_map(|(label, field)| {
        let value = line.strip_prefix(label)?;
        Some((*field, value.trim().to_owned()))
    })
}

/// A trailer name found in a line, and where its value starts.
struct Mention {
    field: Field,
    name_start: usize,
    value_start: usize,
    separator: u8,
}

/// Every `name: value` or `name=value` pair in `line`, whatever surrounds it:
/// a log prefix, JSON quotes, Go's `map[name:[value]]`.
fn headers_in(line: &str) -> Vec<(Field, String)> {
    let mentions = mentions_in(line);
    mentions
        .iter()
        .enumerate()
        .map(|(index, mention)| {
            let end = mentions
                .get(index + 1)
                .map_or(line.len(), |next| next.name_start);
            let raw = &line[mention.value_start..end];
            (mention.field, clean_value(raw, mention.separator))
        })
        .collect()
}

fn mentions_in(line: &str) -> Vec<Mention> {
    // ASCII lowercasing keeps byte offsets, so positions carry over to `line`.
    let lower = line.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut mentions = Vec::new();
    let mut from = 0;
    while let Some(offset) = lower[from..].find("grpc-") {
        let start = from + offset;
        from = start + 1;
        let boundary = start == 0 || b" \t\"'{[(,;<".contains(&bytes[start - 1]);
        if !boundary {
            continue;
        }
        let Some(field) = HEADERS
            .into_iter()
            .find(|field| lower[start..].starts_with(field.header_name()))
        else {
            continue;
        };
        let mut cursor = start + field.header_name().len();
        if matches!(bytes.get(cursor), Some(b'"' | b'\'')) {
            cursor += 1;
        }
        while matches!(bytes.get(cursor), Some(b' ' | b'\t')) {
            cursor += 1;
        }
        let Some(&separator @ (b':' | b'=')) = bytes.get(cursor) else {
            continue;
        };
        mentions.push(Mention {
            field,
            name_start: start,
            value_start: cursor + 1,
            separator,
        });
        from = cursor + 1;
    }
    mentions
}

/// The value from the text after a separator: quoted and bracketed values
/// end at their closing mark, `name=value` at whitespace, and `name: value`
/// at the end of the line.
fn clean_value(raw: &str, separator: u8) -> String {
    let raw = raw.trim();
    if let Some(quoted) = raw.strip_prefix('"') {
        return unquote(quoted, '"');
    }
    if let Some(quoted) = raw.strip_prefix('\'') {
        return unquote(quoted, '\'');
    }
    if let Some(bracketed) = raw.strip_prefix('[') {
        return clean_value(bracketed.split(']').next().unwrap_or_default(), separator);
    }
    let value = if separator == b'=' {
        raw.split_whitespace().next().unwrap_or_default()
    } else {
        raw
    };
    value
        .trim_end_matches(|c: char| c.is_whitespace() || ",;\"'}]".contains(c))
        .to_owned()
}

/// The text up to the closing `quote`, with backslash escapes undone as
/// JSON writes them.
fn unquote(text: &str, quote: char) -> String {
    let mut value = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => value.extend(chars.next()),
            c if c == quote => break,
            c => value.push(c),
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn percent(text: &str) -> Option<MessageText> {
        Some(MessageText::PercentEncoded(text.to_owned()))
    }

    #[test]
    fn reads_the_lines_encode_prints() {
        let found =
            find("grpc-status: 5\ngrpc-message: No%20channel\ngrpc-status-details-bin: CAU\n")
                .unwrap();
        assert_eq!(found.status.as_deref(), Some("5"));
        assert_eq!(found.message, percent("No%20channel"));
        assert_eq!(found.details.as_deref(), Some("CAU"));
    }

    #[test]
    fn reads_compact_json() {
        let found = find(
            r#"{"grpc-status":5,"grpc-message":"a,%20b\\c","grpc-status-details-bin":"CAU="}"#,
        )
        .unwrap();
        assert_eq!(found.status.as_deref(), Some("5"));
        assert_eq!(found.message, percent(r"a,%20b\c"));
        assert_eq!(found.details.as_deref(), Some("CAU="));
    }

    #[test]
    fn reads_key_value_logs_and_go_maps() {
        let found = find(
            "2024-05-01T10:00:00Z WARN rpc failed Grpc-Status=7 grpc-message=Muted, peer=10.0.0.1",
        )
        .unwrap();
        assert_eq!(found.status.as_deref(), Some("7"));
        assert_eq!(found.message, percent("Muted"));

        let found = find("trailers: map[grpc-status:[5] grpc-status-details-bin:[CAU]]").unwrap();
        assert_eq!(found.status.as_deref(), Some("5"));
        assert_eq!(found.details.as_deref(), Some("CAU"));
    }

    #[test]
    fn takes_code_and_message_from_grpcurl_unless_headers_say_otherwise() {
        let found =
            find("ERROR:\n  Code: NotFound\n  Message: The channel does not exist.\n").unwrap();
        assert_eq!(found.status.as_deref(), Some("NotFound"));
        assert_eq!(
            found.message,
            Some(MessageText::Plain("The channel does not exist.".to_owned()))
        );

        let found = find("grpc-status: 5\nERROR:\n  Code: Unknown\n").unwrap();
        assert_eq!(found.status.as_deref(), Some("5"));
    }

    #[test]
    fn ignores_names_that_only_start_like_trailers() {
        let found = find("x-grpc-status: 1\ngrpc-status-extra: 2\ngrpc-status: 3").unwrap();
        assert_eq!(found.status.as_deref(), Some("3"));
    }

    #[test]
    fn takes_a_lone_token_as_details() {
        let found = find("  CAUSG1Ro\n").unwrap();
        assert_eq!(found.details.as_deref(), Some("CAUSG1Ro"));
        assert_eq!(found.status, None);
    }

    #[test]
    fn refuses_two_statuses_and_text_without_trailers() {
        let two = find("grpc-status: 5\ngrpc-status: 7").unwrap_err();
        assert_eq!(two.class, Class::MalformedTrailers);
        assert!(two.message.contains(r#"("5" and "7")"#), "{}", two.message);

        let none = find("hello world\n").unwrap_err();
        assert_eq!(none.class, Class::MalformedTrailers);
    }
}
