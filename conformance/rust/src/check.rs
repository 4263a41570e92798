//! Compares a runner with the reference: the corpus, then seeded fuzz.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::canonical::to_line;
use crate::mutate::Kinds;
use crate::view::{self, Trailers};

/// What one runner answers, by input kind.
#[derive(Clone, Copy, Debug)]
pub struct Supports {
    /// gRPC trailers to decode.
    pub grpc: bool,
    /// HTTP JSON bodies to decode.
    pub http: bool,
    pub negotiate: bool,
    pub encode: bool,
}

impl Supports {
    /// What each language's runner answers (conformance/README.md): only
    /// languages with a server side negotiate and encode.
    pub fn of(lang: &str) -> Supports {
        let server = matches!(lang, "rust" | "go" | "jvm");
        Supports {
            grpc: true,
            http: true,
            negotiate: server,
            encode: server,
        }
    }

    pub fn parse(list: &str) -> Result<Supports, String> {
        let mut supports = Supports {
            grpc: false,
            http: false,
            negotiate: false,
            encode: false,
        };
        for kind in list.split(',') {
            match kind.trim() {
                "decode" => {
                    supports.grpc = true;
                    supports.http = true;
                }
                // A client that reads gRPC trailers but no HTTP JSON bodies (the JVM's).
                "grpc" => supports.grpc = true,
                "http" => supports.http = true,
                "negotiate" => supports.negotiate = true,
                "encode" => supports.encode = true,
                other => return Err(format!("unknown input kind {other:?}")),
            }
        }
        Ok(supports)
    }

    pub fn accepts(&self, input: &Value) -> bool {
        if input.get("negotiate").is_some() {
            self.negotiate
        } else if input.get("encode").is_some() {
            self.encode
        } else if input["transport"] == "http" {
            self.http
        } else {
            self.grpc
        }
    }

    pub fn fuzz_kinds(&self) -> Kinds {
        Kinds {
            decode: self.grpc || self.http,
            negotiate: self.negotiate,
            encode: self.encode,
        }
    }
}

/// Feeds `inputs` to `conformance/run LANG` and returns its output lines.
pub fn run(lang: &str, inputs: &[String]) -> Result<Vec<String>, String> {
    let script = crate::corpus::conformance_dir().join("run");
    let mut child = Command::new(&script)
        .arg(lang)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot start {} {lang}: {error}", script.display()))?;
    let mut stdin = child.stdin.take().expect("a piped stdin");
    let text: String = inputs
        .iter()
        .flat_map(|line| [line.as_str(), "\n"])
        .collect();
    let writer = std::thread::spawn(move || {
        // A runner that stops reading ends the write; its output says why.
        let _ = stdin.write_all(text.as_bytes());
    });
    let stdout = child.stdout.take().expect("a piped stdout");
    let mut lines = Vec::with_capacity(inputs.len());
    for line in BufReader::new(stdout).lines() {
        lines.push(line.map_err(|error| format!("reading the runner's output: {error}"))?);
    }
    writer.join().expect("the writer thread");
    let status = child.wait().map_err(|error| error.to_string())?;
    if !status.success() {
        return Err(format!("conformance/run {lang} exited with {status}"));
    }
    Ok(lines)
}

/// Why a runner's answer to one input is not the reference's.
pub struct Disagreement {
    pub id: String,
    pub input: String,
    pub expected: String,
    pub got: String,
}

