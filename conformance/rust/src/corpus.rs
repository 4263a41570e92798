//! The committed corpus: every named case and the seeded mutations, with
//! the reference's answers, one file per group under `conformance/vectors/`.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::canonical::to_line;
use crate::mutate::{Generator, Kinds};
use crate::runner::answer;

/// The seed and size of the corpus's `mutations` group.
pub const MUTATION_SEED: u64 = 20_261_204;
pub const MUTATIONS: usize = 600;

pub fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors")
}

/// File name to its contents, as the generator writes them.
pub fn generate() -> BTreeMap<String, String> {
    let mut cases = crate::cases::all();
    let mut generator = Generator::new(
        MUTATION_SEED,
        Kinds {
            decode: true,
            negotiate: false,
        },
    );
    for index in 0..MUTATIONS {
        cases.add("mutations", format!("{index:04}"), generator.next_input());
    }
    let mut files = BTreeMap::new();
    let mut ids = HashSet::new();
    for (group, entries) in cases.groups {
        let mut text = String::new();
        for (name, mut input) in entries {
            let id = format!("{group}/{name}");
            assert!(ids.insert(id.clone()), "two cases are named {id}");
            input["id"] = Value::String(id);
            let expected = answer(&input);
            assert!(
                expected.get("runner_error").is_none(),
                "the reference cannot answer {}: {}",
                to_line(&input),
                to_line(&expected)
            );
            text.push_str(&to_line(&json!({"expected": expected, "input": input})));
            text.push('\n');
        }
        let previous = files.insert(format!("{group}.jsonl"), text);
        assert!(previous.is_none(), "group {group} is built in two places");
    }
    files
}

/// One vector of the committed corpus.
pub struct Vector {
    pub input: Value,
    pub expected: Value,
}

pub fn load() -> Result<Vec<Vector>, String> {
    let dir = vectors_dir();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|error| format!("{}: {error}", dir.display()))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "jsonl"))
        .collect();
    names.sort();
    let mut vectors = Vec::new();
    for path in names {
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        for (number, line) in text.lines().enumerate() {
            let mut vector: Value = serde_json::from_str(line)
                .map_err(|e| format!("{}:{}: {e}", path.display(), number + 1))?;
            vectors.push(Vector {
                input: vector["input"].take(),
                expected: vector["expected"].take(),
            });
        }
    }
    Ok(vectors)
}
