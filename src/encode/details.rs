//! Encodes a [`ChatError`] as the `google.rpc.Status` of `grpc-status-details-bin`.

use bytes::Bytes;
use prost::Message;
use prost_types::Any;
use tonic_types::pb;

use super::ChatError;
use crate::ErrorCode;
use crate::domain::Domain;
use crate::wire::{
    BAD_REQUEST, ERROR_INFO, KOREAN_LOCALE, LOCALIZED_MESSAGE, METADATA_CODE_KEY,
    METADATA_NAME_KEY, REQUEST_INFO, RESOURCE_INFO, RETRY_INFO, TYPE_URL_PREFIX,
};

/// The details of `code` with nothing but the defaults, encoded once per
/// domain and shared by every status that sends them.
pub(crate) fn static_details(domain: &Domain, code: ErrorCode) -> Bytes {
    let all = domain.inner().static_details.get_or_init(|| {
        ErrorCode::iter()
            .map(|code| encode(&ChatError::new(code).with_domain(domain.clone())))
            .collect()
    });
    all[code.index()].clone()
}

pub(crate) fn encode(error: &ChatError) -> Bytes {
    let code = error.code();
    let mut metadata = std::collections::HashMap::with_capacity(2 + error.metadata.len());
    metadata.insert(METADATA_CODE_KEY.to_owned(), code.as_i32().to_string());
    metadata.insert(METADATA_NAME_KEY.to_owned(), code.name().to_owned());
    metadata.extend(error.metadata.iter().cloned());

    let mut details = vec![
        pack(
            ERROR_INFO,
            &pb::ErrorInfo {
                reason: code.reason().to_owned(),
                domain: error.domain.as_str().to_owned(),
                metadata,
            },
        ),
        pack(
            LOCALIZED_MESSAGE,
            &pb::LocalizedMessage {
                locale: KOREAN_LOCALE.to_owned(),
                message: code.description_ko().to_owned(),
            },
        ),
    ];
    if let Some(delay) = error.retry_delay {
        details.push(pack(
            RETRY_INFO,
            &pb::RetryInfo {
                retry_delay: Some(duration_to_proto(delay)),
            },
        ));
    }
    if !error.field_violations.is_empty() {
        details.push(pack(
            BAD_REQUEST,
            &pb::BadRequest {
                field_violations: error.field_violations.clone(),
            },
        ));
    }
    if let Some(resource) = &error.resource_info {
        details.push(pack(RESOURCE_INFO, resource));
    }

    if let Some(request) = &error.request_info {
        details.push(pack(REQUEST_INFO, request));
    }

    pb::Status {
        code: code.grpc_code() as i32,
        message: error.message().to_owned(),
        details,
    }
    .encode_to_vec()
    .into()
}

fn pack(type_name: &str, message: &impl Message) -> Any {
    Any {
        type_url: format!("{TYPE_URL_PREFIX}{type_name}"),
        value: message.encode_to_vec(),
    }
}

/// Saturates at protobuf's largest `Duration` rather than failing: a delay
/// of ten thousand years means "do not retry soon" either way.
fn duration_to_proto(delay: std::time::Duration) -> prost_types::Duration {
    prost_types::Duration::try_from(delay).unwrap_or(prost_types::Duration {
        seconds: 315_576_000_000,
        nanos: 999_999_999,
    })
}
