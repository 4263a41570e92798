// Prints what importing chatErrorOf adds to a browser bundle, minified by
// esbuild: on its own, and on top of an app that already bundles
// @connectrpc/connect (which brings its own share of @bufbuild/protobuf).
// Output: key=value lines, sizes in bytes.
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const entry = "./dist/index.js";

async function size(contents) {
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
  const bytes = result.outputFiles[0].contents;
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

const alone = await size(`import { chatErrorOf } from "${entry}"; globalThis.f = chatErrorOf;`);
const connect = await size(`import { ConnectError } from "@connectrpc/connect"; globalThis.e = ConnectError;`);
const both = await size(
  `import { ConnectError } from "@connectrpc/connect"; import { chatErrorOf } from "${entry}"; globalThis.e = ConnectError; globalThis.f = chatErrorOf;`,
);
console.log(`bundle_chat_error_of_bytes=${alone.raw}`);
console.log(`bundle_chat_error_of_gzip_bytes=${alone.gzip}`);
console.log(`bundle_added_to_connect_bytes=${both.raw - connect.raw}`);
console.log(`bundle_added_to_connect_gzip_bytes=${both.gzip - connect.gzip}`);
