//! Whether the masking sits outside a gRPC-Web translation, where it cannot
//! read the status.

use http::HeaderMap;
use http::header::CONTENT_TYPE;

/// Whether response headers with no status in them are gRPC-Web's, whose
/// status is still to come in the body, where this layer cannot read it:
/// the layer is outside the translation. A trailers-only gRPC-Web response
/// keeps its status in the headers, where the layer checks it as usual.
pub(in crate::layer) fn is_grpc_web(headers: &HeaderMap) -> bool {
    headers.get(CONTENT_TYPE).is_some_and(|content_type| {
        content_type
            .as_bytes()
            .starts_with(GRPC_WEB_CONTENT_TYPE.as_bytes())
    })
}

const GRPC_WEB_CONTENT_TYPE: &str = "application/grpc-web";
