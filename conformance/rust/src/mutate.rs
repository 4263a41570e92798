//! Seeded mutations of real statuses, HTTP bodies and `accept-language`
//! values: the corpus's `mutations` group and the checker's differential
//! fuzz both draw from here, so a seed names the same inputs everywhere.

use serde_json::{Value, json};

use crate::cases::NOT_UTF8;
use crate::catalogue::{Row, rows};
use crate::pbtree::{self, Field, Val, encode, field};
use crate::statuses::*;

/// xorshift64*, seeded through splitmix64: small, fast, and the same on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Rng((z ^ (z >> 31)) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Which input kinds a runner answers.
#[derive(Clone, Copy, Debug)]
pub struct Kinds {
    pub decode: bool,
    pub negotiate: bool,
}

pub struct Generator {
    rows: Vec<Row>,
    rng: Rng,
    kinds: Kinds,
}

const STRINGS: [&str; 16] = [
    "",
    "2003",
    "02003",
    "+2003",
    "9999",
    "-1",
    "abc",
    "CHANNEL_NOT_FOUND",
    "MUTED_IN_CHANNEL",
    "ChannelNotFound",
    "chat.errors.v1",
    "code",
    "message",
    "ko-KR",
    "존재하지 않는 채널",
    "type.googleapis.com/google.rpc.ErrorInfo",
];

const NUMBERS: [u64; 9] = [
    0,
    1,
    5,
    16,
    17,
    u64::MAX,
    1 << 31,
    (1 << 32) + 5,
    315_576_000_001,
];

impl Generator {
    pub fn new(seed: u64, kinds: Kinds) -> Generator {
        Generator {
            rows: rows(),
            rng: Rng::new(seed),
            kinds,
        }
    }

    /// The next input, without an id.
    pub fn next_input(&mut self) -> Value {
        let roll = self.rng.below(100);
        match (self.kinds.decode, self.kinds.negotiate) {
            (true, true) if roll < 6 => self.negotiate(),
            (false, true) => self.negotiate(),
            _ if roll < 25 => self.http(),
            _ => self.grpc(),
        }
    }

    fn grpc(&mut self) -> Value {
        let row = self.rng.pick(&self.rows).clone();
        let mut tree = if self.rng.chance(50) {
            full(&row)
        } else {
            contract(&row, DOMAIN)
        };
        let (code, message) = (row.grpc_code, row.description_en.clone());
        for _ in 0..1 + self.rng.below(3) {
            self.mutate_tree(&mut tree);
        }
        let mut bytes = encode(&tree);
        if self.rng.chance(30) {
            for _ in 0..1 + self.rng.below(2) {
                self.mutate_bytes(&mut bytes);
            }
        }
        let mut input = if self.rng.chance(80) {
            // The trailers agree with the details' own code and message.
            let mut input = grpc_status_input(&tree);
            input["headers"]["grpc-status-details-bin"] = Value::String(base64_unpadded(&bytes));
            input
        } else {
            grpc_bytes_input(code, &message, &bytes)
        };
        if self.rng.chance(15) {
            self.mutate_headers(&mut input["headers"]);
        }
        if self.rng.chance(5) {
            input["domain"] = json!("billing.example.com");
        }
        input
    }

    fn mutate_tree(&mut self, tree: &mut Vec<Field>) {
        let paths = pbtree::paths(tree);
        if paths.is_empty() {
            return;
        }
        let path = self.rng.pick(&paths).clone();
        let original = pbtree::get(tree, &path).clone();
        let replacement = match self.rng.below(9) {
            0 => Val::Varint(*self.rng.pick(&NUMBERS)),
            1 => Val::Fixed32(self.rng.next_u64() as u32),
            2 => Val::Fixed64(self.rng.next_u64()),
            3 => Val::Group(Vec::new()),
            4 => Val::Str(self.rng.pick(&STRINGS).as_bytes().to_vec()),
            5 => Val::Str(self.rng.pick(&NOT_UTF8).1.to_vec()),
            6 => match original.val {
                Val::Varint(_) => Val::Varint(*self.rng.pick(&NUMBERS)),
                Val::Str(_) => Val::Str(self.rng.pick(&STRINGS).as_bytes().to_vec()),
                Val::Msg(_) => Val::Msg(Vec::new()),
                other => other,
            },
            _ => original.val.clone(),
        };
        let (parent, index) = pbtree::parent_of(tree, &path);
        match self.rng.below(4) {
            0 => parent[index].val = replacement,
            1 => {
                parent.remove(index);
            }
            2 => parent.insert(index, field(original.number, replacement)),
            _ => parent.insert(index + 1, field(original.number, replacement)),
        }
    }

    fn mutate_bytes(&mut self, bytes: &mut Vec<u8>) {
        let at = self.rng.below(bytes.len() + 1);
        match self.rng.below(5) {
            0 if at < bytes.len() => bytes[at] = self.rng.next_u64() as u8,
            1 if at < bytes.len() => {
                bytes.remove(at);
            }
            2 => bytes.insert(at, self.rng.next_u64() as u8),
            3 => {
                let end = (at + 1 + self.rng.below(16)).min(bytes.len());
                let run = bytes[at.min(end)..end].to_vec();
                bytes.splice(at..at, run);
            }
            _ => bytes.truncate(at),
        }
    }

