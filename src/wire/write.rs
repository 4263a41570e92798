//! The few protobuf writing primitives the details encoder needs, so that a
//! status can be written in one pass into one exactly-sized buffer.

use prost::Message;

use crate::wire::field::{ANY_TYPE_URL, ANY_VALUE, MAP_KEY, MAP_VALUE};

const VARINT: u32 = 0;
const LENGTH_DELIMITED: u32 = 2;

pub(crate) fn varint_len(value: u64) -> usize {
    // Seven bits a byte, and zero still takes one byte.
    (64 - (value | 1).leading_zeros() as usize).div_ceil(7)
}

pub(crate) fn put_varint(buf: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        buf.push((value as u8) | 0x80);
        value >>= 7;
    }
    buf.push(value as u8);
}

fn key_len(tag: u32) -> usize {
    varint_len(u64::from(tag << 3))
}

fn put_key(buf: &mut Vec<u8>, tag: u32, wire_type: u32) {
    put_varint(buf, u64::from(tag << 3 | wire_type));
}

/// The bytes a length-delimited field of `len` bytes takes, key included.
pub(crate) fn field_len(tag: u32, len: usize) -> usize {
    key_len(tag) + varint_len(len as u64) + len
}

/// A string field as proto3 writes it: left out when empty.
pub(crate) fn string_field_len(tag: u32, text: &str) -> usize {
    if text.is_empty() {
        0
    } else {
        field_len(tag, text.len())
    }
}

/// The key and length of a length-delimited field whose `len` bytes follow.
pub(crate) fn put_field_header(buf: &mut Vec<u8>, tag: u32, len: usize) {
    put_key(buf, tag, LENGTH_DELIMITED);
    put_varint(buf, len as u64);
}

pub(crate) fn put_string_field(buf: &mut Vec<u8>, tag: u32, text: &str) {
    put_bytes_field(buf, tag, text.as_bytes());
}

/// A `bytes` or `string` field, left out when empty.
pub(crate) fn put_bytes_field(buf: &mut Vec<u8>, tag: u32, bytes: &[u8]) {
    if !bytes.is_empty() {
        put_field_header(buf, tag, bytes.len());
        buf.extend_from_slice(bytes);
    }
}

/// An `int32` field, left out when zero.
pub(crate) fn int32_field_len(tag: u32, value: i32) -> usize {
    if value == 0 {
        0
    } else {
        // Negative int32s are sign-extended to ten bytes, as protobuf requires.
        key_len(tag) + varint_len(i64::from(value) as u64)
    }
}

pub(crate) fn put_int32_field(buf: &mut Vec<u8>, tag: u32, value: i32) {
    if value != 0 {
        put_key(buf, tag, VARINT);
        put_varint(buf, i64::from(value) as u64);
    }
}

/// A `map<string, string>` entry's body.
pub(crate) fn map_entry_len(key: &str, value: &str) -> usize {
    string_field_len(MAP_KEY, key) + string_field_len(MAP_VALUE, value)
}

pub(crate) fn put_map_entry(buf: &mut Vec<u8>, tag: u32, key: &str, value: &str) {
    put_field_header(buf, tag, map_entry_len(key, value));
    put_string_field(buf, MAP_KEY, key);
    put_string_field(buf, MAP_VALUE, value);
}

/// The bytes of a `google.protobuf.Any` body holding `value_len` bytes.
pub(crate) fn any_len(type_url: &str, value_len: usize) -> usize {
    string_field_len(ANY_TYPE_URL, type_url) + field_len(ANY_VALUE, value_len)
}

/// Writes an `Any`'s type URL and the header of its value, whose
/// `value_len` bytes the caller writes next.
pub(crate) fn put_any_header(buf: &mut Vec<u8>, type_url: &str, value_len: usize) {
    put_string_field(buf, ANY_TYPE_URL, type_url);
    put_field_header(buf, ANY_VALUE, value_len);
}

/// Writes `message` without a length prefix.
pub(crate) fn put_message(buf: &mut Vec<u8>, message: &impl Message) {
    if message.encode(buf).is_err() {
        unreachable!("a Vec grows to fit any message");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_match_prost() {
        for value in [
            0,
            1,
            127,
            128,
            16_383,
            16_384,
            u64::from(u32::MAX),
            u64::MAX,
        ] {
            let mut ours = Vec::new();
            put_varint(&mut ours, value);
            let mut theirs = Vec::new();
            prost::encoding::encode_varint(value, &mut theirs);
            assert_eq!(ours, theirs, "{value}");
            assert_eq!(varint_len(value), theirs.len(), "{value}");
        }
    }

    #[test]
    fn int32_fields_match_prost() {
        for value in [0, 1, 5, 300, -1, i32::MIN, i32::MAX] {
            let status = tonic_types::pb::Status {
                code: value,
                ..Default::default()
            };
            let mut ours = Vec::new();
            put_int32_field(&mut ours, 1, value);
            assert_eq!(ours, status.encode_to_vec(), "{value}");
            assert_eq!(int32_field_len(1, value), ours.len(), "{value}");
        }
    }
}
