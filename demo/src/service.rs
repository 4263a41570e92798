//! The `ChatService` handlers: check the request, ask the store, and send
//! any refusal as the catalogue error it is.

use std::sync::Arc;

use chat_errors::{ChatError, ErrorCode};
use tokio::sync::{mpsc, watch};
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};

use crate::auth::{Session, authenticate};
use crate::errors::with_metadata;
use crate::pb::chat_service_server::ChatService;
use crate::pb::*;
use crate::rate_limit::{RateLimit, RateLimiter};
use crate::store::{DEFAULT_MAX_MEMBERS, NewChannel, Store};
use crate::validate::{self, id, malformed, required, required_list};

/// The most bytes of text and data one message may carry.
pub const MAX_MESSAGE_BYTES: usize = 5000;
/// The largest file UploadFile accepts: 15 MiB.
pub const MAX_FILE_BYTES: usize = 15 * 1024 * 1024;
/// The largest `max_members` a channel may ask for.
pub const MAX_CHANNEL_MEMBERS: u32 = 1000;
/// How long a client should wait before retrying a damaged upload.
const UPLOAD_RETRY_DELAY: std::time::Duration = std::time::Duration::from_secs(1);
/// Messages a watcher's stream holds while its client reads slowly.
const WATCH_BUFFER: usize = 16;

pub(crate) struct ChatServiceImpl {
    store: Arc<Store>,
    message_rate: RateLimiter,
}

impl ChatServiceImpl {
    pub(crate) fn new(message_rate: RateLimit) -> ChatServiceImpl {
        ChatServiceImpl {
            store: Arc::default(),
            message_rate: RateLimiter::new(message_rate),
        }
    }

    /// Runs `handle` for a call that needs no session.
    fn public<Req, Resp>(
        &self,
        request: Request<Req>,
        handle: impl FnOnce(Req) -> Result<Resp, ChatError>,
    ) -> Result<Response<Resp>, Status> {
        respond(handle(request.into_inner()))
    }

    /// Runs `handle` for the caller's session, refusing calls without one.
    fn authed<Req, Resp>(
        &self,
        request: Request<Req>,
        handle: impl FnOnce(&Session, Req) -> Result<Resp, ChatError>,
    ) -> Result<Response<Resp>, Status> {
        let result = authenticate(&self.store, request.metadata())
            .and_then(|session| handle(&session, request.into_inner()));
        respond(result)
    }
}

/// The handler's answer. An error leaves in the caller's locale, in the
/// trailers-only response or a stream's trailers alike: the server's
/// `LocaleLayer` sees to that.
fn respond<Resp>(result: Result<Resp, ChatError>) -> Result<Response<Resp>, Status> {
    result.map(Response::new).map_err(ChatError::into_status)
}

/// What one WatchChannel call follows.
struct Watch {
    store: Arc<Store>,
    watcher: String,
    channel_id: String,
    changes: watch::Receiver<()>,
}

impl Watch {
    /// Sends every message the watcher may see, then each new one, until
    /// the watcher may no longer watch or the client goes away.
    async fn run(mut self, stream: mpsc::Sender<Result<WatchChannelResponse, Status>>) {
        let mut last_sent = 0;
        loop {
            let messages =
                match self
                    .store
                    .messages_after(&self.watcher, &self.channel_id, last_sent)
                {
                    Ok(messages) => messages,
                    Err(error) => {
                        let _ = stream.send(Err(error.into_status())).await;
                        return;
                    }
                };
            for message in messages {
                last_sent = message.message_id;
                let response = WatchChannelResponse {
                    message: Some(message),
                };
                if stream.send(Ok(response)).await.is_err() {
                    return;
                }
            }
            tokio::select! {
                // A channel that is gone fails the next look with
                // CHANNEL_NOT_FOUND, so a closed sender needs no case.
                _ = self.changes.changed() => {}
                () = stream.closed() => return,
            }
        }
    }
}

