// Strict reading agrees with the Rust crate's strict decoder on every
// crafted and mutated status of test/goldens/verdicts.json: the same
// statuses accepted with the same code, refused for the same class of
// reason, and the same ones found to carry no chat error.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { DecodeError, chatErrorOf } from "../src/index.js";
import type { DecodeErrorKind } from "../src/index.js";

interface Verdict {
  readonly name: string;
  readonly trailers: Record<string, string | number>;
  /** `chat-errors decode`'s exit code. */
  readonly exit: number;
  readonly code: number | null;
  readonly reason: string | null;
}

const verdicts: readonly Verdict[] = JSON.parse(
  readFileSync(fileURLToPath(new URL("../../test/goldens/verdicts.json", import.meta.url)), "utf8"),
);

/** The DecodeError kinds behind each of the CLI's refusing exit codes. */
const KINDS_BY_EXIT: Record<number, readonly DecodeErrorKind[]> = {
  4: ["InvalidGrpcStatus"],
  5: ["DetailsNotBase64"],
  6: ["MalformedStatus", "MalformedDetail"],
  7: [
    "DuplicateDetail",
    "CodeMismatch",
    "MessageMismatch",
    "InvalidCodeMetadata",
    "NonCanonicalCode",
    "CodeReasonMismatch",
    "GrpcCodeMismatch",
    "NameMismatch",
    "InvalidRetryDelay",
  ],
};

test("the verdicts cover acceptance, every refusing exit code and no chat error", () => {
  const exits = new Set(verdicts.map((verdict) => verdict.exit));
  for (const exit of [0, 4, 5, 6, 7, 8, 9]) assert.ok(exits.has(exit), `no verdict with exit ${exit}`);
});

for (const verdict of verdicts) {
  test(`agrees with the crate: ${verdict.name} (exit ${verdict.exit})`, () => {
    const received = verdict.trailers;
    let result;
    try {
      result = chatErrorOf(received, { strict: true });
    } catch (error) {
      assert.ok(error instanceof DecodeError, String(error));
      const kinds = KINDS_BY_EXIT[verdict.exit];
      assert.ok(kinds?.includes(error.kind), `refused with ${error.kind} (${error.message}) where the crate exits ${verdict.exit}`);
      return;
    }
    if (verdict.exit === 0) {
      assert.ok(result, "no chat error where the crate found one");
      assert.equal(result.number ?? null, verdict.code);
      assert.equal(result.reason, verdict.reason);
    } else {
      // 8: of another domain; 9: no ErrorInfo at all.
      assert.ok([8, 9].includes(verdict.exit), `accepted (${JSON.stringify(result)}) where the crate exits ${verdict.exit}`);
      assert.equal(result, undefined);
    }
  });
}
