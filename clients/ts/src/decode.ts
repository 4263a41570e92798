// Reads the chat error out of a received status, strictly or leniently, as
// the Rust crate's decoder does (src/decode/read.rs in the crate), step for
// step, so that the first problem found is the one the crate reports.
//
// Lenient: only the google.rpc.Status framing must hold; a detail that does
// not parse is passed over, the first ErrorInfo of the domain and the first
// of each once-only detail win, ErrorInfo text that is not UTF-8 is read
// lossily. Strict: every detail must parse, the domain's ErrorInfo and each
// once-only detail appear once, and nothing contradicts anything else.
import { entryOfNumber, entryOfReason, nameOf } from "./codes.js";
import type { ErrorCode } from "./gen/chat/errors/v1/chat_errors_error_code.js";
import {
  decodeBadRequest,
  decodeLocalizedMessage,
  decodeRequestInfo,
  decodeResourceInfo,
  decodeRetryInfo,
  nonNegativeDelay,
} from "./details.js";
import type { FieldViolation, LocalizedText, RequestInfo, ResourceInfo } from "./details.js";
import { DecodeError } from "./errors.js";
import type { RawDetail, ReceivedStatus } from "./trailers.js";
import { I64_MAX, I64_MIN, Reader, WireError, isUtf8, text } from "./wire.js";

/** A `google.protobuf.Duration`, normalised: `nanos` in [0, 10^9). */
export interface Delay {
  readonly seconds: bigint;
  readonly nanos: number;
}

/**
 * A chat error as a client received it. Everything comes from the wire, so a
 * peer with a newer catalogue can send a code this build does not know:
 * `code` is then `undefined` while `number` and `reason` keep what was sent.
 */
export interface ChatError {
  /** The error code, if this build's catalogue has it. */
  readonly code: ErrorCode | undefined;
  /** The numeric code as sent: from ErrorInfo metadata `code`, or else from the reason. */
  readonly number: number | undefined;
  /** `ErrorInfo.reason`, e.g. `CHANNEL_NOT_FOUND`. */
  readonly reason: string;
  /** `ErrorInfo.domain`. */
  readonly domain: string;
  /** The original error name from ErrorInfo metadata `message`, e.g. `ChannelNotFound`. */
  readonly name: string | undefined;
  /** The developer-facing status message (`grpc-message`). */
  readonly message: string;
  /** The gRPC status code the error arrived with. */
  readonly grpcCode: number;
  /** All of `ErrorInfo.metadata`, `code` and `message` included. */
  readonly metadata: Readonly<Record<string, string>>;
  /** The first `LocalizedMessage`: the user-facing text and its locale. */
  readonly localizedMessage: LocalizedText | undefined;
  /** Every `LocalizedMessage`, in the order sent. */
  readonly localizedMessages: readonly LocalizedText[];
  /** `RetryInfo.retry_delay`, when the server sent one. */
  readonly retryDelay: Delay | undefined;
  /** `RetryInfo.retry_delay` in milliseconds, when the server sent one. */
  readonly retryDelayMs: number | undefined;
  /** The `BadRequest` field violations, when the server sent any. */
  readonly fieldViolations: readonly FieldViolation[];
  /** `ResourceInfo`, when the server sent one. */
  readonly resourceInfo: ResourceInfo | undefined;
  /** `RequestInfo`, when the server sent one. */
  readonly requestInfo: RequestInfo | undefined;
  /** `RequestInfo.request_id`, e.g. for a masked internal error (1003). */
  readonly requestId: string | undefined;
}

const ERROR_INFO = "google.rpc.ErrorInfo";
const LOCALIZED_MESSAGE = "google.rpc.LocalizedMessage";
const RETRY_INFO = "google.rpc.RetryInfo";
const BAD_REQUEST = "google.rpc.BadRequest";
const RESOURCE_INFO = "google.rpc.ResourceInfo";
const REQUEST_INFO = "google.rpc.RequestInfo";

const METADATA_CODE_KEY = "code";
const METADATA_NAME_KEY = "message";

interface StatusParts {
  readonly code: number;
  readonly message: string;
  /** Each detail, or the WireError its Any failed to parse with. */
  readonly details: readonly (RawDetail | WireError)[];
}

function wireProblem(error: unknown): WireError {
  if (error instanceof WireError) return error;
  // Anything else thrown while reading bytes still means the bytes are bad.
  return new WireError("truncated");
}

/**
 * google.protobuf.Any, read in place; the type name is the part of the URL
 * after its last `/`. When strict, every type URL it carries must be UTF-8.
 */
