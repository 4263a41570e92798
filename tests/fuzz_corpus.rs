//! Replays the fuzz targets' seed corpus and every input that once failed
//! (`tests/fuzz/regressions/`) through the same checks, so that `cargo
//! test` guards what fuzzing found without libFuzzer. See FUZZING.md.

#[path = "fuzz/checks.rs"]
mod checks;

use std::fs;
use std::path::Path;

/// A small deterministic generator, so every run checks the same inputs.
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// `input` with one byte changed, dropped or added, or a run repeated or cut.
fn mutate(input: &[u8], rng: &mut XorShift) -> Vec<u8> {
    let mut bytes = input.to_vec();
    let at = rng.below(bytes.len() + 1);
    match rng.below(5) {
        0 if at < bytes.len() => bytes[at] = rng.below(256) as u8,
        1 if at < bytes.len() => {
            bytes.remove(at);
        }
        2 => bytes.insert(at, rng.below(256) as u8),
        3 => {
            let end = (at + 1 + rng.below(16)).min(bytes.len());
            let run = bytes[at..end].to_vec();
            bytes.splice(at..at, run);
        }
        _ => bytes.truncate(at),
    }
    bytes
}

/// Runs `check` on `per_seed` mutations of each seed of `target`, each
/// mutation applied on top of the last, and returns how many ran.
fn replay_mutations(target: &str, check: fn(&[u8]), per_seed: usize) -> usize {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz/seeds")
        .join(target);
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let mut ran = 0;
    for entry in fs::read_dir(seeds).expect("the seed corpus") {
        let mut input = fs::read(entry.expect("a readable seed").path()).expect("a seed");
        for _ in 0..per_seed {
            input = mutate(&input, &mut rng);
            if let Err(panic) = std::panic::catch_unwind(|| check(&input)) {
                eprintln!("{target} fails on a mutated seed: {input:?}");
                std::panic::resume_unwind(panic);
            }
            ran += 1;
        }
    }
    ran
}

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

#[test]
fn both_targets_hold_on_mutations_of_their_seeds() {
    assert!(replay_mutations("details_decoder", checks::details_decoder, 40) >= 2_400);
    assert!(replay_mutations("trailer_shield", checks::trailer_shield, 150) >= 1_900);
}

#[test]
fn accept_language_negotiation_holds_on_its_seeds_and_past_failures() {
    assert!(replay("accept_language", checks::accept_language) >= 12);
    assert!(replay_mutations("accept_language", checks::accept_language, 100) >= 1_200);
}
