// Writes the golden files the tests read, from the `chat-errors` CLI (the
// Rust crate's own encoder and strict decoder):
//   test/goldens/statuses.json  the trailers `encode` prints for every code of
//                               tests/fixtures/error-codes.tsv and a few errors with extras;
//   test/goldens/verdicts.json  what `decode` makes of crafted and mutated statuses.
//
//   npm run build && node scripts/goldens.mjs <path to the chat-errors binary> [output directory]
//
// scripts/ts-test.sh regenerates both and fails when the committed copies differ.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { verdicts } from "./verdicts.mjs";

const [cli, output = fileURLToPath(new URL("../test/goldens", import.meta.url))] = process.argv.slice(2);
if (!cli) {
  console.error("usage: node scripts/goldens.mjs <chat-errors binary> [output directory]");
  process.exit(2);
}

const table = fileURLToPath(new URL("../../../tests/fixtures/error-codes.tsv", import.meta.url));
const codes = readFileSync(table, "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => line.split("\t")[0]);

const withExtras = [
  ["1010", "--retry-after", "3.5", "--metadata", "limit=20/minute"],
  ["1002", "--field-violation", "channel_id=must not be empty", "--field-violation", "text=is too long"],
  ["2003", "--message", "No channel c-42 (100% gone)"],
  ["2003", "--message", "채널 c-42가 없습니다"],
  ["2003", "--domain", "chat.example.com"],
];

const statuses = [...codes.map((code) => [code]), ...withExtras].map((args) => ({
  args,
  trailers: JSON.parse(execFileSync(cli, ["encode", ...args, "--format", "json"], { encoding: "utf8" })),
}));
writeFileSync(join(output, "statuses.json"), JSON.stringify(statuses, null, 1) + "\n");
const decoded = verdicts(cli);
writeFileSync(join(output, "verdicts.json"), JSON.stringify(decoded, null, 1) + "\n");
console.log(`goldens: ${statuses.length} statuses and ${decoded.length} verdicts from ${cli} -> ${output}`);
