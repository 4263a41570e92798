// Plays every demo scenario through the web chat in headless Chromium, under
// a Korean and an English browser locale, and checks what each error banner
// shows against tests/fixtures/error-codes.tsv. Also: the stream's error
// after data, bad input sent from the browser, CORS from another origin, and
// a screenshot of several banners. Ends with `N passed, M failed`.
//
// node demo/web/test/browser-test.mjs --addr HOST:PORT --scenarios FILE
//   --table tests/fixtures/error-codes.tsv --out DIR [--chromium PATH]

import { mkdtemp, mkdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

import { chromium } from "playwright-core";

import { SCENARIOS, SetUpError } from "./scenarios.mjs";

const { values: args } = parseArgs({
  options: {
    addr: { type: "string" },
    scenarios: { type: "string" },
    table: { type: "string" },
    out: { type: "string" },
    chromium: { type: "string", default: "/usr/bin/chromium" },
  },
});
const base = `http://${args.addr}`;
const DOMAIN = "chat.errors.v1";
const LOCALES = ["ko-KR", "en-US"];
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
// The gRPC status codes by name, as google/rpc/code.proto numbers them.
const GRPC_CODES = [
  "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
  "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
  "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
];

async function readTable(path) {
  const [header, ...rows] = (await readFile(path, "utf8")).trimEnd().split("\n");
  const columns = header.split("\t");
  return new Map(rows.map((line) => {
    const row = Object.fromEntries(line.split("\t").map((cell, index) => [columns[index], cell]));
    return [Number(row.code), row];
  }));
}

async function readListing(path) {
  const [, ...rows] = (await readFile(path, "utf8")).trimEnd().split("\n");
  return new Map(rows.map((line) => {
    const [id, code, detail] = line.split("\t");
    return [id, { code: Number(code), detail }];
  }));
}

const results = [];
function record(name, problems) {
  results.push([name, problems]);
  console.log(problems.length === 0 ? `ok   ${name}` : `FAIL ${name}: ${problems.join("; ")}`);
}

/** What a banner says, against the table's row for `code`. */
function bannerProblems(banner, row, locale) {
  const problems = [];
  const expect = (what, actual, expected) => {
    if (actual !== expected) problems.push(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  };
  if (!banner) return ["no error banner"];
  expect("code", banner.code, row.code);
  expect("reason", banner.reason, row.reason);
  expect("domain", banner.domain, DOMAIN);
  expect("name", banner.name, row.name);
  expect("gRPC code", banner.grpcCode, String(GRPC_CODES.indexOf(row.grpc_code)));
  expect("metadata code", JSON.parse(banner.metadata).code, row.code);
  const korean = locale.startsWith("ko");
  expect("message", banner.message, korean ? row.description_ko : row.description_en);
  if (korean) expect("message locale", banner.locale, "ko-KR");
  expect("shown text", banner.text, banner.message);
  const { statusMessage } = banner;
  if (statusMessage !== row.description_en && statusMessage !== row.description_ko) {
    problems.push(`status message ${JSON.stringify(statusMessage)} is neither description`);
  }
  return problems;
}

/** The extra detail `--list` names: `-`, `field=F`, `retry`, `resource=T`, `metadata=K:V`. */
function detailProblems(banner, detail, context) {
  if (!banner || detail === "-") return [];
  const [kind, value] = detail.split("=");
  if (kind === "field") {
    const problems = banner.fields.split(",").includes(value) ? [] : [`no violation of ${value}: ${banner.fields}`];
    if (!context.highlighted.includes(value)) problems.push(`field ${value} not highlighted: ${context.highlighted}`);
    return problems;
  }
  if (kind === "retry") {
    const problems = Number(banner.retryMs) > 0 ? [] : [`no retry delay: ${banner.retryMs}`];
    if (!/\d|retry|재시도/i.test(context.retryText)) problems.push(`no countdown: ${JSON.stringify(context.retryText)}`);
    return problems;
  }
  if (kind === "resource") {
    return banner.resourceType === value && banner.resourceName !== "" ? [] : [`resource ${banner.resourceType}/${banner.resourceName}`];
  }
  if (kind === "metadata") {
    const [key, expected] = value.split(":");
    const actual = JSON.parse(banner.metadata)[key];
    return actual === expected ? [] : [`metadata ${key}: ${actual}`];
  }
  return [`unknown detail ${detail}`];
}

async function launch(locale) {
  const profile = await mkdtemp(join(tmpdir(), "chat-browser-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: args.chromium,
    headless: true,
    args: CHROMIUM_FLAGS,
    locale,
    viewport: { width: 1280, height: 900 },
  });
  // Generous, for a loaded CI machine; a check that waits this long fails.
  context.setDefaultTimeout(90_000);
  return { context, profile };
}

/** Scenarios played at once: each has its own users and channels, and most
 * of a scenario's time is spent waiting on the page and the server. */
const PARALLEL = 3;

async function playScenario(context, locale, id, expected, index, table) {
  const entry = SCENARIOS.get(id);
  if (!entry) return ["no browser implementation"];
  const prefix = `${locale.slice(0, 2)}${Date.now().toString(36)}-${String(index).padStart(2, "0")}`;
  const pages = [];
  try {
    const outcome = await entry.play({ context, base, prefix, pages });
    return [
      ...bannerProblems(outcome.banner, table.get(expected.code), locale),
      ...detailProblems(outcome.banner, expected.detail, outcome),
    ];
  } catch (error) {
    return [error instanceof SetUpError ? `a set-up step failed: ${error.message}` : String(error.stack ?? error)];
  } finally {
    await Promise.all(pages.map((page) => page.close()));
  }
}

async function playScenarios(context, locale, listing, table) {
  const queue = [...listing].map(([id, expected], index) => ({ id, expected, index }));
  const outcomes = new Array(queue.length);
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      outcomes[next.index] = await playScenario(context, locale, next.id, next.expected, next.index, table);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  [...listing].forEach(([id, expected], index) => record(`${locale} ${id} -> ${expected.code}`, outcomes[index]));
}

async function main() {
  const table = await readTable(args.table);
  const listing = await readListing(args.scenarios);
  const missing = [...listing.keys()].filter((id) => !SCENARIOS.has(id));
  const extra = [...SCENARIOS.keys()].filter((id) => !listing.has(id));
  const wrongCode = [...listing].filter(([id, { code }]) => SCENARIOS.has(id) && SCENARIOS.get(id).code !== code);
  record("the browser plays exactly the demo's scenarios", [
    ...missing.map((id) => `missing ${id}`),
    ...extra.map((id) => `not in the demo: ${id}`),
    ...wrongCode.map(([id]) => `${id}: another code`),
  ]);
  await mkdir(args.out, { recursive: true });
  const { browserChecks } = await import("./browser-checks.mjs");
  for (const locale of LOCALES) {
    const { context, profile } = await launch(locale);
    try {
      const language = await (await context.newPage()).evaluate(() => navigator.language);
      record(`${locale} browser language`, language === locale ? [] : [`navigator.language is ${language}`]);
      await playScenarios(context, locale, listing, table);
      for (const [name, problems] of await browserChecks({ context, base, locale, table, out: args.out })) {
        record(`${locale} ${name}`, problems);
      }
    } finally {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    }
  }
  const failed = results.filter(([, problems]) => problems.length > 0).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
