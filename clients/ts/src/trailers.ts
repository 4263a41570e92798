// Turns what a caller holds (a ConnectError, trailers, or the bare
// grpc-status-details-bin value) into one shape: the status code and message
// as they travelled, and the google.rpc.Status bytes or its details.
import { DecodeError } from "./errors.js";

export const STATUS_HEADER = "grpc-status";
export const MESSAGE_HEADER = "grpc-message";
export const DETAILS_HEADER = "grpc-status-details-bin";

/** A detail already taken out of its google.protobuf.Any: its message name and bytes. */
export interface RawDetail {
  readonly typeName: string;
  readonly value: Uint8Array;
}

/** A status as received, before anything in it is trusted. */
export interface ReceivedStatus {
  /** `grpc-status`, when the caller had it. */
  readonly grpcStatus?: number;
  /** `grpc-message`, percent-decoded, when the caller had it. */
  readonly grpcMessage?: string;
  /** The google.rpc.Status bytes of `grpc-status-details-bin`. */
  readonly statusBytes?: Uint8Array;
  /** Details some transport already unpacked, when the Status bytes are gone. */
  readonly details?: readonly RawDetail[];
}

/**
 * The headers or trailers of a response: a `Headers`, or a plain object of
 * header names to values (a number for `grpc-status` too, as in the JSON that
 * `chat-errors encode --format json` prints).
 */
export type HeadersLike = { get(name: string): string | null } | Record<string, string | number | undefined>;

/**
 * The parts of `@connectrpc/connect`'s ConnectError this package reads. For a
 * gRPC or gRPC-Web response its `metadata` holds the trailers as sent.
 */
export interface ConnectErrorLike {
  readonly code: number;
  readonly rawMessage: string;
  readonly metadata: { get(name: string): string | null };
  readonly details: readonly unknown[];
}

const BASE64 = /^([A-Za-z0-9+/]*)(={0,2})$/;

/** Standard base64, padded or not, as gRPC sends binary headers; `undefined` when it is not base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  const match = BASE64.exec(text.trim());
  if (!match) return undefined;
  const body = match[1]!;
  const padding = match[2]!;
  if (body.length % 4 === 1) return undefined;
  if (padding.length > 0 && (body.length + padding.length) % 4 !== 0) return undefined;
  let binary: string;
  try {
    binary = atob(body + "=".repeat((4 - (body.length % 4)) % 4));
  } catch {
    return undefined;
  }
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

const lossyUtf8 = new TextDecoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const utf8Encoder = new TextEncoder();

/**
 * `grpc-message` percent-decoding, as gRPC defines it: a malformed escape
 * stays as it is. Bytes that are not UTF-8 are refused when strict and
 * replaced with U+FFFD otherwise.
 */
export function percentDecode(text: string, strict: boolean): string {
  if (!text.includes("%")) return text;
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const hex = text.slice(index + 1, index + 3);
    if (text[index] === "%" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      index += 2;
    } else {
      const char = String.fromCodePoint(text.codePointAt(index)!);
      bytes.push(...utf8Encoder.encode(char));
      index += char.length - 1;
    }
  }
  if (!strict) return lossyUtf8.decode(new Uint8Array(bytes));
  try {
    return strictUtf8.decode(new Uint8Array(bytes));
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

function parseGrpcStatus(text: string | undefined, strict: boolean): number | undefined {
  if (text === undefined) return undefined;
  if (GRPC_STATUS.test(text)) return Number(text);
  if (strict) throw new DecodeError("InvalidGrpcStatus", `grpc-status ${JSON.stringify(text)} is not a status code`);
  return undefined;
}

/** The status in trailers (or trailers-only headers); `undefined` when they hold no details. */
function fromHeaders(get: (name: string) => string | undefined, strict: boolean): ReceivedStatus | undefined {
  const details = get(DETAILS_HEADER);
  if (details === undefined) return undefined;
  const statusBytes = decodeBase64(details);
  if (statusBytes === undefined) {
    if (strict) throw new DecodeError("DetailsNotBase64", `${DETAILS_HEADER} is not base64`);
    return undefined;
  }
  const message = get(MESSAGE_HEADER);
  return {
    grpcStatus: parseGrpcStatus(get(STATUS_HEADER), strict),
    grpcMessage: message === undefined ? undefined : percentDecode(message, strict),
    statusBytes,
  };
}

/** The details of a ConnectError whose trailers are gone, e.g. one from the Connect protocol. */
function fromConnectDetails(err: ConnectErrorLike): ReceivedStatus | undefined {
  const details: RawDetail[] = [];
  for (const detail of err.details) {
    const { type, value } = (detail ?? {}) as { type?: unknown; value?: unknown };
    if (typeof type === "string" && value instanceof Uint8Array) {
      details.push({ typeName: type, value });
    }
  }
  if (details.length === 0) return undefined;
  return { grpcStatus: err.code, grpcMessage: err.rawMessage, details };
}

/** Finds the status in whatever the caller passed; `undefined` when there is none to read. */
export function receivedStatus(input: unknown, strict: boolean): ReceivedStatus | undefined {
  if (typeof input === "string") {
    const statusBytes = decodeBase64(input);
    if (statusBytes === undefined && strict) {
      throw new DecodeError("DetailsNotBase64", `${DETAILS_HEADER} is not base64`);
    }
    return statusBytes && { statusBytes };
  }
  if (input instanceof Uint8Array) return { statusBytes: input };
  if (typeof input !== "object" || input === null) return undefined;
  if (isConnectError(input)) {
    return fromHeaders(headerReader(input.metadata), strict) ?? fromConnectDetails(input);
  }
  return fromHeaders(headerReader(input as HeadersLike), strict);
}
