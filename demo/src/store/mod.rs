//! The service's state, kept in memory, and the rules that guard it. Every
//! rule that fails does so with the catalogue error that names it.

mod accounts;
mod channels;
mod messages;
mod moderation;
mod watch;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};

use chat_errors::{ChatError, ErrorCode};

use crate::errors::{resource, with_metadata};
use crate::pb;

pub(crate) use accounts::is_session_token;
pub(crate) use channels::NewChannel;

/// `ResourceInfo.resource_type` of a user that a request names.
pub const USER_RESOURCE: &str = "chat.demo.v1.User";
/// `ResourceInfo.resource_type` of a channel that a request names.
pub const CHANNEL_RESOURCE: &str = "chat.demo.v1.Channel";

/// Members a channel accepts when its creator does not say.
pub const DEFAULT_MAX_MEMBERS: u32 = 100;

#[derive(Default)]
pub(crate) struct Store {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    users: HashMap<String, User>,
    /// Session token to user id.
    sessions: HashMap<String, String>,
    channels: HashMap<String, Channel>,
    next_file_id: u64,
}

struct User {
    nickname: String,
    login_token: String,
    deactivated: bool,
    /// The users this user blocked.
    blocked: HashSet<String>,
}

struct Channel {
    name: String,
    channel_type: pb::ChannelType,
    owner: String,
    members: BTreeSet<String>,
    banned: HashSet<String>,
    muted: HashSet<String>,
    max_members: u32,
    frozen: bool,
    invitation_code: String,
    messages: BTreeMap<u64, StoredMessage>,
    next_message_id: u64,
    /// File id to content.
    files: HashMap<String, Vec<u8>>,
    /// Bumped on every change that watchers must look at.
    changes: tokio::sync::watch::Sender<()>,
}

struct StoredMessage {
    sender: String,
    text: String,
    file: Option<(String, String)>,
}

impl Store {
    fn lock(&self) -> Result<MutexGuard<'_, State>, ChatError> {
        // A request that panicked mid-update may have left the state half
        // changed: refuse to serve from it rather than guess.
        self.state.lock().map_err(|_| {
            ChatError::new(ErrorCode::InternalServerError1003)
                .with_source("the store's lock is poisoned: a request panicked while updating it")
        })
    }
}

impl Channel {
    /// Wakes every watcher of the channel to look again.
    fn changed(&self) {
        self.changes.send_replace(());
    }

    /// Stores a message and returns its id.
    fn post(&mut self, message: StoredMessage) -> u64 {
        let message_id = self.next_message_id;
        self.next_message_id += 1;
        self.messages.insert(message_id, message);
        self.changed();
        message_id
    }

    fn is_member(&self, user_id: &str) -> bool {
        self.members.contains(user_id)
    }

    fn require_owner(&self, user_id: &str, refusal: ErrorCode) -> Result<(), ChatError> {
        if self.owner == user_id {
            Ok(())
        } else {
            Err(ChatError::new(refusal))
        }
    }

    fn has_room_for(&self, newcomers: usize) -> Result<(), ChatError> {
        let limit = self.max_members as usize;
        if self.members.len() + newcomers > limit {
            return Err(too_many_members(limit));
        }
        Ok(())
    }
}

fn too_many_members(limit: usize) -> ChatError {
    with_metadata(
        ChatError::new(ErrorCode::MaxChannelMemberCountExceeded),
        "maxMembers",
        limit,
    )
}

fn user_not_found(id: &str) -> ChatError {
    ChatError::new(ErrorCode::UserNotFound).with_resource_info(resource(USER_RESOURCE, id))
}

fn user<'a>(users: &'a HashMap<String, User>, id: &str) -> Result<&'a User, ChatError> {
    users.get(id).ok_or_else(|| user_not_found(id))
}

fn user_mut<'a>(users: &'a mut HashMap<String, User>, id: &str) -> Result<&'a mut User, ChatError> {
    users.get_mut(id).ok_or_else(|| user_not_found(id))
}

fn channel_not_found(id: &str) -> ChatError {
    ChatError::new(ErrorCode::ChannelNotFound).with_resource_info(resource(CHANNEL_RESOURCE, id))
}

fn channel<'a>(channels: &'a HashMap<String, Channel>, id: &str) -> Result<&'a Channel, ChatError> {
    channels.get(id).ok_or_else(|| channel_not_found(id))
}

fn channel_mut<'a>(
    channels: &'a mut HashMap<String, Channel>,
    id: &str,
) -> Result<&'a mut Channel, ChatError> {
    channels.get_mut(id).ok_or_else(|| channel_not_found(id))
}

/// Whether `blocker` blocked `blocked`. A user who no longer exists blocks nobody.
fn blocks(users: &HashMap<String, User>, blocker: &str, blocked: &str) -> bool {
    users
        .get(blocker)
        .is_some_and(|user| user.blocked.contains(blocked))
}

/// The channel as its members see it. Fails when the owner's account is
/// gone, since the view names the owner.
fn view(
    users: &HashMap<String, User>,
    id: &str,
    channel: &Channel,
) -> Result<pb::Channel, ChatError> {
    let owner = users.get(&channel.owner).ok_or_else(|| {
        ChatError::new(ErrorCode::ChannelOwnerNotFound)
            .with_resource_info(resource(USER_RESOURCE, &channel.owner))
    })?;
    Ok(pb::Channel {
        channel_id: id.to_owned(),
        name: channel.name.clone(),
        channel_type: channel.channel_type.into(),
        owner_id: channel.owner.clone(),
        owner_nickname: owner.nickname.clone(),
        member_ids: channel.members.iter().cloned().collect(),
        max_members: channel.max_members,
        frozen: channel.frozen,
    })
}

/// 32 random hex digits: 128 bits from the operating system's generator.
fn random_hex() -> Result<String, ChatError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|error| {
        ChatError::new(ErrorCode::InternalServerError1003)
            .with_source(format!("no randomness for a token: {error}"))
    })?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}
