// A protobuf reader that checks bytes the way prost does before anything is
// decoded from them: every length is bounded by the bytes left, a varint
// longer than ten bytes, a key with field number 0 or 2^29 and up or an
// unknown wire type is an error, a known field must have its declared wire
// type and, when asked, strings must be UTF-8. protobuf-es's fromBinary is
// then only ever handed bytes that passed, so no input can make it misread a
// field or run past the end.
import { ScalarType } from "@bufbuild/protobuf";
import type { DescField, DescMessage } from "@bufbuild/protobuf";

/** Why bytes are not the protobuf message they should be. */
export type WireProblem =
  | "truncated"
  | "varint too long"
  | "invalid key"
  | "wrong wire type"
  | "not UTF-8"
  | "bad group"
  | "too deep";

export class WireError extends Error {
  constructor(readonly problem: WireProblem) {
    super(problem);
    this.name = "WireError";
  }
}

const enum WireType {
  Varint = 0,
  Bit64 = 1,
  LengthDelimited = 2,
  StartGroup = 3,
  EndGroup = 4,
  Bit32 = 5,
}

/** protobuf's largest field number, 2^29 - 1. */
const MAX_FIELD_NUMBER = 0x1fffffff;
/** prost's limit on nested groups and messages. */
const MAX_DEPTH = 100;

/** One field: its varint's value, or the bytes of a length-delimited one. */
export interface Field {
  readonly no: number;
  readonly wireType: number;
  readonly varint: bigint;
  readonly bytes: Uint8Array;
}

const NO_BYTES = new Uint8Array(0);
const utf8 = new TextDecoder("utf-8", { fatal: true });

export function isUtf8(bytes: Uint8Array): boolean {
  for (const byte of bytes) {
    if (byte >= 0x80) {
      try {
        utf8.decode(bytes);
        return true;
      } catch {
        return false;
      }
    }
  }
  return true;
}

/** The top-level fields of one message, in wire order; throws WireError at the first bad one. */
export function* fields(bytes: Uint8Array): Generator<Field> {
  let pos = 0;
  const varint = (): bigint => {
    let value = 0n;
    for (let index = 0; index < 10; index++) {
      if (pos >= bytes.length) throw new WireError("truncated");
      const byte = bytes[pos++]!;
      // The tenth byte holds the top bit of a u64 and nothing more.
      if (index === 9 && byte > 1) throw new WireError("varint too long");
      value |= BigInt(byte & 0x7f) << BigInt(7 * index);
      if (byte < 0x80) return value;
    }
    throw new WireError("varint too long");
  };
  const take = (length: bigint): Uint8Array => {
    if (length > BigInt(bytes.length - pos)) throw new WireError("truncated");
    const taken = bytes.subarray(pos, pos + Number(length));
    pos += taken.length;
    return taken;
  };
  const key = (): [number, number] => {
    const key = varint();
    const no = key >> 3n;
    const wireType = Number(key & 7n);
    if (no === 0n || no > BigInt(MAX_FIELD_NUMBER) || wireType > WireType.Bit32) {
      throw new WireError("invalid key");
    }
    return [Number(no), wireType];
  };
  // Groups are skipped with an explicit stack, so nesting cannot overflow ours.
  const skipGroup = (no: number): void => {
    const open = [no];
    while (open.length > 0) {
      const [innerNo, wireType] = key();
      if (wireType === WireType.StartGroup) {
        if (open.length >= MAX_DEPTH) throw new WireError("bad group");
        open.push(innerNo);
      } else if (wireType === WireType.EndGroup) {
        if (open.pop() !== innerNo) throw new WireError("bad group");
      } else {
        value(wireType);
      }
    }
  };
  const value = (wireType: number): { varint: bigint; bytes: Uint8Array } => {
    switch (wireType) {
      case WireType.Varint:
        return { varint: varint(), bytes: NO_BYTES };
      case WireType.Bit64:
        take(8n);
        break;
      case WireType.LengthDelimited:
        return { varint: 0n, bytes: take(varint()) };
      case WireType.Bit32:
        take(4n);
        break;
      default:
        // An end-group key with no group open.
        throw new WireError("bad group");
    }
    return { varint: 0n, bytes: NO_BYTES };
  };
  while (pos < bytes.length) {
    const [no, wireType] = key();
    if (wireType === WireType.StartGroup) {
      skipGroup(no);
      yield { no, wireType, varint: 0n, bytes: NO_BYTES };
    } else {
      yield { no, wireType, ...value(wireType) };
    }
  }
}

/** The bytes of a field that must be length-delimited. */
export function lengthDelimited(field: Field): Uint8Array {
  if (field.wireType !== WireType.LengthDelimited) throw new WireError("wrong wire type");
  return field.bytes;
}

function scalarWireType(scalar: ScalarType): number {
  switch (scalar) {
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return WireType.LengthDelimited;
    case ScalarType.DOUBLE:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return WireType.Bit64;
    case ScalarType.FLOAT:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return WireType.Bit32;
    default:
      return WireType.Varint;
  }
}

/**
 * Checks `bytes` as a `desc` message, nested messages included: framing,
 * each known field's wire type, and UTF-8 of strings when `checkUtf8`.
 * Throws WireError.
 */
export function checkMessage(
  bytes: Uint8Array,
  desc: DescMessage,
  checkUtf8: boolean,
  depth = 0,
): void {
  if (depth > MAX_DEPTH) throw new WireError("too deep");
  for (const field of fields(bytes)) {
    const declared = desc.fields.find((f) => f.number === field.no);
    if (declared) checkField(field, declared, checkUtf8, depth);
  }
}

function checkField(field: Field, declared: DescField, checkUtf8: boolean, depth: number): void {
  switch (declared.fieldKind) {
    case "message":
      checkMessage(lengthDelimited(field), declared.message, checkUtf8, depth + 1);
      return;
    case "map": {
      // A map entry is a message with the key as field 1 and the value as field 2.
      for (const part of fields(lengthDelimited(field))) {
        if (part.no === 1) checkScalar(part, declared.mapKey, checkUtf8);
        if (part.no === 2) {
          if (declared.mapKind === "message") {
            checkMessage(lengthDelimited(part), declared.message, checkUtf8, depth + 1);
          } else if (declared.mapKind === "enum") {
            checkScalar(part, ScalarType.INT32, checkUtf8);
          } else {
            checkScalar(part, declared.scalar, checkUtf8);
          }
        }
      }
      return;
    }
    case "enum":
      checkScalar(field, ScalarType.INT32, checkUtf8);
      return;
    case "scalar":
      checkScalar(field, declared.scalar, checkUtf8);
      return;
    case "list":
      if (declared.listKind === "message") {
        checkMessage(lengthDelimited(field), declared.message, checkUtf8, depth + 1);
      } else {
        const scalar = declared.listKind === "enum" ? ScalarType.INT32 : declared.scalar;
        // Numbers may also come as one packed, length-delimited run.
        const packed = field.wireType === WireType.LengthDelimited;
        if (!packed || scalarWireType(scalar) === WireType.LengthDelimited) {
          checkScalar(field, scalar, checkUtf8);
        }
      }
      return;
  }
}

function checkScalar(field: Field, scalar: ScalarType, checkUtf8: boolean): void {
  if (field.wireType !== scalarWireType(scalar)) throw new WireError("wrong wire type");
  if (checkUtf8 && scalar === ScalarType.STRING && !isUtf8(field.bytes)) {
    throw new WireError("not UTF-8");
  }
}
