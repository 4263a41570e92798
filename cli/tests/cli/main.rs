//! Runs the real `chat-errors` binary: every subcommand and every error path.

#[path = "../../../tests/common/mod.rs"]
mod common;

mod decode;
mod encode;
mod explain;
mod failures;
mod help;
mod list;
mod support;
