// Hostile input: lenient reading never throws, strict reading throws only
// DecodeError, and neither loops or reads past the end.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fromBinary } from "@bufbuild/protobuf";
import { StatusSchema } from "../src/gen/google/rpc/status_pb.js";
import { DecodeError, chatErrorOf, chatErrorOfHttp, isChatError } from "../src/index.js";
import type { ChatError } from "../src/index.js";
import { errorInfo, korean, statusBytes, trailers } from "./build.js";
import { goldenFor, seededRandom } from "./support.js";

/** Reads `received` both ways and returns what strict made of it: a chat error, nothing, or the DecodeError. */
function readBothWays(received: unknown): ChatError | DecodeError | undefined {
  const lenient = chatErrorOf(received);
  assert.ok(lenient === undefined || typeof lenient.reason === "string");
  isChatError(received, 2003);
  try {
    return chatErrorOf(received, { strict: true });
  } catch (error) {
    assert.ok(error instanceof DecodeError, `strict threw ${String(error)}`);
    return error;
  }
}

function decodeError(received: unknown): DecodeError {
  const result = readBothWays(received);
  assert.ok(result instanceof DecodeError, `expected a DecodeError, got ${JSON.stringify(result)}`);
  return result;
}

const golden = new Uint8Array(Buffer.from(goldenFor("2003").trailers["grpc-status-details-bin"], "base64"));

test("random bytes", () => {
  const random = seededRandom(11);
  for (let round = 0; round < 3000; round++) {
    const bytes = new Uint8Array(Math.floor(random() * 300));
    for (let index = 0; index < bytes.length; index++) bytes[index] = Math.floor(random() * 256);
    readBothWays(bytes);
    readBothWays(Buffer.from(bytes).toString("base64"));
  }
});

test("every truncation of a real status is refused exactly where protobuf-es's parser fails too", () => {
  const full = chatErrorOf(golden, { strict: true });
  for (let length = 0; length < golden.length; length++) {
    const prefix = golden.subarray(0, length);
    let parses = true;
    try {
      fromBinary(StatusSchema, prefix);
    } catch {
      parses = false;
    }
    const result = readBothWays(prefix);
    if (!parses) {
      assert.ok(result instanceof DecodeError && result.kind === "MalformedStatus", `length ${length}`);
    } else if (result !== undefined) {
      // Cut between fields: what is left is read as it is, and nothing is made up.
      assert.ok(!(result instanceof DecodeError), `length ${length}: ${String(result)}`);
      assert.equal(result.code, full?.code);
      assert.deepEqual(result.localizedMessages, full?.localizedMessages.slice(0, result.localizedMessages.length));
    }
  }
});

test("every single-byte change of a real status", () => {
  const random = seededRandom(7);
  for (let index = 0; index < golden.length; index++) {
    for (const replacement of [0x00, 0xff, 0x80, Math.floor(random() * 256)]) {
      const mutated = golden.slice();
      mutated[index] = replacement;
      readBothWays(mutated);
    }
  }
});

test("random splices of real statuses", () => {
  const random = seededRandom(3);
  const pieces = [golden, statusBytes(5, "m", [errorInfo("CHANNEL_NOT_FOUND", { code: "2003" })])];
  for (let round = 0; round < 2000; round++) {
    const a = pieces[Math.floor(random() * pieces.length)]!;
    const b = pieces[Math.floor(random() * pieces.length)]!;
    const spliced = new Uint8Array([...a.subarray(0, Math.floor(random() * a.length)), ...b.subarray(Math.floor(random() * b.length))]);
    readBothWays(spliced);
  }
});

/** `bytes` wrapped as field `no` with a length prefix. */
function lengthDelimited(no: number, bytes: Uint8Array | number[]): number[] {
  const body = [...bytes];
  const length: number[] = [];
  let rest = body.length;
  do {
    length.push((rest & 0x7f) | (rest > 0x7f ? 0x80 : 0));
    rest >>>= 7;
  } while (rest > 0);
  return [(no << 3) | 2, ...length, ...body];
}

const ascii = (text: string) => [...new TextEncoder().encode(text)];
const anyOf = (typeName: string, value: number[]) =>
  lengthDelimited(3, [...lengthDelimited(1, ascii(`type.googleapis.com/${typeName}`)), ...lengthDelimited(2, value)]);

