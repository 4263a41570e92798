//! Protobuf messages as trees of fields, written by hand, so that cases
//! can put any wire type, any bytes or any repeat at any place in a status.
//! Nothing here comes from the crate under test.

/// One field's value and so its wire type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Val {
    Varint(u64),
    Fixed64(u64),
    /// A length-delimited string field (its text is meant to be UTF-8).
    Str(Vec<u8>),
    /// A length-delimited embedded message.
    Msg(Vec<Field>),
    Group(Vec<Field>),
    Fixed32(u32),
    /// Bytes written as they are, with no key: broken keys and framing.
    Raw(Vec<u8>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub number: u32,
    pub val: Val,
}

pub fn field(number: u32, val: Val) -> Field {
    Field { number, val }
}

pub fn text(number: u32, value: &str) -> Field {
    field(number, Val::Str(value.as_bytes().to_vec()))
}

pub fn varint(value: u64, out: &mut Vec<u8>) {
    let mut value = value;
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn key(number: u32, wire_type: u64, out: &mut Vec<u8>) {
    varint((u64::from(number) << 3) | wire_type, out);
}

pub fn encode(fields: &[Field]) -> Vec<u8> {
    let mut out = Vec::new();
    for f in fields {
        encode_field(f, &mut out);
    }
    out
}

fn encode_field(f: &Field, out: &mut Vec<u8>) {
    match &f.val {
        Val::Varint(value) => {
            key(f.number, 0, out);
            varint(*value, out);
        }
        Val::Fixed64(value) => {
            key(f.number, 1, out);
            out.extend_from_slice(&value.to_le_bytes());
        }
        Val::Str(bytes) => {
            key(f.number, 2, out);
            varint(bytes.len() as u64, out);
            out.extend_from_slice(bytes);
        }
        Val::Msg(fields) => {
            let inner = encode(fields);
            key(f.number, 2, out);
            varint(inner.len() as u64, out);
            out.extend_from_slice(&inner);
        }
        Val::Group(fields) => {
            key(f.number, 3, out);
            out.extend_from_slice(&encode(fields));
            key(f.number, 4, out);
        }
        Val::Fixed32(value) => {
            key(f.number, 5, out);
            out.extend_from_slice(&value.to_le_bytes());
        }
        Val::Raw(bytes) => out.extend_from_slice(bytes),
    }
}

/// The path of every field at every depth of embedded messages, parents
/// before their children.
pub fn paths(fields: &[Field]) -> Vec<Vec<usize>> {
    let mut all = Vec::new();
    walk(fields, &mut Vec::new(), &mut all);
    all
}

fn walk(fields: &[Field], prefix: &mut Vec<usize>, all: &mut Vec<Vec<usize>>) {
    for (index, f) in fields.iter().enumerate() {
        prefix.push(index);
        all.push(prefix.clone());
        if let Val::Msg(inner) = &f.val {
            walk(inner, prefix, all);
        }
        prefix.pop();
    }
}

/// The paths of the embedded messages (the top level is `[]`).
pub fn message_paths(fields: &[Field]) -> Vec<Vec<usize>> {
    let mut all = vec![Vec::new()];
    all.extend(
        paths(fields)
            .into_iter()
            .filter(|path| matches!(get(fields, path).val, Val::Msg(_))),
    );
    all
}

pub fn get<'a>(fields: &'a [Field], path: &[usize]) -> &'a Field {
    let (&first, rest) = path.split_first().expect("a non-empty path");
    let f = &fields[first];
    if rest.is_empty() {
        return f;
    }
    match &f.val {
        Val::Msg(inner) => get(inner, rest),
        _ => panic!("a path through a field that is not a message"),
    }
}

/// The field list that `path` (a message path) names.
pub fn fields_at<'a>(fields: &'a mut Vec<Field>, path: &[usize]) -> &'a mut Vec<Field> {
    match path.split_first() {
        None => fields,
        Some((&first, rest)) => match &mut fields[first].val {
            Val::Msg(inner) => fields_at(inner, rest),
            _ => panic!("a path through a field that is not a message"),
        },
    }
}

/// The parent message's fields of `path` and the field's index in it.
pub fn parent_of<'a>(fields: &'a mut Vec<Field>, path: &[usize]) -> (&'a mut Vec<Field>, usize) {
    let (&last, parent) = path.split_last().expect("a non-empty path");
    (fields_at(fields, parent), last)
}

/// A description of the path by field number and position, e.g.
/// `3[2].2[1].1[0]` for the reason of the ErrorInfo in the third field.
pub fn describe(fields: &[Field], path: &[usize]) -> String {
    let mut numbers = Vec::new();
    let mut level = fields;
    for &index in path {
        let f = &level[index];
        numbers.push(format!("{}[{index}]", f.number));
        if let Val::Msg(inner) = &f.val {
            level = inner;
        }
    }
    numbers.join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_wire_format_by_the_book() {
        let message = vec![
            field(1, Val::Varint(300)),
            text(2, "hi"),
            field(3, Val::Msg(vec![field(1, Val::Fixed32(1))])),
            field(4, Val::Group(vec![field(1, Val::Varint(1))])),
            field(5, Val::Fixed64(2)),
        ];
        assert_eq!(
            encode(&message),
            [
                0x08, 0xac, 0x02, 0x12, 2, b'h', b'i', 0x1a, 5, 0x0d, 1, 0, 0, 0, 0x23, 0x08, 1,
                0x24, 0x29, 2, 0, 0, 0, 0, 0, 0, 0
            ]
        );
        assert_eq!(paths(&message).len(), 6);
        assert_eq!(describe(&message, &[2, 0]), "3[2].1[0]");
    }
}
