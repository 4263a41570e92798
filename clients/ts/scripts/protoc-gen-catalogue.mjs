#!/usr/bin/env node
// A protobuf-es plugin (run by `buf generate`, see buf.gen.yaml) that writes
// the error catalogue of chat_errors.proto as plain data: the ErrorCode enum,
// each code's wire facts, and the descriptions. The package then reads no
// descriptor at load, and a bundler keeps only the module an app imports:
// ErrorCode alone costs its own enum and nothing else.
//
// A value without one of the options, or without a description in one of
// the enum's locales, fails generation, naming the value.
import { createEcmaScriptPlugin, runNodeJs } from "@bufbuild/protoplugin";
import { getOption, hasOption } from "@bufbuild/protobuf";

const CATALOGUE_ENUM = "ErrorCode";
const GRPC_CODE_ENUM = "GrpcCode";

function extension(file, name) {
  const found = file.extensions.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`${file.name}.proto declares no extension ${name}`);
  return found;
}

function option(value, ext) {
  if (!hasOption(value, ext)) throw new Error(`${value.name} lacks the option (${ext.name})`);
  return getOption(value, ext);
}

/** The value names without the enum's shared prefix, as protoc-gen-es names them. */
function shortName(enumDesc, value) {
  return value.name.slice(enumDesc.sharedPrefix?.length ?? 0);
}

/** CHANNEL_NOT_FOUND as ChannelNotFound: what most original names are. */
function pascalCase(reason) {
  return reason
    .split("_")
    .map((word) => word.charAt(0) + word.slice(1).toLowerCase())
    .join("");
}

function catalogueOf(file) {
  const codes = file.enums.find((candidate) => candidate.name === CATALOGUE_ENUM);
  const grpcCodes = file.enums.find((candidate) => candidate.name === GRPC_CODE_ENUM);
  if (!codes || !grpcCodes) return undefined;
  const grpcCode = extension(file, "grpc_code");
  const retryable = extension(file, "retryable");
  const originalName = extension(file, "original_name");
  const description = extension(file, "description");
  const locales = [...option(codes, extension(file, "locales"))];
  if (locales.length === 0) throw new Error(`${CATALOGUE_ENUM} declares no (locales)`);
  const entries = codes.values
    .filter((value) => value.number !== 0)
    .map((value) => {
      const texts = new Map(option(value, description).map(({ locale, text }) => [locale, text]));
      return {
        value,
        code: value.number,
        reason: shortName(codes, value),
        name: option(value, originalName),
        grpcCode: option(value, grpcCode),
        retryable: option(value, retryable),
        descriptions: locales.map((locale) => {
          const text = texts.get(locale);
          if (text === undefined) throw new Error(`${value.name} has no (description) in ${locale}`);
          return text;
        }),
      };
    })
    .sort((a, b) => a.code - b.code);
  return { codes, grpcCodes, locales, entries };
}

function generateTs(schema) {
  for (const file of schema.files) {
    const catalogue = catalogueOf(file);
    if (!catalogue) continue;
    const { codes, grpcCodes, locales, entries } = catalogue;
    const json = (value) => JSON.stringify(value);

    const enumFile = schema.generateFile(`${file.name}_error_code.ts`);
    enumFile.preamble(file);
    enumFile.print(enumFile.jsDoc(codes));
    enumFile.print(`export enum ${CATALOGUE_ENUM} {`);
    for (const value of codes.values) {
      enumFile.print(enumFile.jsDoc(value, "  "));
      enumFile.print(`  ${shortName(codes, value)} = ${value.number},`);
      enumFile.print();
    }
    enumFile.print("}");

    const tableFile = schema.generateFile(`${file.name}_catalogue.ts`);
    tableFile.preamble(file);
    tableFile.print("// What decoding needs; the rest of the catalogue is in chat_errors_listing.ts.");
    tableFile.print();
    tableFile.print("/** The proto package, which is the ErrorInfo domain chat errors are sent with by default. */");
    tableFile.print(`export const PROTO_PACKAGE = ${json(file.proto.package)};`);
    tableFile.print();
    tableFile.print("// Every ErrorCode value but UNSPECIFIED, in numeric order, as three parallel");
    tableFile.print("// lists: written this way, the table a decoding app bundles stays small.");
    tableFile.print();
    tableFile.print("/** Each code minus the one before it; the first is the code itself. */");
    const steps = entries.map((entry, index) => entry.code - (index === 0 ? 0 : entries[index - 1].code));
    tableFile.print(`export const CODE_STEPS: readonly number[] = ${json(steps)};`);
    tableFile.print();
    tableFile.print("/** The ErrorInfo reasons, separated by spaces. */");
    tableFile.print(`export const REASONS = ${json(entries.map((entry) => entry.reason).join(" "))};`);
    tableFile.print();
    tableFile.print("/** The gRPC code each is sent with. */");
    tableFile.print(`export const GRPC_CODES: readonly number[] = ${json(entries.map((entry) => entry.grpcCode))};`);
    tableFile.print();
    tableFile.print("/** The original names that are not the reason in PascalCase (CHANNEL_NOT_FOUND is ChannelNotFound), by code. */");
    tableFile.print("export const UNLIKE_REASON_NAMES: Readonly<Record<number, string>> = {");
    for (const entry of entries) {
      if (entry.name !== pascalCase(entry.reason)) tableFile.print(`  ${entry.code}: ${json(entry.name)},`);
    }
    tableFile.print("};");

    const listingFile = schema.generateFile(`${file.name}_listing.ts`);
    listingFile.preamble(file);
    listingFile.print("// What only the catalogue's listing needs, for the codes in numeric order.");
    listingFile.print();
    listingFile.print("/** The catalogue's locales, its default first. */");
    listingFile.print(`export const LOCALES: readonly string[] = ${json(locales)};`);
    listingFile.print();
    listingFile.print("/** Each entry's descriptions, in the order of LOCALES. */");
    listingFile.print("export const DESCRIPTIONS: readonly (readonly string[])[] = [");
    for (const entry of entries) listingFile.print(`  ${json(entry.descriptions)},`);
    listingFile.print("];");
    listingFile.print();
    listingFile.print("/** The codes a client may retry unchanged. */");
    listingFile.print(`export const RETRYABLE: readonly number[] = ${json(entries.filter((entry) => entry.retryable).map((entry) => entry.code))};`);
    listingFile.print();
    listingFile.print("/** The gRPC code names (enum GrpcCode without its prefix), indexed by number. */");
    listingFile.print("export const GRPC_CODE_NAMES: readonly string[] = [");
    const grpcNames = [];
    for (const value of grpcCodes.values) grpcNames[value.number] = shortName(grpcCodes, value);
    for (const name of grpcNames) listingFile.print(`  ${json(name)},`);
    listingFile.print("];");
  }
}

runNodeJs(
  createEcmaScriptPlugin({
    name: "protoc-gen-catalogue",
    version: "v1",
    generateTs,
  }),
);
