//! Creating, reading and joining channels.

use chat_errors::ErrorCode;

use super::{Demo, Detail, Played, Scenario, fails};
use crate::pb::{
    ChannelType, CreateChannelRequest, DeleteAccountRequest, GetChannelRequest, JoinChannelRequest,
};
use crate::server::{CHANNEL_RESOURCE, USER_RESOURCE};

pub(super) const SCENARIOS: &[Scenario] = &[
    Scenario {
        id: "create-channel-with-taken-id",
        title: "create a channel with a taken id",
        expected: ErrorCode::ChannelIdAlreadyTaken,
        detail: Detail::Resource(CHANNEL_RESOURCE),
        play: create_channel_with_taken_id,
    },
    Scenario {
        id: "reuse-channel-with-other-members",
        title: "reuse a channel id with other members",
        expected: ErrorCode::ReuseChannelMembersDoNotMatch,
        detail: Detail::None,
        play: reuse_channel_with_other_members,
    },
    Scenario {
        id: "create-channel-with-blocked-user",
        title: "create a channel with a user you blocked",
        expected: ErrorCode::CannotCreateChannelWithBlockedMember,
        detail: Detail::Resource(USER_RESOURCE),
        play: create_channel_with_blocked_user,
    },
    Scenario {
        id: "create-channel-with-user-who-blocked-you",
        title: "create a channel with a user who blocked you",
        expected: ErrorCode::CannotCreateChannelWhenBlockedByMember,
        detail: Detail::Resource(USER_RESOURCE),
        play: create_channel_with_user_who_blocked_you,
    },
    Scenario {
        id: "create-invitation-only-channel-with-empty-code",
        title: "create an invitation-only channel with an empty code",
        expected: ErrorCode::InvitationCodeCannotBeEmpty,
        detail: Detail::FieldViolation("invitation_code"),
        play: create_invitation_only_channel_with_empty_code,
    },
    Scenario {
        id: "create-channel-over-member-limit",
        title: "create a 2-member channel with 3 members",
        expected: ErrorCode::MaxChannelMemberCountExceeded,
        detail: Detail::Metadata("maxMembers", "2"),
        play: create_channel_over_member_limit,
    },
    Scenario {
        id: "read-unknown-channel",
        title: "read a channel that does not exist",
        expected: ErrorCode::ChannelNotFound,
        detail: Detail::Resource(CHANNEL_RESOURCE),
        play: read_unknown_channel,
    },
    Scenario {
        id: "read-private-channel-as-outsider",
        title: "read a private channel you are not in",
        expected: ErrorCode::UserNotChannelMember,
        detail: Detail::None,
        play: read_private_channel_as_outsider,
    },
    Scenario {
        id: "read-channel-of-deleted-owner",
        title: "read a channel whose owner deleted their account",
        expected: ErrorCode::ChannelOwnerNotFound,
        detail: Detail::Resource(USER_RESOURCE),
        play: read_channel_of_deleted_owner,
    },
    Scenario {
        id: "join-private-channel",
        title: "join a private channel uninvited",
        expected: ErrorCode::CannotJoinPrivateChannel,
        detail: Detail::None,
        play: join_private_channel,
    },
    Scenario {
        id: "join-invitation-only-channel-without-code",
        title: "join an invitation-only channel without a code",
        expected: ErrorCode::InvitationCodeRequired,
        detail: Detail::None,
        play: join_invitation_only_channel_without_code,
    },
    Scenario {
        id: "join-with-wrong-invitation-code",
        title: "join with a wrong invitation code",
        expected: ErrorCode::WrongInvitationCode,
        detail: Detail::None,
        play: join_with_wrong_invitation_code,
    },
    Scenario {
        id: "join-public-channel-with-code",
        title: "join a public channel with an invitation code",
        expected: ErrorCode::ChannelNotInvitationOnlyType,
        detail: Detail::None,
        play: join_public_channel_with_code,
    },
    Scenario {
        id: "join-channel-twice",
        title: "join a channel you are already in",
        expected: ErrorCode::AlreadyMember,
        detail: Detail::None,
        play: join_channel_twice,
    },
    Scenario {
        id: "join-channel-after-ban",
        title: "join a channel you were banned from",
        expected: ErrorCode::BannedFromChannel,
        detail: Detail::None,
        play: join_channel_after_ban,
    },
    Scenario {
        id: "join-channel-of-owner-who-blocked-you",
        title: "join a channel whose owner blocked you",
        expected: ErrorCode::CannotJoinChannelBlockedByOwner,
        detail: Detail::None,
        play: join_channel_of_owner_who_blocked_you,
    },
    Scenario {
        id: "join-channel-of-owner-you-blocked",
        title: "join a channel whose owner you blocked",
        expected: ErrorCode::CannotJoinChannelBlockedOwner,
        detail: Detail::None,
        play: join_channel_of_owner_you_blocked,
    },
    Scenario {
        id: "join-full-channel",
        title: "join a channel that is full",
        expected: ErrorCode::MaxChannelMemberCountExceeded,
        detail: Detail::Metadata("maxMembers", "2"),
        play: join_full_channel,
    },
];