function parseAny(bytes: Uint8Array, strict: boolean): RawDetail {
  const reader = new Reader(bytes);
  let urlStart = 0;
  let urlStop = 0;
  let value: Uint8Array = bytes.subarray(0, 0);
  let urlsUtf8 = true;
  while (reader.next()) {
    if (reader.tag === 1) {
      reader.delimited();
      urlStart = reader.start;
      urlStop = reader.stop;
      if (strict && urlsUtf8) urlsUtf8 = isUtf8(bytes, urlStart, urlStop);
    } else if (reader.tag === 2) value = reader.subarray();
    else reader.skipScanned();
  }
  if (!urlsUtf8) throw new WireError("not UTF-8");
  let slash = urlStop;
  while (slash > urlStart && bytes[slash - 1] !== 0x2f) slash--;
  return { typeName: text(bytes, slash, urlStop), value };
}

/** google.rpc.Status: its own framing must hold; each detail is read, and can fail, on its own. */
function parseStatus(bytes: Uint8Array, strict: boolean): StatusParts {
  const reader = new Reader(bytes);
  let code = 0;
  let messageStart = 0;
  let messageStop = 0;
  let messagesUtf8 = true;
  const anys: Uint8Array[] = [];
  while (reader.next()) {
    switch (reader.tag) {
      case 1:
        code = reader.int32();
        break;
      case 2:
        reader.delimited();
        messageStart = reader.start;
        messageStop = reader.stop;
        // Every occurrence must be UTF-8, as prost checks it, not only the last.
        if (strict && messagesUtf8) messagesUtf8 = isUtf8(bytes, messageStart, messageStop);
        break;
      case 3:
        anys.push(reader.subarray());
        break;
      default:
        reader.skipScanned();
    }
  }
  if (!messagesUtf8) throw new WireError("not UTF-8");
  const details = anys.map((any) => {
    try {
      return parseAny(any, strict);
    } catch (error) {
      return wireProblem(error);
    }
  });
  return { code, message: text(bytes, messageStart, messageStop), details };
}

/** A google.rpc.ErrorInfo, its text read lossily. */
interface ErrorInfoView {
  readonly reason: string;
  readonly domain: string;
  /** Whether the (last) domain was UTF-8: a lossy one matches no domain. */
  readonly domainUtf8: boolean;
  /** The metadata entries, a later one of the same key replacing an earlier one, as in a protobuf map. */
  readonly metadata: Record<string, string>;
  /** Whether every string occurrence in it is UTF-8, as prost requires. */
  readonly utf8: boolean;
}

function parseErrorInfo(bytes: Uint8Array): ErrorInfoView {
  const reader = new Reader(bytes);
  let utf8 = true;
  let lastUtf8 = true;
  const read = (field: Reader): string => {
    const value = field.string(false);
    lastUtf8 = isUtf8(bytes, field.start, field.stop);
    utf8 &&= lastUtf8;
    return value;
  };
  let reason = "";
  let domain = "";
  let domainUtf8 = true;
  const metadata: Record<string, string> = {};
  while (reader.next()) {
    if (reader.tag === 1) reason = read(reader);
    else if (reader.tag === 2) {
      domain = read(reader);
      domainUtf8 = lastUtf8;
    } else if (reader.tag === 3) {
      reader.delimited();
      const entry = new Reader(bytes, reader.start, reader.stop);
      let key = "";
      let value = "";
      while (entry.next()) {
        if (entry.tag === 1) key = read(entry);
        else if (entry.tag === 2) value = read(entry);
        else entry.skipScanned();
      }
      // `__proto__` is a key like any other here, not the object's prototype.
      if (key === "__proto__") Object.defineProperty(metadata, key, { value, enumerable: true, writable: true, configurable: true });
      else metadata[key] = value;
    } else reader.skipScanned();
  }
  return { reason, domain, domainUtf8, metadata, utf8 };
}

function malformedDetail(typeName: string, problem: unknown): DecodeError {
  return new DecodeError("MalformedDetail", `malformed ${typeName} detail: ${wireProblem(problem).message}`, typeName);
}

function duplicateDetail(typeName: string): DecodeError {
  return new DecodeError("DuplicateDetail", `${typeName} appears more than once in the details`, typeName);
}

function malformedStatus(problem: WireError): DecodeError {
  return new DecodeError("MalformedStatus", `grpc-status-details-bin is not a google.rpc.Status: ${problem.message}`);
}

/**
 * The ErrorInfo of `domain` among the details. Leniently the first one wins.
 * Strictly every detail must parse (every ErrorInfo's text UTF-8, whatever
 * its domain) before a repeated ErrorInfo of the domain is reported.
 */
