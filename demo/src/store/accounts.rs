//! Accounts, sessions and blocks.

use std::collections::HashSet;

use chat_errors::{ChatError, ErrorCode};

use super::{Store, User, random_hex, user, user_mut};

const SESSION_TOKEN_PREFIX: &str = "sess_";
const LOGIN_TOKEN_PREFIX: &str = "login_";

/// Whether `token` has the shape of a session token this service issues:
/// `sess_` and 32 lowercase hex digits.
pub(crate) fn is_session_token(token: &str) -> bool {
    token.strip_prefix(SESSION_TOKEN_PREFIX).is_some_and(|hex| {
        hex.len() == 32 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
}

impl Store {
    /// Creates the account and returns its login token.
    pub(crate) fn sign_up(&self, user_id: &str, nickname: &str) -> Result<String, ChatError> {
        let mut state = self.lock()?;
        if state.users.contains_key(user_id) {
            return Err(ChatError::new(ErrorCode::UserIdTaken));
        }
        let login_token = format!("{LOGIN_TOKEN_PREFIX}{}", random_hex()?);
        let nickname = if nickname.is_empty() {
            user_id
        } else {
            nickname
        };
        state.users.insert(
            user_id.to_owned(),
            User {
                nickname: nickname.to_owned(),
                login_token: login_token.clone(),
                deactivated: false,
                blocked: HashSet::new(),
            },
        );
        Ok(login_token)
    }

    /// Opens a session and returns its token.
    pub(crate) fn login(&self, user_id: &str, login_token: &str) -> Result<String, ChatError> {
        let mut state = self.lock()?;
        let account = user(&state.users, user_id)?;
        if account.login_token != login_token {
            return Err(ChatError::new(ErrorCode::InvalidLoginToken));
        }
        // Checked after the token so that only the account's holder learns
        // that it is deactivated.
        if account.deactivated {
            return Err(ChatError::new(ErrorCode::DeactivatedUser));
        }
        let session_token = format!("{SESSION_TOKEN_PREFIX}{}", random_hex()?);
        state
            .sessions
            .insert(session_token.clone(), user_id.to_owned());
        Ok(session_token)
    }

    /// The user a well-formed session token belongs to.
    pub(crate) fn session_user(&self, session_token: &str) -> Result<String, ChatError> {
        self.lock()?
            .sessions
            .get(session_token)
            .cloned()
            .ok_or_else(|| ChatError::new(ErrorCode::SessionNotFound))
    }

    pub(crate) fn logout(&self, session_token: &str) -> Result<(), ChatError> {
        self.lock()?.sessions.remove(session_token);
        Ok(())
    }

    pub(crate) fn deactivate(&self, user_id: &str) -> Result<(), ChatError> {
        let mut state = self.lock()?;
        user_mut(&mut state.users, user_id)?.deactivated = true;
        state.sessions.retain(|_, owner| owner != user_id);
        Ok(())
    }

    /// Deletes the account, its sessions and its memberships. Channels it
    /// owned keep its id as their owner.
    pub(crate) fn delete_account(&self, user_id: &str) -> Result<(), ChatError> {
        let mut state = self.lock()?;
        state.users.remove(user_id);
        state.sessions.retain(|_, owner| owner != user_id);
        for channel in state.channels.values_mut() {
            channel.members.remove(user_id);
        }
        Ok(())
    }

    pub(crate) fn block(&self, blocker: &str, blocked: &str) -> Result<(), ChatError> {
        if blocker == blocked {
            return Err(ChatError::new(ErrorCode::CannotBlockSelf));
        }
        let mut state = self.lock()?;
        user(&state.users, blocked)?;
        user_mut(&mut state.users, blocker)?
            .blocked
            .insert(blocked.to_owned());
        Ok(())
    }

    pub(crate) fn unblock(&self, blocker: &str, blocked: &str) -> Result<(), ChatError> {
        if blocker == blocked {
            return Err(ChatError::new(ErrorCode::CannotUnblockSelf));
        }
        let mut state = self.lock()?;
        user(&state.users, blocked)?;
        if !user_mut(&mut state.users, blocker)?.blocked.remove(blocked) {
            return Err(ChatError::new(ErrorCode::UserNotBlocked));
        }
        Ok(())
    }
}
