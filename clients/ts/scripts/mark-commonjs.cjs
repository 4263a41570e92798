// dist/cjs holds CommonJS in a package whose "type" is "module": its own
// package.json tells Node (and bundlers) so, as connect-es and protobuf-es do.
const { writeFileSync } = require("node:fs");
const { join } = require("node:path");

writeFileSync(join(__dirname, "..", "dist", "cjs", "package.json"), `${JSON.stringify({ type: "commonjs" })}\n`);
