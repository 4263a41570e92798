//! A borrowing protobuf reader for the few messages a client must look into
//! to find its chat error: `google.rpc.Status`, `google.protobuf.Any` and
//! `google.rpc.ErrorInfo`.
//!
//! Finding the code this way allocates nothing, which is what makes
//! [`ChatStatusExt::chat_error_code`](crate::ChatStatusExt::chat_error_code)
//! cheap. It reads as prost does: unknown fields are skipped, a repeated
//! singular field keeps its last value; a field key past 32 bits (field
//! numbers of 2^29 and up), field number 0, wire types 6 and 7, an
//! unmatched end-group, a field of the wrong wire type or a string that is
//! not UTF-8 is an error; and every length is checked against the bytes
//! left, so no input can make it panic or loop. The fuzz checks hold it to
//! prost in both directions: what prost reads, it reads, and what prost
//! refuses, the strict decoders refuse.

use std::fmt;

use crate::wire::METADATA_CODE_KEY;
use crate::wire::field::{
    ANY_TYPE_URL, ANY_VALUE, ERROR_INFO_DOMAIN, ERROR_INFO_METADATA, ERROR_INFO_REASON, MAP_KEY,
    MAP_VALUE, STATUS_CODE, STATUS_DETAILS, STATUS_MESSAGE,
};

/// prost's limit on nested groups when skipping unknown fields.
const MAX_GROUP_DEPTH: u32 = 100;

/// Why bytes are not the protobuf message they should be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WireError {
    /// The bytes end inside a field.
    Truncated,
    /// A varint runs past ten bytes.
    VarintTooLong,
    /// A field key is past 32 bits, or has field number 0 or an unknown wire type.
    InvalidKey,
    /// A known field has a wire type other than its declared one.
    WrongWireType,
    /// A string field is not UTF-8.
    NotUtf8,
    /// Groups are nested too deeply or do not close.
    BadGroup,
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            WireError::Truncated => "the bytes end inside a field",
            WireError::VarintTooLong => "a varint is longer than ten bytes",
            WireError::InvalidKey => "a field key is invalid",
            WireError::WrongWireType => "a field has the wrong wire type",
            WireError::NotUtf8 => "a string field is not UTF-8",
            WireError::BadGroup => "a group is unterminated or nested too deeply",
        })
    }
}

impl std::error::Error for WireError {}

/// One field's value, borrowed from the input.
#[derive(Clone, Copy)]
enum Value<'a> {
    Varint(u64),
    LengthDelimited(&'a [u8]),
    /// Fixed-width numbers and groups: nothing here reads them.
    Other,
}

/// Iterates the top-level fields of one message.
struct Fields<'a> {
    rest: &'a [u8],
}

impl<'a> Fields<'a> {
    fn new(bytes: &'a [u8]) -> Fields<'a> {
        Fields { rest: bytes }
    }

    #[inline]
    fn varint(&mut self) -> Result<u64, WireError> {
        // Keys, lengths and small numbers: nearly every varint here is one byte.
        if let Some((&byte, rest)) = self.rest.split_first()
            && byte < 0x80
        {
            self.rest = rest;
            return Ok(u64::from(byte));
        }
        let mut value = 0u64;
        for (index, &byte) in self.rest.iter().enumerate().take(10) {
            // The tenth byte holds the top bit of a u64 and nothing more.
            if index == 9 && byte > 1 {
                return Err(WireError::VarintTooLong);
            }
            value |= u64::from(byte & 0x7f) << (7 * index);
            if byte < 0x80 {
                self.rest = &self.rest[index + 1..];
                return Ok(value);
            }
        }
        Err(if self.rest.len() < 10 {
            WireError::Truncated
        } else {
            WireError::VarintTooLong
        })
    }

    #[inline]
    fn take(&mut self, len: u64) -> Result<&'a [u8], WireError> {
        let len = usize::try_from(len).map_err(|_| WireError::Truncated)?;
        if len > self.rest.len() {
            return Err(WireError::Truncated);
        }
        let (taken, rest) = self.rest.split_at(len);
        self.rest = rest;
        Ok(taken)
    }

