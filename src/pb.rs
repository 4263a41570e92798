//! The protobuf types prost-build generates from `chat_errors.proto`.
//!
//! Use these when a message of your own embeds `chat.errors.v1.ErrorCode`
//! (point prost-build's `extern_path(".chat.errors.v1", "::chat_errors::pb")`
//! here). Everyday code wants [`crate::ErrorCode`], which has no
//! `Unspecified` value and carries each code's metadata.

#![allow(missing_docs, clippy::doc_markdown, clippy::enum_variant_names)]

include!(concat!(env!("OUT_DIR"), "/chat.errors.v1.rs"));
