// The catalogue facts decoding needs (number, reason, original name, gRPC
// code), looked up from the generated table. The descriptions live in
// another module, so an app that only decodes does not bundle them.
import { ENTRIES, PROTO_PACKAGE, UNLIKE_REASON_NAMES } from "./gen/chat/errors/v1/chat_errors_catalogue.js";
import type { CatalogueEntry } from "./gen/chat/errors/v1/chat_errors_catalogue.js";

/**
 * The ErrorInfo domain chat errors are sent with unless a service sets its
 * own: the catalogue's proto package, `chat.errors.v1`.
 */
export const DEFAULT_DOMAIN: string = PROTO_PACKAGE;

let byNumber: Map<number, CatalogueEntry> | undefined;
let byReason: Map<string, CatalogueEntry> | undefined;

/** The entry of `code`, or `undefined` for a number this build does not know. */
export function entryOfNumber(code: number): CatalogueEntry | undefined {
  byNumber ??= new Map(ENTRIES.map((entry) => [entry[0], entry]));
  return byNumber.get(code);
}

/** The entry whose ErrorInfo reason is `reason`. */
export function entryOfReason(reason: string): CatalogueEntry | undefined {
  byReason ??= new Map(ENTRIES.map((entry) => [entry[1], entry]));
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
