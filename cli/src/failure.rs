//! Why a run failed, and the exit code each kind of failure gets.

use std::fmt;

/// A kind of failure. Each has its own exit code so scripts can tell
/// "you typed it wrong" from "the server sent something broken".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Io,
    Usage,
    UnknownCode,
    MalformedTrailers,
    InvalidBase64,
    GarbageProtobuf,
    InconsistentDetails,
    OtherDomain,
    NoChatError,
}

impl Class {
    /// Every class, in exit-code order, for the help text and cli/README.md.
    pub const ALL: [Class; 9] = [
        Class::Io,
        Class::Usage,
        Class::UnknownCode,
        Class::MalformedTrailers,
        Class::InvalidBase64,
        Class::GarbageProtobuf,
        Class::InconsistentDetails,
        Class::OtherDomain,
        Class::NoChatError,
    ];

    pub fn exit_code(self) -> u8 {
        match self {
            Class::Io => 1,
            Class::Usage => 2,
            Class::UnknownCode => 3,
            Class::MalformedTrailers => 4,
            Class::InvalidBase64 => 5,
            Class::GarbageProtobuf => 6,
            Class::InconsistentDetails => 7,
            Class::OtherDomain => 8,
            Class::NoChatError => 9,
        }
    }

    pub fn summary(self) -> &'static str {
        match self {
            Class::Io => "reading stdin or writing stdout failed",
            Class::Usage => {
                "bad arguments: unknown option, bad --format, --domain, --metadata, ..."
            }
            Class::UnknownCode => "no error code has that number, name or reason",
            Class::MalformedTrailers => {
                "decode found no grpc-status, a bad one, or conflicting values in its input"
            }
            Class::InvalidBase64 => "grpc-status-details-bin is not base64",
            Class::GarbageProtobuf => {
                "the details are not a google.rpc.Status or hold a broken detail"
            }
            Class::InconsistentDetails => {
                "the chat error contradicts itself or its status: code vs reason, name, non-canonical code, gRPC code, message, repeated detail, ..."
            }
            Class::OtherDomain => "the chat error belongs to another domain than --domain",
            Class::NoChatError => "the status carries no chat error (no ErrorInfo at all)",
        }
    }
}

/// The "Exit codes" section of `--help`.
pub fn exit_codes_help() -> String {
    let mut text = String::from("Exit codes:\n  0  success\n");
    for class in Class::ALL {
        text.push_str(&format!("  {}  {}\n", class.exit_code(), class.summary()));
    }
    text
}

/// A failed run: printed as one line on stderr, then the class's exit code.
#[derive(Debug)]
pub struct Failure {
    pub class: Class,
    pub message: String,
}

impl Failure {
    pub fn new(class: Class, message: impl Into<String>) -> Failure {
        Failure {
            class,
            message: message.into(),
        }
    }

    pub fn usage(message: impl Into<String>) -> Failure {
        Failure::new(Class::Usage, message)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A message spanning lines would break the one-line promise.
        for (index, line) in self.message.lines().enumerate() {
            if index > 0 {
                f.write_str(" ")?;
            }
            f.write_str(line.trim())?;
        }
        Ok(())
    }
}