fn channel_type(value: i32) -> Result<ChannelType, ChatError> {
    match ChannelType::try_from(value) {
        Ok(ChannelType::Unspecified) => Err(validate::missing("channel_type")),
        Ok(channel_type) => Ok(channel_type),
        Err(_) => Err(malformed(
            "channel_type",
            format!("{value} is not a ChannelType"),
        )),
    }
}

fn invitation_code_matches_type(channel_type: ChannelType, code: &str) -> Result<(), ChatError> {
    match (channel_type, code.is_empty()) {
        (ChannelType::InvitationOnly, true) => Err(empty_invitation_code()),
        (ChannelType::InvitationOnly, false) | (_, true) => Ok(()),
        (_, false) => Err(ChatError::new(ErrorCode::ChannelNotInvitationOnlyType)),
    }
}

fn empty_invitation_code() -> ChatError {
    ChatError::new(ErrorCode::InvitationCodeCannotBeEmpty)
        .with_field_violation("invitation_code", "must not be empty")
}

fn max_members(requested: u32) -> Result<u32, ChatError> {
    match requested {
        0 => Ok(DEFAULT_MAX_MEMBERS),
        1..=MAX_CHANNEL_MEMBERS => Ok(requested),
        _ => Err(malformed(
            "max_members",
            format!("must be at most {MAX_CHANNEL_MEMBERS}"),
        )),
    }
}

fn size_limit(code: ErrorCode, limit: usize, actual: usize) -> ChatError {
    with_metadata(
        with_metadata(ChatError::new(code), "maxBytes", limit),
        "actualBytes",
        actual,
    )
}

#[tonic::async_trait]
impl ChatService for ChatServiceImpl {
    type WatchChannelStream = ReceiverStream<Result<WatchChannelResponse, Status>>;

    async fn sign_up(
        &self,
        request: Request<SignUpRequest>,
    ) -> Result<Response<SignUpResponse>, Status> {
        self.public(request, |req| {
            id("user_id", &req.user_id)?;
            let login_token = self.store.sign_up(&req.user_id, &req.nickname)?;
            Ok(SignUpResponse {
                user_id: req.user_id,
                login_token,
            })
        })
    }

    async fn login(
        &self,
        request: Request<LoginRequest>,
    ) -> Result<Response<LoginResponse>, Status> {
        self.public(request, |req| {
            required("user_id", &req.user_id)?;
            required("login_token", &req.login_token)?;
            let session_token = self.store.login(&req.user_id, &req.login_token)?;
            Ok(LoginResponse { session_token })
        })
    }

    async fn logout(
        &self,
        request: Request<LogoutRequest>,
    ) -> Result<Response<LogoutResponse>, Status> {
        self.authed(request, |session, _| {
            self.store.logout(&session.token)?;
            Ok(LogoutResponse {})
        })
    }

    async fn deactivate_account(
        &self,
        request: Request<DeactivateAccountRequest>,
    ) -> Result<Response<DeactivateAccountResponse>, Status> {
        self.authed(request, |session, _| {
            self.store.deactivate(&session.user_id)?;
            Ok(DeactivateAccountResponse {})
        })
    }

    async fn delete_account(
        &self,
        request: Request<DeleteAccountRequest>,
    ) -> Result<Response<DeleteAccountResponse>, Status> {
        self.authed(request, |session, _| {
            self.store.delete_account(&session.user_id)?;
            Ok(DeleteAccountResponse {})
        })
    }

    async fn create_channel(
        &self,
        request: Request<CreateChannelRequest>,
    ) -> Result<Response<CreateChannelResponse>, Status> {
        self.authed(request, |session, req| {
            id("channel_id", &req.channel_id)?;
            let channel_type = channel_type(req.channel_type)?;
            invitation_code_matches_type(channel_type, &req.invitation_code)?;
            for (index, member) in req.member_ids.iter().enumerate() {
                id(&format!("member_ids[{index}]"), member)?;
            }
            let new = NewChannel {
                id: &req.channel_id,
                name: &req.name,
                channel_type,
                member_ids: &req.member_ids,
                invitation_code: &req.invitation_code,
                max_members: max_members(req.max_members)?,
                reuse_existing: req.reuse_existing,
            };
            let (channel, reused) = self.store.create_channel(&session.user_id, new)?;
            Ok(CreateChannelResponse {
                channel: Some(channel),
                reused,
            })
        })
    }

