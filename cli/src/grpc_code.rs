//! gRPC status codes by their canonical names, e.g. `NOT_FOUND`.

use tonic::Code;

const CODES: [(Code, &str); 17] = [
    (Code::Ok, "OK"),
    (Code::Cancelled, "CANCELLED"),
    (Code::Unknown, "UNKNOWN"),
    (Code::InvalidArgument, "INVALID_ARGUMENT"),
    (Code::DeadlineExceeded, "DEADLINE_EXCEEDED"),
    (Code::NotFound, "NOT_FOUND"),
    (Code::AlreadyExists, "ALREADY_EXISTS"),
    (Code::PermissionDenied, "PERMISSION_DENIED"),
    (Code::ResourceExhausted, "RESOURCE_EXHAUSTED"),
    (Code::FailedPrecondition, "FAILED_PRECONDITION"),
    (Code::Aborted, "ABORTED"),
    (Code::OutOfRange, "OUT_OF_RANGE"),
    (Code::Unimplemented, "UNIMPLEMENTED"),
    (Code::Internal, "INTERNAL"),
    (Code::Unavailable, "UNAVAILABLE"),
    (Code::DataLoss, "DATA_LOSS"),
    (Code::Unauthenticated, "UNAUTHENTICATED"),
];

/// The name in `google.rpc.Code`, as the catalogue's `grpc_code` column spells it.
pub fn canonical_name(code: Code) -> &'static str {
    CODES[code as usize].1
}

/// `5 NOT_FOUND`.
pub fn describe(code: Code) -> String {
    format!("{} {}", code as i32, canonical_name(code))
}

/// A grpc-status value: its number (`5`), or a name as logs and tools print
/// it (`NOT_FOUND`, `NotFound`, Go's spelling `Canceled`).
pub fn parse(text: &str) -> Option<Code> {
    if let Ok(number) = text.parse::<usize>() {
        return CODES.get(number).map(|(code, _)| *code);
    }
    let folded: String = text
        .chars()
        .filter(|c| *c != '_')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if folded == "CANCELED" {
        return Some(Code::Cancelled);
    }
    CODES
        .iter()
        .find(|(_, name)| name.replace('_', "") == folded)
        .map(|(code, _)| *code)
}
