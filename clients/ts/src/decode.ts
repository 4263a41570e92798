// Reads the chat error out of a received status, strictly or leniently, as
// the Rust crate's decoder does (src/decode/ in the crate).
//
// Lenient: only the google.rpc.Status framing must hold; a detail that does
// not parse is passed over, the first ErrorInfo of the domain and the first
// of each once-only detail win, text that is not UTF-8 is read lossily.
// Strict: every detail must parse, the domain's ErrorInfo and each once-only
// detail appear once, and nothing contradicts anything else.
import { fromBinary } from "@bufbuild/protobuf";
import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { errorCodeInfo, errorCodeOfReason } from "./catalogue.js";
import type { ErrorCodeInfo } from "./catalogue.js";
import { DecodeError } from "./errors.js";
import {
  BadRequestSchema,
  ErrorInfoSchema,
  LocalizedMessageSchema,
  RequestInfoSchema,
  ResourceInfoSchema,
  RetryInfoSchema,
} from "./gen/google/rpc/error_details_pb.js";
import type { ReceivedStatus } from "./trailers.js";
import { WireError, checkMessage, fields, isUtf8, lengthDelimited } from "./wire.js";

/** A `google.rpc.LocalizedMessage`. */
export interface LocalizedText {
  /** A BCP 47 locale, e.g. `ko-KR`. */
  readonly locale: string;
  readonly message: string;
}

/** One `google.rpc.BadRequest.FieldViolation`. */
export interface FieldViolation {
  /** The request field's path, e.g. `channel_id`. */
  readonly field: string;
  readonly description: string;
  readonly reason: string;
}

/** A `google.rpc.ResourceInfo`. */
export interface ResourceInfo {
  readonly resourceType: string;
  readonly resourceName: string;
  readonly owner: string;
  readonly description: string;
}

/** A `google.rpc.RequestInfo`. */
export interface RequestInfo {
  readonly requestId: string;
  readonly servingData: string;
}

/**
 * A chat error as a client received it. Everything comes from the wire, so a
 * peer with a newer catalogue can send a code this build does not know:
 * `code` is then the number that was sent and `info` is `undefined`.
 */
