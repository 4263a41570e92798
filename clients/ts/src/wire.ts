// A protobuf reader for the few messages a chat error is made of, written
// out by hand so that no descriptor is needed at run time. It checks bytes
// as the Rust crate does: every length is bounded by the bytes left, a
// varint runs at most ten bytes, a key past 32 bits, with field number 0 or
// wire type 6 or 7 is an error, a known field must have its declared wire
// type, and groups must close. The detail messages are read as prost reads
// them (each string occurrence UTF-8, a repeated singular message merged,
// prost's recursion limit); Status, Any and ErrorInfo as the crate's own
// scanner (src/decode/scan.rs) reads them.

/** Why bytes are not the protobuf message they should be. */
export type WireProblem =
  | "truncated"
  | "varint too long"
  | "invalid key"
  | "wrong wire type"
  | "not UTF-8"
  | "bad group"
  | "recursion limit reached";

export class WireError extends Error {
  constructor(readonly problem: WireProblem) {
    super(problem);
    this.name = "WireError";
  }
}

export const VARINT = 0;
export const BIT64 = 1;
export const LENGTH_DELIMITED = 2;
const START_GROUP = 3;
const END_GROUP = 4;
const BIT32 = 5;

/** prost's recursion limit, which also bounds the crate's group skipping. */
export const RECURSION_LIMIT = 100;

// One of each for every module, so that a bundle carries one. A leading
// byte order mark is text like any other, as Rust's from_utf8 and
// serde_json read it; WHATWG decoders strip it unless told not to.
export const fatalUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lossyUtf8 = new TextDecoder("utf-8", { ignoreBOM: true });
export const utf8Encoder = new TextEncoder();
export const I64_MIN = -(1n << 63n);
export const I64_MAX = (1n << 63n) - 1n;

/** Whether `bytes[start, end)` is UTF-8. */
export function isUtf8(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
  for (let index = start; index < end; index++) {
    if (bytes[index]! >= 0x80) {
      try {
        fatalUtf8.decode(bytes.subarray(start, end));
        return true;
      } catch {
        return false;
      }
    }
  }
  return true;
}

/** `bytes[start, end)` as text, invalid UTF-8 replaced with U+FFFD as Rust's `from_utf8_lossy` does. */
export function text(bytes: Uint8Array, start = 0, end = bytes.length): string {
  // Short ASCII strings, nearly all of them here, are built without a decoder.
  if (end - start <= 64) {
    let ascii = "";
    for (let index = start; index < end; index++) {
      const byte = bytes[index]!;
      if (byte >= 0x80) return lossyUtf8.decode(bytes.subarray(start, end));
      ascii += String.fromCharCode(byte);
    }
    return ascii;
  }
  return lossyUtf8.decode(bytes.subarray(start, end));
}

/**
 * Reads the fields of one message in `bytes[pos, end)`. After `next()`,
 * `tag` and `wireType` describe the field; the value is then read with one
 * of the value methods, or skipped.
 */
export class Reader {
  pos: number;
  tag = 0;
  wireType = 0;
  /** The low and high 32 bits of the last varint read, unsigned. */
  lo = 0;
  hi = 0;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  /** Reads the next key; `false` at the end of the message. */
  next(): boolean {
    if (this.pos >= this.end) return false;
    this.varint();
    // A key must fit in 32 bits.
    if (this.hi !== 0) throw new WireError("invalid key");
    this.tag = this.lo >>> 3;
    this.wireType = this.lo & 7;
    if (this.tag === 0 || this.wireType > BIT32) throw new WireError("invalid key");
    return true;
  }

