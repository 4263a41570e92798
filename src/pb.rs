//! The protobuf types prost-build generates from `chat_errors.proto`, kept
//! apart as `prost-types` keeps its generated code: the crate reads the
//! `GrpcCode` names from them, and [`crate::ErrorCode`] is the public face
//! of the enum.

#![allow(
    dead_code,
    missing_docs,
    clippy::doc_markdown,
    clippy::enum_variant_names
)]

include!(concat!(env!("OUT_DIR"), "/chat.errors.v1.rs"));
