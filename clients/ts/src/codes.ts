// The catalogue facts decoding needs (number, reason, original name, gRPC
// code), looked up from the generated table. The descriptions live in
// another module, so an app that only decodes does not bundle them.
import { CODE_STEPS, GRPC_CODES, PROTO_PACKAGE, REASONS, UNLIKE_REASON_NAMES } from "./gen/chat/errors/v1/chat_errors_catalogue.js";

/** One ErrorCode value: its number, ErrorInfo reason and gRPC code. */
export type CatalogueEntry = readonly [code: number, reason: string, grpcCode: number];

/**
 * The ErrorInfo domain chat errors are sent with unless a service sets its
 * own: the catalogue's proto package, `chat.errors.v1`.
 */
export const DEFAULT_DOMAIN: string = PROTO_PACKAGE;

let table: CatalogueEntry[] | undefined;
let byNumber: Map<number, CatalogueEntry> | undefined;
let byReason: Map<string, CatalogueEntry> | undefined;

/** Every ErrorCode value but UNSPECIFIED, in numeric order. */
export function entries(): readonly CatalogueEntry[] {
  if (table === undefined) {
    const reasons = REASONS.split(" ");
    let code = 0;
    table = CODE_STEPS.map((step, index) => [(code += step), reasons[index]!, GRPC_CODES[index]!]);
  }
  return table;
}

/** The entry of `code`, or `undefined` for a number this build does not know. */
export function entryOfNumber(code: number): CatalogueEntry | undefined {
  byNumber ??= new Map(entries().map((entry) => [entry[0], entry]));
  return byNumber.get(code);
}

/** The entry whose ErrorInfo reason is `reason`. */
export function entryOfReason(reason: string): CatalogueEntry | undefined {
  byReason ??= new Map(entries().map((entry) => [entry[1], entry]));
  return byReason.get(reason);
}

/** The entry's original name, e.g. `ChannelNotFound`. */
export function nameOf([code, reason]: CatalogueEntry): string {
  return (
    UNLIKE_REASON_NAMES[code] ??
    reason
      .split("_")
      .map((word) => word.charAt(0) + word.slice(1).toLowerCase())
      .join("")
  );
}
