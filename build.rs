//! Generates the crate's error table from `proto/chat/errors/v1/chat_errors.proto`.
//! Any value that lacks an option, or whose reason breaks AIP-193, fails the build.

use std::path::{Path, PathBuf};
use std::{env, process};

#[path = "build/catalogue.rs"]
mod catalogue;

fn main() {
    println!("cargo:rerun-if-changed=proto");
    println!("cargo:rerun-if-changed=build");
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    if let Err(message) = catalogue::generate(Path::new("proto"), &out_dir) {
        eprintln!("error: proto/{}: {message}", catalogue::PROTO_FILE);
        process::exit(1);
    }
}
