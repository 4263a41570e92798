// What strict reading refuses and lenient reading makes of the same status.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DurationSchema } from "@bufbuild/protobuf/wkt";
import { create } from "@bufbuild/protobuf";
import {
  BadRequestSchema,
  DebugInfoSchema,
  RequestInfoSchema,
  ResourceInfoSchema,
  RetryInfoSchema,
} from "../src/gen/google/rpc/error_details_pb.js";
import { DecodeError, chatErrorOf, isChatError } from "../src/index.js";
import type { DecodeErrorKind } from "../src/index.js";
import { channelNotFound, detail, errorInfo, korean, statusBytes, trailers } from "./build.js";

function assertRefused(received: unknown, kind: DecodeErrorKind): void {
  assert.throws(
    () => chatErrorOf(received, { strict: true }),
    (error: unknown) => error instanceof DecodeError && error.kind === kind,
    `expected a ${kind} DecodeError`,
  );
}

test("code and reason naming different codes: strict refuses, lenient takes the number", () => {
  const received = trailers(5, "m", [errorInfo("CHANNEL_NOT_FOUND", { code: "3003", message: "UserNotFound" })]);
  assertRefused(received, "CodeReasonMismatch");
  assert.equal(chatErrorOf(received)?.code, 3003);
});

test("a number this build lacks with a reason it knows is a contradiction, not a future code", () => {
  const received = trailers(5, "m", [errorInfo("CHANNEL_NOT_FOUND", { code: "9999" })]);
  assertRefused(received, "CodeReasonMismatch");
});

test("a known number with a reason the catalogue lacks is a contradiction", () => {
  const received = trailers(5, "m", [errorInfo("NO_SUCH_REASON", { code: "2003", message: "ChannelNotFound" })]);
  assertRefused(received, "CodeReasonMismatch");
});

test("a future code (unknown number, unknown reason) is kept in both modes", () => {
  const received = trailers(9, "Slow mode is on.", [
    errorInfo("SLOW_MODE_ACTIVE", { code: "9001", message: "SlowModeActive" }),
    korean("슬로우 모드입니다"),
  ]);
  for (const strict of [false, true]) {
    const decoded = chatErrorOf(received, { strict });
    assert.equal(decoded?.number, 9001);
    assert.equal(decoded?.code, undefined);
    assert.equal(decoded?.reason, "SLOW_MODE_ACTIVE");
    assert.equal(decoded?.name, "SlowModeActive");
    assert.equal(decoded?.grpcCode, 9);
    assert.equal(decoded?.localizedMessage?.message, "슬로우 모드입니다");
  }
});

test("a future code without metadata code has no number", () => {
  const decoded = chatErrorOf(trailers(9, "m", [errorInfo("SLOW_MODE_ACTIVE", {})]), { strict: true });
  assert.equal(decoded?.code, undefined);
  assert.equal(decoded?.reason, "SLOW_MODE_ACTIVE");
});

test("without metadata code the reason names the code", () => {
  const decoded = chatErrorOf(trailers(5, "m", [errorInfo("CHANNEL_NOT_FOUND", {})]), { strict: true });
  assert.equal(decoded?.code, 2003);
});

test("metadata message that is not the code's name: strict refuses", () => {
  const received = trailers(5, "m", [errorInfo("CHANNEL_NOT_FOUND", { code: "2003", message: "UserNotFound" })]);
  assertRefused(received, "NameMismatch");
  assert.equal(chatErrorOf(received)?.name, "UserNotFound");
});

for (const [text, kind] of [
  ["02003", "NonCanonicalCode"],
  ["+2003", "NonCanonicalCode"],
  [" 2003", "NonCanonicalCode"],
  ["2003 ", "NonCanonicalCode"],
  ["2003.0", "InvalidCodeMetadata"],
  ["2e3", "InvalidCodeMetadata"],
  ["", "InvalidCodeMetadata"],
  ["two", "InvalidCodeMetadata"],
  ["4294969299", "InvalidCodeMetadata"],
] as const) {
  test(`metadata code ${JSON.stringify(text)}: strict refuses it as ${kind}`, () => {
    const received = trailers(5, "m", [errorInfo("CHANNEL_NOT_FOUND", { code: text, message: "ChannelNotFound" })]);
    assertRefused(received, kind);
    // Leniently, a signed decimal is still read as the number; anything else falls back to the reason.
    assert.equal(chatErrorOf(received)?.code, 2003);
  });
}

test("a negative metadata code is not canonical: strict refuses, lenient keeps the number", () => {
  const received = trailers(5, "m", [errorInfo("SOMETHING_NEW", { code: "-5" })]);
  assertRefused(received, "NonCanonicalCode");
  assert.equal(chatErrorOf(received)?.number, -5);
  assert.equal(chatErrorOf(received)?.code, undefined);
});

test("metadata code -0 is not canonical: strict refuses, lenient reads the number 0, which names no code", () => {
  const received = trailers(5, "m", [errorInfo("CHANNEL_NOT_FOUND", { code: "-0", message: "ChannelNotFound" })]);
  assertRefused(received, "NonCanonicalCode");
  assert.ok(Object.is(chatErrorOf(received)?.number, 0));
  assert.equal(chatErrorOf(received)?.code, undefined);
});

test("grpc-status that is not the code's gRPC code: strict refuses", () => {
  const received = trailers(13, "m", [errorInfo("CHANNEL_NOT_FOUND", { code: "2003", message: "ChannelNotFound" })]);
  assertRefused(received, "GrpcCodeMismatch");
  assert.equal(chatErrorOf(received)?.grpcCode, 13);
});

