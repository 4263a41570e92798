//! Writes `conformance/vectors/` from the named cases and the seeded
//! mutations; with `--check`, writes nothing and fails when the committed
//! files differ from what it would write.

use std::process::ExitCode;

use chat_errors_conformance::corpus::{generate, vectors_dir};

fn main() -> ExitCode {
    let check = std::env::args().any(|arg| arg == "--check");
    let files = generate();
    let dir = vectors_dir();
    let count: usize = files.values().map(|text| text.lines().count()).sum();
    if check {
        let mut stale = Vec::new();
        for (name, text) in &files {
            if std::fs::read_to_string(dir.join(name)).ok().as_deref() != Some(text.as_str()) {
                stale.push(name.clone());
            }
        }
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".jsonl") && !files.contains_key(&name) {
                stale.push(format!("{name} (no longer generated)"));
            }
        }
        if stale.is_empty() {
            println!(
                "conformance vectors are current: {count} vectors in {} files",
                files.len()
            );
            return ExitCode::SUCCESS;
        }
        eprintln!("conformance vectors are stale; regenerate them with");
        eprintln!("  cargo run -p chat-errors-conformance --bin conformance-generate");
        for name in stale {
            eprintln!("  stale: conformance/vectors/{name}");
        }
        return ExitCode::FAILURE;
    }
    std::fs::create_dir_all(&dir).expect("the vectors directory");
    for entry in std::fs::read_dir(&dir)
        .expect("the vectors directory")
        .flatten()
    {
        if entry.file_name().to_string_lossy().ends_with(".jsonl") {
            std::fs::remove_file(entry.path()).expect("an old vector file");
        }
    }
    for (name, text) in &files {
        std::fs::write(dir.join(name), text).expect("a vector file");
    }
    println!(
        "wrote {count} vectors in {} files to conformance/vectors/",
        files.len()
    );
    ExitCode::SUCCESS
}
