// Loads the packed package with import, which its exports map sends to dist/esm.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import * as client from "@chat-errors/client";

const require = createRequire(import.meta.url);
const { check } = require("./check.cjs");
assert.match(import.meta.resolve("@chat-errors/client"), /dist\/esm\/index\.js$/);
check(client, "import");
