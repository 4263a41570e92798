//! Who is calling: the session token in the `authorization` metadata.

use chat_errors::{ChatError, ErrorCode};
use tonic::metadata::MetadataMap;

use crate::errors::with_metadata;
use crate::store::{Store, is_session_token};

/// The metadata key that carries `Bearer <session token>`.
pub const AUTHORIZATION: &str = "authorization";
const BEARER: &str = "Bearer ";

/// A caller with a live session.
pub(crate) struct Session {
    pub(crate) user_id: String,
    pub(crate) token: String,
}

/// The session the request's `authorization` metadata names.
pub(crate) fn authenticate(store: &Store, metadata: &MetadataMap) -> Result<Session, ChatError> {
    let token = bearer_token(metadata)?;
    if !is_session_token(token) {
        return Err(ChatError::new(ErrorCode::SessionTokenInvalid));
    }
    let user_id = store.session_user(token)?;
    Ok(Session {
        user_id,
        token: token.to_owned(),
    })
}

fn bearer_token(metadata: &MetadataMap) -> Result<&str, ChatError> {
    let Some(value) = metadata.get(AUTHORIZATION) else {
        return Err(ChatError::new(ErrorCode::LoginRequired));
    };
    value
        .to_str()
        .ok()
        .and_then(|value| value.strip_prefix(BEARER))
        .ok_or_else(|| {
            with_metadata(
                ChatError::new(ErrorCode::InvalidMetaData),
                "header",
                AUTHORIZATION,
            )
        })
}