const INVITATION_CODE: &str = "spring-2025";

fn create_channel_with_taken_id(demo: Demo) -> Played {
    Box::pin(async move {
        let alice = demo.user("alice").await?;
        let bob = demo.user("bob").await?;
        alice.create(demo.public_channel("general", &[])).await?;
        let again = demo.public_channel("general", &[]);
        fails(bob.rpc().create_channel(bob.auth(again)).await)
    })
}

fn reuse_channel_with_other_members(demo: Demo) -> Played {
    Box::pin(async move {
        let alice = demo.user("alice").await?;
        let bob = demo.user("bob").await?;
        let carol = demo.user("carol").await?;
        alice.create(demo.public_channel("chat", &[&bob])).await?;
        let reuse = CreateChannelRequest {
            reuse_existing: true,
            ..demo.public_channel("chat", &[&carol])
        };
        fails(alice.rpc().create_channel(alice.auth(reuse)).await)
    })
}

fn create_channel_with_blocked_user(demo: Demo) -> Played {
    Box::pin(async move {
        let alice = demo.user("alice").await?;
        let bob = demo.user("bob").await?;
        alice.block(&bob).await?;
        let request = demo.public_channel("chat", &[&bob]);
        fails(alice.rpc().create_channel(alice.auth(request)).await)
    })
}

fn create_channel_with_user_who_blocked_you(demo: Demo) -> Played {
    Box::pin(async move {
        let alice = demo.user("alice").await?;
        let bob = demo.user("bob").await?;
        bob.block(&alice).await?;
        let request = demo.public_channel("chat", &[&bob]);
        fails(alice.rpc().create_channel(alice.auth(request)).await)
    })
}

fn create_invitation_only_channel_with_empty_code(demo: Demo) -> Played {
    Box::pin(async move {
        let alice = demo.user("alice").await?;
        let request = demo.channel("club", ChannelType::InvitationOnly);
        fails(alice.rpc().create_channel(alice.auth(request)).await)
    })
}

fn create_channel_over_member_limit(demo: Demo) -> Played {
    Box::pin(async move {
        let alice = demo.user("alice").await?;
        let bob = demo.user("bob").await?;
        let carol = demo.user("carol").await?;
        let request = CreateChannelRequest {
            max_members: 2,
            ..demo.public_channel("pair", &[&bob, &carol])
        };
        fails(alice.rpc().create_channel(alice.auth(request)).await)
    })
}

fn read_unknown_channel(demo: Demo) -> Played {
    Box::pin(async move {
        let alice = demo.user("alice").await?;
        let request = GetChannelRequest {
            channel_id: demo.id("nowhere"),
            ..Default::default()
        };
        fails(alice.rpc().get_channel(alice.auth(request)).await)
    })
}

fn read_private_channel_as_outsider(demo: Demo) -> Played {
    Box::pin(async move {
        let alice = demo.user("alice").await?;
        let bob = demo.user("bob").await?;
        let secret = alice
            .create(demo.channel("secret", ChannelType::Private))
            .await?;
        let request = GetChannelRequest {
            channel_id: secret,
            ..Default::default()
        };
        fails(bob.rpc().get_channel(bob.auth(request)).await)
    })
}

