//! What the demo's end-to-end tests share: a server on loopback and the
//! normative table to check decoded errors against.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};

use chat_demo::client::{Client, connect};
use chat_demo::server::{RunningServer, ServerConfig};

/// One row of `tests/fixtures/error-codes.tsv` at the repository's root.
pub struct Expected {
    pub name: String,
    pub reason: String,
    /// As the table spells it, e.g. `NOT_FOUND`.
    pub grpc_code: String,
    pub description_ko: String,
    pub description_en: String,
}

/// The normative table by numeric code.
pub fn fixture() -> HashMap<i32, Expected> {
    let text = include_str!("../../../tests/fixtures/error-codes.tsv");
    let mut lines = text.lines();
    let header = lines.next().expect("a header line");
    assert!(
        header.starts_with("code\tname\treason\tgrpc_code\t"),
        "{header}"
    );
    lines
        .map(|line| {
            let columns: Vec<&str> = line.split('\t').collect();
            assert_eq!(columns.len(), 8, "{line:?}");
            let expected = Expected {
                name: columns[1].to_owned(),
                reason: columns[2].to_owned(),
                grpc_code: columns[3].to_owned(),
                description_ko: columns[6].to_owned(),
                description_en: columns[7].to_owned(),
            };
            (columns[0].parse().expect("a numeric code"), expected)
        })
        .collect()
}

/// A fresh demo server on 127.0.0.1 with a free port, and a client of it.
pub async fn start() -> (RunningServer, Client) {
    let loopback = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let server = RunningServer::start(loopback, ServerConfig::default())
        .await
        .expect("bind 127.0.0.1:0");
    let client = connect(&server.addr().to_string())
        .await
        .expect("connect to the demo server");
    (server, client)
}
