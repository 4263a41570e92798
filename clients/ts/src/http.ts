// Reads a chat error out of an HTTP JSON error body, in AIP-193's form or
// the gateway form, as the Rust crate's http_json module reads it: the JSON
// becomes the google.rpc.Status it stands for (proto3 JSON mapping, through
// protobuf-es) and goes through the same decoding as grpc-status-details-bin.
import { create, createRegistry, fromJson, toBinary } from "@bufbuild/protobuf";
import type { JsonValue } from "@bufbuild/protobuf";
import {
  AnySchema,
  file_google_protobuf_any,
  file_google_protobuf_api,
  file_google_protobuf_compiler_plugin,
  file_google_protobuf_descriptor,
  file_google_protobuf_duration,
  file_google_protobuf_empty,
  file_google_protobuf_field_mask,
  file_google_protobuf_source_context,
  file_google_protobuf_struct,
  file_google_protobuf_timestamp,
  file_google_protobuf_type,
  file_google_protobuf_wrappers,
} from "@bufbuild/protobuf/wkt";
import type { Any } from "@bufbuild/protobuf/wkt";
import { DEFAULT_DOMAIN } from "./codes.js";
import { decodeChatError } from "./decode.js";
import type { ChatError } from "./decode.js";
import { DecodeError } from "./errors.js";
import { file_google_rpc_error_details } from "./gen/google/rpc/error_details_pb.js";
import { StatusSchema, file_google_rpc_status } from "./gen/google/rpc/status_pb.js";
import { JsonNumber, parseJson, plainJson } from "./json.js";
import type { Json } from "./json.js";
import type { ChatErrorOptions } from "./index.js";
import { fatalUtf8, utf8Encoder } from "./wire.js";

/** The largest error body read, as in the crate: anything larger is refused before it is parsed. */
export const MAX_HTTP_JSON_ERROR_BYTES = 64 * 1024;

/** gRPC's code names, as google.rpc.Code names them, by number. */
const GRPC_CODE_NAMES = [
  "OK",
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
];
/** The HTTP status of each gRPC code, by number (google/rpc/code.proto). */
const HTTP_STATUS = [200, 499, 500, 400, 504, 404, 409, 403, 429, 400, 409, 400, 501, 500, 503, 500, 401];
const UNKNOWN = 2;

/** The types the proto3 JSON mapping reads: google.rpc's and the well-known types, as in the crate. */
const registry = /* @__PURE__ */ createRegistry(
  file_google_rpc_status,
  file_google_rpc_error_details,
  file_google_protobuf_any,
  file_google_protobuf_api,
  file_google_protobuf_compiler_plugin,
  file_google_protobuf_descriptor,
  file_google_protobuf_duration,
  file_google_protobuf_empty,
  file_google_protobuf_field_mask,
  file_google_protobuf_source_context,
  file_google_protobuf_struct,
  file_google_protobuf_timestamp,
  file_google_protobuf_type,
  file_google_protobuf_wrappers,
);


function invalid(field: string): DecodeError {
  return new DecodeError("InvalidField", `the error body's ${field} is missing, mistyped or unknown`);
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof JsonNumber);
}

function field(object: { [key: string]: Json }, name: string): Json | undefined {
  return Object.hasOwn(object, name) ? object[name] : undefined;
}

/** serde_json's `as_u64` and `as_i64`. */
function asU64(value: Json | undefined): bigint | undefined {
  return value instanceof JsonNumber && value.integer !== undefined && value.integer >= 0n ? value.integer : undefined;
}

function asI64(value: Json | undefined): bigint | undefined {
  return value instanceof JsonNumber && value.integer !== undefined && value.integer < 1n << 63n ? value.integer : undefined;
}

interface Envelope {
  readonly grpcCode: number;
  readonly message: string;
  readonly details: readonly Json[];
}

