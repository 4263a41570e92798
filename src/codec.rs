//! A prost codec whose decoder says, in a type, that a message could not be
//! decoded, so that a server can answer `1001 ParamsBindingError` instead of
//! tonic-prost's bare `INTERNAL`.
//!
//! Generated code picks it up through tonic-prost-build, in `build.rs`.
//! protox compiles the proto, so no `protoc` is needed (shown as text: a
//! doctest cannot be a build script; CI runs this one as the README's
//! getting started):
//!
//! ```text
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     println!("cargo:rerun-if-changed=proto");
//!     let descriptors = protox::compile(["proto/rooms/v1/rooms.proto"], ["proto"])?;
//!     tonic_prost_build::configure()
//!         .codec_path("chat_errors::codec::ChatCodec")
//!         .compile_fds(descriptors)?;
//!     Ok(())
//! }
//! ```
//!
//! The codec serves both directions, so its decoder cannot know whether
//! the bytes came from a client (whose fault a bad body is) or a server.
//! It keeps tonic-prost's status, `INTERNAL` with prost's message, and adds
//! an [`UndecodableMessage`] as the status's source. On a server,
//! [`InternalErrorLayer`](crate::layer::InternalErrorLayer) finds that
//! source and answers `1001 ParamsBindingError` with a `BadRequest`; a
//! client sees exactly what tonic-prost would have given it.

use std::error::Error;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use prost::Message;
use tonic::Status;
use tonic::codec::{BufferSettings, Codec, DecodeBuf, Decoder};
use tonic_prost::{ProstCodec, ProstEncoder};

/// tonic-prost's [`ProstCodec`] with a decoder that marks its failures with
/// an [`UndecodableMessage`]. Encoding is tonic-prost's own.
#[derive(Debug)]
pub struct ChatCodec<T, U> {
    _messages: PhantomData<fn(T) -> U>,
}

impl<T, U> Default for ChatCodec<T, U> {
    fn default() -> ChatCodec<T, U> {
        ChatCodec {
            _messages: PhantomData,
        }
    }
}

impl<T, U> Clone for ChatCodec<T, U> {
    fn clone(&self) -> ChatCodec<T, U> {
        ChatCodec::default()
    }
}

impl<T, U> Codec for ChatCodec<T, U>
where
    T: Message + Send + 'static,
    U: Message + Default + Send + 'static,
{
    type Encode = T;
    type Decode = U;
    type Encoder = ProstEncoder<T>;
    type Decoder = ChatDecoder<U>;

    fn encoder(&mut self) -> ProstEncoder<T> {
        ProstCodec::<T, U>::default().encoder()
    }

    fn decoder(&mut self) -> ChatDecoder<U> {
        ChatDecoder {
            _message: PhantomData,
        }
    }
}

/// The decoder of a [`ChatCodec`].
#[derive(Debug)]
pub struct ChatDecoder<U> {
    _message: PhantomData<fn() -> U>,
}

impl<U: Message + Default> Decoder for ChatDecoder<U> {
    type Item = U;
    type Error = Status;

    fn decode(&mut self, buf: &mut DecodeBuf<'_>) -> Result<Option<U>, Status> {
        U::decode(buf).map(Some).map_err(|error| {
            UndecodableMessage {
                message_type: short_type_name::<U>(),
                error,
            }
            .into_status()
        })
    }

    fn buffer_settings(&self) -> BufferSettings {
        BufferSettings::default()
    }
}

/// The Rust name of `U` without its module path: `SignUpRequest`.
fn short_type_name<U>() -> &'static str {
    let full = std::any::type_name::<U>();
    full.rsplit("::").next().unwrap_or(full)
}

/// A message that is not valid protobuf for the type it should be: the
/// source of the status a [`ChatCodec`] decoder fails with.
#[derive(Clone, Debug)]
pub struct UndecodableMessage {
    message_type: &'static str,
    error: prost::DecodeError,
}

impl UndecodableMessage {
    /// The Rust name of the message type, e.g. `SignUpRequest`.
    pub fn message_type(&self) -> &'static str {
        self.message_type
    }

    /// prost's complaint.
    pub fn decode_error(&self) -> &prost::DecodeError {
        &self.error
    }

    /// The `UndecodableMessage` among `status`'s sources, if any.
    pub fn find(status: &Status) -> Option<&UndecodableMessage> {
        let mut source = Error::source(status);
        while let Some(error) = source {
            if let Some(found) = error.downcast_ref::<UndecodableMessage>() {
                return Some(found);
            }
            source = error.source();
        }
        None
    }

    /// tonic-prost's status for this failure, with `self` as its source.
    fn into_status(self) -> Status {
        let mut status = Status::internal(self.error.to_string());
        status.set_source(Arc::new(self));
        status
    }
}

impl fmt::Display for UndecodableMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a valid {}: {}", self.message_type, self.error)
    }
}

impl Error for UndecodableMessage {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tonic::codec::Streaming;

    /// Decodes `bytes` as one gRPC message of a request, as a server does.
    async fn decode(bytes: &[u8]) -> Result<Option<prost_types::Duration>, Status> {
        let mut framed = vec![0];
        framed.extend((bytes.len() as u32).to_be_bytes());
        framed.extend(bytes);
        let body = http_body_util::Full::new(bytes::Bytes::from(framed));
        let decoder =
            ChatCodec::<prost_types::Duration, prost_types::Duration>::default().decoder();
        Streaming::new_request(decoder, body, None, None)
            .message()
            .await
    }

    #[tokio::test]
    async fn a_valid_message_decodes_as_prost_decodes_it() {
        let sent = prost_types::Duration {
            seconds: 3,
            nanos: 5,
        };
        assert_eq!(decode(&sent.encode_to_vec()).await.unwrap(), Some(sent));
    }

    #[tokio::test]
    async fn garbage_fails_as_tonic_prost_does_with_a_typed_source() {
        let garbage = [0xff, 0xff, 0xff];
        let prost_error = prost_types::Duration::decode(&garbage[..]).unwrap_err();
        let status = decode(&garbage).await.unwrap_err();
        assert_eq!(status.code(), tonic::Code::Internal);
        assert_eq!(status.message(), prost_error.to_string());
        let found = UndecodableMessage::find(&status).expect("the typed source");
        assert_eq!(found.message_type(), "Duration");
        assert_eq!(found.decode_error(), &prost_error);
        assert!(UndecodableMessage::find(&Status::internal("x")).is_none());
    }
}
