//! Sending, watching and deleting messages, and uploading files.

use chat_errors::ErrorCode;

use super::{Demo, Detail, Failure, Played, Scenario, fails};
use crate::client::Actor;
use crate::pb::{
    DeleteMessageRequest, FreezeChannelRequest, MuteUserRequest, SendMessageRequest,
    UploadFileRequest, WatchChannelRequest,
};
use crate::server::{MAX_FILE_BYTES, USER_RESOURCE};

pub(super) const SCENARIOS: &[Scenario] = &[
    Scenario {
        id: "send-to-channel-not-joined",
        title: "send to a channel you have not joined",
        expected: ErrorCode::SenderNotChannelMember,
        detail: Detail::None,
        play: send_to_channel_not_joined,
    },
    Scenario {
        id: "send-oversized-message",
        title: "send 5001 bytes of Korean text",
        expected: ErrorCode::MsgSizeLimitExceeded,
        detail: Detail::Metadata("maxBytes", "5000"),
        play: send_oversized_message,
    },
    Scenario {
        id: "send-empty-message",
        title: "send a message with neither text nor data",
        expected: ErrorCode::BothMsgTextDataMissing,
        detail: Detail::None,
        play: send_empty_message,
    },
    Scenario {
        id: "send-in-frozen-channel",
        title: "send in a frozen channel",
        expected: ErrorCode::CannotSendMessageInFrozenChannel,
        detail: Detail::None,
        play: send_in_frozen_channel,
    },
    Scenario {
        id: "mention-non-member",
        title: "mention a user who is not in the channel",
        expected: ErrorCode::MentionedUserDoesNotExist,
        detail: Detail::Resource(USER_RESOURCE),
        play: mention_non_member,
    },
    Scenario {
        id: "send-while-muted",
        title: "send while muted",
        expected: ErrorCode::MutedInChannel,
        detail: Detail::None,
        play: send_while_muted,
    },
    Scenario {
        id: "banned-while-watching",
        title: "watch a channel until its owner bans you",
        expected: ErrorCode::BannedFromChannel,
        detail: Detail::None,
        play: banned_while_watching,
    },
    Scenario {
        id: "flood-channel",
        title: "send messages as fast as possible",
        expected: ErrorCode::TooManyRequests,
        detail: Detail::RetryDelay,
        play: flood_channel,
    },
    Scenario {
        id: "delete-someone-elses-message",
        title: "delete another member's message",
        expected: ErrorCode::Unauthorized,
        detail: Detail::None,
        play: delete_someone_elses_message,
    },
    Scenario {
        id: "upload-oversized-file",
        title: "upload a file of 15 MiB and 1 byte",
        expected: ErrorCode::FileSizeLimitExceeded,
        detail: Detail::Metadata("maxBytes", "15728640"),
        play: upload_oversized_file,
    },
    Scenario {
        id: "upload-damaged-file",
        title: "upload a file damaged on the way",
        expected: ErrorCode::FileUploadFail,
        detail: Detail::RetryDelay,
        play: upload_damaged_file,
    },
];

/// More sends than any user's burst allows, so that flooding ends in a
/// refusal even if the bucket refills a little on the way.
const FLOOD_MESSAGES: usize = 30;

fn send_to_channel_not_joined(demo: Demo) -> Played {
    Box::pin(async move {
        let (_, bob, general) = demo.alice_in_general_bob_outside().await?;
        fails(bob.rpc().send_message(bob.auth(text(general, "hi"))).await)
    })
}

fn send_oversized_message(demo: Demo) -> Played {
    Box::pin(async move {
        let (alice, general) = demo.alice_in_general().await?;
        // 1667 syllables of three bytes each: the limit counts bytes, not
        // characters, and 1667 characters would be well within it.
        let long = "가".repeat(1667);
        let request = text(general, &long);
        fails(alice.rpc().send_message(alice.auth(request)).await)
    })
}

fn send_empty_message(demo: Demo) -> Played {
    Box::pin(async move {
        let (alice, general) = demo.alice_in_general().await?;
        fails(
            alice
                .rpc()
                .send_message(alice.auth(text(general, "")))
                .await,
        )
    })
}