test("grpc-status that differs from the details' code: strict refuses", () => {
  const received = trailers(5, "m", [errorInfo("CHANNEL_NOT_FOUND", { code: "2003" })], { code: 13, message: "m" });
  assertRefused(received, "CodeMismatch");
  assert.equal(chatErrorOf(received)?.grpcCode, 13, "lenient reports the code it travelled with");
});

test("grpc-message that differs from the details' message: strict refuses", () => {
  const received = trailers(5, "inside", [errorInfo("CHANNEL_NOT_FOUND", { code: "2003" })], { code: 5, message: "outside" });
  assertRefused(received, "MessageMismatch");
  assert.equal(chatErrorOf(received)?.message, "outside");
});

test("a second ErrorInfo of the domain: strict refuses, lenient takes the first", () => {
  const received = trailers(5, "m", [
    errorInfo("CHANNEL_NOT_FOUND", { code: "2003" }),
    errorInfo("USER_NOT_FOUND", { code: "3003" }),
  ]);
  assertRefused(received, "DuplicateDetail");
  assert.equal(chatErrorOf(received)?.code, 2003);
});

test("checks run in the crate's order: the gRPC code before the name", () => {
  const received = trailers(13, "m", [errorInfo("CHANNEL_NOT_FOUND", { code: "2003", message: "UserNotFound" })]);
  assertRefused(received, "GrpcCodeMismatch");
});

test("ErrorInfo of other domains is passed over in both modes", () => {
  const received = trailers(5, "m", [
    errorInfo("SOMETHING", { code: "1" }, "other.example.com"),
    errorInfo("CHANNEL_NOT_FOUND", { code: "2003", message: "ChannelNotFound" }),
  ]);
  assert.equal(chatErrorOf(received, { strict: true })?.code, 2003);
  assert.equal(chatErrorOf(received)?.code, 2003);
});

test("a repeated once-only detail: strict refuses, lenient keeps the first", () => {
  const retry = (seconds: number) => detail(RetryInfoSchema, { retryDelay: { seconds: BigInt(seconds) } });
  const received = channelNotFound(retry(2), retry(7));
  assertRefused(received, "DuplicateDetail");
  assert.equal(chatErrorOf(received)?.retryDelayMs, 2000);
});

test("several LocalizedMessages are all kept, in order", () => {
  const received = channelNotFound(korean("두 번째"));
  const decoded = chatErrorOf(received, { strict: true });
  assert.deepEqual(decoded?.localizedMessages.map((m) => m.message), ["존재하지 않는 채널입니다", "두 번째"]);
  assert.equal(decoded?.localizedMessage?.message, "존재하지 않는 채널입니다");
});

test("a negative retry delay: strict refuses, lenient drops it", () => {
  const received = channelNotFound(detail(RetryInfoSchema, { retryDelay: { seconds: -1n } }));
  assertRefused(received, "InvalidRetryDelay");
  const decoded = chatErrorOf(received);
  assert.equal(decoded?.code, 2003);
  assert.equal(decoded?.retryDelayMs, undefined);
});

test("nanoseconds count toward the retry delay", () => {
  const delay = create(DurationSchema, { seconds: 1n, nanos: 250_000_000 });
  const decoded = chatErrorOf(channelNotFound(detail(RetryInfoSchema, { retryDelay: delay })), { strict: true });
  assert.equal(decoded?.retryDelayMs, 1250);
});

test("ResourceInfo, RequestInfo and field violations with reasons are read", () => {
  const received = channelNotFound(
    detail(ResourceInfoSchema, { resourceType: "channel", resourceName: "c-42", owner: "u-1", description: "gone" }),
    detail(RequestInfoSchema, { requestId: "req-7f3a", servingData: "node-2" }),
    detail(BadRequestSchema, { fieldViolations: [{ field: "channel_id", description: "unknown", reason: "UNKNOWN_ID" }] }),
    detail(DebugInfoSchema, { detail: "a detail type this package does not read" }),
  );
  const decoded = chatErrorOf(received, { strict: true });
  assert.deepEqual(decoded?.resourceInfo, { resourceType: "channel", resourceName: "c-42", owner: "u-1", description: "gone" });
  assert.deepEqual(decoded?.requestInfo, { requestId: "req-7f3a", servingData: "node-2" });
  assert.equal(decoded?.requestId, "req-7f3a");
  assert.deepEqual(decoded?.fieldViolations, [{ field: "channel_id", description: "unknown", reason: "UNKNOWN_ID", localizedMessage: undefined }]);
});

test("statuses without a chat error are not chat errors, in both modes", () => {
  const cases: unknown[] = [
    trailers(5, "no such route", []),
    trailers(5, "m", [detail(DebugInfoSchema, { detail: "x" })]),
    new Headers({ "grpc-status": "5", "grpc-message": "plain" }),
    new Headers({ "grpc-status": "5", "grpc-status-details-bin": "" }),
    new Uint8Array(0),
    "",
    statusBytes(5, "m", []),
    new Error("not a status"),
    { code: 5, rawMessage: "m", details: [], metadata: new Headers() },
  ];
  for (const received of cases) {
    assert.equal(chatErrorOf(received), undefined);
    assert.equal(chatErrorOf(received, { strict: true }), undefined);
    assert.equal(isChatError(received, 2003), false);
  }
});