    async fn get_channel(
        &self,
        request: Request<GetChannelRequest>,
    ) -> Result<Response<GetChannelResponse>, Status> {
        self.authed(request, |session, req| {
            id("channel_id", &req.channel_id)?;
            let mut channel = self.store.get_channel(&session.user_id, &req.channel_id)?;
            if req.view() == ChannelView::Basic {
                channel.member_ids.clear();
            }
            Ok(GetChannelResponse {
                channel: Some(channel),
            })
        })
    }

    async fn join_channel(
        &self,
        request: Request<JoinChannelRequest>,
    ) -> Result<Response<JoinChannelResponse>, Status> {
        self.authed(request, |session, req| {
            id("channel_id", &req.channel_id)?;
            if req.invitation_code.as_deref() == Some("") {
                return Err(empty_invitation_code());
            }
            let channel = self.store.join_channel(
                &session.user_id,
                &req.channel_id,
                req.invitation_code.as_deref(),
            )?;
            Ok(JoinChannelResponse {
                channel: Some(channel),
            })
        })
    }

    async fn leave_channel(
        &self,
        request: Request<LeaveChannelRequest>,
    ) -> Result<Response<LeaveChannelResponse>, Status> {
        self.authed(request, |session, req| {
            id("channel_id", &req.channel_id)?;
            self.store
                .leave_channel(&session.user_id, &req.channel_id)?;
            Ok(LeaveChannelResponse {})
        })
    }

    async fn watch_channel(
        &self,
        request: Request<WatchChannelRequest>,
    ) -> Result<Response<Self::WatchChannelStream>, Status> {
        self.authed(request, |session, req| {
            id("channel_id", &req.channel_id)?;
            let changes = self.store.watch(&session.user_id, &req.channel_id)?;
            let watch = Watch {
                store: Arc::clone(&self.store),
                watcher: session.user_id.clone(),
                channel_id: req.channel_id,
                changes,
            };
            let (sender, receiver) = mpsc::channel(WATCH_BUFFER);
            tokio::spawn(watch.run(sender));
            Ok(ReceiverStream::new(receiver))
        })
    }

    async fn invite_members(
        &self,
        request: Request<InviteMembersRequest>,
    ) -> Result<Response<InviteMembersResponse>, Status> {
        self.authed(request, |session, req| {
            id("channel_id", &req.channel_id)?;
            required_list("user_ids", &req.user_ids)?;
            let channel =
                self.store
                    .invite_members(&session.user_id, &req.channel_id, &req.user_ids)?;
            Ok(InviteMembersResponse {
                channel: Some(channel),
            })
        })
    }

    async fn remove_member(
        &self,
        request: Request<RemoveMemberRequest>,
    ) -> Result<Response<RemoveMemberResponse>, Status> {
        self.authed(request, |session, req| {
            id("channel_id", &req.channel_id)?;
            id("user_id", &req.user_id)?;
            self.store
                .remove_member(&session.user_id, &req.channel_id, &req.user_id)?;
            Ok(RemoveMemberResponse {})
        })
    }

    async fn ban_user(
        &self,
        request: Request<BanUserRequest>,
    ) -> Result<Response<BanUserResponse>, Status> {
        self.authed(request, |session, req| {
            id("channel_id", &req.channel_id)?;
            id("user_id", &req.user_id)?;
            self.store
                .ban(&session.user_id, &req.channel_id, &req.user_id)?;
            Ok(BanUserResponse {})
        })
    }

    async fn mute_user(
        &self,
        request: Request<MuteUserRequest>,
    ) -> Result<Response<MuteUserResponse>, Status> {
        self.authed(request, |session, req| {
            id("channel_id", &req.channel_id)?;
            id("user_id", &req.user_id)?;
            self.store
                .mute(&session.user_id, &req.channel_id, &req.user_id)?;
            Ok(MuteUserResponse {})
        })
    }

