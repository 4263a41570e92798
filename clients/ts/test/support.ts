// Shared by the tests: the golden statuses the Rust CLI printed, the code
// table they are checked against, and the ways a browser or Node client
// receives them through connect-es's own parsers.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Code, ConnectError } from "@connectrpc/connect";
import { codeToString, errorFromJson } from "@connectrpc/connect/protocol-connect";
import { trailerParse, validateTrailer } from "@connectrpc/connect/protocol-grpc-web";

/** One row of tests/fixtures/error-codes.tsv. */
export interface TableRow {
  readonly code: number;
  readonly name: string;
  readonly reason: string;
  readonly grpcCodeName: string;
  readonly httpStatus: number;
  readonly retryable: boolean;
  readonly descriptionKo: string;
  readonly descriptionEn: string;
}

const repoRoot = new URL("../../../../", import.meta.url);

export const table: readonly TableRow[] = readFileSync(
  fileURLToPath(new URL("tests/fixtures/error-codes.tsv", repoRoot)),
  "utf8",
)
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => {
    const [code, name, reason, grpcCodeName, httpStatus, retryable, descriptionKo, descriptionEn] = line.split("\t");
    return {
      code: Number(code),
      name: name!,
      reason: reason!,
      grpcCodeName: grpcCodeName!,
      httpStatus: Number(httpStatus),
      retryable: retryable === "true",
      descriptionKo: descriptionKo!,
      descriptionEn: descriptionEn!,
    };
  });

/** The trailers `chat-errors encode ... --format json` printed. */
export interface Trailers {
  readonly "grpc-status": number;
  readonly "grpc-message": string;
  readonly "grpc-status-details-bin": string;
}

export interface Golden {
  readonly args: readonly string[];
  readonly trailers: Trailers;
}

export const goldens: readonly Golden[] = JSON.parse(
  readFileSync(fileURLToPath(new URL("clients/ts/test/goldens/statuses.json", repoRoot)), "utf8"),
);

export function goldenFor(...args: string[]): Golden {
  const golden = goldens.find((g) => g.args.join(" ") === args.join(" "));
  if (!golden) throw new Error(`no golden for ${args.join(" ")}`);
  return golden;
}

/** The gRPC code number of a google.rpc.Code name, by connect-es's own Code enum. */
export function grpcCodeNumber(name: string): number {
  const camel = name
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_, __, letter: string) => letter.toUpperCase())
    // connect-es spells CANCELLED the American way.
    .replace(/^Cancelled$/, "Canceled");
  const number = (Code as unknown as Record<string, number>)[camel];
  if (number === undefined) throw new Error(`connect-es has no code ${name}`);
  return number;
}

/** The trailers as a `Headers`, every value a string as on the wire. */
export function headersOf(trailers: Trailers): Headers {
  return new Headers(Object.entries(trailers).map(([name, value]): [string, string] => [name, String(value)]));
}

/**
 * The ConnectError connect-es's gRPC-Web transport throws for these trailers:
 * the trailer frame's text parsed by `trailerParse`, then `validateTrailer`.
 */
export function grpcWebConnectError(trailers: Trailers): ConnectError {
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

/**
 * The ConnectError connect-es builds for the same error sent over the Connect
 * protocol: JSON with each detail's type name and base64 value, no trailers.
 */
export function connectProtocolError(trailers: Trailers, statusDetails: readonly { typeName: string; value: Uint8Array }[]): ConnectError {
  const json = {
    code: codeToString(trailers["grpc-status"] as Code),
    message: decodeURIComponent(trailers["grpc-message"]),
    details: statusDetails.map(({ typeName, value }) => ({
      type: typeName,
      value: Buffer.from(value).toString("base64").replace(/=+$/, ""),
    })),
  };
  return errorFromJson(json as never, undefined, new ConnectError("unparsable", Code.Unknown));
}

export { seededRandom } from "../scripts/random.mjs";
