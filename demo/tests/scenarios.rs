//! Every scenario over loopback TCP, over gRPC and over gRPC-Web: a tonic
//! client decodes exactly the error the normative table defines for the
//! scenario's code.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use chat_demo::client::{Client, connect_grpc_web};
use chat_demo::scenarios::{self, Detail};
use chat_errors::ChatStatusExt;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_scenario_decodes_to_its_code_with_the_tables_values() {
    let (server, client) = common::start().await;
    check_every_scenario(&client, "e2e").await;
    drop(client);
    server.stop().await.expect("the server stops cleanly");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_scenario_decodes_the_same_over_grpc_web() {
    let (server, _) = common::start().await;
    let client = connect_grpc_web(&server.addr().to_string()).expect("a valid address");
    check_every_scenario(&client, "e2e").await;
    drop(client);
    server.stop().await.expect("the server stops cleanly");
}

async fn check_every_scenario(client: &Client, run_id: &str) {
    let table = common::fixture();
    let outcomes = scenarios::run_all(client, run_id).await;
    assert_eq!(outcomes.len(), scenarios::all().count());
    for outcome in &outcomes {
        let scenario = outcome.scenario;
        let number = scenario.expected.as_i32();
        let row = &table[&number];
        let status = outcome
            .status
            .as_ref()
            .unwrap_or_else(|| panic!("{}: {:?}", scenario.id, outcome.result.as_ref().err()));
        let decoded = status
            .check_chat_error(&chat_errors::Domain::default())
            .unwrap_or_else(|error| panic!("{}: {error}", scenario.id))
            .unwrap_or_else(|| panic!("{}: not a chat error: {status:?}", scenario.id));

        let context = scenario.id;
        assert_eq!(decoded.code(), Some(scenario.expected), "{context}");
        assert_eq!(decoded.number(), Some(number), "{context}");
        assert_eq!(
            chat_errors::grpc_code_name(status.code()),
            row.grpc_code,
            "{context}"
        );
        assert_eq!(decoded.reason(), row.reason, "{context}");
        assert_eq!(decoded.domain(), "chat.errors.v1", "{context}");
        assert_eq!(decoded.metadata()["code"], number.to_string(), "{context}");
        assert_eq!(decoded.metadata()["message"], row.name, "{context}");
        assert_eq!(decoded.message(), row.description_en, "{context}");
        assert_eq!(status.message(), row.description_en, "{context}");
        assert_eq!(decoded.localized_messages().len(), 1, "{context}");
        assert_eq!(
            decoded
                .localized_message()
                .map(|m| (m.locale.as_str(), m.message.as_str())),
            Some(("ko-KR", row.description_ko.as_str())),
            "{context}"
        );
        match scenario.detail {
            Detail::None => {}
            Detail::FieldViolation(field) => {
                let fields: Vec<&str> = decoded
                    .field_violations()
                    .iter()
                    .map(|v| v.field.as_str())
                    .collect();
                assert_eq!(fields, [field], "{context}");
            }
            Detail::RetryDelay => {
                let delay = decoded
                    .retry_delay()
                    .unwrap_or_else(|| panic!("{context}: no RetryInfo"));
                assert!(
                    delay > Duration::ZERO && delay <= Duration::from_secs(3),
                    "{context}: {delay:?}"
                );
            }
            Detail::Resource(resource_type) => {
                let resource = decoded
                    .resource_info()
                    .unwrap_or_else(|| panic!("{context}: no ResourceInfo"));
                assert_eq!(resource.resource_type, resource_type, "{context}");
                assert!(
                    resource.resource_name.starts_with("e2e-"),
                    "{context}: {resource:?}"
                );
            }
            Detail::Metadata(key, value) => {
                assert_eq!(
                    decoded.metadata().get(key).map(String::as_str),
                    Some(value),
                    "{context}"
                );
            }
        }
        assert!(
            outcome.result.is_ok(),
            "{context}: the demo's own check disagrees"
        );
    }

    let codes: BTreeSet<i32> = outcomes
        .iter()
        .map(|o| o.scenario.expected.as_i32())
        .collect();
    assert_eq!(codes.len(), 52, "distinct codes reached: {codes:?}");
    assert_eq!(scenarios::codes_reached().len(), codes.len());
}

#[tokio::test]
async fn a_second_run_against_the_same_server_passes_too() {
    let (server, client) = common::start().await;
    let first = scenarios::run_all(&client, "first").await;
    let second = scenarios::run_all(&client, "second").await;
    let failures: Vec<&str> = first
        .iter()
        .chain(&second)
        .filter(|outcome| outcome.result.is_err())
        .map(|outcome| outcome.scenario.id)
        .collect();
    assert_eq!(failures, Vec::<&str>::new());
    drop(client);
    server.stop().await.expect("the server stops cleanly");
}
