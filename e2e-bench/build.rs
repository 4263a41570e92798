//! Generates the BenchService client and server from
//! `proto/chat/bench/v1/bench.proto`; protox parses it, so no protoc is needed.

use std::error::Error;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo:rerun-if-changed=proto");
    let descriptors = protox::compile(["proto/chat/bench/v1/bench.proto"], ["proto"])?;
    // The codec the recommended stack uses, on both servers: it decodes as
    // tonic-prost does and differs only in what a decode failure carries.
    tonic_prost_build::configure()
        .codec_path("chat_errors::codec::ChatCodec")
        .compile_fds(descriptors)?;
    Ok(())
}
