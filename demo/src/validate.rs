//! Checks on request fields, before any state is read. A missing field is
//! INVALID_PARAMS and a malformed one PARAMS_BINDING_ERROR, each with a
//! `BadRequest` field violation naming the field.

use chat_errors::{ChatError, ErrorCode};

const MAX_ID_LEN: usize = 64;

/// Fails when `value` is empty.
pub(crate) fn required(field: &str, value: &str) -> Result<(), ChatError> {
    if value.is_empty() {
        return Err(missing(field));
    }
    Ok(())
}

/// Fails when `values` is empty.
pub(crate) fn required_list(field: &str, values: &[String]) -> Result<(), ChatError> {
    if values.is_empty() {
        return Err(missing(field));
    }
    Ok(())
}

/// Fails unless `value` is a user or channel id: 1 to 64 of `a-z`, `0-9`,
/// `-` and `_`.
pub(crate) fn id(field: &str, value: &str) -> Result<(), ChatError> {
    required(field, value)?;
    let well_formed = value.len() <= MAX_ID_LEN
        && value
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_'));
    if !well_formed {
        return Err(malformed(
            field,
            format!("must be 1 to {MAX_ID_LEN} of a-z, 0-9, '-' and '_'"),
        ));
    }
    Ok(())
}

pub(crate) fn missing(field: &str) -> ChatError {
    ChatError::new(ErrorCode::InvalidParams).with_field_violation(field, "is required")
}

pub(crate) fn malformed(field: &str, description: impl Into<String>) -> ChatError {
    ChatError::new(ErrorCode::ParamsBindingError).with_field_violation(field, description)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chat_errors::ChatStatusExt;

    fn violation(result: Result<(), ChatError>) -> (ErrorCode, String) {
        let error = result.expect_err("the check should fail");
        let code = error.code();
        let sent = tonic::Status::from(error)
            .get_chat_error(&chat_errors::Domain::default())
            .expect("a chat error");
        let [violation] = sent.field_violations() else {
            panic!(
                "expected one field violation, got {:?}",
                sent.field_violations()
            );
        };
        (code, violation.field.clone())
    }

    #[test]
    fn ids_accept_the_documented_alphabet_up_to_64_bytes() {
        assert!(id("user_id", "alice-01_b").is_ok());
        assert!(id("user_id", &"a".repeat(64)).is_ok());
        assert_eq!(
            violation(id("user_id", &"a".repeat(65))),
            (ErrorCode::ParamsBindingError, "user_id".to_owned())
        );
        for bad in ["Alice", "al ice", "채널", "a.b"] {
            assert_eq!(
                violation(id("channel_id", bad)).0,
                ErrorCode::ParamsBindingError,
                "{bad}"
            );
        }
    }

    #[test]
    fn empty_fields_are_missing_not_malformed() {
        assert_eq!(
            violation(id("channel_id", "")),
            (ErrorCode::InvalidParams, "channel_id".to_owned())
        );
        assert_eq!(
            violation(required_list("user_ids", &[])),
            (ErrorCode::InvalidParams, "user_ids".to_owned())
        );
        assert!(required("login_token", "x").is_ok());
    }
}
