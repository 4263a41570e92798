//! What a member watching a channel sees, and when they may no longer see it.

use chat_errors::{ChatError, ErrorCode};
use tokio::sync::watch;

use super::{Channel, Store, blocks, channel};
use crate::pb;

impl Store {
    /// Starts watching channel `id` for `watcher`: a receiver that wakes on
    /// each change of the channel.
    pub(crate) fn watch(&self, watcher: &str, id: &str) -> Result<watch::Receiver<()>, ChatError> {
        let state = self.lock()?;
        let channel = channel(&state.channels, id)?;
        may_watch(channel, watcher)?;
        Ok(channel.changes.subscribe())
    }

    /// The messages of channel `id` after message `after` that `watcher`
    /// may see, or why they may no longer watch.
    pub(crate) fn messages_after(
        &self,
        watcher: &str,
        id: &str,
        after: u64,
    ) -> Result<Vec<pb::Message>, ChatError> {
        let state = self.lock()?;
        let channel = channel(&state.channels, id)?;
        may_watch(channel, watcher)?;
        Ok(channel
            .messages
            .range(after + 1..)
            .filter(|(_, message)| !blocks(&state.users, watcher, &message.sender))
            .map(|(&message_id, message)| {
                let (file_id, file_name) = message.file.clone().unwrap_or_default();
                pb::Message {
                    message_id,
                    sender_id: message.sender.clone(),
                    text: message.text.clone(),
                    file_id,
                    file_name,
                }
            })
            .collect())
    }
}

fn may_watch(channel: &Channel, watcher: &str) -> Result<(), ChatError> {
    if channel.banned.contains(watcher) {
        return Err(ChatError::new(ErrorCode::BannedFromChannel));
    }
    if !channel.is_member(watcher) {
        return Err(ChatError::new(ErrorCode::UserNotChannelMember));
    }
    Ok(())
}
