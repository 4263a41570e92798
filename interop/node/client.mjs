// A Node.js grpc-js client against the Rust demo server.
//
// usage: node client.mjs HOST:PORT SCENARIOS_FILE
//
// SCENARIOS_FILE is the output of `chat-demo-client --list`. The client checks
// that it implements exactly the demo's scenarios, then plays each one against
// the server and reads the error's grpc-status-details-bin: the gRPC status, the
// ErrorInfo reason, domain and metadata, the ko-KR LocalizedMessage, and the
// scenario's extra detail; and that the locale negotiated from accept-language
// picks the LocalizedMessage and, as the demo opts in, the status message.
// Prints one line per check and `N passed, M failed` last; exits 1 when any
// check fails.

import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

import grpc from "@grpc/grpc-js";
import protoLoader from "@grpc/proto-loader";

import { description, ENGLISH_LOCALE, KOREAN_LOCALE, loadTable, problems, REPO } from "./rich_status.mjs";
import { Demo, SCENARIOS, SetUpError, unary } from "./scenarios.mjs";

// `chat-demo-client --list`: scenario id -> [code, detail], in its order.
function readListing(file) {
  const [header, ...lines] = readFileSync(file, "utf8").split("\n").filter((line) => line !== "");
  if (header !== "id\tcode\tdetail\ttitle") throw new Error(`${file}: unexpected header ${header}`);
  return new Map(lines.map((line) => {
    const [id, code, detail] = line.split("\t");
    return [id, [Number(code), detail]];
  }));
}

function coverageProblems(listing) {
  const ids = new Set([...SCENARIOS.keys(), ...listing.keys()]);
  return [...ids].sort()
    .filter((id) => SCENARIOS.get(id)?.[0] !== listing.get(id)?.[0])
    .map((id) => `${id}: Node ${SCENARIOS.get(id)?.[0]}, demo ${listing.get(id)?.[0]}`);
}

async function play(client, prefix, id, detail, table) {
  const [code, scenario] = SCENARIOS.get(id);
  let finalCall;
  try {
    finalCall = await scenario(new Demo(client, prefix));
  } catch (error) {
    if (error instanceof SetUpError) return [`a set-up call failed: ${error.message}`];
    throw error;
  }
  try {
    await finalCall();
  } catch (error) {
    if (error.code === undefined) throw error;
    return problems(error, table.get(code), detail);
  }
  return ["the call succeeded"];
}

// [accept-language, the negotiated locale, whether the status message is in it]
const NEGOTIATIONS = [
  ["ko-KR,ko;q=0.9,en;q=0.8", KOREAN_LOCALE, true],
  ["en-US", ENGLISH_LOCALE, true],
  [undefined, KOREAN_LOCALE, false],
];

// The LocalizedMessage is in the negotiated locale; the demo sends the status
// message in it too when the caller asked (percent-encoded on the wire and
// decoded by grpc-js), and English otherwise.
async function negotiationProblems(client, table, acceptLanguage, locale, inMessage) {
  const row = table.get(2003);
  const alice = await new Demo(client, `js${randomBytes(4).toString("hex")}`).user("alice");
  const language = acceptLanguage === undefined ? [] : [["accept-language", acceptLanguage]];
  try {
    await unary(client, "GetChannel", { channel_id: "no-such-channel" }, [...alice.auth, ...language]);
  } catch (error) {
    const found = problems(error, row, "-", locale);
    const message = inMessage ? description(row, locale) : row.description_en;
    if (error.details !== message) {
      found.push(`message: expected ${JSON.stringify(message)}, got ${JSON.stringify(error.details)}`);
    }
    return found;
  }
  return ["the call succeeded"];
}

async function main([address, scenariosFile]) {
  if (!address || !scenariosFile) throw new Error("usage: node client.mjs HOST:PORT SCENARIOS_FILE");
  const table = loadTable();
  const listing = readListing(scenariosFile);
  const results = [["Node plays exactly the demo's scenarios", coverageProblems(listing)]];

  const definition = protoLoader.loadSync("chat/demo/v1/chat_service.proto", {
    includeDirs: [path.join(REPO, "demo", "proto")],
    keepCase: true,
    longs: String,
    enums: String,
  });
  const { ChatService } = grpc.loadPackageDefinition(definition).chat.demo.v1;
  const client = new ChatService(address, grpc.credentials.createInsecure());
  try {
    const run = `js${randomBytes(4).toString("hex")}`;
    let index = 0;
    for (const [id, [code, detail]] of listing) {
      const name = `scenario ${id} -> ${code} ${table.get(code)?.reason}`;
      const prefix = `${run}-${String(index++).padStart(2, "0")}`;
      results.push([name, SCENARIOS.has(id) ? await play(client, prefix, id, detail, table) : ["no Node implementation"]]);
    }
    for (const [acceptLanguage, locale, inMessage] of NEGOTIATIONS) {
      results.push([
        `accept-language ${acceptLanguage ?? "(none)"} -> ${locale}`,
        await negotiationProblems(client, table, acceptLanguage, locale, inMessage),
      ]);
    }
  } finally {
    client.close();
  }

  let failed = 0;
  for (const [name, found] of results) {
    if (found.length > 0) failed++;
    console.log(found.length > 0 ? `FAIL ${name}: ${found.join("; ")}` : `ok   ${name}`);
  }
  console.log(`${results.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
