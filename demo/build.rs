//! Compiles `proto/chat/demo/v1/chat_service.proto` into the tonic client and
//! server, with protox in place of protoc so that no system tool is needed.

use std::process;

const PROTO: &str = "proto/chat/demo/v1/chat_service.proto";

fn main() {
    println!("cargo:rerun-if-changed=proto");
    let descriptors = match protox::compile([PROTO], ["proto"]) {
        Ok(descriptors) => descriptors,
        Err(error) => {
            eprintln!("error: {error:?}");
            process::exit(1);
        }
    };
    if let Err(error) = tonic_prost_build::configure().compile_fds(descriptors) {
        eprintln!("error: generating the ChatService code: {error}");
        process::exit(1);
    }
}
