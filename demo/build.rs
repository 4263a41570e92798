//! Compiles `proto/chat/demo/v1/chat_service.proto` into the tonic client and
//! server, with protox in place of protoc so that no system tool is needed,
//! and keeps its descriptors for the REST routes its `google.api.http`
//! options declare. The generated code uses chat-errors' codec, so that a
//! request body that is not protobuf is answered with 1001 ParamsBindingError.

use std::path::PathBuf;
use std::{env, fs, process};

const PROTO: &str = "proto/chat/demo/v1/chat_service.proto";

fn main() {
    println!("cargo:rerun-if-changed=proto");
    let compiler = protox::Compiler::new(["proto"])
        .and_then(|mut compiler| {
            compiler
                .include_source_info(true)
                .include_imports(true)
                .open_files([PROTO])?;
            Ok(compiler)
        })
        .unwrap_or_else(|error| {
            eprintln!("error: {error:?}");
            process::exit(1);
        });
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    // prost-types' descriptors drop extension options such as
    // google.api.http; protox's own encoding keeps them.
    if let Err(error) = fs::write(
        out_dir.join("chat_service_descriptors.bin"),
        compiler.encode_file_descriptor_set(),
    ) {
        eprintln!("error: writing the descriptor set: {error}");
        process::exit(1);
    }
    if let Err(error) = tonic_prost_build::configure()
        .codec_path("chat_errors::codec::ChatCodec")
        .compile_fds(compiler.file_descriptor_set())
    {
        eprintln!("error: generating the ChatService code: {error}");
        process::exit(1);
    }
}
