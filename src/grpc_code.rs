//! gRPC status codes by the names `google.rpc.Code` gives them, taken from
//! the proto's `GrpcCode` enum: the one table of those names.

use tonic::Code;

use crate::pb::GrpcCode;

const PREFIX: &str = "GRPC_CODE_";

impl GrpcCode {
    /// The value for `code`; `None` for `Ok`, which the proto leaves out
    /// because it is never an error's code.
    pub(crate) fn from_tonic(code: Code) -> Option<GrpcCode> {
        match code {
            Code::Ok => None,
            code => GrpcCode::try_from(code as i32).ok(),
        }
    }

    /// The `tonic::Code` of the same number; `None` for `Unspecified`.
    #[cfg(any(test, feature = "http-json"))]
    pub(crate) fn to_tonic(self) -> Option<Code> {
        (self != GrpcCode::Unspecified).then(|| Code::from_i32(self as i32))
    }

    /// The name in `google.rpc.Code`, e.g. `NOT_FOUND`.
    pub(crate) fn canonical_name(self) -> &'static str {
        let name = self.as_str_name();
        name.strip_prefix(PREFIX).unwrap_or(name)
    }
}

/// The name `google.rpc.Code` gives `code`, e.g. `NOT_FOUND`, as gRPC's
/// documents and other languages' libraries print it.
///
/// ```
/// assert_eq!(chat_errors::grpc_code_name(tonic::Code::NotFound), "NOT_FOUND");
/// assert_eq!(chat_errors::grpc_code_name(tonic::Code::Ok), "OK");
/// ```
pub fn grpc_code_name(code: Code) -> &'static str {
    GrpcCode::from_tonic(code).map_or("OK", GrpcCode::canonical_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `NOT_FOUND` -> `NotFound`: tonic's variant names are google.rpc.Code's in camel case.
    fn camel(name: &str) -> String {
        name.split('_')
            .map(|word| word[..1].to_owned() + &word[1..].to_ascii_lowercase())
            .collect()
    }

    #[test]
    fn every_error_code_maps_both_ways_under_its_own_name() {
        for number in 1..=16 {
            let code = Code::from_i32(number);
            let proto = GrpcCode::from_tonic(code).expect("every error code is in the proto");
            assert_eq!(proto as i32, number);
            assert_eq!(proto.to_tonic(), Some(code));
            assert_eq!(camel(proto.canonical_name()), format!("{code:?}"));
            assert_eq!(grpc_code_name(code), proto.canonical_name());
        }
        assert_eq!(GrpcCode::from_tonic(Code::Ok), None);
        assert_eq!(GrpcCode::Unspecified.to_tonic(), None);
    }
}
