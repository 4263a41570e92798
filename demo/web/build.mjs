// Bundles the page into dist/: index.html, app.css and app.js (esbuild,
// minified, for browsers from 2022 on). @bufbuild/protobuf is resolved from
// this package for @chat-errors/client too, so the bundle holds one copy.
import { build } from "esbuild";
import { copyFile, mkdir, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");

const oneProtobuf = {
  name: "one-protobuf-runtime",
  setup(esbuild) {
    esbuild.onResolve({ filter: /^@bufbuild\/protobuf(\/.*)?$/ }, (args) => {
      if (args.resolveDir.startsWith(here) && !args.resolveDir.includes("node_modules/@chat-errors")) return undefined;
      return esbuild.resolve(args.path, { kind: args.kind, resolveDir: here });
    });
  },
};

await rm(dist, { recursive: true, force: true });
await mkdir(dist);
await build({
  entryPoints: [join(here, "src/main.ts")],
  outfile: join(dist, "app.js"),
  bundle: true,
  minify: true,
  format: "esm",
  target: ["chrome100", "firefox100", "safari15"],
  legalComments: "none",
  plugins: [oneProtobuf],
  logLevel: "warning",
});
await copyFile(join(here, "index.html"), join(dist, "index.html"));
await copyFile(join(here, "src/app.css"), join(dist, "app.css"));
const { size } = await stat(join(dist, "app.js"));
console.log(`web bundle: dist/app.js ${size} bytes`);
