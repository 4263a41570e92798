//! Replays the fuzz targets' seed corpus and every input that once failed
//! (`tests/fuzz/regressions/`) through the same checks, so that `cargo
//! test` guards what fuzzing found without libFuzzer. See FUZZING.md.

#[path = "fuzz/checks.rs"]
mod checks;

use std::fs;
use std::path::Path;

/// Runs `check` on every file under `tests/fuzz/{seeds,regressions}/<target>/`
/// and returns how many there were.
fn replay(target: &str, check: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz");
    let mut replayed = 0;
    for kind in ["seeds", "regressions"] {
        let Ok(entries) = fs::read_dir(root.join(kind).join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("a readable corpus entry").path();
            let input = fs::read(&path).expect("a readable corpus file");
            if let Err(panic) = std::panic::catch_unwind(|| check(&input)) {
                eprintln!("{} fails: {input:?}", path.display());
                std::panic::resume_unwind(panic);
            }
            replayed += 1;
        }
    }
    replayed
}

#[test]
fn the_details_decoder_holds_on_its_seeds_and_past_failures() {
    // One seed per catalogue code, plus extras, a custom domain and nothing.
    assert!(replay("details_decoder", checks::details_decoder) >= 60);
}

#[test]
fn the_trailer_shield_holds_on_its_seeds_and_past_failures() {
    assert!(replay("trailer_shield", checks::trailer_shield) >= 13);
}
