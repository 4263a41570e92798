//! Scenarios that drive the chat service into each catalogue error the way
//! real users would, and the check that a client decoded the right one.

mod accounts;
mod channels;
mod members;
mod messages;

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;

use chat_errors::{DecodedChatError, ErrorCode};
use tonic::Status;

use crate::client::{Actor, Client, new_channel};
pub use crate::expectation::{Detail, Expectation, Failure};
use crate::pb::{ChannelType, CreateChannelRequest};

/// One way to make the service fail, and the error it must fail with.
pub struct Scenario {
    /// A stable kebab-case name, e.g. `taken-channel-id`.
    pub id: &'static str,
    /// What the scenario does, e.g. "create a channel with a taken id".
    pub title: &'static str,
    /// The catalogue error the last call must fail with.
    pub expected: ErrorCode,
    /// A detail the error must carry besides ErrorInfo and LocalizedMessage.
    pub detail: Detail,
    play: fn(Demo) -> Played,
}

type Played = Pin<Box<dyn Future<Output = Result<Status, Failure>> + Send>>;

/// A scenario as it ran: the status it ended in and what the client decoded.
pub struct Outcome {
    /// The scenario.
    pub scenario: &'static Scenario,
    /// The final status, when the scenario got that far.
    pub status: Option<Status>,
    /// The decoded error, or why the scenario failed.
    pub result: Result<DecodedChatError, Failure>,
}

/// Every scenario, grouped by area.
pub fn all() -> impl Iterator<Item = &'static Scenario> {
    accounts::SCENARIOS
        .iter()
        .chain(channels::SCENARIOS)
        .chain(members::SCENARIOS)
        .chain(messages::SCENARIOS)
}

/// The distinct codes the scenarios reach.
pub fn codes_reached() -> BTreeSet<ErrorCode> {
    all().map(|scenario| scenario.expected).collect()
}

/// Runs every scenario in turn against `client`'s server. Each one works
/// with its own users and channels, named after `run_id`.
pub async fn run_all(client: &Client, run_id: &str) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    for (index, scenario) in all().enumerate() {
        let demo = Demo::new(client.clone(), format!("{run_id}-{index:02}"));
        outcomes.push(scenario.run(demo).await);
    }
    outcomes
}

/// A short random id, so that runs against the same server do not collide.
///
/// # Panics
///
/// When the operating system has no randomness to give.
pub fn new_run_id() -> String {
    let bits = getrandom::u32().expect("the operating system provides randomness");
    format!("{bits:08x}")
}

impl Scenario {
    /// Plays the scenario through `demo` and checks the error it ends in.
    pub async fn run(&'static self, demo: Demo) -> Outcome {
        match (self.play)(demo).await {
            Ok(status) => Outcome {
                scenario: self,
                result: self.verify(&status),
                status: Some(status),
            },
            Err(failure) => Outcome {
                scenario: self,
                status: None,
                result: Err(failure),
            },
        }
    }

    /// Decodes `status` strictly and checks it is this scenario's error;
    /// see [`Expectation::verify`].
    ///
    /// # Errors
    ///
    /// A [`Failure`] saying what is missing or different.
    pub fn verify(&self, status: &Status) -> Result<DecodedChatError, Failure> {
        Expectation::new(self.expected, self.detail).verify(status)
    }
}

/// What a scenario plays with: a client, and names unique to the scenario.
#[derive(Clone)]
pub struct Demo {
    client: Client,
    prefix: String,
}

impl Demo {
    /// Scenario ids built from `prefix`, which must be a valid id itself.
    pub fn new(client: Client, prefix: String) -> Demo {
        Demo { client, prefix }
    }

    /// The id `name` stands for in this scenario.
    pub fn id(&self, name: &str) -> String {
        format!("{}-{name}", self.prefix)
    }

    /// The client, for calls without a session.
    pub fn rpc(&self) -> Client {
        self.client.clone()
    }

    /// A new user called `name` in this scenario, logged in.
    ///
    /// # Errors
    ///
    /// The status of the failed sign-up or login.
    pub async fn user(&self, name: &str) -> Result<Actor, Status> {
        Actor::sign_up(&self.client, self.id(name)).await
    }

    /// Alice and her public channel "general"; returns her and its id.
    ///
    /// # Errors
    ///
    /// The status of the call that failed.
    pub async fn alice_in_general(&self) -> Result<(Actor, String), Status> {
        let alice = self.user("alice").await?;
        let general = alice.create(self.public_channel("general", &[])).await?;
        Ok((alice, general))
    }

    /// Alice, Bob, and Alice's public channel "general" with both in it.
    ///
    /// # Errors
    ///
    /// The status of the call that failed.
    pub async fn alice_and_bob_in_general(&self) -> Result<(Actor, Actor, String), Status> {
        self.alice_bob_and_general(true).await
    }

    /// Alice, Bob, and Alice's public channel "general" without Bob.
    ///
    /// # Errors
    ///
    /// The status of the call that failed.
    pub async fn alice_in_general_bob_outside(&self) -> Result<(Actor, Actor, String), Status> {
        self.alice_bob_and_general(false).await
    }

    async fn alice_bob_and_general(
        &self,
        bob_is_member: bool,
    ) -> Result<(Actor, Actor, String), Status> {
        let alice = self.user("alice").await?;
        let bob = self.user("bob").await?;
        let members: &[&Actor] = if bob_is_member { &[&bob] } else { &[] };
        let general = alice
            .create(self.public_channel("general", members))
            .await?;
        Ok((alice, bob, general))
    }

    /// A CreateChannel request for channel `name` of `channel_type`.
    pub fn channel(&self, name: &str, channel_type: ChannelType) -> CreateChannelRequest {
        new_channel(self.id(name), channel_type)
    }

    /// A CreateChannel request for the public channel `name` with `members`.
    pub fn public_channel(&self, name: &str, members: &[&Actor]) -> CreateChannelRequest {
        CreateChannelRequest {
            member_ids: members.iter().map(|member| member.id.clone()).collect(),
            ..self.channel(name, ChannelType::Public)
        }
    }
}

/// The scenario's end: the status the call failed with, or
/// [`Failure::Succeeded`] when it did not fail.
fn fails<T>(result: Result<T, Status>) -> Result<Status, Failure> {
    match result {
        Ok(_) => Err(Failure::Succeeded),
        Err(status) => Ok(status),
    }
}
