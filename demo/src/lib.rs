//! A chat service and client over tonic that raise and decode the
//! chat-errors catalogue on the wire.
//!
//! The server keeps everything in memory and fails with catalogue errors
//! under the conditions that really cause them; the [scenarios] drive it
//! into each one, and [report] prints what a client decoded.

pub mod args;
pub mod client;
pub mod expectation;
pub mod logging;
pub mod metrics;
pub mod pb;
pub mod report;
pub mod rest;
pub mod scenarios;
pub mod server;

mod auth;
mod errors;
mod grpc_web;
mod rate_limit;
mod service;
mod store;
mod validate;
mod web;
