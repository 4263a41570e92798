//! Carry a chat platform's numbered error catalogue over gRPC.

mod code;
mod decode;
mod domain;
mod encode;
mod http_status;
pub mod pb;
mod wire;

pub use code::{ErrorCode, UnknownErrorCode};
pub use decode::{ChatStatusExt, DecodeError, DecodedChatError, NotChatError};
pub use domain::{DEFAULT_DOMAIN, Domain, InvalidDomain};
pub use encode::{ChatError, MAX_METADATA_KEY_LEN, MetadataError};
pub use http_status::http_status_for;
/// The `google.rpc` detail messages a chat error can carry, as prost types.
pub use tonic_types::pb::{LocalizedMessage, RequestInfo, ResourceInfo, bad_request::FieldViolation};
pub use wire::{KOREAN_LOCALE, METADATA_CODE_KEY, METADATA_NAME_KEY};
