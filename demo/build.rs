//! Compiles `proto/chat/demo/v1/chat_service.proto` into the tonic client and
//! server, with protox in place of protoc so that no system tool is needed.
//! The generated code uses chat-errors' codec, so that a request body that
//! is not protobuf is answered with 1001 ParamsBindingError.

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
    if let Err(error) = tonic_prost_build::configure()
        .codec_path("chat_errors::codec::ChatCodec")
        .compile_fds(descriptors)
    {
        eprintln!("error: generating the ChatService code: {error}");
        process::exit(1);
    }
}