function envelopeOf(json: Json, httpStatus: number, strict: boolean): Envelope | undefined {
  if (!isObject(json)) return undefined;
  let fields: { [key: string]: Json };
  let grpcCode: number;
  let bodyHttpStatus: bigint | undefined;
  const error = field(json, "error");
  const code = field(json, "code");
  if (error !== undefined) {
    // AIP-193: `status` names the gRPC code, `code` is the HTTP status.
    if (!isObject(error)) {
      if (strict) throw invalid("error");
      return undefined;
    }
    const status = field(error, "status");
    const named = typeof status === "string" ? GRPC_CODE_NAMES.indexOf(status) : -1;
    if (named < 0 && strict) throw invalid("error.status");
    grpcCode = named < 0 ? UNKNOWN : named;
    bodyHttpStatus = asU64(field(error, "code"));
    if (strict && bodyHttpStatus !== BigInt(HTTP_STATUS[grpcCode]!)) throw invalid("error.code");
    fields = error;
  } else if (code !== undefined) {
    // The gateway form: `code` is the gRPC code.
    const number = asI64(code);
    const known = number !== undefined && number >= 0n && number <= 16n;
    if (!known && strict) throw invalid("code");
    grpcCode = known ? Number(number) : UNKNOWN;
    bodyHttpStatus = BigInt(HTTP_STATUS[grpcCode]!);
    fields = json;
  } else {
    return undefined;
  }
  if (strict && bodyHttpStatus !== BigInt(httpStatus)) {
    throw new DecodeError("HttpStatusMismatch", `the response's HTTP status is ${httpStatus} but its body says ${bodyHttpStatus ?? 0n}`);
  }
  const message = field(fields, "message");
  if (message !== undefined && typeof message !== "string" && strict) throw invalid("message");
  const details = field(fields, "details");
  if (details !== undefined && !Array.isArray(details) && strict) throw invalid("details");
  return {
    grpcCode,
    message: typeof message === "string" ? message : "",
    details: Array.isArray(details) ? details : [],
  };
}

/** The part of a type URL after its last `/`. */
function typeName(typeUrl: string): string {
  return typeUrl.slice(typeUrl.lastIndexOf("/") + 1);
}

/** One detail as the Any it stands for; `undefined` when its type is unknown or, leniently, it does not parse. */
function readDetail(detail: Json, strict: boolean): Any | undefined {
  const typeUrl = isObject(detail) ? field(detail, "@type") : undefined;
  let problem: [string, string];
  if (typeof typeUrl !== "string") {
    problem = ["", "a detail has no @type"];
  } else if (registry.getMessage(typeName(typeUrl)) === undefined) {
    return undefined;
  } else if (!typeUrl.includes("/")) {
    problem = [typeUrl, "the type URL has no '/'"];
  } else {
    try {
      return fromJson(AnySchema, plainJson(detail) as JsonValue, { registry, ignoreUnknownFields: true });
    } catch (error) {
      problem = [typeUrl, String(error)];
    }
  }
  if (!strict) return undefined;
  throw new DecodeError("MalformedDetail", `malformed detail ${JSON.stringify(problem[0])}: ${problem[1]}`, typeName(problem[0]));
}

/**
 * The chat error in an HTTP JSON error response, or `undefined` when the
 * body is JSON in neither form or carries no ErrorInfo of the domain.
 *
 * `httpStatus` is the response's status; `body` its body, in AIP-193's form
 * (`{"error": {"code", "message", "status", "details"}}`) or the gateway
 * form (`{"code": <gRPC code>, "message", "details"}`). Details whose
 * `@type` the JSON mapping does not know are skipped.
 *
 * Lenient (the default) never throws. Strict throws a `DecodeError` when the
 * body is too large or not JSON, when the envelope's fields are mistyped or
 * disagree with each other or with `httpStatus`, when a detail of a known
 * type does not parse, and for whatever `chatErrorOf` refuses in the details.
 */
export function chatErrorOfHttp(httpStatus: number, body: string | Uint8Array, options: ChatErrorOptions = {}): ChatError | undefined {
  const strict = options.strict === true;
  const domain = options.domain ?? DEFAULT_DOMAIN;
  try {
    const bytes = typeof body === "string" ? utf8Encoder.encode(body) : body;
    if (bytes.length > MAX_HTTP_JSON_ERROR_BYTES) {
      throw new DecodeError("TooLarge", `the error body is ${bytes.length} bytes, over the ${MAX_HTTP_JSON_ERROR_BYTES}-byte limit`);
    }
    let json: Json;
    try {
      json = parseJson(typeof body === "string" ? body : fatalUtf8.decode(bytes));
    } catch (error) {
      throw new DecodeError("NotJson", `the error body is not JSON: ${String(error)}`);
    }
    const envelope = envelopeOf(json, httpStatus, strict);
    if (envelope === undefined) return undefined;
    const details: Any[] = [];
    for (const detail of envelope.details) {
      const any = readDetail(detail, strict);
      if (any !== undefined) details.push(any);
    }
    const statusBytes = toBinary(StatusSchema, create(StatusSchema, { code: envelope.grpcCode, message: envelope.message, details }));
    return decodeChatError({ statusBytes, trailers: { code: envelope.grpcCode, message: envelope.message } }, domain, strict);
  } catch (error) {
    if (!strict) return undefined;
    if (error instanceof DecodeError) throw error;
    throw new DecodeError("MalformedStatus", `the error body could not be read: ${String(error)}`);
  }
}