    fn mutate_headers(&mut self, headers: &mut Value) {
        let map = headers.as_object_mut().expect("headers are an object");
        match self.rng.below(6) {
            0 => {
                let status = *self
                    .rng
                    .pick(&["0", "2", "3", "5", "13", "16", "17", "05", "x", ""]);
                map.insert("grpc-status".into(), json!(status));
            }
            1 => {
                let message = *self.rng.pick(&[
                    "",
                    "other",
                    "%FF",
                    "%zz",
                    "The%20channel%20does%20not%20exist.",
                    "%EC%A1",
                ]);
                map.insert("grpc-message".into(), json!(message));
            }
            2 => {
                let name =
                    *self
                        .rng
                        .pick(&["grpc-status", "grpc-message", "grpc-status-details-bin"]);
                map.remove(name);
            }
            _ => {
                let Some(Value::String(details)) = map.get("grpc-status-details-bin") else {
                    return;
                };
                let mut chars: Vec<char> = details.chars().collect();
                let at = self.rng.below(chars.len() + 1);
                match self.rng.below(4) {
                    0 => chars.insert(at, *self.rng.pick(&['=', '-', '_', ' ', '*', 'A', '/'])),
                    1 if at < chars.len() => {
                        chars.remove(at);
                    }
                    2 => chars.truncate(at),
                    _ => chars.push('='),
                }
                let text: String = chars.into_iter().collect();
                map.insert("grpc-status-details-bin".into(), json!(text));
            }
        }
    }

    fn http(&mut self) -> Value {
        let row = self.rng.pick(&self.rows).clone();
        let mut spec = json!({"code": row.code, "locale": *self.rng.pick(&["ko-KR", "en-US"])});
        if self.rng.chance(40) {
            spec["retry_delay"] = json!("1500000000");
            spec["metadata"] = json!({"channelId": "7"});
            spec["field_violations"] = json!([{"field": "f", "description": "d", "reason": "R"}]);
            spec["resource_info"] = json!({"resource_type": "t", "resource_name": "n"});
            spec["request_info"] = json!({"request_id": "r"});
        }
        let (mut status, aip, gateway) =
            crate::view::render_http(&spec).expect("a catalogue code renders");
        let body = sorted_body(if self.rng.chance(50) { &aip } else { &gateway });
        let body = if self.rng.chance(70) {
            let mut value: Value = serde_json::from_str(&body).expect("the crate renders JSON");
            for _ in 0..1 + self.rng.below(3) {
                self.mutate_json(&mut value);
            }
            crate::canonical::to_line(&value)
        } else {
            self.mutate_text(&body)
        };
        if self.rng.chance(10) {
            status = *self.rng.pick(&[200, 400, 401, 404, 409, 429, 500, 503]);
        }
        let mut input = http_input(status, &body);
        if self.rng.chance(5) {
            input["domain"] = json!("billing.example.com");
        }
        input
    }

    fn mutate_json(&mut self, value: &mut Value) {
        // Pick a random path down, as a JSON pointer, then change what is there.
        let mut pointer = String::new();
        let mut at: &Value = value;
        for _ in 0..self.rng.below(6) {
            let step = match at {
                Value::Object(map) if !map.is_empty() => {
                    let key = map.keys().nth(self.rng.below(map.len())).expect("a key");
                    Some((key.replace('~', "~0").replace('/', "~1"), &map[key]))
                }
                Value::Array(items) if !items.is_empty() => {
                    let index = self.rng.below(items.len());
                    Some((index.to_string(), &items[index]))
                }
                _ => None,
            };
            let Some((token, child)) = step else { break };
            pointer.push('/');
            pointer.push_str(&token);
            at = child;
        }
        let node = value
            .pointer_mut(&pointer)
            .expect("the pointer just walked");
        match self.rng.below(8) {
            0 => *node = Value::Null,
            1 => *node = json!(*self.rng.pick(&NUMBERS) as i64),
            2 => *node = json!(*self.rng.pick(&STRINGS)),
            3 => *node = json!([]),
            4 => *node = json!({}),
            5 => *node = json!(true),
            6 => {
                if let Value::Object(map) = node
                    && !map.is_empty()
                {
                    let key = map
                        .keys()
                        .nth(self.rng.below(map.len()))
                        .cloned()
                        .expect("a key");
                    map.remove(&key);
                }
            }
            _ => {
                if let Value::Array(items) = node
                    && !items.is_empty()
                {
                    let copy = items[self.rng.below(items.len())].clone();
                    items.push(copy);
                }
            }
        }
    }

    fn mutate_text(&mut self, text: &str) -> String {
        let mut chars: Vec<char> = text.chars().collect();
        for _ in 0..1 + self.rng.below(3) {
            let at = self.rng.below(chars.len() + 1);
            match self.rng.below(3) {
                0 => chars.insert(
                    at,
                    *self
                        .rng
                        .pick(&['{', '}', '[', ']', '"', ',', ':', '0', 'a', '\\', ' ', 'é']),
                ),
                1 if at < chars.len() => {
                    chars.remove(at);
                }
                _ => chars.truncate(at.max(chars.len() / 2)),
            }
        }
        chars.into_iter().collect()
    }

    fn negotiate(&mut self) -> Value {
        const PARTS: [&str; 18] = [
            "ko", "ko-KR", "en", "en-US", "en-GB", "fr", "*", ";q=0", ";q=0.5", ";q=1", ";q=0.001",
            ";q=2", ", ", ",", " ", "-", "x", "zh-Hant",
        ];
        let mut value = String::new();
        for _ in 0..1 + self.rng.below(6) {
            let part: &&str = self.rng.pick(&PARTS);
            value.push_str(part);
        }
        json!({"negotiate": value})
    }
}