    async fn freeze_channel(
        &self,
        request: Request<FreezeChannelRequest>,
    ) -> Result<Response<FreezeChannelResponse>, Status> {
        self.authed(request, |session, req| {
            id("channel_id", &req.channel_id)?;
            self.store
                .freeze(&session.user_id, &req.channel_id, req.frozen)?;
            Ok(FreezeChannelResponse {})
        })
    }

    async fn transfer_ownership(
        &self,
        request: Request<TransferOwnershipRequest>,
    ) -> Result<Response<TransferOwnershipResponse>, Status> {
        self.authed(request, |session, req| {
            id("channel_id", &req.channel_id)?;
            id("new_owner_id", &req.new_owner_id)?;
            self.store
                .transfer_ownership(&session.user_id, &req.channel_id, &req.new_owner_id)?;
            Ok(TransferOwnershipResponse {})
        })
    }

    async fn send_message(
        &self,
        request: Request<SendMessageRequest>,
    ) -> Result<Response<SendMessageResponse>, Status> {
        self.authed(request, |session, req| {
            id("channel_id", &req.channel_id)?;
            if req.text.is_empty() && req.data.is_empty() {
                return Err(ChatError::new(ErrorCode::BothMsgTextDataMissing));
            }
            let size = req.text.len() + req.data.len();
            if size > MAX_MESSAGE_BYTES {
                return Err(size_limit(
                    ErrorCode::MsgSizeLimitExceeded,
                    MAX_MESSAGE_BYTES,
                    size,
                ));
            }
            // Malformed messages are refused above, before they cost the
            // sender part of the quota.
            self.message_rate.acquire(&session.user_id)?;
            let message_id = self.store.send_message(
                &session.user_id,
                &req.channel_id,
                &req.text,
                &req.mentioned_user_ids,
            )?;
            Ok(SendMessageResponse { message_id })
        })
    }

    async fn delete_message(
        &self,
        request: Request<DeleteMessageRequest>,
    ) -> Result<Response<DeleteMessageResponse>, Status> {
        self.authed(request, |session, req| {
            id("channel_id", &req.channel_id)?;
            if req.message_id == 0 {
                return Err(validate::missing("message_id"));
            }
            self.store
                .delete_message(&session.user_id, &req.channel_id, req.message_id)?;
            Ok(DeleteMessageResponse {})
        })
    }

    async fn upload_file(
        &self,
        request: Request<UploadFileRequest>,
    ) -> Result<Response<UploadFileResponse>, Status> {
        self.authed(request, |session, req| {
            id("channel_id", &req.channel_id)?;
            required("file_name", &req.file_name)?;
            let size = req.content.len();
            if size > MAX_FILE_BYTES {
                return Err(size_limit(
                    ErrorCode::FileSizeLimitExceeded,
                    MAX_FILE_BYTES,
                    size,
                ));
            }
            if crc32fast::hash(&req.content) != req.crc32 {
                return Err(
                    ChatError::new(ErrorCode::FileUploadFail).with_retry_delay(UPLOAD_RETRY_DELAY)
                );
            }
            let file_id = self.store.store_file(
                &session.user_id,
                &req.channel_id,
                &req.file_name,
                req.content,
            )?;
            Ok(UploadFileResponse {
                file_id,
                size: size as u64,
            })
        })
    }

    async fn block_user(
        &self,
        request: Request<BlockUserRequest>,
    ) -> Result<Response<BlockUserResponse>, Status> {
        self.authed(request, |session, req| {
            id("user_id", &req.user_id)?;
            self.store.block(&session.user_id, &req.user_id)?;
            Ok(BlockUserResponse {})
        })
    }

    async fn unblock_user(
        &self,
        request: Request<UnblockUserRequest>,
    ) -> Result<Response<UnblockUserResponse>, Status> {
        self.authed(request, |session, req| {
            id("user_id", &req.user_id)?;
            self.store.unblock(&session.user_id, &req.user_id)?;
            Ok(UnblockUserResponse {})
        })
    }
}