fn read_channel_of_deleted_owner(demo: Demo) -> Played {
    Box::pin(async move {
        let (alice, bob, general) = demo.alice_and_bob_in_general().await?;
        alice
            .rpc()
            .delete_account(alice.auth(DeleteAccountRequest {}))
            .await?;
        let request = GetChannelRequest {
            channel_id: general,
            ..Default::default()
        };
        fails(bob.rpc().get_channel(bob.auth(request)).await)
    })
}

fn join_private_channel(demo: Demo) -> Played {
    Box::pin(async move {
        let alice = demo.user("alice").await?;
        let bob = demo.user("bob").await?;
        let secret = alice
            .create(demo.channel("secret", ChannelType::Private))
            .await?;
        fails(bob.rpc().join_channel(bob.auth(join(secret, None))).await)
    })
}

fn join_invitation_only_channel_without_code(demo: Demo) -> Played {
    Box::pin(async move {
        let alice = demo.user("alice").await?;
        let bob = demo.user("bob").await?;
        let club = alice.create(invitation_only(&demo, "club")).await?;
        fails(bob.rpc().join_channel(bob.auth(join(club, None))).await)
    })
}

fn join_with_wrong_invitation_code(demo: Demo) -> Played {
    Box::pin(async move {
        let alice = demo.user("alice").await?;
        let bob = demo.user("bob").await?;
        let club = alice.create(invitation_only(&demo, "club")).await?;
        let request = join(club, Some("autumn-2025"));
        fails(bob.rpc().join_channel(bob.auth(request)).await)
    })
}

fn join_public_channel_with_code(demo: Demo) -> Played {
    Box::pin(async move {
        let (_, bob, general) = demo.alice_in_general_bob_outside().await?;
        let request = join(general, Some(INVITATION_CODE));
        fails(bob.rpc().join_channel(bob.auth(request)).await)
    })
}

fn join_channel_twice(demo: Demo) -> Played {
    Box::pin(async move {
        let (_, bob, general) = demo.alice_in_general_bob_outside().await?;
        bob.rpc()
            .join_channel(bob.auth(join(general.clone(), None)))
            .await?;
        fails(bob.rpc().join_channel(bob.auth(join(general, None))).await)
    })
}

fn join_channel_after_ban(demo: Demo) -> Played {
    Box::pin(async move {
        let (alice, bob, general) = demo.alice_and_bob_in_general().await?;
        alice.ban(&general, &bob).await?;
        fails(bob.rpc().join_channel(bob.auth(join(general, None))).await)
    })
}

fn join_channel_of_owner_who_blocked_you(demo: Demo) -> Played {
    Box::pin(async move {
        let (alice, bob, general) = demo.alice_in_general_bob_outside().await?;
        alice.block(&bob).await?;
        fails(bob.rpc().join_channel(bob.auth(join(general, None))).await)
    })
}

fn join_channel_of_owner_you_blocked(demo: Demo) -> Played {
    Box::pin(async move {
        let (alice, bob, general) = demo.alice_in_general_bob_outside().await?;
        bob.block(&alice).await?;
        fails(bob.rpc().join_channel(bob.auth(join(general, None))).await)
    })
}

fn join_full_channel(demo: Demo) -> Played {
    Box::pin(async move {
        let alice = demo.user("alice").await?;
        let bob = demo.user("bob").await?;
        let carol = demo.user("carol").await?;
        let pair = CreateChannelRequest {
            max_members: 2,
            ..demo.public_channel("pair", &[&bob])
        };
        let pair = alice.create(pair).await?;
        fails(carol.rpc().join_channel(carol.auth(join(pair, None))).await)
    })
}

fn invitation_only(demo: &Demo, name: &str) -> CreateChannelRequest {
    CreateChannelRequest {
        invitation_code: INVITATION_CODE.to_owned(),
        ..demo.channel(name, ChannelType::InvitationOnly)
    }
}

fn join(channel_id: String, invitation_code: Option<&str>) -> JoinChannelRequest {
    JoinChannelRequest {
        channel_id,
        invitation_code: invitation_code.map(str::to_owned),
    }
}
