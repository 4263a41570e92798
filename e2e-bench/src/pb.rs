//! The generated `chat.bench.v1` messages, client and server.

tonic::include_proto!("chat.bench.v1");
