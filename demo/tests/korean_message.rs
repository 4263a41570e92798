//! A caller that prefers Korean gets the Korean description as the status
//! message: non-ASCII text that gRPC percent-encodes in `grpc-message` and
//! that must come back byte for byte, equal to the message in the details.

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
        .check_chat_error()
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
        assert_eq!(decoded.localized_message("ko-KR"), Some(korean));
    }
    assert_eq!(statuses[2].message(), "최대 파일 업로드 사이즈 초과 (15MB)");

    drop((client, alice));
    server.stop().await.expect("the server stops cleanly");
}

#[tokio::test]
async fn other_languages_get_the_english_description() {
    let (server, mut client) = common::start().await;
    let alice = alice(&client, "en-alice").await;
    for language in ["en-US", "ja, ko;q=0.8", "kok"] {
        let mut request = alice.auth(GetChannelRequest {
            channel_id: "en-nowhere".to_owned(),
        });
        request
            .metadata_mut()
            .insert("accept-language", language.parse().unwrap());
        let status = client.get_channel(request).await.unwrap_err();
        assert_eq!(
            status.message(),
            "The channel does not exist.",
            "{language}"
        );
        assert_eq!(
            decode(&status).localized_message("ko-KR"),
            Some("존재하지 않는 채널입니다"),
            "{language}"
        );
    }
    drop((client, alice));
    server.stop().await.expect("the server stops cleanly");
}
