//! The `google.rpc.Code` names that AIP-193's `status` field carries.

use tonic::Code;

/// Every code's name, indexed by its number.
const NAMES: [&str; 17] = [
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

/// `code`'s name, e.g. `NOT_FOUND`.
pub(crate) fn name_of(code: Code) -> &'static str {
    NAMES[code as usize]
}

/// The code named `name`; names are case-sensitive, as in `code.proto`.
pub(crate) fn code_named(name: &str) -> Option<Code> {
    NAMES
        .iter()
        .position(|candidate| *candidate == name)
        .map(|number| Code::from_i32(number as i32))
}

/// The code numbered `number`, when `google.rpc.Code` has it.
pub(crate) fn code_numbered(number: i64) -> Option<Code> {
    usize::try_from(number)
        .ok()
        .filter(|&index| index < NAMES.len())
        .map(|index| Code::from_i32(index as i32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers_round_trip_through_tonic() {
        for number in 0..17 {
            let code = Code::from_i32(number);
            assert_eq!(code as i32, number);
            assert_eq!(code_named(name_of(code)), Some(code));
            assert_eq!(code_numbered(i64::from(number)), Some(code));
        }
        assert_eq!(name_of(Code::NotFound), "NOT_FOUND");
        assert_eq!(code_named("not_found"), None);
        assert_eq!(code_numbered(17), None);
        assert_eq!(code_numbered(-1), None);
    }
}
