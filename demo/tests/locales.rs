//! Every error leaves in the caller's negotiated locale. A caller that asks
//! for Korean gets the Korean description as the status message too:
//! non-ASCII text that gRPC percent-encodes in `grpc-message` and that must
//! come back byte for byte, equal to the message in the details. A caller
//! that asks for nothing gets the English message and the ko-KR
//! LocalizedMessage, as before locales were negotiated.

mod common;

use chat_demo::client::{Actor, Client};
use chat_demo::pb::{GetChannelRequest, SignUpRequest, UploadFileRequest};
use chat_errors::{ChatStatusExt, DecodedChatError, ErrorCode};
use tonic::metadata::MetadataValue;
use tonic::{Request, Status};

fn in_korean<T>(mut request: Request<T>) -> Request<T> {
    request.metadata_mut().insert(
        "accept-language",
        MetadataValue::from_static("ko-KR,ko;q=0.9,en;q=0.5"),
    );
    request
}

fn decode(status: &Status) -> DecodedChatError {
    status
        .check_chat_error(&chat_errors::Domain::default())
        .expect("well-formed details whose message matches grpc-message")
        .expect("a chat error")
}

async fn alice(client: &Client, user_id: &str) -> Actor {
    Actor::sign_up(client, user_id.to_owned())
        .await
        .expect("sign up")
}

#[tokio::test]
async fn korean_messages_survive_percent_encoding() {
    let table = common::fixture();
    let (server, mut client) = common::start().await;
    let alice = alice(&client, "ko-alice").await;

    let taken = SignUpRequest {
        user_id: alice.id.clone(),
        nickname: String::new(),
    };
    let unknown = GetChannelRequest {
        channel_id: "ko-nowhere".to_owned(),
        ..Default::default()
    };
    let oversized = UploadFileRequest {
        channel_id: "ko-nowhere".to_owned(),
        file_name: "보고서.pdf".to_owned(),
        content: vec![0; 15 * 1024 * 1024 + 1],
        crc32: 0,
    };
    let statuses = [
        client
            .sign_up(in_korean(Request::new(taken)))
            .await
            .unwrap_err(),
        client
            .get_channel(in_korean(alice.auth(unknown)))
            .await
            .unwrap_err(),
        client
            .upload_file(in_korean(alice.auth(oversized)))
            .await
            .unwrap_err(),
    ];
    let expected = [
        ErrorCode::UserIdTaken,
        ErrorCode::ChannelNotFound,
        ErrorCode::FileSizeLimitExceeded,
    ];

    for (status, code) in statuses.iter().zip(expected) {
        let row = &table[&code.as_i32()];
        let korean = row.description_ko.as_str();
        assert!(!korean.is_ascii());
        assert_eq!(status.message(), korean, "{code}");
        let decoded = decode(status);
        assert_eq!(decoded.code(), Some(code));
        assert_eq!(decoded.message(), korean);
        assert_eq!(decoded.reason(), row.reason);
        let localized = decoded.localized_message().expect("one LocalizedMessage");
        assert_eq!(
            (localized.locale.as_str(), localized.message.as_str()),
            ("ko-KR", korean)
        );
        assert_eq!(decoded.localized_messages().len(), 1);
    }
    assert_eq!(statuses[2].message(), "최대 파일 업로드 사이즈 초과 (15MB)");

    drop((client, alice));
    server.stop().await.expect("the server stops cleanly");
}

/// `(accept-language, expected LocalizedMessage locale, whether the status
/// message is in that locale too)`; `None` sends no header.
const NEGOTIATIONS: [(Option<&str>, &str, bool); 8] = [
    (None, "ko-KR", false),
    (Some("ko-KR,ko;q=0.9,en;q=0.8"), "ko-KR", true),
    (Some("en-US"), "en-US", true),
    (Some("en-GB,en;q=0.9"), "en-US", true),
    (Some("ja, ko;q=0.8"), "ko-KR", true),
    (Some("fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5"), "en-US", true),
    // Nothing the catalogue has: the default locale, the English message.
    (Some("kok"), "ko-KR", false),
    (Some("en;q=1e999, ko;q=NaN"), "ko-KR", false),
];

#[tokio::test]
async fn each_caller_gets_the_description_in_the_locale_it_negotiated() {
    let table = common::fixture();
    let row = &table[&ErrorCode::ChannelNotFound.as_i32()];
    let (server, mut client) = common::start().await;
    let alice = alice(&client, "en-alice").await;
    for (language, locale, in_status_message) in NEGOTIATIONS {
        let mut request = alice.auth(GetChannelRequest {
            channel_id: "en-nowhere".to_owned(),
            ..Default::default()
        });
        if let Some(language) = language {
            request
                .metadata_mut()
                .insert("accept-language", language.parse().unwrap());
        }
        let status = client.get_channel(request).await.unwrap_err();
        let text = match locale {
            "ko-KR" => &row.description_ko,
            _ => &row.description_en,
        };
        let message = if in_status_message {
            text
        } else {
            &row.description_en
        };
        assert_eq!(status.message(), message, "{language:?}");
        let decoded = decode(&status);
        let localized = decoded.localized_message().expect("one LocalizedMessage");
        assert_eq!(
            (localized.locale.as_str(), &localized.message),
            (locale, text),
            "{language:?}"
        );
        assert_eq!(decoded.localized_messages().len(), 1, "{language:?}");
    }
    drop((client, alice));
    server.stop().await.expect("the server stops cleanly");
}
