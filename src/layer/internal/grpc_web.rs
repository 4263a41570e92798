//! Whether the masking sits outside a gRPC-Web translation, where it cannot
//! read the status.

use http::HeaderMap;
use http::header::CONTENT_TYPE;

use crate::wire::GRPC_STATUS;

/// Whether the response is gRPC-Web with its status still to come in the
/// body, where this layer cannot read it: the layer is outside the
/// translation. A trailers-only gRPC-Web response keeps its status in the
/// headers, where the layer checks it as usual.
pub(in crate::layer) fn status_is_out_of_sight(headers: &HeaderMap) -> bool {
    headers.get(CONTENT_TYPE).is_some_and(|content_type| {
        content_type
            .as_bytes()
            .starts_with(GRPC_WEB_CONTENT_TYPE.as_bytes())
    }) && !headers.contains_key(GRPC_STATUS)
}

const GRPC_WEB_CONTENT_TYPE: &str = "application/grpc-web";
