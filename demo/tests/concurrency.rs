//! 64 tasks × 200 failing calls on one HTTP/2 connection: every status
//! decodes to the code its own request caused, with that request's own
//! values, and none is lost.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use chat_demo::client::{Actor, Client, new_channel};
use chat_demo::pb::{
    BlockUserRequest, ChannelType, CreateChannelRequest, GetChannelRequest, JoinChannelRequest,
    SendMessageRequest,
};
use chat_errors::{ChatStatusExt, DecodedChatError, ErrorCode};
use tonic::Status;

const TASKS: usize = 64;
const CALLS_PER_TASK: usize = 200;

/// The kinds of failing call, and the code each must decode to.
const KINDS: [ErrorCode; 5] = [
    ErrorCode::ChannelNotFound,
    ErrorCode::CannotBlockSelf,
    ErrorCode::MsgSizeLimitExceeded,
    ErrorCode::WrongInvitationCode,
    ErrorCode::LoginRequired,
];

/// Makes call `call` of `task`, which must fail, and checks the error is
/// the one this very request causes. Returns the decoded code.
async fn failing_call(
    client: &Client,
    user: &Actor,
    club: &str,
    task: usize,
    call: usize,
) -> ErrorCode {
    let mut client = client.clone();
    let kind = KINDS[task % KINDS.len()];
    let unique = format!("t{task}-c{call}");
    let status: Status = match kind {
        ErrorCode::ChannelNotFound => {
            let request = GetChannelRequest {
                channel_id: unique.clone(),
                ..Default::default()
            };
            client.get_channel(user.auth(request)).await.unwrap_err()
        }
        ErrorCode::CannotBlockSelf => {
            let request = BlockUserRequest {
                user_id: user.id.clone(),
            };
            client.block_user(user.auth(request)).await.unwrap_err()
        }
        ErrorCode::MsgSizeLimitExceeded => {
            let request = SendMessageRequest {
                channel_id: "anywhere".to_owned(),
                data: vec![1; oversize(task, call)],
                ..SendMessageRequest::default()
            };
            client.send_message(user.auth(request)).await.unwrap_err()
        }
        ErrorCode::WrongInvitationCode => {
            let request = JoinChannelRequest {
                channel_id: club.to_owned(),
                invitation_code: Some(unique.clone()),
            };
            client.join_channel(user.auth(request)).await.unwrap_err()
        }
        _ => {
            let request = GetChannelRequest {
                channel_id: unique.clone(),
                ..Default::default()
            };
            client.get_channel(request).await.unwrap_err()
        }
    };
    let decoded = status
        .check_chat_error(&chat_errors::Domain::default())
        .unwrap_or_else(|error| panic!("task {task} call {call}: {error}"))
        .unwrap_or_else(|| panic!("task {task} call {call}: not a chat error: {status:?}"));
    assert_eq!(decoded.code(), Some(kind), "task {task} call {call}");
    assert_eq!(status.code(), kind.grpc_code(), "task {task} call {call}");
    assert_eq!(
        decoded
            .localized_message()
            .map(|m| (m.locale.as_str(), m.message.as_str())),
        Some(("ko-KR", kind.description(chat_errors::Locale::KO_KR)))
    );
    assert_own_values(&decoded, &unique, task, call);
    kind
}

/// The values only this call's request could have caused.
fn assert_own_values(decoded: &DecodedChatError, unique: &str, task: usize, call: usize) {
    match decoded.code() {
        Some(ErrorCode::ChannelNotFound) => {
            let resource = decoded.resource_info().expect("ResourceInfo");
            assert_eq!(resource.resource_name, unique);
        }
        Some(ErrorCode::MsgSizeLimitExceeded) => {
            let size = oversize(task, call).to_string();
            assert_eq!(decoded.metadata().get("actualBytes"), Some(&size));
        }
        _ => {}
    }
}

/// A message size over the limit that differs from call to call.
fn oversize(task: usize, call: usize) -> usize {
    5001 + task * CALLS_PER_TASK + call
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_error_calls_decode_to_their_own_codes() {
    let (server, client) = common::start().await;
    let owner = Actor::sign_up(&client, "club-owner".to_owned())
        .await
        .unwrap();
    let club = CreateChannelRequest {
        invitation_code: "the-real-code".to_owned(),
        ..new_channel("club".to_owned(), ChannelType::InvitationOnly)
    };
    let club: Arc<str> = owner.create(club).await.unwrap().into();

    let mut tasks = Vec::with_capacity(TASKS);
    for task in 0..TASKS {
        let client = client.clone();
        let club = Arc::clone(&club);
        tasks.push(tokio::spawn(async move {
            let user = Actor::sign_up(&client, format!("user-{task}"))
                .await
                .unwrap();
            let mut codes = Vec::with_capacity(CALLS_PER_TASK);
            for call in 0..CALLS_PER_TASK {
                codes.push(failing_call(&client, &user, &club, task, call).await);
            }
            codes
        }));
    }

    let mut counts: BTreeMap<i32, usize> = BTreeMap::new();
    for task in tasks {
        for code in task.await.expect("no task panicked") {
            *counts.entry(code.as_i32()).or_default() += 1;
        }
    }
    let expected: BTreeMap<i32, usize> = KINDS
        .iter()
        .enumerate()
        .map(|(kind, code)| {
            let tasks_of_kind = (0..TASKS).filter(|task| task % KINDS.len() == kind).count();
            (code.as_i32(), tasks_of_kind * CALLS_PER_TASK)
        })
        .collect();
    assert_eq!(counts, expected);
    assert_eq!(counts.values().sum::<usize>(), TASKS * CALLS_PER_TASK);

    drop(client);
    server.stop().await.expect("the server stops cleanly");
}
