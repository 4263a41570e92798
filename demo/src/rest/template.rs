//! Path templates of `google.api.http` rules, e.g.
//! `/v1/channels/{channel_id}/members/{user_id}:ban`: literal segments,
//! single-segment field variables and an optional custom verb (AIP-136).

use percent_encoding::percent_decode_str;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    /// A request field filled from this segment.
    Field(String),
}

/// A parsed path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PathTemplate {
    segments: Vec<Segment>,
    verb: Option<String>,
}

/// Why a path that fits a template still cannot fill the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadSegment {
    pub(crate) field: String,
}

impl PathTemplate {
    /// Parses `template`; `None` for a form this server does not serve
    /// (multi-segment variables such as `{name=channels/*}` or `**`).
    pub(crate) fn parse(template: &str) -> Option<PathTemplate> {
        let path = template.strip_prefix('/')?;
        let (path, verb) = match path.rsplit_once(':') {
            Some((path, verb)) if !verb.contains(['/', '}']) => (path, Some(verb.to_owned())),
            _ => (path, None),
        };
        let segments = path
            .split('/')
            .map(|segment| match segment.strip_prefix('{') {
                Some(rest) => {
                    let field = rest.strip_suffix('}')?;
                    let simple = !field.is_empty()
                        && field
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
                    simple.then(|| Segment::Field(field.to_owned()))
                }
                None if segment.is_empty() || segment.contains(['{', '}', '*']) => None,
                None => Some(Segment::Literal(segment.to_owned())),
            })
            .collect::<Option<Vec<_>>>()?;
        Some(PathTemplate { segments, verb })
    }

    /// The request fields this template fills.
    pub(crate) fn fields(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|segment| match segment {
            Segment::Field(field) => Some(field.as_str()),
            Segment::Literal(_) => None,
        })
    }

    /// The field values `path` gives, percent-decoded, when it fits the
    /// template; `Some(Err)` when it fits but a value is not UTF-8.
    pub(crate) fn matches(&self, path: &str) -> Option<Result<Vec<(String, String)>, BadSegment>> {
        let mut path = path.strip_prefix('/')?;
        if let Some(verb) = &self.verb {
            path = path.strip_suffix(verb.as_str())?.strip_suffix(':')?;
        }
        let mut parts = path.split('/');
        let mut fields = Vec::new();
        for segment in &self.segments {
            let part = parts.next()?;
            match segment {
                Segment::Literal(literal) if literal == part => {}
                Segment::Literal(_) => return None,
                Segment::Field(field) => fields.push((field, part)),
            }
        }
        if parts.next().is_some() {
            return None;
        }
        Some(
            fields
                .into_iter()
                .map(|(field, raw)| match percent_decode_str(raw).decode_utf8() {
                    Ok(value) => Ok((field.clone(), value.into_owned())),
                    Err(_) => Err(BadSegment {
                        field: field.clone(),
                    }),
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(template: &str, path: &str) -> Option<Vec<(String, String)>> {
        let template = PathTemplate::parse(template).expect("a template this server serves");
        template
            .matches(path)
            .map(|fields| fields.expect("UTF-8 values"))
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn literals_fields_and_verbs_match_whole_segments() {
        let ban = "/v1/channels/{channel_id}/members/{user_id}:ban";
        assert_eq!(
            fields(ban, "/v1/channels/lobby/members/bob:ban"),
            Some(pairs(&[("channel_id", "lobby"), ("user_id", "bob")]))
        );
        assert_eq!(fields(ban, "/v1/channels/lobby/members/bob:mute"), None);
        assert_eq!(fields(ban, "/v1/channels/lobby/members/bob"), None);
        assert_eq!(fields(ban, "/v1/channels/lobby/members/bob/x:ban"), None);
        assert_eq!(fields("/v1/users", "/v1/users"), Some(vec![]));
        assert_eq!(fields("/v1/users", "/v1/users/x"), None);
        assert_eq!(
            fields(
                "/v1/channels/{channel_id}",
                "/v1/channels/%EC%B1%84%EB%84%90"
            ),
            Some(pairs(&[("channel_id", "채널")]))
        );
        assert_eq!(
            fields("/v1/channels/{channel_id}", "/v1/channels/"),
            Some(pairs(&[("channel_id", "")]))
        );
    }

    #[test]
    fn values_that_are_not_utf8_are_reported_by_field() {
        let template = PathTemplate::parse("/v1/users/{user_id}:block").unwrap();
        assert_eq!(
            template.matches("/v1/users/%FF:block"),
            Some(Err(BadSegment {
                field: "user_id".to_owned()
            }))
        );
    }

    #[test]
    fn templates_this_server_does_not_serve_are_refused() {
        for template in [
            "v1/users",
            "/v1/{name=channels/*}",
            "/v1/**",
            "/v1/{}",
            "/v1//x",
        ] {
            assert_eq!(PathTemplate::parse(template), None, "{template}");
        }
    }
}
