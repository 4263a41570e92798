//! Messages and files in channels.

use chat_errors::{ChatError, ErrorCode};

use super::{State, Store, StoredMessage, USER_RESOURCE, channel_mut, resource};

impl Store {
    /// Stores the message and returns its id.
    pub(crate) fn send_message(
        &self,
        sender: &str,
        id: &str,
        text: &str,
        mentioned_user_ids: &[String],
    ) -> Result<u64, ChatError> {
        let mut state = self.lock()?;
        let channel = channel_mut(&mut state.channels, id)?;
        if !channel.is_member(sender) {
            return Err(ChatError::new(ErrorCode::SenderNotChannelMember));
        }
        if channel.frozen {
            return Err(ChatError::new(ErrorCode::CannotSendMessageInFrozenChannel));
        }
        if channel.muted.contains(sender) {
            return Err(ChatError::new(ErrorCode::MutedInChannel));
        }
        if let Some(stranger) = mentioned_user_ids
            .iter()
            .find(|user| !channel.is_member(user))
        {
            return Err(ChatError::new(ErrorCode::MentionedUserDoesNotExist)
                .with_resource_info(resource(USER_RESOURCE, stranger)));
        }
        Ok(channel.post(StoredMessage {
            sender: sender.to_owned(),
            text: text.to_owned(),
            file: None,
        }))
    }

    /// Deletes a message; its sender and the channel's owner may.
    pub(crate) fn delete_message(
        &self,
        caller: &str,
        id: &str,
        message_id: u64,
    ) -> Result<(), ChatError> {
        let mut state = self.lock()?;
        let channel = channel_mut(&mut state.channels, id)?;
        if !channel.is_member(caller) {
            return Err(ChatError::new(ErrorCode::UserNotChannelMember));
        }
        let Some(message) = channel.messages.get(&message_id) else {
            return Err(
                ChatError::new(ErrorCode::ParamsBindingError).with_field_violation(
                    "message_id",
                    format!("the channel has no message {message_id}"),
                ),
            );
        };
        if message.sender != caller && channel.owner != caller {
            return Err(ChatError::new(ErrorCode::Unauthorized));
        }
        channel.messages.remove(&message_id);
        channel.changed();
        Ok(())
    }

    /// Keeps an uploaded file, posts a message naming it, and returns its id.
    pub(crate) fn store_file(
        &self,
        uploader: &str,
        id: &str,
        file_name: &str,
        content: Vec<u8>,
    ) -> Result<String, ChatError> {
        let mut state = self.lock()?;
        let State {
            channels,
            next_file_id,
            ..
        } = &mut *state;
        let channel = channel_mut(channels, id)?;
        if !channel.is_member(uploader) {
            return Err(ChatError::new(ErrorCode::UserNotChannelMember));
        }
        *next_file_id += 1;
        let file_id = format!("{next_file_id}-{file_name}");
        channel.files.insert(file_id.clone(), content);
        channel.post(StoredMessage {
            sender: uploader.to_owned(),
            text: String::new(),
            file: Some((file_id.clone(), file_name.to_owned())),
        });
        Ok(file_id)
    }
}
