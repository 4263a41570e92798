// The catalogue read from the proto's options matches the code table.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_DOMAIN, ErrorCode, errorCodeInfo, errorCodeOfReason, errorCodes, locales } from "../src/index.js";
import { grpcCodeNumber, table } from "./support.js";

test("the catalogue has exactly the table's 57 codes, in order", () => {
  assert.equal(table.length, 57);
  assert.deepEqual(
    errorCodes.map((info) => info.code),
    table.map((row) => row.code),
  );
});

for (const row of table) {
  test(`catalogue entry ${row.code} ${row.reason} matches the table`, () => {
    const info = errorCodeInfo(row.code);
    assert.ok(info, `no entry for ${row.code}`);
    assert.deepEqual(
      { ...info, descriptions: { ...info.descriptions } },
      {
        code: row.code,
        reason: row.reason,
        name: row.name,
        grpcCode: grpcCodeNumber(row.grpcCodeName),
        grpcCodeName: row.grpcCodeName,
        retryable: row.retryable,
        descriptions: { "ko-KR": row.descriptionKo, "en-US": row.descriptionEn },
      },
    );
    assert.equal(errorCodeOfReason(row.reason), info);
    assert.equal((ErrorCode as unknown as Record<string, number>)[row.reason], row.code);
  });
}

test("lookups of what the catalogue lacks find nothing", () => {
  assert.equal(errorCodeInfo(0), undefined);
  assert.equal(errorCodeInfo(9999), undefined);
  assert.equal(errorCodeOfReason("UNSPECIFIED"), undefined);
  assert.equal(errorCodeOfReason("channel_not_found"), undefined);
  assert.equal(errorCodeOfReason("__proto__"), undefined);
});

test("the default domain is the catalogue's proto package", () => {
  assert.equal(DEFAULT_DOMAIN, "chat.errors.v1");
});

test("the catalogue's locales, default first, and every code is described in each", () => {
  assert.deepEqual(locales, ["ko-KR", "en-US"]);
  for (const info of errorCodes) assert.deepEqual(Object.keys(info.descriptions).sort(), [...locales].sort(), `${info.code}`);
});

test("the generated ErrorCode enum is protoc-gen-es's, value for value", async () => {
  const { ErrorCode: protobufEsErrorCode } = await import("../src/gen/chat/errors/v1/chat_errors_pb.js");
  assert.deepEqual({ ...ErrorCode }, { ...protobufEsErrorCode });
});