function findErrorInfo(
  details: readonly (RawDetail | WireError)[],
  domain: string,
  strict: boolean,
): ErrorInfoView | undefined {
  let found: ErrorInfoView | undefined;
  let repeated = false;
  for (const detail of details) {
    if (detail instanceof WireError) {
      if (strict) throw malformedStatus(detail);
      continue;
    }
    if (detail.typeName !== ERROR_INFO) continue;
    let info: ErrorInfoView;
    try {
      info = parseErrorInfo(detail.value);
    } catch (error) {
      if (strict) throw malformedDetail(ERROR_INFO, error);
      continue;
    }
    if (!info.domainUtf8 || info.domain !== domain) {
      if (strict && !info.utf8) throw malformedDetail(ERROR_INFO, new WireError("not UTF-8"));
      continue;
    }
    if (!strict) return info;
    if (found !== undefined) {
      repeated = true;
      if (!found.utf8 || !info.utf8) throw malformedDetail(ERROR_INFO, new WireError("not UTF-8"));
    }
    found = info;
  }
  if (repeated) {
    throw duplicateDetail(ERROR_INFO);
  }
  return found;
}

const I32_MAX = 0x7fffffff;
const SIGNED_DIGITS = /^[+-]?[0-9]+$/;
const CANONICAL = /^(0|[1-9][0-9]*)$/;
// The characters Rust's str::trim removes: Unicode White_Space.
const RUST_WHITESPACE = "[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const RUST_TRIM = new RegExp(`^${RUST_WHITESPACE}+|${RUST_WHITESPACE}+$`, "gu");

/** Rust's `str::parse::<i32>`: an optional sign, then digits, in range. */
function parseI32(digits: string): number | undefined {
  if (!SIGNED_DIGITS.test(digits)) return undefined;
  // `+ 0` turns -0 into 0.
  const value = Number(digits) + 0;
  return value >= -I32_MAX - 1 && value <= I32_MAX ? value : undefined;
}

/** Rust's `str::parse::<i64>` accepting `digits`. */
function readsAsI64(digits: string): boolean {
  if (!SIGNED_DIGITS.test(digits)) return false;
  const value = BigInt(digits);
  return value >= I64_MIN && value <= I64_MAX;
}

/**
 * Metadata `code` as strict decoding takes it: canonical decimal digits of
 * a number up to 2^31 - 1. Anything else that reads as a 64-bit number once
 * trimmed is NonCanonicalCode; the rest InvalidCodeMetadata.
 */
function canonicalNumber(value: string): number {
  const quoted = JSON.stringify(value);
  if (CANONICAL.test(value)) {
    const number = parseI32(value);
    if (number !== undefined) return number;
  } else if (readsAsI64(value.replace(RUST_TRIM, ""))) {
    throw new DecodeError("NonCanonicalCode", `ErrorInfo metadata code ${quoted} is not canonical decimal`);
  }
  throw new DecodeError("InvalidCodeMetadata", `ErrorInfo metadata code ${quoted} is not a number`);
}

/**
 * The code from metadata `code` (its last entry, as `metadata` holds it),
 * or else from the reason, as `[known code, number]`. Strictly, they must
 * agree unless this catalogue knows neither. Text that was not UTF-8 needs
 * no check of its own: strictly it was refused before, and read lossily it
 * holds U+FFFD, which no reason or number contains.
 */
function resolveCode(metadata: Readonly<Record<string, string>>, reason: string, strict: boolean): [ErrorCode | undefined, number | undefined] {
  const byReason = entryOfReason(reason);
  const value = Object.hasOwn(metadata, METADATA_CODE_KEY) ? metadata[METADATA_CODE_KEY]! : undefined;
  const number = value === undefined ? undefined : strict ? canonicalNumber(value) : parseI32(value);
  if (number === undefined) return [byReason?.[0] as ErrorCode | undefined, byReason?.[0]];
  const known = entryOfNumber(number);
  if (strict && (known ? known !== byReason : byReason !== undefined)) {
    throw new DecodeError("CodeReasonMismatch", `ErrorInfo metadata code ${number} and reason ${JSON.stringify(reason)} name different codes`);
  }
  return [known?.[0] as ErrorCode | undefined, number];
}

/** Decodes a detail that may appear any number of times; `undefined` when lenient and it is broken. */
function readDetail<T>(typeName: string, value: Uint8Array, decode: (bytes: Uint8Array) => T, strict: boolean): T | undefined {
  try {
    return decode(value);
  } catch (error) {
    if (!strict) return undefined;
    throw malformedDetail(typeName, error);
  }
}