  varint(): void {
    const bytes = this.bytes;
    let pos = this.pos;
    if (pos >= this.end) throw new WireError("truncated");
    let byte = bytes[pos++]!;
    if (byte < 0x80) {
      this.lo = byte;
      this.hi = 0;
      this.pos = pos;
      return;
    }
    let lo = byte & 0x7f;
    let hi = 0;
    for (let index = 1; index < 10; index++) {
      if (pos >= this.end) throw new WireError("truncated");
      byte = bytes[pos++]!;
      // The tenth byte holds the top bit of a u64 and nothing more.
      if (index === 9 && byte > 1) throw new WireError("varint too long");
      const bits = byte & 0x7f;
      if (index < 4) lo |= bits << (7 * index);
      else if (index === 4) {
        lo |= (bits & 0x0f) << 28;
        hi = bits >> 4;
      } else hi |= bits << (7 * index - 32);
      if (byte < 0x80) {
        this.lo = lo >>> 0;
        this.hi = hi >>> 0;
        this.pos = pos;
        return;
      }
    }
    throw new WireError("varint too long");
  }

  /** The value of a varint field, as int32 reads it: its low 32 bits, signed. */
  int32(): number {
    if (this.wireType !== VARINT) throw new WireError("wrong wire type");
    this.varint();
    return this.lo | 0;
  }

  /** The value of a varint field, as int64 reads it. */
  int64(): bigint {
    if (this.wireType !== VARINT) throw new WireError("wrong wire type");
    this.varint();
    return BigInt.asIntN(64, (BigInt(this.hi) << 32n) | BigInt(this.lo));
  }

  /**
   * The extent of a length-delimited field's value: sets `start` and
   * `stop`, and moves past it.
   */
  start = 0;
  stop = 0;
  delimited(): void {
    if (this.wireType !== LENGTH_DELIMITED) throw new WireError("wrong wire type");
    this.varint();
    if (this.hi !== 0 || this.lo > this.end - this.pos) throw new WireError("truncated");
    this.start = this.pos;
    this.stop = this.pos + this.lo;
    this.pos = this.stop;
  }

  /** A string field's value, checked for UTF-8 when `strictUtf8` (as prost checks every occurrence). */
  string(strictUtf8: boolean): string {
    this.delimited();
    if (strictUtf8 && !isUtf8(this.bytes, this.start, this.stop)) throw new WireError("not UTF-8");
    return text(this.bytes, this.start, this.stop);
  }

  /** The bytes of a length-delimited field. */
  subarray(): Uint8Array {
    this.delimited();
    return this.bytes.subarray(this.start, this.stop);
  }

  /** Skips a field the reader does not know, as prost does with `budget` recursions left. */
  skip(budget: number): void {
    if (budget === 0) throw new WireError("recursion limit reached");
    switch (this.wireType) {
      case VARINT:
        this.varint();
        return;
      case BIT64:
        this.fixed(8);
        return;
      case LENGTH_DELIMITED:
        this.delimited();
        return;
      case BIT32:
        this.fixed(4);
        return;
      case START_GROUP: {
        const group = this.tag;
        for (;;) {
          if (!this.next()) throw new WireError("truncated");
          const wireType: number = this.wireType;
          if (wireType === END_GROUP) {
            if (this.tag !== group) throw new WireError("bad group");
            return;
          }
          this.skip(budget - 1);
        }
      }
      default:
        // An end-group key with no group open.
        throw new WireError("bad group");
    }
  }

  /**
   * Skips a field as the crate's scanner does: groups up to
   * RECURSION_LIMIT deep, without a limit on the fields inside them.
   */
  skipScanned(): void {
    if (this.wireType !== START_GROUP) {
      this.skip(1);
      return;
    }
    const open = [this.tag];
    while (open.length > 0) {
      if (!this.next()) throw new WireError("truncated");
      const wireType: number = this.wireType;
      if (wireType === START_GROUP) {
        if (open.length >= RECURSION_LIMIT) throw new WireError("bad group");
        open.push(this.tag);
      } else if (wireType === END_GROUP) {
        if (open.pop() !== this.tag) throw new WireError("bad group");
      } else {
        this.skip(1);
      }
    }
  }

  private fixed(length: number): void {
    if (length > this.end - this.pos) throw new WireError("truncated");
    this.pos += length;
  }
}
