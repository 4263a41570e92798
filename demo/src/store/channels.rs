//! Creating, reading, joining and inviting to channels.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chat_errors::{ChatError, ErrorCode};

use super::{
    CHANNEL_RESOURCE, Channel, State, Store, USER_RESOURCE, blocks, channel, channel_mut, resource,
    too_many_members, user, view,
};
use crate::pb::{self, ChannelType};

/// A channel to create, already checked for well-formed fields.
pub(crate) struct NewChannel<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) channel_type: ChannelType,
    pub(crate) member_ids: &'a [String],
    pub(crate) invitation_code: &'a str,
    pub(crate) max_members: u32,
    pub(crate) reuse_existing: bool,
}

impl Store {
    /// Creates the channel, or returns the existing one with exactly these
    /// members when `reuse_existing` asks for it; the `bool` says which.
    pub(crate) fn create_channel(
        &self,
        owner: &str,
        new: NewChannel<'_>,
    ) -> Result<(pb::Channel, bool), ChatError> {
        let mut state = self.lock()?;
        let State {
            users, channels, ..
        } = &mut *state;
        let mut members: BTreeSet<String> = new.member_ids.iter().cloned().collect();
        members.insert(owner.to_owned());

        if let Some(existing) = channels.get(new.id) {
            if !new.reuse_existing {
                return Err(ChatError::new(ErrorCode::ChannelIdAlreadyTaken)
                    .with_resource_info(resource(CHANNEL_RESOURCE, new.id)));
            }
            if existing.members != members {
                return Err(ChatError::new(ErrorCode::ReuseChannelMembersDoNotMatch));
            }
            return Ok((view(users, new.id, existing)?, true));
        }
        for member in members.iter().filter(|member| *member != owner) {
            user(users, member)?;
            if blocks(users, owner, member) {
                return Err(
                    ChatError::new(ErrorCode::CannotCreateChannelWithBlockedMember)
                        .with_resource_info(resource(USER_RESOURCE, member)),
                );
            }
            if blocks(users, member, owner) {
                return Err(
                    ChatError::new(ErrorCode::CannotCreateChannelWhenBlockedByMember)
                        .with_resource_info(resource(USER_RESOURCE, member)),
                );
            }
        }
        if members.len() > new.max_members as usize {
            return Err(too_many_members(new.max_members as usize));
        }

        let channel = Channel {
            name: if new.name.is_empty() {
                new.id
            } else {
                new.name
            }
            .to_owned(),
            channel_type: new.channel_type,
            owner: owner.to_owned(),
            members,
            banned: HashSet::new(),
            muted: HashSet::new(),
            max_members: new.max_members,
            frozen: false,
            invitation_code: new.invitation_code.to_owned(),
            messages: BTreeMap::new(),
            next_message_id: 1,
            files: HashMap::new(),
            changes: tokio::sync::watch::Sender::new(()),
        };
        let created = view(users, new.id, &channel)?;
        channels.insert(new.id.to_owned(), channel);
        Ok((created, false))
    }

    pub(crate) fn get_channel(&self, caller: &str, id: &str) -> Result<pb::Channel, ChatError> {
        let state = self.lock()?;
        let channel = channel(&state.channels, id)?;
        if channel.channel_type == ChannelType::Private && !channel.is_member(caller) {
            return Err(ChatError::new(ErrorCode::UserNotChannelMember));
        }
        view(&state.users, id, channel)
    }

    pub(crate) fn join_channel(
        &self,
        caller: &str,
        id: &str,
        invitation_code: Option<&str>,
    ) -> Result<pb::Channel, ChatError> {
        let mut state = self.lock()?;
        let State {
            users, channels, ..
        } = &mut *state;
        let channel = channel_mut(channels, id)?;
        if channel.banned.contains(caller) {
            return Err(ChatError::new(ErrorCode::BannedFromChannel));
        }
        if channel.is_member(caller) {
            return Err(ChatError::new(ErrorCode::AlreadyMember));
        }
        match (channel.channel_type, invitation_code) {
            (ChannelType::Private, _) => {
                return Err(ChatError::new(ErrorCode::CannotJoinPrivateChannel));
            }
            (ChannelType::InvitationOnly, None) => {
                return Err(ChatError::new(ErrorCode::InvitationCodeRequired));
            }
            (ChannelType::InvitationOnly, Some(code)) if code != channel.invitation_code => {
                return Err(ChatError::new(ErrorCode::WrongInvitationCode));
            }
            (ChannelType::Public | ChannelType::Unspecified, Some(_)) => {
                return Err(ChatError::new(ErrorCode::ChannelNotInvitationOnlyType));
            }
            _ => {}
        }
        if blocks(users, &channel.owner, caller) {
            return Err(ChatError::new(ErrorCode::CannotJoinChannelBlockedByOwner));
        }
        if blocks(users, caller, &channel.owner) {
            return Err(ChatError::new(ErrorCode::CannotJoinChannelBlockedOwner));
        }
        channel.has_room_for(1)?;
        channel.members.insert(caller.to_owned());
        view(users, id, channel)
    }

    pub(crate) fn leave_channel(&self, caller: &str, id: &str) -> Result<(), ChatError> {
        let mut state = self.lock()?;
        let channel = channel_mut(&mut state.channels, id)?;
        if channel.owner == caller {
            return Err(ChatError::new(ErrorCode::CannotRemoveChannelOwner));
        }
        if !channel.members.remove(caller) {
            return Err(ChatError::new(ErrorCode::UserNotChannelMember));
        }
        channel.muted.remove(caller);
        channel.changed();
        Ok(())
    }

    /// Adds every invitee or, when any of them cannot join, none.
    pub(crate) fn invite_members(
        &self,
        caller: &str,
        id: &str,
        invitees: &[String],
    ) -> Result<pb::Channel, ChatError> {
        let mut state = self.lock()?;
        let State {
            users, channels, ..
        } = &mut *state;
        let channel = channel_mut(channels, id)?;
        if !channel.is_member(caller) {
            return Err(ChatError::new(ErrorCode::UserNotChannelMember));
        }
        let newcomers: BTreeSet<&String> = invitees.iter().collect();
        for invitee in &newcomers {
            user(users, invitee)?;
            let refusal = if channel.banned.contains(*invitee) {
                ErrorCode::CannotAddBannedUser
            } else if blocks(users, caller, invitee) {
                ErrorCode::CannotAddBlockedMember
            } else if blocks(users, invitee, caller) {
                ErrorCode::CannotAddMemberWhenBlockedByMember
            } else if channel.is_member(invitee) {
                ErrorCode::AlreadyMember
            } else {
                continue;
            };
            return Err(
                ChatError::new(refusal).with_resource_info(resource(USER_RESOURCE, invitee))
            );
        }
        channel.has_room_for(newcomers.len())?;
        channel.members.extend(newcomers.into_iter().cloned());
        view(users, id, channel)
    }
}
