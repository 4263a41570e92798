// percentDecode's decodeURIComponent fast path gives what gRPC's reading
// gives, on every input: each `%XX` the byte it names, any other character
// its UTF-8, then UTF-8 (refused when strict, U+FFFD otherwise). The
// reference below is that definition written out character by character.
import assert from "node:assert/strict";
import { test } from "node:test";
import { percentDecode } from "../src/trailers.js";
import { DecodeError } from "../src/errors.js";
import { seededRandom } from "./support.js";

function reference(text: string, strict: boolean): string {
  if (!text.includes("%")) return text;
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let index = 0; index < text.length; index++) {
    const hex = text.slice(index + 1, index + 3);
    if (text[index] === "%" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      index += 2;
    } else {
      const char = String.fromCodePoint(text.codePointAt(index)!);
      bytes.push(...encoder.encode(char));
      index += char.length - 1;
    }
  }
  return new TextDecoder("utf-8", { fatal: strict }).decode(new Uint8Array(bytes));
}

/** What `read` gives, or "refused" when it throws a `refusal` (the only error it may throw). */
function outcome(read: () => string, refusal: abstract new (...args: never[]) => Error): string {
  try {
    return `ok:${read()}`;
  } catch (error) {
    assert.ok(error instanceof refusal, String(error));
    return "refused";
  }
}

// Pieces that hit every branch: valid and malformed escapes, escaped UTF-8
// (whole, cut short, overlong, surrogates), literal non-ASCII and lone surrogates.
const PIECES = ["%", "%2", "%25", "%41", "%zz", "%e2%82%ac", "%E2%82", "%C0%80", "%ED%A0%80", "%F0%9F%98%80", "%ff", "a", " ", "é", "€", "😀", "\ud800", "\udc00", "%%", "100%"];

test("percentDecode agrees with the character-by-character reading on 20,000 seeded inputs", () => {
  const random = seededRandom(20);
  for (let round = 0; round < 20_000; round++) {
    let text = "";
    const pieces = Math.floor(random() * 8);
    for (let index = 0; index < pieces; index++) text += PIECES[Math.floor(random() * PIECES.length)];
    for (const strict of [false, true]) {
      assert.equal(
        outcome(() => percentDecode(text, strict), DecodeError),
        // TextDecoder's fatal mode throws a TypeError.
        outcome(() => reference(text, strict), TypeError),
        `${JSON.stringify(text)} strict=${strict}`,
      );
    }
  }
});

test("a long message takes the fast path and reads back whole", () => {
  const message = "채널 c-42가 없습니다 (100% gone) ".repeat(40_000);
  assert.equal(percentDecode(encodeURIComponent(message), true), message);
});
