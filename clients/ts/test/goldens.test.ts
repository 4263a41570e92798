// Every code's status, as the Rust crate encodes it, read back in each form a
// client can hold it: trailers, the bare grpc-status-details-bin (text and
// bytes), a ConnectError from connect-es's gRPC-Web parsing, and one from the
// Connect protocol's JSON. Expected values come from the code table.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fromBinary } from "@bufbuild/protobuf";
import { StatusSchema } from "../src/gen/google/rpc/status_pb.js";
import { DEFAULT_DOMAIN, DecodeError, chatErrorOf, isChatError } from "../src/index.js";
import type { ChatError } from "../src/index.js";
import {
  connectProtocolError,
  goldenFor,
  grpcCodeNumber,
  grpcWebConnectError,
  headersOf,
  table,
} from "./support.js";
import type { TableRow, Trailers } from "./support.js";

function assertMatchesRow(decoded: ChatError | undefined, row: TableRow, form: string): void {
  assert.ok(decoded, `${form}: no chat error`);
  assert.equal(decoded.code, row.code, form);
  assert.equal(decoded.number, row.code, form);
  assert.equal(decoded.reason, row.reason, form);
  assert.equal(decoded.name, row.name, form);
  assert.equal(decoded.domain, DEFAULT_DOMAIN, form);
  assert.equal(decoded.message, row.descriptionEn, form);
  assert.equal(decoded.grpcCode, grpcCodeNumber(row.grpcCodeName), form);
  assert.deepEqual(decoded.localizedMessage, { locale: "ko-KR", message: row.descriptionKo }, form);
  assert.deepEqual(decoded.metadata, { code: String(row.code), message: row.name }, form);
  assert.equal(decoded.retryDelayMs, undefined, form);
  assert.deepEqual(decoded.fieldViolations, [], form);
  assert.equal(decoded.resourceInfo, undefined, form);
  assert.equal(decoded.requestId, undefined, form);
}

/** The Any details of a golden, unpacked by protobuf-es's own Status decoding. */
function statusDetails(trailers: Trailers) {
  const status = fromBinary(StatusSchema, Buffer.from(trailers["grpc-status-details-bin"], "base64"));
  return status.details.map((any) => ({ typeName: any.typeUrl.slice(any.typeUrl.lastIndexOf("/") + 1), value: any.value }));
}

for (const row of table) {
  test(`${row.code} ${row.reason}: every received form decodes to the table's values`, () => {
    const { trailers } = goldenFor(String(row.code));
    const detailsBin = trailers["grpc-status-details-bin"];
    const forms: [string, unknown][] = [
      ["trailers as Headers", headersOf(trailers)],
      ["trailers as an object", { ...trailers, "grpc-status": String(trailers["grpc-status"]) }],
      ["the CLI's JSON, grpc-status a number", trailers],
      ["gRPC-Web ConnectError", grpcWebConnectError(trailers)],
      ["Connect protocol ConnectError", connectProtocolError(trailers, statusDetails(trailers))],
    ];
    for (const [form, received] of forms) {
      assertMatchesRow(chatErrorOf(received, { strict: true }), row, `${form}, strict`);
      assertMatchesRow(chatErrorOf(received), row, `${form}, lenient`);
      assert.ok(isChatError(received, row.code), form);
    }
    // The bare details carry no grpc-message of their own: Status.message stands in.
    for (const [form, received] of [
      ["base64 text", detailsBin],
      ["bytes", new Uint8Array(Buffer.from(detailsBin, "base64"))],
      ["padded base64 text", Buffer.from(detailsBin, "base64").toString("base64")],
    ] as const) {
      assertMatchesRow(chatErrorOf(received, { strict: true }), row, `${form}, strict`);
      assertMatchesRow(chatErrorOf(received), row, `${form}, lenient`);
    }
    const other = table.find((candidate) => candidate.code !== row.code)!;
    assert.equal(isChatError(headersOf(trailers), other.code), false);
  });
}

test("RetryInfo, with the metadata it came with", () => {
  const { trailers } = goldenFor("1010", "--retry-after", "3.5", "--metadata", "limit=20/minute");
  for (const received of [headersOf(trailers), grpcWebConnectError(trailers)]) {
    const decoded = chatErrorOf(received, { strict: true });
    assert.equal(decoded?.code, 1010);
    assert.equal(decoded?.retryDelayMs, 3500);
    assert.deepEqual(decoded?.metadata, { code: "1010", message: "TooManyRequests", limit: "20/minute" });
  }
});

test("BadRequest field violations, in the order sent", () => {
  const { trailers } = goldenFor(
    "1002",
    "--field-violation",
    "channel_id=must not be empty",
    "--field-violation",
    "text=is too long",
  );
  const decoded = chatErrorOf(grpcWebConnectError(trailers), { strict: true });
  assert.equal(decoded?.code, 1002);
  assert.deepEqual(decoded?.fieldViolations, [
    { field: "channel_id", description: "must not be empty", reason: "", localizedMessage: undefined },
    { field: "text", description: "is too long", reason: "", localizedMessage: undefined },
  ]);
});

test("a custom grpc-message is percent-decoded and matches the details", () => {
  for (const message of ["No channel c-42 (100% gone)", "채널 c-42가 없습니다"]) {
    const { trailers } = goldenFor("2003", "--message", message);
    assert.notEqual(trailers["grpc-message"], message, "the CLI percent-encodes");
    for (const received of [headersOf(trailers), grpcWebConnectError(trailers)]) {
      const decoded = chatErrorOf(received, { strict: true });
      assert.equal(decoded?.message, message);
      assert.equal(decoded?.localizedMessage?.message, table.find((row) => row.code === 2003)?.descriptionKo);
    }
  }
});

test("an error of another domain is found only when that domain is asked for", () => {
  const { trailers } = goldenFor("2003", "--domain", "chat.example.com");
  for (const strict of [false, true]) {
    assert.equal(chatErrorOf(headersOf(trailers), { strict }), undefined);
    const decoded = chatErrorOf(headersOf(trailers), { strict, domain: "chat.example.com" });
    assert.equal(decoded?.code, 2003);
    assert.equal(decoded?.domain, "chat.example.com");
  }
  assert.equal(isChatError(headersOf(trailers), 2003), false);
  assert.equal(isChatError(headersOf(trailers), 2003, { domain: "chat.example.com" }), true);
});

test("a ConnectError is read from the details connect parsed, not from its trailers again", () => {
  const { trailers } = goldenFor("2003");
  const error = grpcWebConnectError(trailers);
  // Trailers connect kept but that no longer parse change nothing: they are not read.
  error.metadata.set("grpc-status-details-bin", "@@ not base64 @@");
  for (const strict of [false, true]) assert.equal(chatErrorOf(error, { strict })?.code, 2003, `strict=${strict}`);
  // The grpc-status it travelled with is still held to the details' code when strict.
  error.metadata.set("grpc-status", "13");
  assert.throws(() => chatErrorOf(error, { strict: true }), (thrown: unknown) => thrown instanceof DecodeError && thrown.kind === "CodeMismatch");
});
