//! Every RPC of the demo, over loopback HTTP/2, answers bad input with a
//! catalogue error that carries ErrorInfo: an empty request, a body that is
//! not protobuf, a body that is not even gRPC framing, and a missing or bad
//! session token. Expected codes are checked against
//! `tests/fixtures/error-codes.tsv`.

mod common;

use std::collections::BTreeSet;

use bytes::{Buf, BufMut};
use chat_demo::client::Actor;
use chat_errors::ChatStatusExt;
use chat_errors::layer::TrailerShield;
use http::uri::PathAndQuery;
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};
use tonic::metadata::MetadataValue;
use tonic::transport::Endpoint;
use tonic::{Request, Status};

const SERVICE: &str = "chat.demo.v1.ChatService";
const PROTO: &str = include_str!("../proto/chat/demo/v1/chat_service.proto");

/// Who may call an RPC.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    Public,
    Session,
}

/// One RPC and what it answers an empty request from a logged-in caller:
/// `None` when an empty request is a valid one, else the code and the
/// field its BadRequest names.
struct Rpc {
    method: &'static str,
    access: Access,
    empty_with_session: Option<(i32, &'static str)>,
}

const fn rpc(
    method: &'static str,
    access: Access,
    empty_with_session: Option<(i32, &'static str)>,
) -> Rpc {
    Rpc {
        method,
        access,
        empty_with_session,
    }
}

const INVALID_PARAMS: i32 = 1002;
const PARAMS_BINDING_ERROR: i32 = 1001;
const LOGIN_REQUIRED: i32 = 1007;
const INVALID_META_DATA: i32 = 1011;
const SESSION_TOKEN_INVALID: i32 = 3002;
const SESSION_NOT_FOUND: i32 = 3001;

/// What an empty request from a logged-in caller misses first.
const NO_USER: Option<(i32, &str)> = Some((INVALID_PARAMS, "user_id"));
const NO_CHANNEL: Option<(i32, &str)> = Some((INVALID_PARAMS, "channel_id"));

const RPCS: [Rpc; 21] = [
    rpc("SignUp", Access::Public, NO_USER),
    rpc("Login", Access::Public, NO_USER),
    rpc("Logout", Access::Session, None),
    rpc("DeactivateAccount", Access::Session, None),
    rpc("DeleteAccount", Access::Session, None),
    rpc("CreateChannel", Access::Session, NO_CHANNEL),
    rpc("GetChannel", Access::Session, NO_CHANNEL),
    rpc("JoinChannel", Access::Session, NO_CHANNEL),
    rpc("LeaveChannel", Access::Session, NO_CHANNEL),
    rpc("WatchChannel", Access::Session, NO_CHANNEL),
    rpc("InviteMembers", Access::Session, NO_CHANNEL),
    rpc("RemoveMember", Access::Session, NO_CHANNEL),
    rpc("BanUser", Access::Session, NO_CHANNEL),
    rpc("MuteUser", Access::Session, NO_CHANNEL),
    rpc("FreezeChannel", Access::Session, NO_CHANNEL),
    rpc("TransferOwnership", Access::Session, NO_CHANNEL),
    rpc("SendMessage", Access::Session, NO_CHANNEL),
    rpc("DeleteMessage", Access::Session, NO_CHANNEL),
    rpc("UploadFile", Access::Session, NO_CHANNEL),
    rpc("BlockUser", Access::Session, NO_USER),
    rpc("UnblockUser", Access::Session, NO_USER),
];

/// Field 1 with wire type 7, which does not exist: no protobuf message
/// parses it, whatever its fields.
const NOT_PROTOBUF: &[u8] = &[0x0f, 0x01];

/// Sends request bodies as given and hands back the response's bytes.
#[derive(Clone, Copy, Default)]
struct RawCodec;

impl Codec for RawCodec {
    type Encode = Vec<u8>;
    type Decode = Vec<u8>;
    type Encoder = RawCodec;
    type Decoder = RawCodec;

    fn encoder(&mut self) -> RawCodec {
        RawCodec
    }

    fn decoder(&mut self) -> RawCodec {
        RawCodec
    }
}

impl Encoder for RawCodec {
    type Item = Vec<u8>;
    type Error = Status;

    fn encode(&mut self, item: Vec<u8>, buf: &mut EncodeBuf<'_>) -> Result<(), Status> {
        buf.put_slice(&item);
        Ok(())
    }
}

impl Decoder for RawCodec {
    type Item = Vec<u8>;
    type Error = Status;

    fn decode(&mut self, buf: &mut DecodeBuf<'_>) -> Result<Option<Vec<u8>>, Status> {
        Ok(Some(buf.copy_to_bytes(buf.remaining()).to_vec()))
    }
}

/// Credentials a call carries.
#[derive(Clone, Copy, Debug)]
enum Credentials<'a> {
    None,
    Bearer(&'a str),
    Header(&'a str),
}

/// What a call's request body holds.
#[derive(Clone, Copy, Debug)]
enum Body<'a> {
    /// One message of these bytes.
    Message(&'a [u8]),
    /// Nothing: no message at all, as a client stream of none sends it.
    Nothing,
}

/// Calls `method` with `body` as its one message.
async fn call(
    addr: &str,
    method: &str,
    credentials: Credentials<'_>,
    body: &[u8],
) -> Result<Vec<u8>, Status> {
    send(addr, method, credentials, Body::Message(body)).await
}

/// Calls `method` with the request body `body`.
async fn send(
    addr: &str,
    method: &str,
    credentials: Credentials<'_>,
    body: Body<'_>,
) -> Result<Vec<u8>, Status> {
    let channel = Endpoint::from_shared(format!("http://{addr}"))
        .expect("a valid URI")
        .connect()
        .await
        .expect("connect to the demo server");
    let mut grpc = tonic::client::Grpc::new(TrailerShield::new(channel));
    grpc.ready().await.expect("the channel is ready");
    let mut metadata = tonic::metadata::MetadataMap::new();
    let authorization = match credentials {
        Credentials::None => None,
        Credentials::Bearer(token) => Some(format!("Bearer {token}")),
        Credentials::Header(value) => Some(value.to_owned()),
    };
    if let Some(value) = authorization {
        let value = MetadataValue::try_from(value).expect("ASCII credentials");
        metadata.insert("authorization", value);
    }
    let path = PathAndQuery::try_from(format!("/{SERVICE}/{method}")).expect("a valid path");
    let answer = match body {
        Body::Message(bytes) => {
            let request = Request::from_parts(metadata, Default::default(), bytes.to_vec());
            grpc.unary(request, path, RawCodec).await
        }
        Body::Nothing => {
            let none = tokio_stream::empty::<Vec<u8>>();
            let request = Request::from_parts(metadata, Default::default(), none);
            grpc.client_streaming(request, path, RawCodec).await
        }
    };
    answer.map(tonic::Response::into_inner)
}

/// Checks that `status` is the chat error `number` exactly as the fixture
/// table has it, with ErrorInfo, and returns its BadRequest fields.
fn assert_catalogue_error(status: &Status, number: i32, context: &str) -> Vec<String> {
    let table = common::fixture();
    let expected = &table[&number];
    let decoded = status
        .check_chat_error(&chat_errors::Domain::default())
        .unwrap_or_else(|error| panic!("{context}: malformed details: {error}"))
        .unwrap_or_else(|| {
            panic!(
                "{context}: no chat error in {:?} {:?}",
                status.code(),
                status.message()
            )
        });
    assert_eq!(decoded.number(), Some(number), "{context}: {decoded}");
    assert_eq!(decoded.reason(), expected.reason, "{context}");
    assert_eq!(
        chat_errors::grpc_code_name(status.code()),
        expected.grpc_code,
        "{context}"
    );
    assert_eq!(
        decoded.metadata().get("message"),
        Some(&expected.name),
        "{context}"
    );
    decoded
        .field_violations()
        .iter()
        .map(|violation| violation.field.clone())
        .collect()
}

fn proto_methods() -> BTreeSet<String> {
    PROTO
        .lines()
        .filter_map(|line| line.trim().strip_prefix("rpc "))
        .map(|rest| rest.split('(').next().unwrap_or_default().trim().to_owned())
        .collect()
}

#[test]
fn the_table_covers_every_rpc_of_the_proto() {
    let covered: BTreeSet<String> = RPCS.iter().map(|rpc| rpc.method.to_owned()).collect();
    assert_eq!(covered, proto_methods());
}

#[tokio::test]
async fn an_empty_request_without_credentials_is_a_catalogue_error() {
    let (server, _client) = common::start().await;
    let addr = server.addr().to_string();
    for rpc in &RPCS {
        let status = call(&addr, rpc.method, Credentials::None, &[])
            .await
            .expect_err(rpc.method);
        match rpc.access {
            Access::Public => {
                let (number, field) = rpc.empty_with_session.expect("public RPCs need fields");
                let fields = assert_catalogue_error(&status, number, rpc.method);
                assert_eq!(fields, [field], "{}", rpc.method);
            }
            Access::Session => {
                assert_catalogue_error(&status, LOGIN_REQUIRED, rpc.method);
            }
        }
    }
}

#[tokio::test]
async fn an_empty_request_with_a_session_is_valid_or_a_catalogue_error() {
    let (server, client) = common::start().await;
    let addr = server.addr().to_string();
    for (index, rpc) in RPCS.iter().enumerate() {
        // A user of its own: Logout and the account RPCs end the session.
        let actor = Actor::sign_up(&client, format!("empty-{index}"))
            .await
            .expect("sign up");
        let outcome = call(
            &addr,
            rpc.method,
            Credentials::Bearer(&actor.session_token),
            &[],
        )
        .await;
        match (rpc.empty_with_session, outcome) {
            (None, Ok(_)) => {}
            (Some((number, field)), Err(status)) => {
                let fields = assert_catalogue_error(&status, number, rpc.method);
                assert_eq!(fields, [field], "{}", rpc.method);
            }
            (expected, outcome) => panic!("{}: {expected:?} but {outcome:?}", rpc.method),
        }
    }
}

#[tokio::test]
async fn a_body_that_is_not_protobuf_is_params_binding_error_with_bad_request() {
    let (server, client) = common::start().await;
    let addr = server.addr().to_string();
    let actor = Actor::sign_up(&client, "garbage".to_owned())
        .await
        .expect("sign up");
    for rpc in &RPCS {
        for credentials in [Credentials::None, Credentials::Bearer(&actor.session_token)] {
            let context = format!("{} with {credentials:?}", rpc.method);
            let status = call(&addr, rpc.method, credentials, NOT_PROTOBUF)
                .await
                .expect_err(&context);
            let fields = assert_catalogue_error(&status, PARAMS_BINDING_ERROR, &context);
            assert_eq!(fields, ["request"], "{context}");
        }
    }
}

#[tokio::test]
async fn a_missing_or_bad_session_token_is_a_catalogue_error() {
    let (server, _client) = common::start().await;
    let addr = server.addr().to_string();
    let well_formed_unknown = format!("sess_{}", "0".repeat(32));
    let cases = [
        (Credentials::None, LOGIN_REQUIRED),
        (Credentials::Bearer("not-a-token"), SESSION_TOKEN_INVALID),
        (Credentials::Bearer(&well_formed_unknown), SESSION_NOT_FOUND),
        (
            Credentials::Header("Basic YWxpY2U6c2VjcmV0"),
            INVALID_META_DATA,
        ),
    ];
    for rpc in RPCS.iter().filter(|rpc| rpc.access == Access::Session) {
        for (credentials, number) in &cases {
            let context = format!("{} with {credentials:?}", rpc.method);
            let status = call(&addr, rpc.method, *credentials, &[])
                .await
                .expect_err(&context);
            assert_catalogue_error(&status, *number, &context);
        }
    }
}

#[tokio::test]
async fn a_body_with_no_message_at_all_is_params_binding_error() {
    let (server, client) = common::start().await;
    let addr = server.addr().to_string();
    let actor = Actor::sign_up(&client, "nothing".to_owned())
        .await
        .expect("sign up");
    for rpc in &RPCS {
        let credentials = Credentials::Bearer(&actor.session_token);
        let status = send(&addr, rpc.method, credentials, Body::Nothing)
            .await
            .expect_err(rpc.method);
        let fields = assert_catalogue_error(&status, PARAMS_BINDING_ERROR, rpc.method);
        assert_eq!(fields, ["request"], "{}", rpc.method);
    }
}
