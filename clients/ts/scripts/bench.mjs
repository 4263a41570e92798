// The TypeScript client beside connect-es and protobuf-es doing the same job,
// measured in one run over the 57 statuses of test/goldens/statuses.json
// (the Rust CLI's encoding of every code). Prints key=value lines:
//   ts_connect_error_vs_find_details  chatErrorOf(ConnectError) / the
//       ConnectError's findDetails(ErrorInfoSchema) + findDetails(LocalizedMessageSchema)
//   ts_bytes_vs_from_binary  chatErrorOf(Status bytes) / fromBinary(StatusSchema)
//       + anyUnpack of every detail
//   ts_bundle_added_gzip_bytes  what importing chatErrorOf adds to an app that
//       already bundles @connectrpc/connect (esbuild, minified, gzip -9)
//   ts_error_code_alone_gzip_bytes  an app that imports only ErrorCode
// Ratios are ours/theirs: smaller is better. Run `npm run build` first.
//
//   node scripts/bench.mjs [--quick]   every key
//   node scripts/bench.mjs --sizes     the two bundle sizes only (no timing)
import { createRegistry, fromBinary } from "@bufbuild/protobuf";
import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { ConnectError } from "@connectrpc/connect";
import { trailerParse, validateTrailer } from "@connectrpc/connect/protocol-grpc-web";
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import {
  ErrorInfoSchema,
  LocalizedMessageSchema,
  StatusSchema,
  chatErrorOf,
  file_google_rpc_error_details,
} from "../dist/esm/index.js";

const quick = process.argv.includes("--quick");
const sizesOnly = process.argv.includes("--sizes");
const root = fileURLToPath(new URL("..", import.meta.url));
const statuses = JSON.parse(readFileSync(new URL("../test/goldens/statuses.json", import.meta.url), "utf8")).filter(
  (golden) => golden.args.length === 1,
);

/** The ConnectError connect-es's gRPC-Web transport throws for these trailers. */
function connectErrorOf(trailers) {
  const frame = Object.entries(trailers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  try {
    validateTrailer(trailerParse(new TextEncoder().encode(frame)), new Headers({ "content-type": "application/grpc-web+proto" }));
  } catch (error) {
    if (error instanceof ConnectError) return error;
    throw error;
  }
  throw new Error("validateTrailer accepted an error status");
}

const errors = statuses.map(({ trailers }) => connectErrorOf(trailers));
const statusBytes = statuses.map(({ trailers }) => new Uint8Array(Buffer.from(trailers["grpc-status-details-bin"], "base64")));
const registry = createRegistry(file_google_rpc_error_details);

/** Nanoseconds per call of `run` over every input, in one round of a fixed duration. */
function round(run, inputs, roundMs) {
  let calls = 0;
  let found = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(roundMs * 1e6);
  let now = start;
  while (now < deadline) {
    for (const input of inputs) if (run(input)) found++;
    calls += inputs.length;
    now = process.hrtime.bigint();
  }
  if (found !== calls) throw new Error("a call found nothing");
  return Number(now - start) / calls;
}

/**
 * Ours and theirs in alternating rounds, so that a busy machine slows both
 * alike: the median of each side's per-call time, and the median of the
 * rounds' ratios (ours/theirs).
 */
function compare(ours, theirs, inputs) {
  const roundMs = quick ? 60 : 250;
  const rounds = quick ? 7 : 15;
  // A first round of each warms the JIT up and is not counted.
  round(ours, inputs, roundMs);
  round(theirs, inputs, roundMs);
  const oursNs = [];
  const theirsNs = [];
  const ratios = [];
  for (let index = 0; index < rounds; index++) {
    const a = round(ours, inputs, roundMs);
    const b = round(theirs, inputs, roundMs);
    oursNs.push(a);
    theirsNs.push(b);
    ratios.push(a / b);
  }
  const median = (values) => values.sort((x, y) => x - y)[Math.floor(values.length / 2)];
  return { ours: median(oursNs), theirs: median(theirsNs), ratio: median(ratios) };
}

if (!sizesOnly) {
  // Both sides must find what the other finds, or the ratio means nothing.
  for (const [index, error] of errors.entries()) {
    const ours = chatErrorOf(error);
    const theirs = error.findDetails(ErrorInfoSchema)[0];
    if (!ours || ours.reason !== theirs?.reason || ours.localizedMessage?.message !== error.findDetails(LocalizedMessageSchema)[0]?.message) {
      throw new Error(`status ${index}: chatErrorOf and findDetails disagree`);
    }
  }

  const connect = compare(
    (error) => chatErrorOf(error) !== undefined,
    (error) => error.findDetails(ErrorInfoSchema)[0] !== undefined && error.findDetails(LocalizedMessageSchema)[0] !== undefined,
    errors,
  );
  const bytes = compare(
    (status) => chatErrorOf(status) !== undefined,
    (status) => {
      let unpacked = 0;
      for (const detail of fromBinary(StatusSchema, status).details) if (anyUnpack(detail, registry)) unpacked++;
      return unpacked > 0;
    },
    statusBytes,
  );
  console.log(`ts_find_details_ns=${connect.theirs.toFixed(0)}`);
  console.log(`ts_chat_error_of_connect_error_ns=${connect.ours.toFixed(0)}`);
  console.log(`ts_from_binary_any_unpack_ns=${bytes.theirs.toFixed(0)}`);
  console.log(`ts_chat_error_of_bytes_ns=${bytes.ours.toFixed(0)}`);
  console.log(`ts_connect_error_vs_find_details=${connect.ratio.toFixed(2)}`);
  console.log(`ts_bytes_vs_from_binary=${bytes.ratio.toFixed(2)}`);
}
async function gzipSize(contents) {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "error",
  });
  return gzipSync(result.outputFiles[0].contents, { level: 9 }).length;
}

const entry = "./dist/esm/index.js";
const connectApp = `import { ConnectError } from "@connectrpc/connect"; globalThis.e = ConnectError;`;
const connectAlone = await gzipSize(connectApp);
const connectWithUs = await gzipSize(`${connectApp} import { chatErrorOf } from "${entry}"; globalThis.f = chatErrorOf;`);
const errorCodeAlone = await gzipSize(`import { ErrorCode } from "${entry}"; globalThis.c = ErrorCode;`);
console.log(`ts_bundle_added_gzip_bytes=${connectWithUs - connectAlone}`);
console.log(`ts_error_code_alone_gzip_bytes=${errorCodeAlone}`);