/// Compares one answer with the expected one. Encode answers are compared
/// by what they decode to, with the reference's decoder.
pub fn compare(input: &Value, expected: &Value, got_line: &str) -> Option<Disagreement> {
    let expected_line = to_line(expected);
    let disagreement = |expected: String, got: String| Disagreement {
        id: input["id"].as_str().unwrap_or_default().to_owned(),
        input: to_line(input),
        expected,
        got,
    };
    if got_line == expected_line {
        return None;
    }
    if let (Some(spec), Some(expected_headers)) = (input.get("encode"), expected.get("headers")) {
        let got: Value = match serde_json::from_str(got_line) {
            Ok(got) => got,
            Err(_) => return Some(disagreement(expected_line, got_line.to_owned())),
        };
        let domain = spec
            .get("domain")
            .and_then(Value::as_str)
            .unwrap_or(view::DEFAULT_DOMAIN);
        let decoded = |headers: &Value| -> Result<String, String> {
            Ok(to_line(&view::decode_grpc(
                &Trailers::from_json(headers)?,
                domain,
            )?))
        };
        let (Some(got_headers), true) = (got.get("headers"), got.get("id") == input.get("id"))
        else {
            return Some(disagreement(expected_line, got_line.to_owned()));
        };
        let same_status = got_headers.get("grpc-status") == expected_headers.get("grpc-status");
        return match (decoded(expected_headers), decoded(got_headers)) {
            (Ok(want), Ok(have)) if want == have && same_status => None,
            (want, have) => Some(disagreement(
                format!("{expected_line} decoding to {}", want.unwrap_or_else(|e| e)),
                format!("{got_line} decoding to {}", have.unwrap_or_else(|e| e)),
            )),
        };
    }
    Some(disagreement(expected_line, got_line.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn encode_input() -> Value {
        json!({"id": "e", "encode": {"code": 2003, "locale": "ko-KR", "metadata": {"aa": "1", "bb": "2"}}})
    }

    fn answer_of(input: &Value) -> Value {
        crate::runner::answer(input)
    }

    #[test]
    fn decode_takes_both_transports_and_grpc_or_http_only_its_own() {
        let grpc = json!({"id": "g", "transport": "grpc", "headers": {"grpc-status": "5"}});
        let http = json!({"id": "h", "transport": "http", "status": 404, "body": "{}"});
        let negotiate = json!({"id": "n", "negotiate": "ko"});
        let decode = Supports::parse("decode").unwrap();
        assert!(decode.accepts(&grpc) && decode.accepts(&http) && !decode.accepts(&negotiate));
        let grpc_only = Supports::parse("grpc,negotiate,encode").unwrap();
        assert!(grpc_only.accepts(&grpc) && !grpc_only.accepts(&http));
        assert!(grpc_only.accepts(&negotiate) && grpc_only.accepts(&encode_input()));
        let http_only = Supports::parse("http").unwrap();
        assert!(http_only.accepts(&http) && !http_only.accepts(&grpc));
        assert!(Supports::parse("gRPC").is_err());
    }

    #[test]
    fn a_different_decode_answer_is_a_disagreement_and_the_same_is_not() {
        let input = json!({"id": "d", "transport": "grpc", "headers": {"grpc-status": "5"}});
        let expected = answer_of(&input);
        assert!(compare(&input, &expected, &to_line(&expected)).is_none());
        let wrong =
            json!({"id": "d", "lenient": null, "strict": {"error": {"kind": "MalformedStatus"}}});
        let found = compare(&input, &expected, &to_line(&wrong)).expect("a disagreement");
        assert_eq!(found.id, "d");
        // Same content, other key order: the bytes differ, so it is refused.
        assert!(
            compare(
                &input,
                &expected,
                r#"{"strict":{"ok":null},"lenient":null,"id":"d"}"#
            )
            .is_some()
        );
    }

    #[test]
    fn encode_answers_agree_by_what_they_decode_to() {
        let input = encode_input();
        let expected = answer_of(&input);
        let rows = crate::catalogue::rows();
        let channel_not_found = rows.iter().find(|row| row.code == 2003).expect("2003");
        // The same status with the metadata entries in the other order:
        // other bytes, the same decoded view.
        let details =
            crate::statuses::base64_unpadded(&crate::pbtree::encode(&crate::statuses::status(
                5,
                "The channel does not exist.",
                vec![
                    crate::statuses::detail(
                        crate::statuses::ERROR_INFO,
                        crate::statuses::error_info(
                            "CHANNEL_NOT_FOUND",
                            crate::statuses::DOMAIN,
                            &[
                                ("bb", "2"),
                                ("message", "ChannelNotFound"),
                                ("code", "2003"),
                                ("aa", "1"),
                            ],
                        ),
                    ),
                    crate::statuses::detail(
                        crate::statuses::LOCALIZED_MESSAGE,
                        crate::statuses::localized("ko-KR", &channel_not_found.description_ko),
                    ),
                ],
            )));
        let reordered = json!({"id": "e", "headers": {
            "grpc-status": "5",
            "grpc-message": "The channel does not exist.",
            "grpc-status-details-bin": details,
        }});
        assert_ne!(to_line(&reordered), to_line(&expected));
        assert!(compare(&input, &expected, &to_line(&reordered)).is_none());
        let mut other_status = reordered.clone();
        other_status["headers"]["grpc-status"] = json!("13");
        assert!(compare(&input, &expected, &to_line(&other_status)).is_some());
        let mut missing_metadata = reordered;
        missing_metadata["headers"]["grpc-status-details-bin"] = json!("");
        assert!(compare(&input, &expected, &to_line(&missing_metadata)).is_some());
    }
}
