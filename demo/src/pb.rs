//! The `chat.demo.v1` messages and the tonic `ChatService` client and server.

tonic::include_proto!("chat.demo.v1");
