//! Inviting, removing, banning and muting members, and the owner's powers.

use chat_errors::ErrorCode;

use super::{Demo, Detail, Played, Scenario, fails};
use crate::pb::{
    BanUserRequest, FreezeChannelRequest, InviteMembersRequest, MuteUserRequest,
    RemoveMemberRequest, TransferOwnershipRequest,
};
use crate::server::USER_RESOURCE;

pub(super) const SCENARIOS: &[Scenario] = &[
    Scenario {
        id: "invite-banned-user",
        title: "invite back a user you banned",
        expected: ErrorCode::CannotAddBannedUser,
        detail: Detail::Resource(USER_RESOURCE),
        play: invite_banned_user,
    },
    Scenario {
        id: "invite-blocked-user",
        title: "invite a user you blocked",
        expected: ErrorCode::CannotAddBlockedMember,
        detail: Detail::Resource(USER_RESOURCE),
        play: invite_blocked_user,
    },
    Scenario {
        id: "invite-user-who-blocked-you",
        title: "invite a user who blocked you",
        expected: ErrorCode::CannotAddMemberWhenBlockedByMember,
        detail: Detail::Resource(USER_RESOURCE),
        play: invite_user_who_blocked_you,
    },
    Scenario {
        id: "remove-owner",
        title: "remove the owner from their channel",
        expected: ErrorCode::CannotRemoveChannelOwner,
        detail: Detail::None,
        play: remove_owner,
    },
    Scenario {
        id: "remove-non-member",
        title: "remove a user who is not a member",
        expected: ErrorCode::RemoveUserNotMember,
        detail: Detail::None,
        play: remove_non_member,
    },
    Scenario {
        id: "ban-non-member",
        title: "ban a user who is not a member",
        expected: ErrorCode::BanUserNotMember,
        detail: Detail::None,
        play: ban_non_member,
    },
    Scenario {
        id: "ban-owner",
        title: "ban the owner",
        expected: ErrorCode::CannotBanOwnerFromChannel,
        detail: Detail::None,
        play: ban_owner,
    },
    Scenario {
        id: "mute-owner",
        title: "mute the owner",
        expected: ErrorCode::CannotMuteChannelOwner,
        detail: Detail::None,
        play: mute_owner,
    },
    Scenario {
        id: "mute-non-member",
        title: "mute a user who is not a member",
        expected: ErrorCode::ChannelMemberNotFound,
        detail: Detail::None,
        play: mute_non_member,
    },
    Scenario {
        id: "freeze-channel-not-owned",
        title: "freeze a channel you do not own",
        expected: ErrorCode::ChannelUpdateNotAuthorized,
        detail: Detail::None,
        play: freeze_channel_not_owned,
    },
    Scenario {
        id: "transfer-ownership-to-owner",
        title: "hand your channel to yourself",
        expected: ErrorCode::AlreadyChannelOwner,
        detail: Detail::None,
        play: transfer_ownership_to_owner,
    },
    Scenario {
        id: "ban-as-member",
        title: "ban someone from a channel you do not own",
        expected: ErrorCode::NotChannelOwner,
        detail: Detail::None,
        play: ban_as_member,
    },
];

fn invite_banned_user(demo: Demo) -> Played {
    Box::pin(async move {
        let (alice, bob, general) = demo.alice_and_bob_in_general().await?;
        alice.ban(&general, &bob).await?;
        let invite = InviteMembersRequest {
            channel_id: general,
            user_ids: vec![bob.id],
        };
        fails(alice.rpc().invite_members(alice.auth(invite)).await)
    })
}

fn invite_blocked_user(demo: Demo) -> Played {
    Box::pin(async move {
        let (alice, bob, general) = demo.alice_in_general_bob_outside().await?;
        alice.block(&bob).await?;
        let invite = InviteMembersRequest {
            channel_id: general,
            user_ids: vec![bob.id],
        };
        fails(alice.rpc().invite_members(alice.auth(invite)).await)
    })
}

fn invite_user_who_blocked_you(demo: Demo) -> Played {
    Box::pin(async move {
        let (alice, bob, general) = demo.alice_in_general_bob_outside().await?;
        bob.block(&alice).await?;
        let invite = InviteMembersRequest {
            channel_id: general,
            user_ids: vec![bob.id],
        };
        fails(alice.rpc().invite_members(alice.auth(invite)).await)
    })
}

fn remove_owner(demo: Demo) -> Played {
    Box::pin(async move {
        let (alice, general) = demo.alice_in_general().await?;
        let request = RemoveMemberRequest {
            channel_id: general,
            user_id: alice.id.clone(),
        };
        fails(alice.rpc().remove_member(alice.auth(request)).await)
    })
}

fn remove_non_member(demo: Demo) -> Played {
    Box::pin(async move {
        let (alice, bob, general) = demo.alice_in_general_bob_outside().await?;
        let request = RemoveMemberRequest {
            channel_id: general,
            user_id: bob.id,
        };
        fails(alice.rpc().remove_member(alice.auth(request)).await)
    })
}

fn ban_non_member(demo: Demo) -> Played {
    Box::pin(async move {
        let (alice, bob, general) = demo.alice_in_general_bob_outside().await?;
        let request = BanUserRequest {
            channel_id: general,
            user_id: bob.id,
        };
        fails(alice.rpc().ban_user(alice.auth(request)).await)
    })
}

fn ban_owner(demo: Demo) -> Played {
    Box::pin(async move {
        let (alice, general) = demo.alice_in_general().await?;
        let request = BanUserRequest {
            channel_id: general,
            user_id: alice.id.clone(),
        };
        fails(alice.rpc().ban_user(alice.auth(request)).await)
    })
}

fn mute_owner(demo: Demo) -> Played {
    Box::pin(async move {
        let (alice, general) = demo.alice_in_general().await?;
        let request = MuteUserRequest {
            channel_id: general,
            user_id: alice.id.clone(),
        };
        fails(alice.rpc().mute_user(alice.auth(request)).await)
    })
}

fn mute_non_member(demo: Demo) -> Played {
    Box::pin(async move {
        let (alice, bob, general) = demo.alice_in_general_bob_outside().await?;
        let request = MuteUserRequest {
            channel_id: general,
            user_id: bob.id,
        };
        fails(alice.rpc().mute_user(alice.auth(request)).await)
    })
}

fn freeze_channel_not_owned(demo: Demo) -> Played {
    Box::pin(async move {
        let (_, bob, general) = demo.alice_and_bob_in_general().await?;
        let request = FreezeChannelRequest {
            channel_id: general,
            frozen: true,
        };
        fails(bob.rpc().freeze_channel(bob.auth(request)).await)
    })
}

fn transfer_ownership_to_owner(demo: Demo) -> Played {
    Box::pin(async move {
        let (alice, general) = demo.alice_in_general().await?;
        let request = TransferOwnershipRequest {
            channel_id: general,
            new_owner_id: alice.id.clone(),
        };
        fails(alice.rpc().transfer_ownership(alice.auth(request)).await)
    })
}

fn ban_as_member(demo: Demo) -> Played {
    Box::pin(async move {
        let alice = demo.user("alice").await?;
        let bob = demo.user("bob").await?;
        let carol = demo.user("carol").await?;
        let general = alice
            .create(demo.public_channel("general", &[&bob, &carol]))
            .await?;
        let request = BanUserRequest {
            channel_id: general,
            user_id: carol.id,
        };
        fails(bob.rpc().ban_user(bob.auth(request)).await)
    })
}
