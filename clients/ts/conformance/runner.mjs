// Answers conformance inputs (conformance/README.md) with the built package:
// each decode input read strictly and leniently, written as the suite's
// canonical JSON view.
import { createInterface } from "node:readline";
import { DecodeError, chatErrorOf, chatErrorOfHttp } from "../dist/esm/index.js";

/** JSON with no whitespace and object keys in code point order, at every level. */
function canonical(value) {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const keys = Object.keys(value).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(",")}}`;
}

const localized = (message) => (message ? { locale: message.locale, message: message.message } : null);

function view(error) {
  if (error === undefined) return null;
  const delay = error.retryDelay;
  return {
    code: error.code ?? null,
    domain: error.domain,
    field_violations: error.fieldViolations.map((violation) => ({
      description: violation.description,
      field: violation.field,
      localized_message: localized(violation.localizedMessage),
      reason: violation.reason,
    })),
    grpc_code: error.grpcCode,
    localized_message: localized(error.localizedMessage),
    message: error.message,
    metadata: { ...error.metadata },
    name: error.name ?? null,
    number: error.number ?? null,
    reason: error.reason,
    request_info: error.requestInfo
      ? { request_id: error.requestInfo.requestId, serving_data: error.requestInfo.servingData }
      : null,
    resource_info: error.resourceInfo
      ? {
          description: error.resourceInfo.description,
          owner: error.resourceInfo.owner,
          resource_name: error.resourceInfo.resourceName,
          resource_type: error.resourceInfo.resourceType,
        }
      : null,
    retry_delay: delay ? String(delay.seconds * 1_000_000_000n + BigInt(delay.nanos)) : null,
  };
}

function decodeWith(read) {
  let strict;
  try {
    strict = { ok: view(read(true)) };
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    const kind = { kind: error.kind };
    if (error.kind === "MalformedDetail" || error.kind === "DuplicateDetail") kind.detail = error.typeName ?? "";
    strict = { error: kind };
  }
  return { lenient: view(read(false)), strict };
}

function answer(input) {
  const domain = input.domain;
  if (input.transport === "grpc") {
    return decodeWith((strict) => chatErrorOf(input.headers, { strict, domain }));
  }
  if (input.transport === "http") {
    return decodeWith((strict) => chatErrorOfHttp(input.status, input.body, { strict, domain }));
  }
  return { runner_error: "the TypeScript client has no server side: it answers decode inputs only" };
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  let id = null;
  let output;
  try {
    const input = JSON.parse(line);
    id = input.id;
    output = { id, ...answer(input) };
  } catch (error) {
    output = { id, runner_error: String(error?.stack ?? error) };
  }
  process.stdout.write(`${canonical(output)}\n`);
}
