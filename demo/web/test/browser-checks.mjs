// Checks beyond the scenarios: bad input sent from the browser gets a
// catalogue error, a page on another origin can read the status, and a
// screenshot of several banners.

import { join } from "node:path";

import { Person, signedUp } from "./ui.mjs";

const SIGN_UP = "**/chat.demo.v1.ChatService/SignUp";

/** `banner` is a chat error whose values are the table's for its code. */
function catalogueProblems(banner, table) {
  if (!banner) return ["no error banner"];
  const row = table.get(Number(banner.code));
  if (!row) return [`not a catalogue error: ${JSON.stringify(banner)}`];
  const problems = [];
  if (banner.reason !== row.reason) problems.push(`reason ${banner.reason} for ${banner.code}`);
  if (banner.domain !== "chat.errors.v1") problems.push(`domain ${banner.domain}`);
  return problems;
}

/** Sends the page's sign-up with `change` applied to the request on the way. */
async function signUpChanged(demo, change, fields = {}) {
  const person = await Person.open(demo);
  await person.page.route(SIGN_UP, change);
  return { person, outcome: await person.submit("sign-up", fields) };
}

export async function browserChecks({ context, base, locale, table, out }) {
  const demo = { context, base, prefix: `${locale.slice(0, 2)}${Date.now().toString(36)}-x`, pages: [] };
  const checks = [];
  try {
    {
      // A body that is not protobuf, from the page's own call.
      const { person, outcome } = await signUpChanged(demo, (route) =>
        route.continue({ postData: Buffer.from([0, 0, 0, 0, 3, 0xff, 0xff, 0xff]) }), { user_id: "ignored" });
      const problems = catalogueProblems(outcome.banner, table);
      const shownId = await person.page.evaluate(() => document.querySelector("#banners .banner .banner-request code")?.textContent ?? "");
      if (outcome.banner?.code === "1003" && (outcome.banner.requestId === "" || shownId !== outcome.banner.requestId)) {
        problems.push(`1003 without its request id shown: ${JSON.stringify(shownId)}`);
      }
      checks.push([`a body that is not protobuf -> ${outcome.banner?.code}`, problems]);
    }
    {
      // Not gRPC-Web at all: another content type on the same path.
      const { outcome } = await signUpChanged(demo, (route) =>
        route.continue({ headers: { ...route.request().headers(), "content-type": "text/plain" } }), { user_id: "ignored" });
      const problems = catalogueProblems(outcome.banner, table);
      if (outcome.banner?.code !== "1011") problems.push(`expected 1011, got ${outcome.banner?.code}`);
      else if (JSON.parse(outcome.banner.metadata).header !== "content-type") problems.push(`metadata ${outcome.banner.metadata}`);
      checks.push(["a request that is not gRPC-Web -> 1011", problems]);
    }
    {
      // Hostile headers beside a real request change nothing about its error.
      const { outcome } = await signUpChanged(demo, (route) => route.continue({
        headers: {
          ...route.request().headers(),
          "x-request-id": "<script>alert(1)</script>",
          "grpc-timeout": "soon",
          "accept-language": `${"xx-".repeat(3000)}ko`,
        },
      }));
      const problems = catalogueProblems(outcome.banner, table);
      if (outcome.banner?.code !== "1002") problems.push(`expected 1002, got ${outcome.banner?.code}`);
      if (!outcome.highlighted.split(",").includes("user_id")) problems.push("user_id not highlighted");
      checks.push(["hostile headers -> 1002 as without them", problems]);
    }
    {
      // A page on another origin (here a bare not-found page, whose origin
      // has no content security policy): CORS lets it read the status.
      const page = (await Person.open(demo)).page;
      const otherOrigin = base.replace("127.0.0.1", "localhost");
      await page.goto(`${otherOrigin}/another-site.html`);
      const seen = await page.evaluate(async (server) => {
        try {
          const response = await fetch(`${server}/chat.demo.v1.ChatService/SignUp`, {
            method: "POST",
            headers: { "content-type": "application/grpc-web+proto", "x-grpc-web": "1", authorization: "Bearer x" },
            body: new Uint8Array([0, 0, 0, 0, 0]),
          });
          return {
            status: response.headers.get("grpc-status"),
            message: response.headers.get("grpc-message"),
            details: (response.headers.get("grpc-status-details-bin") ?? "").length,
          };
        } catch (error) {
          return { error: String(error) };
        }
      }, base);
      const problems = seen.status === "3" && seen.message !== null && seen.details > 0 ? [] : [JSON.stringify(seen)];
      checks.push(["a page on another origin reads grpc-status, grpc-message and the details", problems]);
    }
    {
      // Several banners at once, for people to look at.
      const alice = await signedUp(demo, "shot");
      await alice.submit("create-channel", { channel_id: "Not An Id", channel_type: 1 });
      await alice.open(`${demo.prefix}-nowhere`);
      await alice.create(demo, "general");
      for (let n = 1; n <= 30; n++) {
        if (!(await alice.send(`#${n}`)).ok) break;
      }
      const path = join(out, `banners-${locale}.png`);
      await alice.page.screenshot({ path, fullPage: true });
      const count = await alice.page.locator("#banners .banner").count();
      checks.push([`screenshot of ${count} banners: ${path}`, count >= 3 ? [] : [`only ${count} banners`]]);
    }
  } finally {
    await Promise.all(demo.pages.map((page) => page.close()));
  }
  return checks;
}
