// Loads the packed package with require(), which its exports map sends to dist/cjs.
const assert = require("node:assert/strict");
const client = require("@chat-errors/client");
const { check } = require("./check.cjs");

assert.match(require.resolve("@chat-errors/client"), /dist[\\/]cjs[\\/]index\.js$/);
check(client, "require");
