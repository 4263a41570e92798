// The error catalogue, read from the options that chat_errors.proto puts on
// each ErrorCode value. Nothing here restates the table: a new code or a
// changed description arrives by regenerating src/gen/.
import { getOption, hasOption } from "@bufbuild/protobuf";
import type { DescEnumValue } from "@bufbuild/protobuf";
import {
  ErrorCode,
  ErrorCodeSchema,
  GrpcCodeSchema,
  description_en,
  description_ko,
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
  /** The description in each catalogue locale, keyed by BCP 47 tag (`ko-KR`, `en-US`). */
  readonly descriptions: Readonly<Record<string, string>>;
}

/** Which option holds the description for which locale. */
const DESCRIPTION_OPTIONS = [
  ["ko-KR", description_ko],
  ["en-US", description_en],
] as const;

function grpcCodeName(value: number): string {
  const grpc = GrpcCodeSchema.values.find((candidate) => candidate.number === value);
  // The enum's values carry the prefix GRPC_CODE_; the gRPC name is the rest.
  return grpc ? grpc.name.slice(GrpcCodeSchema.sharedPrefix?.length ?? 0) : String(value);
}

function entry(value: DescEnumValue): ErrorCodeInfo {
  const descriptions: Record<string, string> = {};
  for (const [locale, option] of DESCRIPTION_OPTIONS) {
    if (hasOption(value, option)) descriptions[locale] = getOption(value, option);
  }
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
