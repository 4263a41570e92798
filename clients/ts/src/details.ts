// The google.rpc detail messages a chat error may carry besides ErrorInfo,
// decoded as prost decodes them: a string must be UTF-8 at every occurrence,
// the last occurrence of a singular field wins, a singular message that
// appears again is merged into the first, unknown fields are skipped within
// prost's recursion limit. Any failure is a WireError.
import { I64_MAX, I64_MIN, RECURSION_LIMIT, Reader } from "./wire.js";

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
  readonly localizedMessage: LocalizedText | undefined;
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

/** A `google.protobuf.Duration` as sent, before normalising. */
export interface DurationValue {
  seconds: bigint;
  nanos: number;
}

/** Reads the fields of the message at the reader's current length-delimited field. */
function nested(outer: Reader): Reader {
  outer.delimited();
  return new Reader(outer.bytes, outer.start, outer.stop);
}

/**
 * Reads a message whose fields 1 to `strings.length` are all strings into
 * `strings`, the last occurrence of each winning; a repeated read merges.
 */
function readStrings(reader: Reader, strings: string[], budget: number): string[] {
  while (reader.next()) {
    if (reader.tag <= strings.length) strings[reader.tag - 1] = reader.string(true);
    else reader.skip(budget);
  }
  return strings;
}

export function decodeLocalizedMessage(bytes: Uint8Array): LocalizedText {
  const [locale, message] = readStrings(new Reader(bytes), ["", ""], RECURSION_LIMIT) as [string, string];
  return { locale, message };
}

/** `RetryInfo.retry_delay`, `undefined` when absent. */
export function decodeRetryInfo(bytes: Uint8Array): DurationValue | undefined {
  const reader = new Reader(bytes);
  let delay: DurationValue | undefined;
  while (reader.next()) {
    if (reader.tag === 1) {
      delay ??= { seconds: 0n, nanos: 0 };
      const duration = nested(reader);
      while (duration.next()) {
        if (duration.tag === 1) delay.seconds = duration.int64();
        else if (duration.tag === 2) delay.nanos = duration.int32();
        else duration.skip(RECURSION_LIMIT - 1);
      }
    } else reader.skip(RECURSION_LIMIT);
  }
  return delay;
}

export function decodeBadRequest(bytes: Uint8Array): FieldViolation[] {
  const reader = new Reader(bytes);
  const violations: FieldViolation[] = [];
  while (reader.next()) {
    if (reader.tag !== 1) {
      reader.skip(RECURSION_LIMIT);
      continue;
    }
    const violation = nested(reader);
    const strings = ["", "", ""];
    let localized: string[] | undefined;
    while (violation.next()) {
      if (violation.tag <= 3) strings[violation.tag - 1] = violation.string(true);
      // A repeated localized_message is merged into the first, as prost merges it.
      else if (violation.tag === 4) localized = readStrings(nested(violation), localized ?? ["", ""], RECURSION_LIMIT - 2);
      else violation.skip(RECURSION_LIMIT - 1);
    }
    const [field, description, reason] = strings as [string, string, string];
    const localizedMessage = localized && { locale: localized[0]!, message: localized[1]! };
    violations.push({ field, description, reason, localizedMessage });
  }
  return violations;
}

export function decodeResourceInfo(bytes: Uint8Array): ResourceInfo {
  const [resourceType, resourceName, owner, description] = readStrings(new Reader(bytes), ["", "", "", ""], RECURSION_LIMIT) as [
    string,
    string,
    string,
    string,
  ];
  return { resourceType, resourceName, owner, description };
}

export function decodeRequestInfo(bytes: Uint8Array): RequestInfo {
  const [requestId, servingData] = readStrings(new Reader(bytes), ["", ""], RECURSION_LIMIT) as [string, string];
  return { requestId, servingData };
}

const NANOS_PER_SECOND = 1_000_000_000;
const NANOS_MAX = NANOS_PER_SECOND - 1;

/**
 * The delay as prost-types converts a Duration to a std Duration:
 * normalised, then refused (`undefined`) when negative.
 */
export function nonNegativeDelay(sent: DurationValue): { seconds: bigint; nanos: number } | undefined {
  let { seconds, nanos } = sent;
  if (nanos <= -NANOS_PER_SECOND || nanos >= NANOS_PER_SECOND) {
    const carried = seconds + BigInt(Math.trunc(nanos / NANOS_PER_SECOND));
    if (carried >= I64_MIN && carried <= I64_MAX) {
      seconds = carried;
      nanos %= NANOS_PER_SECOND;
    } else if (nanos < 0) {
      seconds = I64_MIN;
      nanos = -NANOS_MAX;
    } else {
      seconds = I64_MAX;
      nanos = NANOS_MAX;
    }
  }
  if (seconds < 0n && nanos > 0) {
    seconds += 1n;
    nanos -= NANOS_PER_SECOND;
  } else if (seconds > 0n && nanos < 0) {
    seconds -= 1n;
    nanos += NANOS_PER_SECOND;
  }
  if (seconds < 0n || nanos < 0) return undefined;
  // -0 is not a delay JSON should show.
  return { seconds, nanos: nanos + 0 };
}

