#![doc = include_str!("../../docs/retries.md")]

mod backoff;
mod body;
mod budget;
mod deadline;
#[cfg(feature = "opentelemetry")]
mod metrics;
mod policy;
mod report;
mod rule;
mod service;

pub use policy::RetryPolicy;
pub use rule::RetryRule;
pub use service::{RetryFuture, RetryLayer, RetryService};