fn send_in_frozen_channel(demo: Demo) -> Played {
    Box::pin(async move {
        let (alice, bob, general) = demo.alice_and_bob_in_general().await?;
        let freeze = FreezeChannelRequest {
            channel_id: general.clone(),
            frozen: true,
        };
        alice.rpc().freeze_channel(alice.auth(freeze)).await?;
        fails(
            bob.rpc()
                .send_message(bob.auth(text(general, "hello?")))
                .await,
        )
    })
}

fn mention_non_member(demo: Demo) -> Played {
    Box::pin(async move {
        let (alice, bob, general) = demo.alice_in_general_bob_outside().await?;
        let request = SendMessageRequest {
            mentioned_user_ids: vec![bob.id],
            ..text(general, "@bob look at this")
        };
        fails(alice.rpc().send_message(alice.auth(request)).await)
    })
}

fn send_while_muted(demo: Demo) -> Played {
    Box::pin(async move {
        let (alice, bob, general) = demo.alice_and_bob_in_general().await?;
        let mute = MuteUserRequest {
            channel_id: general.clone(),
            user_id: bob.id.clone(),
        };
        alice.rpc().mute_user(alice.auth(mute)).await?;
        fails(
            bob.rpc()
                .send_message(bob.auth(text(general, "hello?")))
                .await,
        )
    })
}

/// The error ends a stream that has carried a message, so it travels in
/// the trailers after data rather than in a trailers-only response.
fn banned_while_watching(demo: Demo) -> Played {
    Box::pin(async move {
        let (alice, bob, general) = demo.alice_and_bob_in_general().await?;
        let welcome = text(general.clone(), "welcome");
        alice.rpc().send_message(alice.auth(welcome)).await?;
        let watch = WatchChannelRequest {
            channel_id: general.clone(),
        };
        let mut messages = bob.rpc().watch_channel(bob.auth(watch)).await?.into_inner();
        if messages.message().await?.is_none() {
            return Err(Failure::Succeeded);
        }
        alice.ban(&general, &bob).await?;
        loop {
            match messages.message().await {
                Ok(Some(_)) => {}
                Ok(None) => return Err(Failure::Succeeded),
                Err(status) => return Ok(status),
            }
        }
    })
}

fn flood_channel(demo: Demo) -> Played {
    Box::pin(async move {
        let (alice, general) = demo.alice_in_general().await?;
        for n in 1..=FLOOD_MESSAGES {
            let request = text(general.clone(), &format!("spam #{n}"));
            if let Err(status) = alice.rpc().send_message(alice.auth(request)).await {
                return Ok(status);
            }
        }
        Err(Failure::Succeeded)
    })
}

fn delete_someone_elses_message(demo: Demo) -> Played {
    Box::pin(async move {
        let alice = demo.user("alice").await?;
        let bob = demo.user("bob").await?;
        let carol = demo.user("carol").await?;
        let general = alice
            .create(demo.public_channel("general", &[&bob, &carol]))
            .await?;
        let sent = bob
            .rpc()
            .send_message(bob.auth(text(general.clone(), "mine")))
            .await?;
        let request = DeleteMessageRequest {
            channel_id: general,
            message_id: sent.into_inner().message_id,
        };
        fails(carol.rpc().delete_message(carol.auth(request)).await)
    })
}

fn upload_oversized_file(demo: Demo) -> Played {
    Box::pin(async move {
        let (alice, general) = demo.alice_in_general().await?;
        let content = vec![0x5a; MAX_FILE_BYTES + 1];
        let crc32 = crc32fast::hash(&content);
        fails(upload(&alice, general, content, crc32).await)
    })
}

fn upload_damaged_file(demo: Demo) -> Played {
    Box::pin(async move {
        let (alice, general) = demo.alice_in_general().await?;
        let sent = b"minutes of the meeting".to_vec();
        let crc32 = crc32fast::hash(b"minutes of the meetinh");
        fails(upload(&alice, general, sent, crc32).await)
    })
}

fn text(channel_id: String, text: &str) -> SendMessageRequest {
    SendMessageRequest {
        channel_id,
        text: text.to_owned(),
        ..SendMessageRequest::default()
    }
}

async fn upload(
    uploader: &Actor,
    channel_id: String,
    content: Vec<u8>,
    crc32: u32,
) -> Result<tonic::Response<crate::pb::UploadFileResponse>, tonic::Status> {
    let request = UploadFileRequest {
        channel_id,
        file_name: "minutes.txt".to_owned(),
        content,
        crc32,
    };
    uploader.rpc().upload_file(uploader.auth(request)).await
}
