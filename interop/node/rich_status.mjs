// Reading the table and the rich error details of a failed call, as any
// grpc-js client can: grpc-status-details-bin decoded with protobufjs as
// google.rpc.Status, each google.protobuf.Any by its type URL.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

import grpc from "@grpc/grpc-js";
import protobuf from "protobufjs";

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, "..", "..");
const TABLE = path.join(REPO, "tests", "fixtures", "error-codes.tsv");
const COLUMNS = ["code", "name", "reason", "grpc_code", "http_status", "retryable", "description_ko", "description_en"];
export const DOMAIN = "chat.errors.v1";
export const KOREAN_LOCALE = "ko-KR";
export const ENGLISH_LOCALE = "en-US";

// Row `row`'s description in one of the catalogue's locales.
export function description(row, locale) {
  return { [KOREAN_LOCALE]: row.description_ko, [ENGLISH_LOCALE]: row.description_en }[locale];
}

// The normative table's rows by numeric code; every expected value comes from it.
export function loadTable() {
  const [header, ...lines] = readFileSync(TABLE, "utf8").split("\n").filter((line) => line !== "");
  if (header !== COLUMNS.join("\t")) throw new Error(`${TABLE}: unexpected header ${header}`);
  const rows = new Map();
  for (const line of lines) {
    const fields = line.split("\t");
    if (fields.length !== COLUMNS.length) throw new Error(`${TABLE}: ${fields.length} columns in ${line}`);
    const row = Object.fromEntries(COLUMNS.map((column, i) => [column, fields[i]]));
    const status = grpc.status[row.grpc_code];
    if (status === undefined) throw new Error(`${TABLE}: unknown gRPC code ${row.grpc_code}`);
    rows.set(Number(row.code), { ...row, code: Number(row.code), status });
  }
  return rows;
}

// googleapis' own status.proto and error_details.proto, as google-proto-files ships them.
const googleProtos = path.dirname(createRequire(import.meta.url).resolve("google-proto-files/package.json"));
const rpcRoot = new protobuf.Root();
rpcRoot.resolvePath = (_origin, target) => path.join(googleProtos, target);
rpcRoot.loadSync(["google/rpc/status.proto", "google/rpc/error_details.proto"], { keepCase: true });
const Status = rpcRoot.lookupType("google.rpc.Status");

const DETAIL_KINDS = {
  "google.rpc.ErrorInfo": "errorInfos",
  "google.rpc.LocalizedMessage": "localizedMessages",
  "google.rpc.RetryInfo": "retryInfos",
  "google.rpc.BadRequest": "badRequests",
  "google.rpc.ResourceInfo": "resourceInfos",
};

// The details grpc-status-details-bin carries, by kind.
export function detailsOf(error) {
  const [bin] = error.metadata?.get("grpc-status-details-bin") ?? [];
  if (bin === undefined) throw new Error(`no grpc-status-details-bin on ${error.code} ${JSON.stringify(error.details)}`);
  const status = Status.decode(bin);
  const details = { code: status.code, message: status.message };
  for (const kind of Object.values(DETAIL_KINDS)) details[kind] = [];
  for (const any of status.details) {
    const typeName = any.type_url.slice(any.type_url.lastIndexOf("/") + 1);
    const kind = DETAIL_KINDS[typeName];
    if (kind) details[kind].push(rpcRoot.lookupType(typeName).decode(any.value));
  }
  return details;
}

// What differs between the failed call and table row `row`, with the extra
// `detail` in `chat-demo-client --list` form and the one LocalizedMessage in
// `locale`. Empty when nothing does.
export function problems(error, row, detail = "-", locale = KOREAN_LOCALE) {
  const found = [];
  const expect = (what, actual, expected) => {
    if (actual !== expected) found.push(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  };
  expect("gRPC status", error.code, row.status);
  let details;
  try {
    details = detailsOf(error);
  } catch (cause) {
    return [...found, `details: ${cause.message}`];
  }
  expect("details status code", details.code, row.status);
  expect("details message equals grpc-message", details.message, error.details);
  expect("ErrorInfo count", details.errorInfos.length, 1);
  expect("LocalizedMessage count", details.localizedMessages.length, 1);
  const [info] = details.errorInfos;
  if (info) {
    expect("reason", info.reason, row.reason);
    expect("domain", info.domain, DOMAIN);
    expect("metadata code", info.metadata?.code, String(row.code));
    expect("metadata message", info.metadata?.message, row.name);
  }
  const [localized] = details.localizedMessages;
  if (localized) {
    expect("locale", localized.locale, locale);
    expect("localized message", localized.message, description(row, locale));
  }
  return [...found, ...detailProblems(details, detail)];
}

function detailProblems(details, detail) {
  const separator = detail.indexOf("=");
  const kind = separator < 0 ? detail : detail.slice(0, separator);
  const value = separator < 0 ? "" : detail.slice(separator + 1);
  const same = (what, actual, expected) =>
    JSON.stringify(actual) === JSON.stringify(expected) ? [] : [`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
  switch (kind) {
    case "-":
      return [];
    case "field":
      return same("field violations", details.badRequests.flatMap((bad) => bad.field_violations.map((v) => v.field)), [value]);
    case "retry": {
      const delays = details.retryInfos.map(({ retry_delay: d }) => Number(d?.seconds ?? 0) + (d?.nanos ?? 0) / 1e9);
      return delays.length === 1 && delays[0] > 0 ? [] : [`RetryInfo: expected one positive delay, got ${JSON.stringify(delays)}`];
    }
    case "resource":
      return same("ResourceInfo", details.resourceInfos.map((info) => info.resource_type), [value]);
    case "metadata": {
      const [key, expected] = [value.slice(0, value.indexOf(":")), value.slice(value.indexOf(":") + 1)];
      return same(`metadata ${key}`, details.errorInfos[0]?.metadata?.[key], expected);
    }
    default:
      return [`unknown detail kind ${JSON.stringify(detail)}`];
  }
}
