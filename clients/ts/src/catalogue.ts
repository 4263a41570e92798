// The error catalogue's public view, joined from the tables generated out of
// chat_errors.proto (src/gen/chat/errors/v1/chat_errors_*.ts). Nothing here
// restates the table: a new code or a changed description arrives by
// regenerating src/gen/.
import { ErrorCode } from "./gen/chat/errors/v1/chat_errors_error_code.js";
import { DESCRIPTIONS, GRPC_CODE_NAMES, LOCALES, RETRYABLE } from "./gen/chat/errors/v1/chat_errors_listing.js";
import { entries, entryOfNumber, entryOfReason, nameOf } from "./codes.js";

/** One catalogue entry: how an error code travels and what it says. */
export interface ErrorCodeInfo {
  /** The numeric code, e.g. 2003. */
  readonly code: ErrorCode;
  /** The `google.rpc.ErrorInfo` reason, e.g. `CHANNEL_NOT_FOUND`. */
  readonly reason: string;
  /** The name in the platform's original document, e.g. `ChannelNotFound`. Not unique. */
  readonly name: string;
  /** The gRPC status code number the error is sent with, e.g. 5. */
  readonly grpcCode: number;
  /** The gRPC status code's name, e.g. `NOT_FOUND`. */
  readonly grpcCodeName: string;
  /** Whether a client may retry the same request unchanged. */
  readonly retryable: boolean;
  /** The description in each of the catalogue's `locales`, keyed by BCP 47 tag (`ko-KR`, `en-US`). */
  readonly descriptions: Readonly<Record<string, string>>;
}

const infos = new Map<number, ErrorCodeInfo>();

function infoOf(index: number): ErrorCodeInfo {
  const entry = entries()[index]!;
  const [code, reason, grpcCode] = entry;
  let info = infos.get(code);
  if (info === undefined) {
    const texts = DESCRIPTIONS[index]!;
    const descriptions: Record<string, string> = {};
    LOCALES.forEach((locale, at) => (descriptions[locale] = texts[at]!));
    info = Object.freeze({
      code: code as ErrorCode,
      reason,
      name: nameOf(entry),
      grpcCode,
      grpcCodeName: GRPC_CODE_NAMES[grpcCode] ?? String(grpcCode),
      retryable: RETRYABLE.includes(code),
      descriptions: Object.freeze(descriptions),
    });
    infos.set(code, info);
  }
  return info;
}

/** Every error code of the catalogue, in numeric order. UNSPECIFIED is not one. */
export const errorCodes: readonly ErrorCodeInfo[] = /* @__PURE__ */ Object.freeze(/* @__PURE__ */ entries().map((_, index) => infoOf(index)));

/** The catalogue entry of `code`, or `undefined` for a number this build does not know. */
export function errorCodeInfo(code: number): ErrorCodeInfo | undefined {
  const entry = entryOfNumber(code);
  return entry && infoOf(entries().indexOf(entry));
}

/** The catalogue entry whose ErrorInfo reason is `reason`. */
export function errorCodeOfReason(reason: string): ErrorCodeInfo | undefined {
  const entry = entryOfReason(reason);
  return entry && infoOf(entries().indexOf(entry));
}

/** The catalogue's locales, its default first: every code has a description in each. */
export const locales: readonly string[] = LOCALES;