    /// A field key, refused as prost refuses it: a key past 32 bits (a
    /// field number of 2^29 or more), field number 0, or wire type 6 or 7.
    #[inline]
    fn key(&mut self) -> Result<(u32, u8), WireError> {
        let key = u32::try_from(self.varint()?).map_err(|_| WireError::InvalidKey)?;
        let tag = key >> 3;
        let wire_type = (key & 7) as u8;
        if tag == 0 || wire_type > 5 {
            return Err(WireError::InvalidKey);
        }
        Ok((tag, wire_type))
    }

    #[inline]
    fn value(&mut self, tag: u32, wire_type: u8) -> Result<Value<'a>, WireError> {
        match wire_type {
            0 => self.varint().map(Value::Varint),
            1 => self.take(8).map(|_| Value::Other),
            2 => {
                let len = self.varint()?;
                self.take(len).map(Value::LengthDelimited)
            }
            3 => self.skip_group(tag).map(|()| Value::Other),
            5 => self.take(4).map(|_| Value::Other),
            // An end-group key with no group open.
            _ => Err(WireError::BadGroup),
        }
    }

    /// Skips a group's fields up to its end key, iteratively so that deep
    /// nesting cannot overflow the stack.
    fn skip_group(&mut self, tag: u32) -> Result<(), WireError> {
        let mut open = vec![tag];
        while let Some(&innermost) = open.last() {
            let (inner_tag, wire_type) = self.key()?;
            match wire_type {
                3 if open.len() as u32 >= MAX_GROUP_DEPTH => return Err(WireError::BadGroup),
                3 => open.push(inner_tag),
                4 if inner_tag == innermost => {
                    open.pop();
                }
                4 => return Err(WireError::BadGroup),
                _ => {
                    self.value(inner_tag, wire_type)?;
                }
            }
        }
        Ok(())
    }
}

