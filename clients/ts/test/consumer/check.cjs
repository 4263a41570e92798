// What both module systems must give for the packed package: the golden
// status of 2003 (from the Rust CLI) read back as the fixture table says.
const assert = require("node:assert/strict");
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

const repo = join(__dirname, "..", "..", "..", "..");
const [, name, reason] = readFileSync(join(repo, "tests", "fixtures", "error-codes.tsv"), "utf8")
  .split("\n")
  .find((line) => line.startsWith("2003\t"))
  .split("\t");
const golden = JSON.parse(readFileSync(join(__dirname, "..", "goldens", "statuses.json"), "utf8")).find(
  (status) => status.args.join(" ") === "2003",
);

/** Checks one loaded copy of the package; `how` names the module system for the messages. */
exports.check = (client, how) => {
  const trailers = { ...golden.trailers, "grpc-status": String(golden.trailers["grpc-status"]) };
  const decoded = client.chatErrorOf(trailers, { strict: true });
  assert.equal(decoded?.code, 2003, how);
  assert.equal(decoded.reason, reason, how);
  assert.equal(decoded.name, name, how);
  assert.equal(client.ErrorCode[reason], 2003, how);
  assert.equal(client.errorCodeInfo(2003)?.name, name, how);
  // The exported schemas work with the app's own protobuf runtime.
  const { fromBinary } = require("@bufbuild/protobuf");
  const status = fromBinary(client.StatusSchema, Buffer.from(trailers["grpc-status-details-bin"], "base64"));
  assert.equal(status.code, 5, how);
  assert.throws(() => client.chatErrorOf({ "grpc-status": "17" }, { strict: true }), client.DecodeError, how);
  const runtime = JSON.parse(readFileSync(join(__dirname, "node_modules", "@bufbuild", "protobuf", "package.json"), "utf8"));
  console.log(`consumer: ${how} reads 2003 ${reason} with @bufbuild/protobuf ${runtime.version}`);
};