/** The chat error of `domain` in `received`; `undefined` when it carries none. */
export function decodeChatError(received: ReceivedStatus, domain: string, strict: boolean): ChatError | undefined {
  let parts: StatusParts;
  let grpcCode: number;
  let message: string;
  if ("statusBytes" in received) {
    if (received.statusBytes.length === 0) return undefined;
    try {
      parts = parseStatus(received.statusBytes, strict);
    } catch (error) {
      if (!strict) return undefined;
      throw malformedStatus(wireProblem(error));
    }
    grpcCode = received.trailers?.code ?? parts.code;
    message = received.trailers?.message ?? parts.message;
  } else {
    if (received.details.length === 0) return undefined;
    parts = { code: received.code, message: received.message, details: received.details };
    grpcCode = received.trailers?.code ?? received.code;
    message = received.trailers?.message ?? received.message;
  }

  const info = findErrorInfo(parts.details, domain, strict);
  if (info === undefined) return undefined;
  // Checked before anything is compared: a detail that does not parse is reported as such first.
  if (strict && !info.utf8) throw malformedDetail(ERROR_INFO, new WireError("not UTF-8"));
  const { reason, metadata } = info;
  if (strict) {
    if (parts.code !== grpcCode) {
      throw new DecodeError("CodeMismatch", `grpc-status is ${grpcCode} but the details say ${parts.code}`);
    }
    if (parts.message !== message) {
      throw new DecodeError("MessageMismatch", "grpc-message differs from the message inside the details");
    }
  }

  const [code, number] = resolveCode(metadata, reason, strict);
  const name = Object.hasOwn(metadata, METADATA_NAME_KEY) ? metadata[METADATA_NAME_KEY] : undefined;
  if (strict && code !== undefined) {
    const known = entryOfNumber(code)!;
    const knownName = nameOf(known);
    const knownGrpcCode = known[2];
    if (grpcCode !== knownGrpcCode) {
      throw new DecodeError("GrpcCodeMismatch", `grpc-status is ${grpcCode} but ${code} is sent as ${knownGrpcCode}`);
    }
    if (name !== undefined && name !== knownName) {
      throw new DecodeError("NameMismatch", `ErrorInfo metadata message ${JSON.stringify(name)} is not ${knownName}, the name of ${code}`);
    }
  }

  const localizedMessages: LocalizedText[] = [];
  let retryDelay: Delay | undefined;
  let fieldViolations: readonly FieldViolation[] = [];
  let resourceInfo: ResourceInfo | undefined;
  let requestInfo: RequestInfo | undefined;
  let seen = 0;
  // Marks a once-only type as seen: a repeat is an error when strict and ignored otherwise.
  const first = (typeName: string, bit: number): boolean => {
    if ((seen & bit) === 0) {
      seen |= bit;
      return true;
    }
    if (strict) throw duplicateDetail(typeName);
    return false;
  };
  for (const detail of parts.details) {
    // Every detail parsed when strict, so what fails here is skipped.
    if (detail instanceof WireError) continue;
    const { typeName, value } = detail;
    if (typeName === LOCALIZED_MESSAGE) {
      const localized = readDetail(typeName, value, decodeLocalizedMessage, strict);
      if (localized) localizedMessages.push(localized);
    } else if (typeName === RETRY_INFO) {
      if (!first(typeName, 1)) continue;
      const sent = readDetail(typeName, value, decodeRetryInfo, strict);
      if (sent === undefined) continue;
      retryDelay = nonNegativeDelay(sent);
      if (retryDelay === undefined && strict) {
        throw new DecodeError("InvalidRetryDelay", "RetryInfo.retry_delay is negative");
      }
    } else if (typeName === BAD_REQUEST) {
      if (!first(typeName, 2)) continue;
      fieldViolations = readDetail(typeName, value, decodeBadRequest, strict) ?? fieldViolations;
    } else if (typeName === RESOURCE_INFO) {
      if (!first(typeName, 4)) continue;
      resourceInfo = readDetail(typeName, value, decodeResourceInfo, strict) ?? resourceInfo;
    } else if (typeName === REQUEST_INFO) {
      if (!first(typeName, 8)) continue;
      requestInfo = readDetail(typeName, value, decodeRequestInfo, strict) ?? requestInfo;
    }
    // Other detail types, from this server or a proxy, are not ours to judge.
  }

  return {
    code,
    number,
    reason,
    domain,
    name,
    message,
    grpcCode,
    metadata,
    localizedMessage: localizedMessages[0],
    localizedMessages,
    retryDelay,
    retryDelayMs: retryDelay && Number(retryDelay.seconds) * 1000 + retryDelay.nanos / 1_000_000,
    fieldViolations,
    resourceInfo,
    requestInfo,
    requestId: requestInfo?.requestId,
  };
}
