//! Signing up, logging in, sessions and blocks.

use chat_errors::ErrorCode;
use tonic::Request;
use tonic::metadata::MetadataValue;

use super::{Demo, Detail, Played, Scenario, fails};
use crate::auth::AUTHORIZATION;
use crate::pb::{
    BlockUserRequest, DeactivateAccountRequest, GetChannelRequest, LoginRequest, LogoutRequest,
    SignUpRequest, UnblockUserRequest,
};
use crate::server::USER_RESOURCE;

pub(super) const SCENARIOS: &[Scenario] = &[
    Scenario {
        id: "sign-up-without-user-id",
        title: "sign up without a user id",
        expected: ErrorCode::InvalidParams,
        detail: Detail::FieldViolation("user_id"),
        play: sign_up_without_user_id,
    },
    Scenario {
        id: "sign-up-with-malformed-user-id",
        title: "sign up as \"Alice Kim\"",
        expected: ErrorCode::ParamsBindingError,
        detail: Detail::FieldViolation("user_id"),
        play: sign_up_with_malformed_user_id,
    },
    Scenario {
        id: "sign-up-with-taken-user-id",
        title: "sign up with a taken user id",
        expected: ErrorCode::UserIdTaken,
        detail: Detail::None,
        play: sign_up_with_taken_user_id,
    },
    Scenario {
        id: "log-in-as-unknown-user",
        title: "log in as a user who never signed up",
        expected: ErrorCode::UserNotFound,
        detail: Detail::Resource(USER_RESOURCE),
        play: log_in_as_unknown_user,
    },
    Scenario {
        id: "log-in-with-wrong-login-token",
        title: "log in with someone else's login token",
        expected: ErrorCode::InvalidLoginToken,
        detail: Detail::None,
        play: log_in_with_wrong_login_token,
    },
    Scenario {
        id: "log-in-to-deactivated-account",
        title: "log in to a deactivated account",
        expected: ErrorCode::DeactivatedUser,
        detail: Detail::None,
        play: log_in_to_deactivated_account,
    },
    Scenario {
        id: "call-without-session",
        title: "read a channel without a session token",
        expected: ErrorCode::LoginRequired,
        detail: Detail::None,
        play: call_without_session,
    },
    Scenario {
        id: "call-with-basic-authorization",
        title: "send Basic credentials instead of a Bearer token",
        expected: ErrorCode::InvalidMetaData,
        detail: Detail::Metadata("header", AUTHORIZATION),
        play: call_with_basic_authorization,
    },
    Scenario {
        id: "call-with-malformed-session-token",
        title: "send a session token that was never issued",
        expected: ErrorCode::SessionTokenInvalid,
        detail: Detail::None,
        play: call_with_malformed_session_token,
    },
    Scenario {
        id: "call-after-logout",
        title: "reuse a session token after logging out",
        expected: ErrorCode::SessionNotFound,
        detail: Detail::None,
        play: call_after_logout,
    },
    Scenario {
        id: "block-yourself",
        title: "block yourself",
        expected: ErrorCode::CannotBlockSelf,
        detail: Detail::None,
        play: block_yourself,
    },
    Scenario {
        id: "unblock-yourself",
        title: "unblock yourself",
        expected: ErrorCode::CannotUnblockSelf,
        detail: Detail::None,
        play: unblock_yourself,
    },
    Scenario {
        id: "unblock-user-never-blocked",
        title: "unblock a user you never blocked",
        expected: ErrorCode::UserNotBlocked,
        detail: Detail::None,
        play: unblock_user_never_blocked,
    },
];

fn sign_up_without_user_id(demo: Demo) -> Played {
    Box::pin(async move {
        let request = SignUpRequest {
            user_id: String::new(),
            nickname: "Alice".to_owned(),
        };
        fails(demo.rpc().sign_up(request).await)
    })
}