test("wrong wire types, huge lengths, long varints and bad keys are malformed statuses", () => {
  const cases: [string, number[]][] = [
    ["Status.code as bytes", [...lengthDelimited(1, [5]), ...golden]],
    ["Status.details as a varint", [0x18, 0x01]],
    ["a length of 2^64 - 1", [0x12, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
    ["a length of 2^35", [0x12, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]],
    ["a length past the end", [0x12, 0x7f, 0x41]],
    ["an eleven-byte varint", [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
    ["field number 0", [0x00, 0x01]],
    ["field number 2^29", [0x80, 0x80, 0x80, 0x80, 0x10, 0x00]],
    ["wire type 7", [0x0f]],
    ["an end-group key with no group open", [0x0c]],
    ["an unterminated group", [0x0b, 0x08, 0x01]],
    ["groups nested 10,000 deep", new Array(10_000).fill(0x0b)],
    ["a truncated fixed64", [0x09, 1, 2, 3]],
  ];
  for (const [name, bytes] of cases) {
    const error = decodeError(new Uint8Array(bytes));
    assert.equal(error.kind, "MalformedStatus", name);
  }
});

test("a broken ErrorInfo is a malformed detail when strict and passed over when lenient", () => {
  const info = [...lengthDelimited(1, ascii("CHANNEL_NOT_FOUND")), ...lengthDelimited(2, ascii("chat.errors.v1"))];
  const cases: [string, number[]][] = [
    ["reason as a varint", [0x08, 0x05, ...lengthDelimited(2, ascii("chat.errors.v1"))]],
    ["metadata entry as a varint", [...info, 0x18, 0x01]],
    ["metadata value as a fixed32", [...info, ...lengthDelimited(3, [...lengthDelimited(1, ascii("code")), 0x15, 1, 2, 3, 4])]],
    ["a truncated metadata entry", [...info, ...lengthDelimited(3, [0x0a, 0x09, 0x41])]],
    ["groups nested deep inside", [...info, ...new Array(5_000).fill(0x1b)]],
  ];
  for (const [name, value] of cases) {
    const bytes = new Uint8Array([0x08, 0x05, ...anyOf("google.rpc.ErrorInfo", value)]);
    const error = decodeError(bytes);
    assert.equal(error.kind, "MalformedDetail", name);
    assert.equal(error.typeName, "google.rpc.ErrorInfo", name);
    assert.equal(chatErrorOf(bytes), undefined, name);
  }
});

test("text that is not UTF-8: strict refuses, lenient reads it lossily", () => {
  const info = [
    ...lengthDelimited(1, [...ascii("CHANNEL_NOT_FOUND"), 0xff]),
    ...lengthDelimited(2, ascii("chat.errors.v1")),
    ...lengthDelimited(3, [...lengthDelimited(1, ascii("code")), ...lengthDelimited(2, ascii("2003"))]),
  ];
  const bytes = new Uint8Array([0x08, 0x05, ...anyOf("google.rpc.ErrorInfo", info)]);
  assert.equal(decodeError(bytes).kind, "MalformedDetail");
  assert.equal(chatErrorOf(bytes)?.reason, "CHANNEL_NOT_FOUND\ufffd");
  assert.equal(chatErrorOf(bytes)?.code, 2003);
  const badMessage = new Uint8Array([0x08, 0x05, ...lengthDelimited(2, [0xc3, 0x28]), ...anyOf("google.rpc.ErrorInfo", info.slice(0, 0))]);
  assert.equal(decodeError(badMessage).kind, "MalformedStatus");
});

test("a leading byte order mark is kept, as the crate keeps it (conformance/vectors/utf8-text.jsonl)", () => {
  // Long and short, since short ASCII text is read without a decoder.
  for (const message of ["\ufeff존재하지 않는 채널입니다", "\ufeffx", `\ufeff${"y".repeat(80)}`]) {
    const bytes = statusBytes(5, "The channel does not exist.", [
      errorInfo("CHANNEL_NOT_FOUND", { code: "2003", message: "ChannelNotFound", note: message }),
      korean(message),
    ]);
    for (const strict of [false, true]) {
      const decoded = chatErrorOf(bytes, { strict });
      assert.equal(decoded?.localizedMessage?.message, message);
      assert.equal(decoded?.metadata.note, message);
    }
  }
  // serde_json reads a body's bytes with no byte order mark skipped: not JSON.
  const body = new TextEncoder().encode(`\ufeff${JSON.stringify({ error: { code: 404, message: "m", status: "NOT_FOUND", details: [] } })}`);
  assert.equal(chatErrorOfHttp(404, body.subarray(3)), undefined, "the body without its mark has no chat error, but is JSON");
  assert.doesNotThrow(() => chatErrorOfHttp(404, body.subarray(3), { strict: true }));
  assert.throws(() => chatErrorOfHttp(404, body, { strict: true }), (error: unknown) => error instanceof DecodeError && error.kind === "NotJson");
});

test("a broken detail of another type: strict refuses, lenient keeps the rest", () => {
  const good = statusBytes(5, "The channel does not exist.", [errorInfo("CHANNEL_NOT_FOUND", { code: "2003", message: "ChannelNotFound" })]);
  const bytes = new Uint8Array([...good, ...anyOf("google.rpc.RetryInfo", [0x0a, 0x05, 0x08])]);
  const error = decodeError(bytes);
  assert.equal(error.kind, "MalformedDetail");
  assert.equal(error.typeName, "google.rpc.RetryInfo");
  assert.equal(chatErrorOf(bytes)?.code, 2003);
  assert.equal(chatErrorOf(bytes)?.retryDelayMs, undefined);
  const brokenAny = new Uint8Array([...good, ...lengthDelimited(3, [0x0a, 0x30])]);
  assert.equal(decodeError(brokenAny).kind, "MalformedStatus");
  assert.equal(chatErrorOf(brokenAny)?.code, 2003);
});

test("metadata keys that name Object.prototype's members stay plain data", () => {
  const received = trailers(5, "m", [
    errorInfo("CHANNEL_NOT_FOUND", { code: "2003", message: "ChannelNotFound", __proto__: "x", constructor: "y", toString: "z" }),
  ]);
  const decoded = chatErrorOf(received, { strict: true });
  assert.equal(decoded?.code, 2003);
  assert.equal(Object.getPrototypeOf(decoded?.metadata), Object.prototype);
  assert.equal(typeof ({} as Record<string, unknown>)["x"], "undefined");
});

test("trailers that are not what they claim", () => {
  const details = goldenFor("2003").trailers["grpc-status-details-bin"];
  assert.equal(decodeError(new Headers({ "grpc-status": "5", "grpc-status-details-bin": "not base64!" })).kind, "DetailsNotBase64");
  assert.equal(decodeError("A").kind, "DetailsNotBase64");
  assert.equal(decodeError("AAAA=").kind, "DetailsNotBase64");
  assert.equal(decodeError(`${details}, ${details}`).kind, "DetailsNotBase64");
  assert.equal(decodeError(new Headers({ "grpc-status": "five", "grpc-status-details-bin": details })).kind, "InvalidGrpcStatus");
  for (const status of ["-5", "17", "05", " 5", "5 ", "", "0x5"]) {
    // A plain object, since Headers trims values as HTTP does.
    const received = { "grpc-status": status, "grpc-status-details-bin": details };
    assert.equal(decodeError(received).kind, "InvalidGrpcStatus", JSON.stringify(status));
    // Leniently the status is UNKNOWN, as tonic and grpc-js read it.
    assert.equal(chatErrorOf(received)?.grpcCode, 2);
  }
  // A malformed percent escape stays as it is, so it cannot match the details' message.
  const badEscape = new Headers({ "grpc-status": "5", "grpc-message": "100%zz", "grpc-status-details-bin": details });
  assert.equal(decodeError(badEscape).kind, "MessageMismatch");
  assert.equal(chatErrorOf(badEscape)?.message, "100%zz");
  const notUtf8 = new Headers({ "grpc-status": "5", "grpc-message": "%E0%A4%A", "grpc-status-details-bin": details });
  assert.equal(decodeError(notUtf8).kind, "MessageNotUtf8");
  assert.equal(chatErrorOf(notUtf8)?.message, "\ufffd%A");
});

test("values that are no status at all", () => {
  const throwing = new Proxy({}, { get: () => { throw new Error("trap"); }, has: () => { throw new Error("trap"); } });
  const throwingHeaders = { get: () => { throw new Error("trap"); } };
  const inputs: unknown[] = [undefined, null, 0, 42, true, Symbol("s"), () => 1, [], {}, [1, 2], new Error("x"),
    new Map(), { details: "x", metadata: 1 }, { code: 5, rawMessage: "m", details: [null, 1, { type: 1 }], metadata: new Headers() },
    throwingHeaders, throwing];
  for (const input of inputs) {
    assert.equal(chatErrorOf(input), undefined);
    const result = readBothWays(input);
    assert.ok(result === undefined || result instanceof DecodeError);
  }
});
