// The error catalogue, read from the options that chat_errors.proto puts on
// each ErrorCode value. Nothing here restates the table: a new code or a
// changed description arrives by regenerating src/gen/.
import { getOption, hasOption } from "@bufbuild/protobuf";
import type { DescEnumValue, DescExtension } from "@bufbuild/protobuf";
import {
  ErrorCode,
  ErrorCodeSchema,
  GrpcCodeSchema,
  file_chat_errors_v1_chat_errors,
  grpc_code,
  original_name,
  retryable,
} from "./gen/chat/errors/v1/chat_errors_pb.js";

export { ErrorCode };

/**
 * The ErrorInfo domain chat errors are sent with unless a service sets its
 * own: the catalogue's proto package, `chat.errors.v1`.
 */
export const DEFAULT_DOMAIN: string = ErrorCodeSchema.file.proto.package;

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

/** One of the proto's own extensions, found by name. */
function extensionNamed(name: string): DescExtension | undefined {
  return file_chat_errors_v1_chat_errors.extensions.find((extension) => extension.name === name);
}

type OptionReader = (element: never, extension: DescExtension) => unknown;
const readOption = getOption as unknown as OptionReader;
const holdsOption = hasOption as unknown as (element: never, extension: DescExtension) => boolean;

// The proto gives each value's descriptions as a repeated `description`
// option of {locale, text}, and the locales on the ErrorCode enum; protos
// from before locales were data had `description_ko` and `description_en`.
const DESCRIPTION = extensionNamed("description");
const LOCALES = extensionNamed("locales");
const LEGACY_DESCRIPTIONS = [
  ["ko-KR", extensionNamed("description_ko")],
  ["en-US", extensionNamed("description_en")],
] as const;

function descriptionsOf(value: DescEnumValue): Record<string, string> {
  const descriptions: Record<string, string> = {};
  if (DESCRIPTION) {
    for (const { locale, text } of readOption(value as never, DESCRIPTION) as { locale: string; text: string }[]) {
      descriptions[locale] = text;
    }
  }
  for (const [locale, option] of LEGACY_DESCRIPTIONS) {
    if (option && holdsOption(value as never, option)) descriptions[locale] = readOption(value as never, option) as string;
  }
  return descriptions;
}

function grpcCodeName(value: number): string {
  const grpc = GrpcCodeSchema.values.find((candidate) => candidate.number === value);
  // The enum's values carry the prefix GRPC_CODE_; the gRPC name is the rest.
  return grpc ? grpc.name.slice(GrpcCodeSchema.sharedPrefix?.length ?? 0) : String(value);
}

function entry(value: DescEnumValue): ErrorCodeInfo {
  const descriptions = descriptionsOf(value);
  const grpcCode = getOption(value, grpc_code);
  return Object.freeze({
    code: value.number as ErrorCode,
    reason: value.name.slice(ErrorCodeSchema.sharedPrefix?.length ?? 0),
    name: getOption(value, original_name),
    grpcCode,
    grpcCodeName: grpcCodeName(grpcCode),
    retryable: getOption(value, retryable),
    descriptions: Object.freeze(descriptions),
  });
}

/** Every error code of the catalogue, in numeric order. UNSPECIFIED is not one. */
export const errorCodes: readonly ErrorCodeInfo[] = Object.freeze(
  ErrorCodeSchema.values
    .filter((value) => value.number !== ErrorCode.UNSPECIFIED)
    .map(entry)
    .sort((a, b) => a.code - b.code),
);

const byNumber = new Map(errorCodes.map((info) => [info.code as number, info]));
const byReason = new Map(errorCodes.map((info) => [info.reason, info]));

/** The catalogue entry of `code`, or `undefined` for a number this build does not know. */
export function errorCodeInfo(code: number): ErrorCodeInfo | undefined {
  return byNumber.get(code);
}

/** The catalogue entry whose ErrorInfo reason is `reason`. */
export function errorCodeOfReason(reason: string): ErrorCodeInfo | undefined {
  return byReason.get(reason);
}

/**
 * The catalogue's locales, its default first: every code has a description
 * in each.
 */
export const locales: readonly string[] = Object.freeze(
  LOCALES
    ? [...(readOption(ErrorCodeSchema as never, LOCALES) as string[])]
    : Object.keys(errorCodes[0]?.descriptions ?? {}),
);