fn sign_up_with_malformed_user_id(demo: Demo) -> Played {
    Box::pin(async move {
        let request = SignUpRequest {
            user_id: "Alice Kim".to_owned(),
            nickname: String::new(),
        };
        fails(demo.rpc().sign_up(request).await)
    })
}

fn sign_up_with_taken_user_id(demo: Demo) -> Played {
    Box::pin(async move {
        let alice = demo.user("alice").await?;
        let request = SignUpRequest {
            user_id: alice.id,
            nickname: "the other Alice".to_owned(),
        };
        fails(demo.rpc().sign_up(request).await)
    })
}

fn log_in_as_unknown_user(demo: Demo) -> Played {
    Box::pin(async move {
        let request = LoginRequest {
            user_id: demo.id("nobody"),
            login_token: "login_00000000000000000000000000000000".to_owned(),
        };
        fails(demo.rpc().login(request).await)
    })
}

fn log_in_with_wrong_login_token(demo: Demo) -> Played {
    Box::pin(async move {
        let alice = demo.user("alice").await?;
        let bob = demo.user("bob").await?;
        let request = LoginRequest {
            user_id: alice.id,
            login_token: bob.login_token,
        };
        fails(demo.rpc().login(request).await)
    })
}

fn log_in_to_deactivated_account(demo: Demo) -> Played {
    Box::pin(async move {
        let alice = demo.user("alice").await?;
        alice
            .rpc()
            .deactivate_account(alice.auth(DeactivateAccountRequest {}))
            .await?;
        let request = LoginRequest {
            user_id: alice.id,
            login_token: alice.login_token,
        };
        fails(demo.rpc().login(request).await)
    })
}

fn call_without_session(demo: Demo) -> Played {
    Box::pin(async move {
        let request = GetChannelRequest {
            channel_id: demo.id("general"),
            ..Default::default()
        };
        fails(demo.rpc().get_channel(request).await)
    })
}

fn call_with_basic_authorization(demo: Demo) -> Played {
    Box::pin(async move {
        let request = with_authorization(demo.id("general"), "Basic YWxpY2U6aHVudGVyMg==");
        fails(demo.rpc().get_channel(request).await)
    })
}

fn call_with_malformed_session_token(demo: Demo) -> Played {
    Box::pin(async move {
        let request = with_authorization(demo.id("general"), "Bearer alice-is-me");
        fails(demo.rpc().get_channel(request).await)
    })
}

fn call_after_logout(demo: Demo) -> Played {
    Box::pin(async move {
        let alice = demo.user("alice").await?;
        alice.rpc().logout(alice.auth(LogoutRequest {})).await?;
        let request = GetChannelRequest {
            channel_id: demo.id("general"),
            ..Default::default()
        };
        fails(alice.rpc().get_channel(alice.auth(request)).await)
    })
}

fn block_yourself(demo: Demo) -> Played {
    Box::pin(async move {
        let alice = demo.user("alice").await?;
        let request = BlockUserRequest {
            user_id: alice.id.clone(),
        };
        fails(alice.rpc().block_user(alice.auth(request)).await)
    })
}

fn unblock_yourself(demo: Demo) -> Played {
    Box::pin(async move {
        let alice = demo.user("alice").await?;
        let request = UnblockUserRequest {
            user_id: alice.id.clone(),
        };
        fails(alice.rpc().unblock_user(alice.auth(request)).await)
    })
}

fn unblock_user_never_blocked(demo: Demo) -> Played {
    Box::pin(async move {
        let alice = demo.user("alice").await?;
        let bob = demo.user("bob").await?;
        let request = UnblockUserRequest { user_id: bob.id };
        fails(alice.rpc().unblock_user(alice.auth(request)).await)
    })
}

/// A GetChannel request whose `authorization` metadata is `value`.
fn with_authorization(channel_id: String, value: &'static str) -> Request<GetChannelRequest> {
    let mut request = Request::new(GetChannelRequest {
        channel_id,
        ..Default::default()
    });
    request
        .metadata_mut()
        .insert(AUTHORIZATION, MetadataValue::from_static(value));
    request
}