impl<'a> Fields<'a> {
    /// Any field, with every check; the error ends the iteration.
    #[inline(never)]
    fn next_field(&mut self) -> Result<(u32, Value<'a>), WireError> {
        let field = self
            .key()
            .and_then(|(tag, wire_type)| Ok((tag, self.value(tag, wire_type)?)));
        if field.is_err() {
            self.rest = &[];
        }
        field
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = Result<(u32, Value<'a>), WireError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let (&key, rest) = self.rest.split_first()?;
        // The common shape, a one-byte key and a one-byte varint or length,
        // is read here; everything else takes the full path.
        if (0x08..0x80).contains(&key)
            && let Some((&next, tail)) = rest.split_first()
            && next < 0x80
        {
            let tag = u32::from(key >> 3);
            match key & 7 {
                0 => {
                    self.rest = tail;
                    return Some(Ok((tag, Value::Varint(u64::from(next)))));
                }
                2 if usize::from(next) <= tail.len() => {
                    let (bytes, after) = tail.split_at(usize::from(next));
                    self.rest = after;
                    return Some(Ok((tag, Value::LengthDelimited(bytes))));
                }
                _ => {}
            }
        }
        Some(self.next_field())
    }
}

fn as_bytes(value: Value<'_>) -> Result<&[u8], WireError> {
    match value {
        Value::LengthDelimited(bytes) => Ok(bytes),
        _ => Err(WireError::WrongWireType),
    }
}

/// How many details a [`StatusView`] remembers from its one pass; a status
/// with more is walked again for the rest.
const REMEMBERED_DETAILS: usize = 8;

/// A `google.rpc.Status`, read in place. Only its own framing is checked
/// up front; each detail is read, and can fail, on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct StatusView<'a> {
    pub(crate) code: i32,
    /// Not checked for UTF-8: a strict reader compares it with the
    /// `grpc-message` it travelled with, and a lenient one ignores it.
    pub(crate) message: &'a [u8],
    /// Whether a `message` that a later occurrence replaced was not UTF-8:
    /// prost checks every occurrence of a string field, not only the last.
    replaced_message_not_utf8: bool,
    bytes: &'a [u8],
    details: [&'a [u8]; REMEMBERED_DETAILS],
    detail_count: usize,
}

impl<'a> StatusView<'a> {
    pub(crate) fn parse(bytes: &'a [u8]) -> Result<StatusView<'a>, WireError> {
        let mut view = StatusView {
            code: 0,
            message: &[],
            replaced_message_not_utf8: false,
            bytes,
            details: [&[]; REMEMBERED_DETAILS],
            detail_count: 0,
        };
        for field in Fields::new(bytes) {
            match field? {
                // int32 takes the low 32 bits of the varint, as prost does.
                (STATUS_CODE, Value::Varint(code)) => view.code = code as i32,
                (STATUS_CODE, _) => return Err(WireError::WrongWireType),
                (STATUS_MESSAGE, value) => {
                    let replaced = std::mem::replace(&mut view.message, as_bytes(value)?);
                    view.replaced_message_not_utf8 |= check_utf8(replaced).is_err();
                }
                (STATUS_DETAILS, value) => {
                    let detail = as_bytes(value)?;
                    if let Some(slot) = view.details.get_mut(view.detail_count) {
                        *slot = detail;
                    }
                    view.detail_count += 1;
                }
                _ => {}
            }
        }
        Ok(view)
    }

    /// Whether every occurrence of `message` is UTF-8, as prost requires.
    pub(crate) fn check_message_utf8(&self) -> Result<(), WireError> {
        if self.replaced_message_not_utf8 {
            return Err(WireError::NotUtf8);
        }
        check_utf8(self.message)
    }

    /// The `details`, in order, each read on its own.
    pub(crate) fn details(&self) -> impl Iterator<Item = Result<AnyView<'a>, WireError>> + use<'a> {
        let remembered = self.detail_count.min(REMEMBERED_DETAILS);
        let rest = (self.detail_count > REMEMBERED_DETAILS).then(|| {
            Fields::new(self.bytes)
                .filter_map(|field| match field {
                    Ok((STATUS_DETAILS, Value::LengthDelimited(bytes))) => Some(bytes),
                    _ => None,
                })
                .skip(REMEMBERED_DETAILS)
        });
        self.details
            .into_iter()
            .take(remembered)
            .chain(rest.into_iter().flatten())
            .map(AnyView::parse)
    }
}

/// A `google.protobuf.Any`, read in place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct AnyView<'a> {
    /// Not checked for UTF-8 until [`check_type_url`](Self::check_type_url):
    /// finding a detail by name needs only its bytes.
    type_url: &'a [u8],
    /// Whether a `type_url` that a later occurrence replaced was not UTF-8.
    replaced_type_url_not_utf8: bool,
    pub(crate) value: &'a [u8],
}

impl<'a> AnyView<'a> {
    fn parse(bytes: &'a [u8]) -> Result<AnyView<'a>, WireError> {
        let mut view = AnyView {
            type_url: &[],
            replaced_type_url_not_utf8: false,
            value: &[],
        };
        for field in Fields::new(bytes) {
            match field? {
                (ANY_TYPE_URL, value) => {
                    let replaced = std::mem::replace(&mut view.type_url, as_bytes(value)?);
                    view.replaced_type_url_not_utf8 |= check_utf8(replaced).is_err();
                }
                (ANY_VALUE, value) => view.value = as_bytes(value)?,
                _ => {}
            }
        }
        Ok(view)
    }

    /// Whether the type URL names `type_name`, whatever its host prefix,
    /// as protobuf's own `Any.Is` reads it: the part after the last `/`.
    pub(crate) fn is(&self, type_name: &str) -> bool {
        let url = self.type_url;
        let name = type_name.as_bytes();
        url.len() >= name.len()
            && url.ends_with(name)
            && (url.len() == name.len() || url[url.len() - name.len() - 1] == b'/')
    }

    /// The type URL as sent.
    pub(crate) fn type_url(&self) -> &'a [u8] {
        self.type_url
    }

    /// The part of the type URL after its last `/`.
    pub(crate) fn type_name(&self) -> &'a [u8] {
        let url = self.type_url;
        match url.iter().rposition(|&b| b == b'/') {
            Some(slash) => &url[slash + 1..],
            None => url,
        }
    }

    /// Whether every occurrence of the type URL is UTF-8, as prost requires.
    pub(crate) fn check_type_url(&self) -> Result<(), WireError> {
        if self.replaced_type_url_not_utf8 {
            return Err(WireError::NotUtf8);
        }
        check_utf8(self.type_url)
    }
}

