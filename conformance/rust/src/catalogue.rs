//! The catalogue as the repository's fixture states it
//! (`tests/fixtures/error-codes.tsv`), so that cases are built from the
//! table rather than from the crate they test.

const FIXTURE: &str = include_str!("../../../tests/fixtures/error-codes.tsv");

/// `google.rpc.Code` names in number order.
const GRPC_CODES: [&str; 17] = [
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED",
];

#[derive(Clone, Debug)]
pub struct Row {
    pub code: i32,
    pub name: String,
    pub reason: String,
    pub grpc_code: i32,
    pub description_ko: String,
    pub description_en: String,
}

pub fn rows() -> Vec<Row> {
    FIXTURE
        .lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            assert_eq!(cells.len(), 8, "a fixture row has eight cells: {line}");
            Row {
                code: cells[0].parse().expect("a numeric code"),
                name: cells[1].to_owned(),
                reason: cells[2].to_owned(),
                grpc_code: GRPC_CODES
                    .iter()
                    .position(|name| *name == cells[3])
                    .expect("a google.rpc.Code name") as i32,
                description_ko: cells[6].to_owned(),
                description_en: cells[7].to_owned(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_fixture_is_the_crates_catalogue() {
        let rows = super::rows();
        let built = crate::view::catalogue();
        assert_eq!(rows.len(), 57);
        assert_eq!(rows.len(), built.len());
        for (row, entry) in rows.iter().zip(&built) {
            assert_eq!(
                (
                    row.code,
                    row.name.as_str(),
                    row.reason.as_str(),
                    row.grpc_code
                ),
                (entry.number, entry.name, entry.reason, entry.grpc_code)
            );
        }
    }
}
