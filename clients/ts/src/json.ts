// A JSON parser that accepts exactly what serde_json (the Rust crate's
// parser) accepts: RFC 8259 with no extensions, nesting under 128 levels, no
// unpaired surrogate escapes, no number that overflows a double. Numbers
// keep how they were written, because the crate reads an HTTP error's codes
// only when they are integers in the text.

/** A JSON number as serde_json holds it. */
export class JsonNumber {
  constructor(
    /** The number as a double. */
    readonly value: number,
    /** Set when the text is an integer that serde_json holds as u64 or i64. */
    readonly integer: bigint | undefined,
  ) {}
}

export type Json = null | boolean | string | JsonNumber | Json[] | { [key: string]: Json };

export class NotJson extends Error {}

/** serde_json's recursion limit: the 128th nested array or object is refused. */
const MAX_DEPTH = 127;
const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;

export function parseJson(text: string): Json {
  let pos = 0;
  const fail = (what: string): never => {
    throw new NotJson(`${what} at ${pos}`);
  };
  const space = (): void => {
    for (;;) {
      const char = text.charCodeAt(pos);
      if (char === 0x20 || char === 0x09 || char === 0x0a || char === 0x0d) pos++;
      else return;
    }
  };
  const hex4 = (): number => {
    const digits = text.slice(pos, pos + 4);
    if (!/^[0-9A-Fa-f]{4}$/.test(digits)) fail("invalid escape");
    pos += 4;
    return parseInt(digits, 16);
  };
  const string = (): string => {
    pos++;
    let out = "";
    let from = pos;
    for (;;) {
      if (pos >= text.length) fail("EOF while parsing a string");
      const char = text.charCodeAt(pos);
      if (char === 0x22) {
        out += text.slice(from, pos);
        pos++;
        return out;
      }
      if (char < 0x20) fail("control character in a string");
      if (char >= 0xd800 && char <= 0xdfff) {
        // A JavaScript string can hold what UTF-8 text cannot.
        const pair = text.codePointAt(pos)!;
        if (pair <= 0xffff) fail("invalid unicode");
        pos += 2;
        continue;
      }
      if (char !== 0x5c) {
        pos++;
        continue;
      }
      out += text.slice(from, pos);
      pos++;
      const escape = text[pos++];
      switch (escape) {
        case '"':
        case "\\":
        case "/":
          out += escape;
          break;
        case "b":
          out += "\b";
          break;
        case "f":
          out += "\f";
          break;
        case "n":
          out += "\n";
          break;
        case "r":
          out += "\r";
          break;
        case "t":
          out += "\t";
          break;
        case "u": {
          const unit = hex4();
          if (unit >= 0xdc00 && unit <= 0xdfff) fail("lone trailing surrogate");
          if (unit >= 0xd800 && unit <= 0xdbff) {
            if (text[pos] !== "\\" || text[pos + 1] !== "u") fail("lone leading surrogate");
            pos += 2;
            const low = hex4();
            if (low < 0xdc00 || low > 0xdfff) fail("lone leading surrogate");
            out += String.fromCharCode(unit, low);
          } else out += String.fromCharCode(unit);
          break;
        }
        default:
          fail("invalid escape");
      }
      from = pos;
    }
  };
  const number = (): JsonNumber => {
    NUMBER.lastIndex = pos;
    const match = NUMBER.exec(text);
    if (!match) return fail("invalid number");
    pos += match[0].length;
    const value = Number(match[0]);
    if (!Number.isFinite(value)) fail("number out of range");
    if (match[1] !== undefined || match[2] !== undefined) return new JsonNumber(value, undefined);
    const integer = BigInt(match[0]);
    // serde_json holds -0 and integers past i64/u64 as doubles.
    const held = integer > 0n || (integer === 0n && !match[0].startsWith("-")) ? integer <= U64_MAX : integer < 0n && integer >= I64_MIN;
    return new JsonNumber(value + 0, held ? integer : undefined);
  };
  const value = (depth: number): Json => {
    space();
    const char = text[pos];
    switch (char) {
      case "{": {
        if (depth >= MAX_DEPTH) fail("recursion limit exceeded");
        pos++;
        const object: { [key: string]: Json } = {};
        space();
        if (text[pos] === "}") {
          pos++;
          return object;
        }
        for (;;) {
          space();
          if (text[pos] !== '"') fail("key must be a string");
          const key = string();
          space();
          if (text[pos++] !== ":") fail("expected `:`");
          // A later key replaces an earlier one, as in serde_json's map.
          Object.defineProperty(object, key, { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
          space();
          const next = text[pos++];
          if (next === "}") return object;
          if (next !== ",") fail("expected `,` or `}`");
        }
      }
      case "[": {
        if (depth >= MAX_DEPTH) fail("recursion limit exceeded");
        pos++;
        const array: Json[] = [];
        space();
        if (text[pos] === "]") {
          pos++;
          return array;
        }
        for (;;) {
          array.push(value(depth + 1));
          space();
          const next = text[pos++];
          if (next === "]") return array;
          if (next !== ",") fail("expected `,` or `]`");
        }
      }
      case '"':
        return string();
      case "t":
      case "f":
      case "n":
        for (const [word, result] of [["true", true], ["false", false], ["null", null]] as const) {
          if (text.startsWith(word, pos)) {
            pos += word.length;
            return result;
          }
        }
        return fail("expected value");
      default:
        if (char === "-" || (char !== undefined && char >= "0" && char <= "9")) return number();
        return fail(pos >= text.length ? "EOF while parsing a value" : "expected value");
    }
  };
  const result = value(0);
  space();
  if (pos < text.length) fail("trailing characters");
  return result;
}

/** The value as plain JSON, for protobuf-es's fromJson. */
export function plainJson(value: Json): unknown {
  if (value instanceof JsonNumber) return value.value;
  if (Array.isArray(value)) return value.map(plainJson);
  if (value !== null && typeof value === "object") {
    const plain: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      Object.defineProperty(plain, key, { value: plainJson(value[key]!), enumerable: true, writable: true, configurable: true });
    }
    return plain;
  }
  return value;
}