/// A `google.rpc.ErrorInfo`, read in place. Its strings stay bytes until
/// asked for: finding a code needs only a byte comparison and a few digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ErrorInfoView<'a> {
    pub(crate) reason: &'a [u8],
    pub(crate) domain: &'a [u8],
    /// The value of the last metadata entry whose key is `code`.
    pub(crate) code: Option<&'a [u8]>,
    /// Whether a string that a later occurrence of its field replaced (the
    /// reason, the domain, or a map entry's key or value) was not UTF-8.
    replaced_not_utf8: bool,
    bytes: &'a [u8],
}

impl<'a> ErrorInfoView<'a> {
    /// Checks the framing of the message and its map entries.
    pub(crate) fn parse(bytes: &'a [u8]) -> Result<ErrorInfoView<'a>, WireError> {
        let mut view = ErrorInfoView {
            reason: &[],
            domain: &[],
            code: None,
            replaced_not_utf8: false,
            bytes,
        };
        for field in Fields::new(bytes) {
            let replaced = match field? {
                (ERROR_INFO_REASON, value) => std::mem::replace(&mut view.reason, as_bytes(value)?),
                (ERROR_INFO_DOMAIN, value) => std::mem::replace(&mut view.domain, as_bytes(value)?),
                (ERROR_INFO_METADATA, value) => {
                    let entry = map_entry(as_bytes(value)?)?;
                    view.replaced_not_utf8 |= entry.replaced_not_utf8;
                    if entry.key == METADATA_CODE_KEY.as_bytes() {
                        view.code = Some(entry.value);
                    }
                    continue;
                }
                _ => continue,
            };
            view.replaced_not_utf8 |= check_utf8(replaced).is_err();
        }
        Ok(view)
    }

    /// Whether every string is UTF-8, as prost requires: every occurrence
    /// of each, including those a later occurrence replaced.
    pub(crate) fn check_utf8(&self) -> Result<(), WireError> {
        if self.replaced_not_utf8 {
            return Err(WireError::NotUtf8);
        }
        check_utf8(self.reason)?;
        check_utf8(self.domain)?;
        self.metadata().try_for_each(|(key, value)| {
            check_utf8(key)?;
            check_utf8(value)
        })
    }

    /// Whether the strings are UTF-8 in the occurrences that a later one
    /// replaced, which the copies of the last ones cannot show.
    pub(crate) fn check_replaced_utf8(&self) -> Result<(), WireError> {
        if self.replaced_not_utf8 {
            Err(WireError::NotUtf8)
        } else {
            Ok(())
        }
    }

    /// The metadata entries in wire order; a later entry of the same key
    /// replaces an earlier one, as in a protobuf map.
    pub(crate) fn metadata(&self) -> impl Iterator<Item = (&'a [u8], &'a [u8])> + use<'a> {
        Fields::new(self.bytes).filter_map(|field| match field {
            Ok((ERROR_INFO_METADATA, Value::LengthDelimited(entry))) => {
                map_entry(entry).ok().map(|entry| (entry.key, entry.value))
            }
            _ => None,
        })
    }
}

/// Most strings here are ASCII, which needs no decoder to vouch for it.
pub(crate) fn check_utf8(bytes: &[u8]) -> Result<(), WireError> {
    if bytes.is_ascii() || std::str::from_utf8(bytes).is_ok() {
        Ok(())
    } else {
        Err(WireError::NotUtf8)
    }
}

/// One `map<string, string>` entry: its last key and value, and whether an
/// earlier key or value that they replaced was not UTF-8.
struct MapEntry<'a> {
    key: &'a [u8],
    value: &'a [u8],
    replaced_not_utf8: bool,
}

