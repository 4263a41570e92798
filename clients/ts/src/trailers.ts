// Turns what a caller holds (a ConnectError, trailers, or the bare
// grpc-status-details-bin value) into one shape: the status code and message
// as they travelled, and the google.rpc.Status bytes or the details connect
// already took out of them.
import { DecodeError } from "./errors.js";
import { fatalUtf8, text as lossyText, utf8Encoder } from "./wire.js";

export const STATUS_HEADER = "grpc-status";
export const MESSAGE_HEADER = "grpc-message";
export const DETAILS_HEADER = "grpc-status-details-bin";

/** A detail already taken out of its google.protobuf.Any: its message name and bytes. */
export interface RawDetail {
  readonly typeName: string;
  readonly value: Uint8Array;
}

/** A status as received, before anything in it is trusted. */
export type ReceivedStatus =
  | {
      /** The google.rpc.Status bytes of `grpc-status-details-bin`. */
      readonly statusBytes: Uint8Array;
      /** `grpc-status` and the percent-decoded `grpc-message`, when the caller had the trailers. */
      readonly trailers?: { readonly code: number; readonly message: string };
    }
  | {
      /** The details connect already unpacked, with the code and message connect read. */
      readonly details: readonly RawDetail[];
      readonly code: number;
      readonly message: string;
      /** The trailers' own `grpc-status` and decoded `grpc-message`, when they travelled with it. */
      readonly trailers?: { readonly code?: number; readonly message?: string };
    };

/**
 * The headers or trailers of a response: a `Headers`, or a plain object of
 * header names to values (a number for `grpc-status` too, as in the JSON that
 * `chat-errors encode --format json` prints).
 */
export type HeadersLike = { get(name: string): string | null } | Record<string, string | number | undefined>;

/**
 * The parts of `@connectrpc/connect`'s ConnectError this package reads: the
 * details connect parsed from the response, and for a gRPC or gRPC-Web
 * response the trailers in `metadata`.
 */
export interface ConnectErrorLike {
  readonly code: number;
  readonly rawMessage: string;
  readonly metadata: { get(name: string): string | null };
  readonly details: readonly unknown[];
}

/**
 * Standard base64 as the Rust crate (and tonic) decodes binary headers:
 * padding optional but never more than the last group needs, and no stray
 * bits in the last symbol. `undefined` when `text` is not such base64.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x3d) end--;
  const padding = text.length - end;
  const leftover = end % 4;
  if (padding > 0 && (leftover < 2 || leftover + padding > 4)) return undefined;
  const body = text.slice(0, end);
  let binary: string;
  try {
    binary = atob(body);
  } catch {
    return undefined;
  }
  // atob skips whitespace and drops stray bits, and `body` holds no `=`
  // (atob refuses one inside): it is the bytes' base64 exactly when that,
  // padded, starts with it.
  if (!btoa(binary).startsWith(body)) return undefined;
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function isHexDigit(char: number): boolean {
  return (char >= 0x30 && char <= 0x39) || ((char | 0x20) >= 0x61 && (char | 0x20) <= 0x66);
}

function hexValue(char: number): number {
  return char <= 0x39 ? char - 0x30 : (char | 0x20) - 0x61 + 10;
}

/** The bytes `text` stands for: each `%XX` the byte it names, every other character its UTF-8. */
function percentDecodedBytes(text: string): Uint8Array {
  // No character takes more than three bytes per UTF-16 unit.
  const bytes = new Uint8Array(text.length * 3);
  let written = 0;
  let literalFrom = 0;
  for (let index = 0; index + 2 < text.length; index++) {
    if (text.charCodeAt(index) !== 0x25) continue;
    const high = text.charCodeAt(index + 1);
    const low = text.charCodeAt(index + 2);
    if (!isHexDigit(high) || !isHexDigit(low)) continue;
    if (literalFrom < index) {
      written += utf8Encoder.encodeInto(text.slice(literalFrom, index), bytes.subarray(written)).written;
    }
    bytes[written++] = (hexValue(high) << 4) | hexValue(low);
    index += 2;
    literalFrom = index + 1;
  }
  if (literalFrom < text.length) {
    written += utf8Encoder.encodeInto(text.slice(literalFrom), bytes.subarray(written)).written;
  }
  return bytes.subarray(0, written);
}

/**
 * `grpc-message` percent-decoding, as gRPC defines it: a malformed escape
 * stays as it is. Bytes that are not UTF-8 are refused when strict and
 * replaced with U+FFFD otherwise.
 */
