// Statuses that test strict reading, each with the verdict of the Rust
// crate's strict decoder: `chat-errors decode`'s exit code and the code it
// read. Built with protobuf-es's encoder from the generated google.rpc
// schemas in dist/ (run `npm run build` first), plus seeded byte-level
// mutations of a real status. goldens.mjs writes them to
// test/goldens/verdicts.json; test/agreement.test.ts holds this package's
// strict reading to them.
import { execFileSync } from "node:child_process";
import { create, toBinary } from "@bufbuild/protobuf";
import { anyPack, DurationSchema } from "@bufbuild/protobuf/wkt";
import { ErrorInfoSchema, LocalizedMessageSchema, RetryInfoSchema } from "../dist/esm/gen/google/rpc/error_details_pb.js";
import { StatusSchema } from "../dist/esm/gen/google/rpc/status_pb.js";
import { seededRandom } from "./random.mjs";

const base64 = (bytes) => Buffer.from(bytes).toString("base64").replace(/=+$/, "");
const errorInfo = (reason, metadata, domain = "chat.errors.v1") =>
  anyPack(ErrorInfoSchema, create(ErrorInfoSchema, { reason, domain, metadata }));
const korean = anyPack(LocalizedMessageSchema, create(LocalizedMessageSchema, { locale: "ko-KR", message: "존재하지 않는 채널입니다" }));
const retry = (seconds) =>
  anyPack(RetryInfoSchema, create(RetryInfoSchema, { retryDelay: create(DurationSchema, { seconds: BigInt(seconds) }) }));
const status = (code, message, details) => toBinary(StatusSchema, create(StatusSchema, { code, message, details }));
const MESSAGE = "The channel does not exist.";
const channelNotFound = (metadata = { code: "2003", message: "ChannelNotFound" }, reason = "CHANNEL_NOT_FOUND") =>
  errorInfo(reason, metadata);

/** Trailers: grpc-status, percent-encoded grpc-message, the details' base64. */
function trailers(details, grpcStatus = 5, grpcMessage = MESSAGE) {
  return {
    "grpc-status": grpcStatus,
    "grpc-message": encodeURIComponent(grpcMessage),
    "grpc-status-details-bin": typeof details === "string" ? details : base64(details),
  };
}

const named = [
  ["as the crate sends it", trailers(status(5, MESSAGE, [channelNotFound(), korean]))],
  ["code and reason disagree", trailers(status(5, MESSAGE, [channelNotFound({ code: "3003" })]))],
  ["unknown number, known reason", trailers(status(5, MESSAGE, [channelNotFound({ code: "9999" })]))],
  ["known number, unknown reason", trailers(status(5, MESSAGE, [channelNotFound({ code: "2003" }, "NO_SUCH_REASON")]))],
  ["future code", trailers(status(9, "Slow.", [errorInfo("SLOW_MODE_ACTIVE", { code: "9001", message: "SlowModeActive" })]), 9, "Slow.")],
  ["future code without a number", trailers(status(9, "Slow.", [errorInfo("SLOW_MODE_ACTIVE", {})]), 9, "Slow.")],
  ["no metadata", trailers(status(5, MESSAGE, [channelNotFound({})]))],
  ["wrong name", trailers(status(5, MESSAGE, [channelNotFound({ code: "2003", message: "UserNotFound" })]))],
  ["wrong gRPC code", trailers(status(13, MESSAGE, [channelNotFound()]), 13)],
  ["wrong gRPC code and name", trailers(status(13, MESSAGE, [channelNotFound({ code: "2003", message: "X" })]), 13)],
  ["grpc-status differs from the details", trailers(status(5, MESSAGE, [channelNotFound()]), 13)],
  ["grpc-message differs from the details", trailers(status(5, MESSAGE, [channelNotFound()]), 5, "other")],
  ["grpc-status 17", trailers(status(5, MESSAGE, [channelNotFound()]), 17)],
  ["two ErrorInfos", trailers(status(5, MESSAGE, [channelNotFound(), channelNotFound()]))],
  ["two RetryInfos", trailers(status(5, MESSAGE, [channelNotFound(), retry(1), retry(2)]))],
  ["negative retry delay", trailers(status(5, MESSAGE, [channelNotFound(), retry(-1)]))],
  ["another domain", trailers(status(5, MESSAGE, [errorInfo("CHANNEL_NOT_FOUND", { code: "2003" }, "chat.example.com")]))],
  ["no ErrorInfo", trailers(status(5, MESSAGE, [korean]))],
  ["not base64", trailers("@@@@")],
  ["not a Status", trailers(new Uint8Array([0x0a, 0x05, 0x01]))],
  ...["02003", "+2003", " 2003", "-5", "-0", "", "two", "2003.0", "4294969299", "2147483648", "2147483647"].map((code) => [
    `metadata code ${JSON.stringify(code)}`,
    trailers(status(5, MESSAGE, [channelNotFound({ code, message: "ChannelNotFound" })])),
  ]),
];

function mutations(count) {
  const random = seededRandom(2003);
  const real = status(5, MESSAGE, [channelNotFound(), korean, retry(3)]);
  const cases = [];
  for (let index = 0; index < count; index++) {
    const bytes = real.slice();
    const at = Math.floor(random() * bytes.length);
    const kind = index % 3;
    if (kind === 0) bytes[at] = Math.floor(random() * 256);
    else if (kind === 1) bytes[at] ^= 1 << Math.floor(random() * 8);
    const mutated = kind === 2 ? bytes.subarray(0, at) : bytes;
    cases.push([`mutation ${index}`, trailers(mutated)]);
  }
  return cases;
}

/** Each case with what `chat-errors decode --format json` made of it. */
export function verdicts(cli) {
  return [...named, ...mutations(150)].map(([name, input]) => {
    let exit = 0;
    let output = "";
    try {
      output = execFileSync(cli, ["decode", "--format", "json"], {
        input: JSON.stringify(input),
        encoding: "utf8",
        stdio: ["pipe", "pipe", "ignore"],
      });
    } catch (error) {
      exit = error.status;
    }
    const decoded = exit === 0 ? JSON.parse(output) : undefined;
    return { name, trailers: input, exit, code: decoded?.code ?? null, reason: decoded?.reason ?? null };
  });
}
