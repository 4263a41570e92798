//! What a channel's owner does to its members and to the channel.

use chat_errors::{ChatError, ErrorCode};

use super::{Channel, Store, channel_mut};

impl Store {
    pub(crate) fn remove_member(
        &self,
        caller: &str,
        id: &str,
        member: &str,
    ) -> Result<(), ChatError> {
        self.moderate(caller, id, ErrorCode::NotChannelOwner, |channel| {
            if channel.owner == member {
                return Err(ChatError::new(ErrorCode::CannotRemoveChannelOwner));
            }
            if !channel.members.remove(member) {
                return Err(ChatError::new(ErrorCode::RemoveUserNotMember));
            }
            channel.muted.remove(member);
            Ok(())
        })
    }

    pub(crate) fn ban(&self, caller: &str, id: &str, member: &str) -> Result<(), ChatError> {
        self.moderate(caller, id, ErrorCode::NotChannelOwner, |channel| {
            if channel.owner == member {
                return Err(ChatError::new(ErrorCode::CannotBanOwnerFromChannel));
            }
            if !channel.members.remove(member) {
                return Err(ChatError::new(ErrorCode::BanUserNotMember));
            }
            channel.muted.remove(member);
            channel.banned.insert(member.to_owned());
            Ok(())
        })
    }

    pub(crate) fn mute(&self, caller: &str, id: &str, member: &str) -> Result<(), ChatError> {
        self.moderate(caller, id, ErrorCode::NotChannelOwner, |channel| {
            if channel.owner == member {
                return Err(ChatError::new(ErrorCode::CannotMuteChannelOwner));
            }
            if !channel.is_member(member) {
                return Err(ChatError::new(ErrorCode::ChannelMemberNotFound));
            }
            channel.muted.insert(member.to_owned());
            Ok(())
        })
    }

    pub(crate) fn freeze(&self, caller: &str, id: &str, frozen: bool) -> Result<(), ChatError> {
        self.moderate(
            caller,
            id,
            ErrorCode::ChannelUpdateNotAuthorized,
            |channel| {
                channel.frozen = frozen;
                Ok(())
            },
        )
    }

    pub(crate) fn transfer_ownership(
        &self,
        caller: &str,
        id: &str,
        new_owner: &str,
    ) -> Result<(), ChatError> {
        self.moderate(caller, id, ErrorCode::NotChannelOwner, |channel| {
            if channel.owner == new_owner {
                return Err(ChatError::new(ErrorCode::AlreadyChannelOwner));
            }
            if !channel.is_member(new_owner) {
                return Err(ChatError::new(ErrorCode::ChannelMemberNotFound));
            }
            channel.muted.remove(new_owner);
            new_owner.clone_into(&mut channel.owner);
            Ok(())
        })
    }

    /// Runs `change` on the channel when `caller` owns it, and fails with
    /// `refusal` when not.
    fn moderate(
        &self,
        caller: &str,
        id: &str,
        refusal: ErrorCode,
        change: impl FnOnce(&mut Channel) -> Result<(), ChatError>,
    ) -> Result<(), ChatError> {
        let mut state = self.lock()?;
        let channel = channel_mut(&mut state.channels, id)?;
        channel.require_owner(caller, refusal)?;
        change(channel)?;
        channel.changed();
        Ok(())
    }
}