export function percentDecode(text: string, strict: boolean): string {
  if (!text.includes("%")) return text;
  // decodeURIComponent gives the same text whenever it accepts the input:
  // every escape well-formed and the bytes UTF-8. A lone surrogate, which it
  // would keep, is the one case it accepts that the exact reading replaces.
  if (!LONE_SURROGATE.test(text)) {
    try {
      return decodeURIComponent(text);
    } catch {
      // A malformed escape or bytes that are not UTF-8: the exact reading decides.
    }
  }
  const bytes = percentDecodedBytes(text);
  if (!strict) return lossyText(bytes);
  try {
    return fatalUtf8.decode(bytes);
  } catch {
    throw new DecodeError("MessageNotUtf8", `${MESSAGE_HEADER} is not UTF-8 once percent-decoded`);
  }
}

function isConnectError(value: object): value is ConnectErrorLike {
  const candidate = value as Partial<ConnectErrorLike>;
  return (
    typeof candidate.code === "number" &&
    typeof candidate.rawMessage === "string" &&
    Array.isArray(candidate.details) &&
    typeof candidate.metadata?.get === "function"
  );
}

function headerReader(headers: HeadersLike): (name: string) => string | undefined {
  if (typeof headers.get === "function") {
    const get = headers.get as (name: string) => string | null;
    return (name) => get.call(headers, name) ?? undefined;
  }
  const record = headers as Record<string, unknown>;
  return (name) => {
    const key = Object.keys(record).find((k) => k.toLowerCase() === name);
    const value = key === undefined ? undefined : record[key];
    if (typeof value === "number") return String(value);
    return typeof value === "string" ? value : undefined;
  };
}

/** gRPC's status codes, OK (0) to UNAUTHENTICATED (16), written as gRPC writes them. */
const GRPC_STATUS = /^(0|[1-9]|1[0-6])$/;

/** gRPC's UNKNOWN, which tonic and grpc-js read a `grpc-status` they do not know as. */
const UNKNOWN = 2;

function parseGrpcStatus(text: string, strict: boolean): number {
  if (GRPC_STATUS.test(text)) return Number(text);
  if (!strict) return UNKNOWN;
  throw new DecodeError("InvalidGrpcStatus", `grpc-status ${JSON.stringify(text)} is not a status code`);
}

/**
 * The status in trailers (or trailers-only headers), read as the Rust
 * crate's `status_from_headers` reads them: nothing without `grpc-status`;
 * then `grpc-status`, the details and `grpc-message`, checked in that
 * order. Strictly each must be readable as sent; leniently an unknown
 * `grpc-status` is UNKNOWN, details that are not base64 are no details, and
 * `grpc-message` is decoded lossily.
 */
export function statusFromHeaders(get: (name: string) => string | undefined, strict: boolean): ReceivedStatus | undefined {
  const status = get(STATUS_HEADER);
  if (status === undefined) return undefined;
  const code = parseGrpcStatus(status, strict);
  const details = get(DETAILS_HEADER);
  let statusBytes = details === undefined ? new Uint8Array(0) : decodeBase64(details);
  if (statusBytes === undefined) {
    if (strict) throw new DecodeError("DetailsNotBase64", `${DETAILS_HEADER} is not base64`);
    statusBytes = new Uint8Array(0);
  }
  const message = get(MESSAGE_HEADER);
  return { statusBytes, trailers: { code, message: message === undefined ? "" : percentDecode(message, strict) } };
}

/** The details connect parsed; the trailers, when it kept them, only to check against. */
function fromConnectError(err: ConnectErrorLike, strict: boolean): ReceivedStatus {
  const details: RawDetail[] = [];
  for (const detail of err.details) {
    const { type, value } = (detail ?? {}) as { type?: unknown; value?: unknown };
    if (typeof type === "string" && value instanceof Uint8Array) details.push({ typeName: type, value });
  }
  if (!strict) return { details, code: err.code, message: err.rawMessage };
  const status = err.metadata.get(STATUS_HEADER) ?? undefined;
  const message = err.metadata.get(MESSAGE_HEADER) ?? undefined;
  return {
    details,
    code: err.code,
    message: err.rawMessage,
    trailers: {
      code: status === undefined ? undefined : parseGrpcStatus(status, true),
      message: message === undefined ? undefined : percentDecode(message, true),
    },
  };
}

/** Finds the status in whatever the caller passed; `undefined` when there is none to read. */
export function receivedStatus(input: unknown, strict: boolean): ReceivedStatus | undefined {
  if (typeof input === "string") {
    const statusBytes = decodeBase64(input);
    if (statusBytes === undefined) throw new DecodeError("DetailsNotBase64", `${DETAILS_HEADER} is not base64`);
    return { statusBytes };
  }
  if (input instanceof Uint8Array) return { statusBytes: input };
  if (typeof input !== "object" || input === null) return undefined;
  if (isConnectError(input)) return fromConnectError(input, strict);
  return statusFromHeaders(headerReader(input as HeadersLike), strict);
}