fn map_entry(bytes: &[u8]) -> Result<MapEntry<'_>, WireError> {
    let mut entry = MapEntry {
        key: &[],
        value: &[],
        replaced_not_utf8: false,
    };
    for field in Fields::new(bytes) {
        let replaced = match field? {
            (MAP_KEY, field) => std::mem::replace(&mut entry.key, as_bytes(field)?),
            (MAP_VALUE, field) => std::mem::replace(&mut entry.value, as_bytes(field)?),
            _ => continue,
        };
        entry.replaced_not_utf8 |= check_utf8(replaced).is_err();
    }
    Ok(entry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost::Message;
    use tonic_types::pb;

    fn error_info_any(info: &pb::ErrorInfo) -> prost_types::Any {
        prost_types::Any {
            type_url: "type.googleapis.com/google.rpc.ErrorInfo".to_owned(),
            value: info.encode_to_vec(),
        }
    }

    #[test]
    fn reads_what_prost_writes() {
        let info = pb::ErrorInfo {
            reason: "CHANNEL_NOT_FOUND".to_owned(),
            domain: "chat.errors.v1".to_owned(),
            metadata: [("code", "2003"), ("message", "ChannelNotFound")]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        };
        let status = pb::Status {
            code: 5,
            message: "존재하지 않는 채널".to_owned(),
            details: vec![error_info_any(&info)],
        };
        let bytes = status.encode_to_vec();
        let view = StatusView::parse(&bytes).unwrap();
        assert_eq!(view.code, 5);
        assert_eq!(view.message, "존재하지 않는 채널".as_bytes());
        let details: Vec<_> = view.details().collect::<Result<_, _>>().unwrap();
        assert_eq!(details.len(), 1);
        assert_eq!(details[0].type_name(), b"google.rpc.ErrorInfo");
        assert!(details[0].is("google.rpc.ErrorInfo"));
        assert!(!details[0].is("rpc.ErrorInfo"));
        assert_eq!(details[0].check_type_url(), Ok(()));
        let info_view = ErrorInfoView::parse(details[0].value).unwrap();
        assert_eq!(info_view.reason, b"CHANNEL_NOT_FOUND");
        assert_eq!(info_view.domain, b"chat.errors.v1");
        assert_eq!(info_view.code, Some(&b"2003"[..]));
        let mut metadata: Vec<_> = info_view.metadata().collect();
        metadata.sort();
        assert_eq!(
            metadata,
            [
                (&b"code"[..], &b"2003"[..]),
                (&b"message"[..], &b"ChannelNotFound"[..])
            ]
        );
    }

    #[test]
    fn a_repeated_singular_field_keeps_its_last_value_and_unknown_fields_are_skipped() {
        // reason "A", an unknown fixed32 field 9, a group 10 holding a varint, reason "BB",
        // a metadata entry code=1 then code=2.
        let bytes = [
            0x0a, 1, b'A', 0x4d, 1, 2, 3, 4, 0x53, 0x08, 1, 0x54, 0x0a, 2, b'B', b'B', 0x1a, 9,
            0x0a, 4, b'c', b'o', b'd', b'e', 0x12, 1, b'1', 0x1a, 9, 0x0a, 4, b'c', b'o', b'd',
            b'e', 0x12, 1, b'2',
        ];
        let prost_info = pb::ErrorInfo::decode(&bytes[..]).unwrap();
        let view = ErrorInfoView::parse(&bytes).unwrap();
        assert_eq!(view.reason, prost_info.reason.as_bytes());
        assert_eq!(view.reason, b"BB");
        assert_eq!(view.code, Some(&b"2"[..]));
        assert_eq!(prost_info.metadata["code"], "2");
    }

    #[test]
    fn malformed_input_is_an_error_where_prost_fails_too() {
        let cases: [(&[u8], WireError); 6] = [
            (&[0x0a, 5, b'a'], WireError::Truncated),
            (
                &[
                    0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02,
                ],
                WireError::VarintTooLong,
            ),
            (&[0x00], WireError::InvalidKey),
            (&[0x20, 1, 0x0f], WireError::InvalidKey),
            (&[0x0a, 2, 0xff, 0xfe], WireError::NotUtf8),
            (&[0x53, 0x08, 1], WireError::Truncated),
        ];
        for (bytes, expected) in cases {
            let checked = ErrorInfoView::parse(bytes).and_then(|view| check_utf8(view.reason));
            assert_eq!(checked, Err(expected), "{bytes:?}");
            assert!(pb::ErrorInfo::decode(bytes).is_err(), "{bytes:?}");
        }
        assert_eq!(
            StatusView::parse(&[0x0a, 1, 0]),
            Err(WireError::WrongWireType)
        );
    }

    #[test]
    fn field_numbers_are_refused_where_prost_refuses_them() {
        // A varint field of number n: its key, then the value 1.
        let field = |number: u64| {
            let mut bytes = Vec::new();
            prost::encoding::encode_varint(number << 3, &mut bytes);
            bytes.push(1);
            bytes
        };
        for (number, accepted) in [
            (9u64, true),
            ((1 << 29) - 1, true),
            (1 << 29, false),
            ((1 << 32) - 1, false),
            (1 << 40, false),
        ] {
            let bytes = field(number);
            assert_eq!(
                pb::ErrorInfo::decode(&bytes[..]).is_ok(),
                accepted,
                "prost, field {number}"
            );
            assert_eq!(
                ErrorInfoView::parse(&bytes).is_ok(),
                accepted,
                "ours, field {number}"
            );
        }
        for bytes in [&[0x06, 1][..], &[0x07, 1], &[0x0c], &[0x00, 1]] {
            assert!(pb::ErrorInfo::decode(bytes).is_err(), "{bytes:?}");
            assert!(ErrorInfoView::parse(bytes).is_err(), "{bytes:?}");
        }
        assert!(pb::Status::decode(&[0x0a, 1, 0][..]).is_err());
    }

    #[test]
    fn details_past_the_remembered_ones_are_read_in_order() {
        let status = pb::Status {
            code: 5,
            message: String::new(),
            details: (0..20)
                .map(|index| prost_types::Any {
                    type_url: format!("type.googleapis.com/t{index}"),
                    value: vec![index],
                })
                .collect(),
        };
        let bytes = status.encode_to_vec();
        let view = StatusView::parse(&bytes).unwrap();
        let values: Vec<u8> = view.details().map(|d| d.unwrap().value[0]).collect();
        assert_eq!(values, (0..20).collect::<Vec<u8>>());
    }

    #[test]
    fn every_occurrence_of_a_repeated_string_field_must_be_utf8_as_prost_checks_it() {
        // Each field twice: first not UTF-8, then a valid value that a reader
        // keeping only the last occurrence would check alone.
        let twice = |key: u8| [key, 1, 0xff, key, 1, b'a'];
        let status_message = twice(0x12);
        assert!(pb::Status::decode(&status_message[..]).is_err());
        let view = StatusView::parse(&status_message).unwrap();
        assert_eq!(view.message, b"a");
        assert_eq!(view.check_message_utf8(), Err(WireError::NotUtf8));

        let type_url = twice(0x0a);
        assert!(prost_types::Any::decode(&type_url[..]).is_err());
        let any = AnyView::parse(&type_url).unwrap();
        assert_eq!(any.check_type_url(), Err(WireError::NotUtf8));

        let map_key_twice = [0x1a, 6, 0x0a, 1, 0xff, 0x0a, 1, b'k'];
        let map_value_twice = [0x1a, 6, 0x12, 1, 0xff, 0x12, 1, b'v'];
        for info in [
            &twice(0x0a)[..],
            &twice(0x12),
            &map_key_twice,
            &map_value_twice,
        ] {
            assert!(pb::ErrorInfo::decode(info).is_err(), "{info:?}");
            let view = ErrorInfoView::parse(info).unwrap();
            assert_eq!(view.check_utf8(), Err(WireError::NotUtf8), "{info:?}");
            assert_eq!(
                view.check_replaced_utf8(),
                Err(WireError::NotUtf8),
                "{info:?}"
            );
        }

        // Valid text in every occurrence is read as prost reads it: the last wins.
        let valid = [0x12, 1, b'x', 0x12, 1, b'a'];
        assert_eq!(pb::Status::decode(&valid[..]).unwrap().message, "a");
        let view = StatusView::parse(&valid).unwrap();
        assert_eq!(
            (view.message, view.check_message_utf8()),
            (&b"a"[..], Ok(()))
        );
    }

    #[test]
    fn deeply_nested_groups_are_refused_without_recursion() {
        let bytes = vec![0x53; 10_000];
        assert_eq!(ErrorInfoView::parse(&bytes), Err(WireError::BadGroup));
    }
}
