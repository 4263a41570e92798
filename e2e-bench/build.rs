//! Generates the BenchService client and server from
//! `proto/chat/bench/v1/bench.proto`; protox parses it, so no protoc is needed.

use std::error::Error;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo:rerun-if-changed=proto");
    let descriptors = protox::compile(["proto/chat/bench/v1/bench.proto"], ["proto"])?;
    tonic_prost_build::configure().compile_fds(descriptors)?;
    Ok(())
}
