// @chat-errors/client: reads the chat platform's errors out of Connect, gRPC
// and gRPC-Web responses, with the error catalogue generated from
// chat_errors.proto.
import { DEFAULT_DOMAIN } from "./codes.js";
import { decodeChatError } from "./decode.js";
import type { ChatError } from "./decode.js";
import { DecodeError } from "./errors.js";
import type { ErrorCode } from "./gen/chat/errors/v1/chat_errors_error_code.js";
import { receivedStatus } from "./trailers.js";

export { ErrorCode } from "./gen/chat/errors/v1/chat_errors_error_code.js";
export { DEFAULT_DOMAIN } from "./codes.js";
export { errorCodeInfo, errorCodeOfReason, errorCodes, locales } from "./catalogue.js";
export type { ErrorCodeInfo } from "./catalogue.js";
export type { ChatError, Delay } from "./decode.js";
export type { FieldViolation, LocalizedText, RequestInfo, ResourceInfo } from "./details.js";
export { DecodeError } from "./errors.js";
export { MAX_HTTP_JSON_ERROR_BYTES, chatErrorOfHttp } from "./http.js";
export type { DecodeErrorKind } from "./errors.js";
export type { ConnectErrorLike, HeadersLike } from "./trailers.js";
// google.rpc's Status and detail schemas, for connect's findDetails and protobuf-es's fromBinary.
export * from "./gen/google/rpc/error_details_pb.js";
export * from "./gen/google/rpc/status_pb.js";

/** How `chatErrorOf` reads. */
export interface ChatErrorOptions {
  /** The ErrorInfo domain to look for; `DEFAULT_DOMAIN` when not given. */
  readonly domain?: string;
  /**
   * Refuse statuses that break the wire contract by throwing a `DecodeError`.
   * Default `false`: lenient reading, which never throws.
   */
  readonly strict?: boolean;
}

/**
 * The chat error in `err`, or `undefined` when it carries none of the domain.
 *
 * `err` is a ConnectError from `@connectrpc/connect` (the details connect
 * parsed are read; strict reading also holds them to the gRPC trailers in
 * its `metadata`), response headers or trailers (a `Headers` or a plain
 * object) with `grpc-status`, or the bare `grpc-status-details-bin` value as
 * base64 text or bytes. Anything else is not a chat error.
 *
 * Lenient (the default) never throws. Strict throws a `DecodeError` when the
 * status is broken or contradicts itself, and never anything else.
 */
export function chatErrorOf(err: unknown, options: ChatErrorOptions = {}): ChatError | undefined {
  const strict = options.strict === true;
  const domain = options.domain ?? DEFAULT_DOMAIN;
  try {
    const received = receivedStatus(err, strict);
    return received && decodeChatError(received, domain, strict);
  } catch (error) {
    if (!strict) return undefined;
    if (error instanceof DecodeError) throw error;
    // Input no reader foresaw, such as a getter that throws, is refused the same way.
    throw new DecodeError("MalformedStatus", `the status could not be read: ${String(error)}`);
  }
}

/** Whether `err` is the chat error `code` (read leniently, in `domain` when given). */
export function isChatError(err: unknown, code: ErrorCode, options: { readonly domain?: string } = {}): boolean {
  return chatErrorOf(err, { domain: options.domain })?.code === code;
}
