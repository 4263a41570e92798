// The google.rpc detail messages a chat error may carry besides ErrorInfo,
// decoded as prost decodes them: a string must be UTF-8 at every occurrence,
// the last occurrence of a singular field wins, a singular message that
// appears again is merged into the first, unknown fields are skipped within
// prost's recursion limit. Any failure is a WireError.
import { RECURSION_LIMIT, Reader } from "./wire.js";

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

function mergeLocalized(reader: Reader, into: { locale: string; message: string }, budget: number): void {
  while (reader.next()) {
    if (reader.tag === 1) into.locale = reader.string(true);
    else if (reader.tag === 2) into.message = reader.string(true);
    else reader.skip(budget);
  }
}

export function decodeLocalizedMessage(bytes: Uint8Array): LocalizedText {
  const localized = { locale: "", message: "" };
  mergeLocalized(new Reader(bytes), localized, RECURSION_LIMIT);
  return localized;
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
    let field = "";
    let description = "";
    let reason = "";
    let localizedMessage: { locale: string; message: string } | undefined;
    while (violation.next()) {
      switch (violation.tag) {
        case 1:
          field = violation.string(true);
          break;
        case 2:
          description = violation.string(true);
          break;
        case 3:
          reason = violation.string(true);
          break;
        case 4:
          localizedMessage ??= { locale: "", message: "" };
          mergeLocalized(nested(violation), localizedMessage, RECURSION_LIMIT - 2);
          break;
        default:
          violation.skip(RECURSION_LIMIT - 1);
      }
    }
    violations.push({ field, description, reason, localizedMessage });
  }
  return violations;
}

export function decodeResourceInfo(bytes: Uint8Array): ResourceInfo {
  const reader = new Reader(bytes);
  let resourceType = "";
  let resourceName = "";
  let owner = "";
  let description = "";
  while (reader.next()) {
    switch (reader.tag) {
      case 1:
        resourceType = reader.string(true);
        break;
      case 2:
        resourceName = reader.string(true);
        break;
      case 3:
        owner = reader.string(true);
        break;
      case 4:
        description = reader.string(true);
        break;
      default:
        reader.skip(RECURSION_LIMIT);
    }
  }
  return { resourceType, resourceName, owner, description };
}

export function decodeRequestInfo(bytes: Uint8Array): RequestInfo {
  const reader = new Reader(bytes);
  let requestId = "";
  let servingData = "";
  while (reader.next()) {
    if (reader.tag === 1) requestId = reader.string(true);
    else if (reader.tag === 2) servingData = reader.string(true);
    else reader.skip(RECURSION_LIMIT);
  }
  return { requestId, servingData };
}

const NANOS_PER_SECOND = 1_000_000_000;
const NANOS_MAX = NANOS_PER_SECOND - 1;
const I64_MAX = (1n << 63n) - 1n;
const I64_MIN = -(1n << 63n);

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

