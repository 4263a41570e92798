//! The reference of the chat-errors conformance suite: the runner, the
//! corpus generator and the checker (see `conformance/README.md`).
//!
//! Everything that calls the chat-errors API is in [`view`].

pub mod canonical;
pub mod cases;
pub mod catalogue;
pub mod check;
pub mod corpus;
pub mod mutate;
pub mod pbtree;
pub mod runner;
pub mod statuses;
pub mod view;
