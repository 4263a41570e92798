//! Calls the `ChatService` handler a binding names: the same code that
//! answers gRPC, with the REST request's headers as its metadata.

use axum::body::Bytes;
use prost_reflect::{DynamicMessage, MethodDescriptor};
use tonic::Request;
use tonic::metadata::MetadataMap;
use tonic::{Extensions, Status};

use crate::pb::chat_service_server::ChatService;
use crate::service::ChatServiceImpl;

/// The message as the handler's prost type.
fn typed<T: prost::Message + Default>(message: &DynamicMessage) -> Result<T, Status> {
    message
        .transcode_to()
        .map_err(|error| Status::internal(format!("transcoding the request: {error}")))
}

/// The handler's response in the proto3 JSON mapping.
fn json(rpc: &MethodDescriptor, response: &impl prost::Message) -> Result<Bytes, Status> {
    let mut dynamic = DynamicMessage::new(rpc.output());
    dynamic
        .transcode_from(response)
        .map_err(|error| Status::internal(format!("transcoding the response: {error}")))?;
    serde_json::to_vec(&dynamic)
        .map(Bytes::from)
        .map_err(|error| Status::internal(format!("writing the response: {error}")))
}

macro_rules! dispatch {
    ($service:ident, $rpc:ident, $request:ident, $metadata:ident, $extensions:ident; $($name:literal => $handler:ident,)*) => {
        match $rpc.name() {
            $(
                $name => {
                    let request = Request::from_parts($metadata, $extensions, typed(&$request)?);
                    let response = $service.$handler(request).await?;
                    json($rpc, response.get_ref())
                }
            )*
            // Every binding has an arm; the REST tests call each route.
            other => Err(Status::unimplemented(format!("{other} has no REST handler"))),
        }
    };
}

/// Runs `rpc`'s handler on `request`.
pub(crate) async fn call(
    service: &ChatServiceImpl,
    rpc: &MethodDescriptor,
    request: DynamicMessage,
    metadata: MetadataMap,
    extensions: Extensions,
) -> Result<Bytes, Status> {
    dispatch! {
        service, rpc, request, metadata, extensions;
        "SignUp" => sign_up,
        "Login" => login,
        "CreateChannel" => create_channel,
        "GetChannel" => get_channel,
        "JoinChannel" => join_channel,
        "InviteMembers" => invite_members,
        "BanUser" => ban_user,
        "MuteUser" => mute_user,
        "SendMessage" => send_message,
        "BlockUser" => block_user,
    }
}