export interface ChatError {
  /** The numeric code: an `ErrorCode` when `info` is set. `undefined` only when a future code came without metadata `code`. */
  readonly code: number | undefined;
  /** This build's catalogue entry for `code`, when it has one. */
  readonly info: ErrorCodeInfo | undefined;
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

const ERROR_INFO = ErrorInfoSchema.typeName;
const LOCALIZED_MESSAGE = LocalizedMessageSchema.typeName;
const RETRY_INFO = RetryInfoSchema.typeName;
const BAD_REQUEST = BadRequestSchema.typeName;
const RESOURCE_INFO = ResourceInfoSchema.typeName;
const REQUEST_INFO = RequestInfoSchema.typeName;

const METADATA_CODE_KEY = "code";
const METADATA_NAME_KEY = "message";

const lossyUtf8 = new TextDecoder();

interface Detail {
  readonly typeName: string;
  readonly value: Uint8Array;
}

interface StatusParts {
  readonly code: number | undefined;
  readonly message: string | undefined;
  /** Each detail, or the WireError it failed to parse with. */
  readonly details: readonly (Detail | WireError)[];
}

function wireProblem(error: unknown): WireError {
  if (error instanceof WireError) return error;
  // Anything else thrown while reading bytes still means the bytes are bad.
  return new WireError("truncated");
}

/** google.protobuf.Any, read in place; the type name is the part of the URL after its last `/`. */
function parseAny(bytes: Uint8Array, strict: boolean): Detail {
  let typeUrl: Uint8Array = new Uint8Array(0);
  let value: Uint8Array = new Uint8Array(0);
  for (const field of fields(bytes)) {
    if (field.no === 1) typeUrl = lengthDelimited(field);
    if (field.no === 2) value = lengthDelimited(field);
  }
  if (strict && !isUtf8(typeUrl)) throw new WireError("not UTF-8");
  const url = lossyUtf8.decode(typeUrl);
  return { typeName: url.slice(url.lastIndexOf("/") + 1), value };
}

/** google.rpc.Status: its own framing must hold; each detail is read, and can fail, on its own. */
function parseStatus(bytes: Uint8Array, strict: boolean): StatusParts {
  let code = 0;
  let message: Uint8Array = new Uint8Array(0);
  const anys: Uint8Array[] = [];
  for (const field of fields(bytes)) {
    if (field.no === 1) {
      if (field.wireType !== 0) throw new WireError("wrong wire type");
      // int32 takes the low 32 bits of the varint, as prost does.
      code = Number(BigInt.asIntN(32, field.varint));
    }
    if (field.no === 2) message = lengthDelimited(field);
    if (field.no === 3) anys.push(lengthDelimited(field));
  }
  if (strict && !isUtf8(message)) throw new WireError("not UTF-8");
  const details = anys.map((any) => {
    try {
      return parseAny(any, strict);
    } catch (error) {
      return wireProblem(error);
    }
  });
  return { code, message: lossyUtf8.decode(message), details };
}

/** Decodes a detail that passed the wire checks; `undefined` when lenient and it is broken. */
function readDetail<Desc extends DescMessage>(
  desc: Desc,
  value: Uint8Array,
  strict: boolean,
): MessageShape<Desc> | undefined {
  try {
    checkMessage(value, desc, strict);
    return fromBinary(desc, value, { readUnknownFields: false });
  } catch (error) {
    if (!strict) return undefined;
    throw new DecodeError(
      "MalformedDetail",
      `malformed ${desc.typeName} detail: ${wireProblem(error).message}`,
      desc.typeName,
    );
  }
}

interface ErrorInfoText {
  readonly reason: string;
  readonly domain: string;
  readonly metadata: Record<string, string>;
}

/**
 * google.rpc.ErrorInfo, read in place so that its text can be read lossily
 * when lenient (protobuf-es refuses strings that are not UTF-8). Its
 * framing is checked against ErrorInfoSchema first, and UTF-8 too when strict.
 */
function readErrorInfo(bytes: Uint8Array, strict: boolean): ErrorInfoText | undefined {
  try {
    checkMessage(bytes, ErrorInfoSchema, strict);
  } catch (error) {
    if (!strict) return undefined;
    throw new DecodeError("MalformedDetail", `malformed ${ERROR_INFO} detail: ${wireProblem(error).message}`, ERROR_INFO);
  }
  let reason = "";
  let domain = "";
  const metadata = new Map<string, string>();
  for (const field of fields(bytes)) {
    if (field.no === 1) reason = lossyUtf8.decode(field.bytes);
    if (field.no === 2) domain = lossyUtf8.decode(field.bytes);
    if (field.no === 3) {
      let key = "";
      let value = "";
      for (const part of fields(field.bytes)) {
        if (part.no === 1) key = lossyUtf8.decode(part.bytes);
        if (part.no === 2) value = lossyUtf8.decode(part.bytes);
      }
      // A later entry of the same key replaces an earlier one, as in a protobuf map.
      metadata.set(key, value);
    }
  }
  return { reason, domain, metadata: Object.fromEntries(metadata) };
}

/** The ErrorInfo of `domain` among the details. */
function findErrorInfo(
  parts: StatusParts,
  domain: string,
  strict: boolean,
): ErrorInfoText | undefined {
  let found: ErrorInfoText | undefined;
  for (const detail of parts.details) {
    if (detail instanceof WireError) {
      if (strict) throw new DecodeError("MalformedStatus", `a detail is not a google.protobuf.Any: ${detail.message}`);
      continue;
    }
    if (detail.typeName !== ERROR_INFO) continue;
    // Strictly, every ErrorInfo must decode, text included, as prost requires.
    const info = readErrorInfo(detail.value, strict);
    if (info === undefined || info.domain !== domain) continue;
    if (!strict) return info;
    if (found !== undefined) {
      throw new DecodeError("DuplicateDetail", `${ERROR_INFO} appears more than once in the details`, ERROR_INFO);
    }
    found = info;
  }
  return found;
}

const INT32_MAX = 0x7fffffff;

/**
 * Metadata `code` as the Rust crate reads it. Leniently, as `str::parse::<i32>`
 * does: an optional sign, then digits. Strictly, only canonical decimal
 * (`0|[1-9][0-9]*`, at most 2^31 - 1); text that reads as a number once
 * trimmed and signed is NonCanonicalCode, anything else InvalidCodeMetadata.
 */
function parseCodeMetadata(text: string, strict: boolean): number | undefined {
  const int32 = (digits: string): number | undefined => {
    if (!/^[+-]?[0-9]+$/.test(digits)) return undefined;
    // `+ 0` turns -0 into 0.
    const value = Number(digits) + 0;
    return value >= -INT32_MAX - 1 && value <= INT32_MAX ? value : undefined;
  };
  if (!strict) return int32(text);
  if (/^(0|[1-9][0-9]*)$/.test(text) && Number(text) <= INT32_MAX) return Number(text);
  const quoted = JSON.stringify(text);
  if (int32(text.trim()) !== undefined) {
    throw new DecodeError("NonCanonicalCode", `ErrorInfo metadata code ${quoted} is not canonical decimal`);
  }
  throw new DecodeError("InvalidCodeMetadata", `ErrorInfo metadata code ${quoted} is not a number`);
}

/** The code from metadata `code`, or else from the reason; strictly, they must agree. */
function resolveCode(
  reason: string,
  metadata: Readonly<Record<string, string>>,
  strict: boolean,
): number | undefined {
  const fromReason = errorCodeOfReason(reason)?.code;
  const text = Object.hasOwn(metadata, METADATA_CODE_KEY) ? metadata[METADATA_CODE_KEY] : undefined;
  if (text === undefined) return fromReason;
  const number = parseCodeMetadata(text, strict);
  if (number === undefined) return fromReason;
  if (strict) {
    const info = errorCodeInfo(number);
    // A number this build lacks is a future code only while its reason is unknown too.
    if (info ? info.reason !== reason : fromReason !== undefined) {
      throw new DecodeError("CodeReasonMismatch", `ErrorInfo metadata code ${number} and reason ${reason} name different codes`);
    }
  }
  return number;
}

/** `RetryInfo.retry_delay` in milliseconds; a negative delay is refused strictly and dropped leniently. */
function retryDelayMs(seconds: bigint, nanos: number, strict: boolean): number | undefined {
  const total = seconds * 1_000_000_000n + BigInt(nanos);
  if (total >= 0n) return Number(total) / 1_000_000;
  if (strict) throw new DecodeError("InvalidRetryDelay", "RetryInfo.retry_delay is negative");
  return undefined;
}

/** The chat error of `domain` in `received`; `undefined` when it carries none. */
export function decodeChatError(
  received: ReceivedStatus,
  domain: string,
  strict: boolean,
): ChatError | undefined {
  let parts: StatusParts;
  if (received.statusBytes !== undefined) {
    if (received.statusBytes.length === 0) return undefined;
    try {
      parts = parseStatus(received.statusBytes, strict);
    } catch (error) {
      if (!strict) return undefined;
      throw new DecodeError("MalformedStatus", `grpc-status-details-bin is not a google.rpc.Status: ${wireProblem(error).message}`);
    }
  } else {
    parts = { code: undefined, message: undefined, details: received.details ?? [] };
  }

  const info = findErrorInfo(parts, domain, strict);
  if (info === undefined) return undefined;

  const grpcCode = received.grpcStatus ?? parts.code ?? 0;
  const message = received.grpcMessage ?? parts.message ?? "";
  if (strict) {
    if (parts.code !== undefined && received.grpcStatus !== undefined && parts.code !== received.grpcStatus) {
      throw new DecodeError("CodeMismatch", `grpc-status is ${received.grpcStatus} but the details say ${parts.code}`);
    }
    if (parts.message !== undefined && received.grpcMessage !== undefined && parts.message !== received.grpcMessage) {
      throw new DecodeError("MessageMismatch", "grpc-message differs from the message inside the details");
    }
  }

  const metadata = info.metadata;
  const code = resolveCode(info.reason, metadata, strict);
  const known = code === undefined ? undefined : errorCodeInfo(code);
  const name = Object.hasOwn(metadata, METADATA_NAME_KEY) ? metadata[METADATA_NAME_KEY] : undefined;
  if (strict && known) {
    if (grpcCode !== known.grpcCode) {
      throw new DecodeError("GrpcCodeMismatch", `${known.code} ${known.reason} is sent with gRPC code ${known.grpcCode}, not ${grpcCode}`);
    }
    if (name !== undefined && name !== known.name) {
      throw new DecodeError("NameMismatch", `ErrorInfo metadata message ${JSON.stringify(name)} is not ${known.name}, the name of ${known.code}`);
    }
  }

  const localizedMessages: LocalizedText[] = [];
  let retryDelay: number | undefined;
  let fieldViolations: FieldViolation[] = [];
  let resourceInfo: ResourceInfo | undefined;
  let requestInfo: RequestInfo | undefined;
  const seen = new Set<string>();
  // Marks a once-only type as seen: a repeat is an error when strict and ignored otherwise.
  const first = (typeName: string): boolean => {
    if (!seen.has(typeName)) {
      seen.add(typeName);
      return true;
    }
    if (strict) throw new DecodeError("DuplicateDetail", `${typeName} appears more than once in the details`, typeName);
    return false;
  };
  for (const detail of parts.details) {
    // Every detail parsed when strict, so what fails here is skipped.
    if (detail instanceof WireError) continue;
    const { typeName, value } = detail;
    if (typeName === LOCALIZED_MESSAGE) {
      const localized = readDetail(LocalizedMessageSchema, value, strict);
      if (localized) localizedMessages.push({ locale: localized.locale, message: localized.message });
    } else if (typeName === RETRY_INFO && first(typeName)) {
      const retry = readDetail(RetryInfoSchema, value, strict);
      if (retry?.retryDelay) retryDelay = retryDelayMs(retry.retryDelay.seconds, retry.retryDelay.nanos, strict);
    } else if (typeName === BAD_REQUEST && first(typeName)) {
      const bad = readDetail(BadRequestSchema, value, strict);
      if (bad) {
        fieldViolations = bad.fieldViolations.map(({ field, description, reason }) => ({ field, description, reason }));
      }
    } else if (typeName === RESOURCE_INFO && first(typeName)) {
      const resource = readDetail(ResourceInfoSchema, value, strict);
      if (resource) {
        const { resourceType, resourceName, owner, description } = resource;
        resourceInfo = { resourceType, resourceName, owner, description };
      }
    } else if (typeName === REQUEST_INFO && first(typeName)) {
      const request = readDetail(RequestInfoSchema, value, strict);
      if (request) requestInfo = { requestId: request.requestId, servingData: request.servingData };
    }
    // Other detail types, from this server or a proxy, are not ours to judge.
  }

  return {
    code,
    info: known,
    reason: info.reason,
    domain,
    name,
    message,
    grpcCode,
    metadata,
    localizedMessage: localizedMessages[0],
    localizedMessages,
    retryDelayMs: retryDelay,
    fieldViolations,
    resourceInfo,
    requestInfo,
    requestId: requestInfo?.requestId,
  };
}
