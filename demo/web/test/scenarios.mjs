// The demo's scenarios, played through the chat page's forms and buttons,
// each by as many people (tabs) as it needs. Each returns the outcome of
// the action that must fail. Ids and codes match `chat-demo-client --list`.

import { Person, SetUpError, newestBanner, signedUp } from "./ui.mjs";

export { SetUpError };

const PUBLIC = 1;
const PRIVATE = 2;
const INVITATION_ONLY = 3;
const INVITATION_CODE = "spring-2025";
const MAX_FILE_BYTES = 15 * 1024 * 1024;
// Twice what the Rust client sends: a browser under load sends slower, and
// the bucket refills as it goes.
const FLOOD_MESSAGES = 60;

const people = (demo, ...names) => Promise.all(names.map((name) => signedUp(demo, name)));

async function aliceInGeneral(demo) {
  const alice = await signedUp(demo, "alice");
  return [alice, await alice.create(demo, "general")];
}

async function aliceAndBob(demo, bobIsMember) {
  const [alice, bob] = await people(demo, "alice", "bob");
  const general = await alice.create(demo, "general", { members: bobIsMember ? [bob] : [] });
  return [alice, bob, general];
}

/** A tab whose session is whatever `authorization` says, reading `general`. */
async function readWithAuthorization(demo, authorization) {
  const stranger = await Person.open(demo);
  if (authorization !== undefined) await stranger.setUp("session", { authorization });
  return stranger.open(`${demo.prefix}-general`);
}

function file(name, buffer) {
  return { name, mimeType: "application/octet-stream", buffer };
}

const scenario = (id, code, play) => [id, { code, play }];

export const SCENARIOS = new Map([
  // Accounts, sessions and blocks.
  scenario("sign-up-without-user-id", 1002, async (demo) =>
    (await Person.open(demo)).submit("sign-up", { nickname: "Alice" })),
  scenario("sign-up-with-malformed-user-id", 1001, async (demo) =>
    (await Person.open(demo)).submit("sign-up", { user_id: "Alice Kim" })),
  scenario("sign-up-with-taken-user-id", 3004, async (demo) => {
    const alice = await signedUp(demo, "alice");
    return (await Person.open(demo)).submit("sign-up", { user_id: alice.id, nickname: "the other Alice" });
  }),
  scenario("log-in-as-unknown-user", 3003, async (demo) =>
    (await Person.open(demo)).submit("log-in", { user_id: `${demo.prefix}-nobody`, login_token: `login_${"0".repeat(32)}` })),
  scenario("log-in-with-wrong-login-token", 3009, async (demo) => {
    const [alice, bob] = await people(demo, "alice", "bob");
    return alice.submit("log-in", { user_id: alice.id, login_token: bob.loginToken });
  }),
  scenario("log-in-to-deactivated-account", 3010, async (demo) => {
    const alice = await signedUp(demo, "alice");
    await alice.setUp("account-actions", {}, "deactivate");
    return alice.submit("log-in", { user_id: alice.id, login_token: alice.loginToken });
  }),
  scenario("call-without-session", 1007, (demo) => readWithAuthorization(demo, undefined)),
  scenario("call-with-basic-authorization", 1011, (demo) => readWithAuthorization(demo, "Basic YWxpY2U6aHVudGVyMg==")),
  scenario("call-with-malformed-session-token", 3002, (demo) => readWithAuthorization(demo, "Bearer alice-is-me")),
  scenario("call-after-logout", 3001, async (demo) => {
    const alice = await signedUp(demo, "alice");
    const session = await alice.authorization();
    await alice.setUp("account-actions", {}, "logOut");
    await alice.setUp("session", { authorization: session });
    return alice.open(`${demo.prefix}-general`);
  }),
  scenario("block-yourself", 5000, async (demo) => {
    const alice = await signedUp(demo, "alice");
    return alice.block(alice);
  }),
  scenario("unblock-yourself", 5001, async (demo) => {
    const alice = await signedUp(demo, "alice");
    return alice.block(alice, "unblock");
  }),
  scenario("unblock-user-never-blocked", 5002, async (demo) => {
    const [alice, bob] = await people(demo, "alice", "bob");
    return alice.block(bob, "unblock");
  }),

  // Creating, reading and joining channels.
  scenario("create-channel-with-taken-id", 2002, async (demo) => {
    const [alice, bob] = await people(demo, "alice", "bob");
    await alice.create(demo, "general");
    return bob.submit("create-channel", { channel_id: `${demo.prefix}-general`, channel_type: PUBLIC });
  }),
  scenario("reuse-channel-with-other-members", 2004, async (demo) => {
    const [alice, bob, carol] = await people(demo, "alice", "bob", "carol");
    await alice.create(demo, "chat", { members: [bob] });
    return alice.submit("create-channel", {
      channel_id: `${demo.prefix}-chat`, channel_type: PUBLIC, member_ids: carol.id, reuse_existing: true,
    });
  }),
  scenario("create-channel-with-blocked-user", 2019, async (demo) => {
    const [alice, bob] = await people(demo, "alice", "bob");
    await expectOk(alice.block(bob));
    return alice.submit("create-channel", { channel_id: `${demo.prefix}-chat`, channel_type: PUBLIC, member_ids: bob.id });
  }),
  scenario("create-channel-with-user-who-blocked-you", 2020, async (demo) => {
    const [alice, bob] = await people(demo, "alice", "bob");
    await expectOk(bob.block(alice));
    return alice.submit("create-channel", { channel_id: `${demo.prefix}-chat`, channel_type: PUBLIC, member_ids: bob.id });
  }),
  scenario("create-invitation-only-channel-with-empty-code", 2013, async (demo) => {
    const alice = await signedUp(demo, "alice");
    return alice.submit("create-channel", { channel_id: `${demo.prefix}-club`, channel_type: INVITATION_ONLY });
  }),
  scenario("create-channel-over-member-limit", 2029, async (demo) => {
    const [alice, bob, carol] = await people(demo, "alice", "bob", "carol");
    return alice.submit("create-channel", {
      channel_id: `${demo.prefix}-pair`, channel_type: PUBLIC, member_ids: `${bob.id},${carol.id}`, max_members: 2,
    });
  }),
  scenario("read-unknown-channel", 2003, async (demo) => {
    const alice = await signedUp(demo, "alice");
    return alice.open(`${demo.prefix}-nowhere`);
  }),
  scenario("read-private-channel-as-outsider", 2005, async (demo) => {
    const [alice, bob] = await people(demo, "alice", "bob");
    const secret = await alice.create(demo, "secret", { type: PRIVATE });
    return bob.open(secret);
  }),
  scenario("read-channel-of-deleted-owner", 2000, async (demo) => {
    const [alice, bob, general] = await aliceAndBob(demo, true);
    await alice.setUp("account-actions", {}, "delete");
    return bob.open(general);
  }),
  scenario("join-private-channel", 2011, async (demo) => {
    const [alice, bob] = await people(demo, "alice", "bob");
    const secret = await alice.create(demo, "secret", { type: PRIVATE });
    return bob.submit("join-channel", { channel_id: secret }, "join");
  }),
  scenario("join-invitation-only-channel-without-code", 2012, async (demo) => {
    const [alice, bob] = await people(demo, "alice", "bob");
    const club = await alice.create(demo, "club", { type: INVITATION_ONLY, code: INVITATION_CODE });
    return bob.submit("join-channel", { channel_id: club }, "join");
  }),
  scenario("join-with-wrong-invitation-code", 2014, async (demo) => {
    const [alice, bob] = await people(demo, "alice", "bob");
    const club = await alice.create(demo, "club", { type: INVITATION_ONLY, code: INVITATION_CODE });
    return bob.submit("join-channel", { channel_id: club, invitation_code: "autumn-2025" }, "join");
  }),
  scenario("join-public-channel-with-code", 2015, async (demo) => {
    const [, bob, general] = await aliceAndBob(demo, false);
    return bob.submit("join-channel", { channel_id: general, invitation_code: INVITATION_CODE }, "join");
  }),
  scenario("join-channel-twice", 2008, async (demo) => {
    const [, bob, general] = await aliceAndBob(demo, false);
    await bob.setUp("join-channel", { channel_id: general }, "join");
    return bob.submit("join-channel", { channel_id: general }, "join");
  }),
  scenario("join-channel-after-ban", 2018, async (demo) => {
    const [alice, bob, general] = await aliceAndBob(demo, true);
    await expectOk(alice.moderate("ban", bob));
    return bob.submit("join-channel", { channel_id: general }, "join");
  }),
  scenario("join-channel-of-owner-who-blocked-you", 2023, async (demo) => {
    const [alice, bob, general] = await aliceAndBob(demo, false);
    await expectOk(alice.block(bob));
    return bob.submit("join-channel", { channel_id: general }, "join");
  }),
  scenario("join-channel-of-owner-you-blocked", 2024, async (demo) => {
    const [alice, bob, general] = await aliceAndBob(demo, false);
    await expectOk(bob.block(alice));
    return bob.submit("join-channel", { channel_id: general }, "join");
  }),
  scenario("join-full-channel", 2029, async (demo) => {
    const [alice, bob, carol] = await people(demo, "alice", "bob", "carol");
    const pair = await alice.create(demo, "pair", { members: [bob], max: 2 });
    return carol.submit("join-channel", { channel_id: pair }, "join");
  }),

  // Members and the owner's powers.
  scenario("invite-banned-user", 2017, async (demo) => {
    const [alice, bob] = await aliceAndBob(demo, true);
    await expectOk(alice.moderate("ban", bob));
    return alice.submit("invite", { user_ids: bob.id });
  }),
  scenario("invite-blocked-user", 2021, async (demo) => {
    const [alice, bob] = await aliceAndBob(demo, false);
    await expectOk(alice.block(bob));
    return alice.submit("invite", { user_ids: bob.id });
  }),
  scenario("invite-user-who-blocked-you", 2022, async (demo) => {
    const [alice, bob] = await aliceAndBob(demo, false);
    await expectOk(bob.block(alice));
    return alice.submit("invite", { user_ids: bob.id });
  }),
  scenario("remove-owner", 2007, async (demo) => {
    const [alice] = await aliceInGeneral(demo);
    return alice.moderate("remove", alice);
  }),
  scenario("remove-non-member", 2009, async (demo) => {
    const [alice, bob] = await aliceAndBob(demo, false);
    return alice.moderate("remove", bob);
  }),
  scenario("ban-non-member", 2010, async (demo) => {
    const [alice, bob] = await aliceAndBob(demo, false);
    return alice.moderate("ban", bob);
  }),
  scenario("ban-owner", 2016, async (demo) => {
    const [alice] = await aliceInGeneral(demo);
    return alice.moderate("ban", alice);
  }),
  scenario("mute-owner", 2028, async (demo) => {
    const [alice] = await aliceInGeneral(demo);
    return alice.moderate("mute", alice);
  }),
  scenario("mute-non-member", 2001, async (demo) => {
    const [alice, bob] = await aliceAndBob(demo, false);
    return alice.moderate("mute", bob);
  }),
  scenario("freeze-channel-not-owned", 2006, async (demo) => {
    const [, bob, general] = await aliceAndBob(demo, true);
    await bob.openForSure(general);
    return bob.moderate("freeze");
  }),
  scenario("transfer-ownership-to-owner", 2030, async (demo) => {
    const [alice] = await aliceInGeneral(demo);
    return alice.moderate("transfer", alice);
  }),
  scenario("ban-as-member", 2031, async (demo) => {
    const [alice, bob, carol] = await people(demo, "alice", "bob", "carol");
    const general = await alice.create(demo, "general", { members: [bob, carol] });
    await bob.openForSure(general);
    return bob.moderate("ban", carol);
  }),

  // Messages and files.
  scenario("send-to-channel-not-joined", 4000, async (demo) => {
    const [, bob, general] = await aliceAndBob(demo, false);
    await bob.openForSure(general);
    return bob.send("hi");
  }),
  scenario("send-oversized-message", 4001, async (demo) => {
    const [alice] = await aliceInGeneral(demo);
    // 1667 syllables of three bytes each: 5001 bytes.
    return alice.send("가".repeat(1667));
  }),
  scenario("send-empty-message", 4002, async (demo) => {
    const [alice] = await aliceInGeneral(demo);
    return alice.send("");
  }),
  scenario("send-in-frozen-channel", 2025, async (demo) => {
    const [alice, bob, general] = await aliceAndBob(demo, true);
    await expectOk(alice.moderate("freeze"));
    await bob.openForSure(general);
    return bob.send("hello?");
  }),
  scenario("mention-non-member", 2026, async (demo) => {
    const [alice, bob] = await aliceAndBob(demo, false);
    return alice.send("@bob look at this", [bob]);
  }),
  scenario("send-while-muted", 2027, async (demo) => {
    const [alice, bob, general] = await aliceAndBob(demo, true);
    await expectOk(alice.moderate("mute", bob));
    await bob.openForSure(general);
    return bob.send("hello?");
  }),
  scenario("banned-while-watching", 2018, async (demo) => {
    const [alice, bob, general] = await aliceAndBob(demo, true);
    await expectOk(alice.send("welcome"));
    await bob.openForSure(general);
    // The error must come after a message, so the message is shown first.
    await bob.page.locator("#messages li", { hasText: "welcome" }).waitFor();
    const before = await bannerCount(bob.page);
    await expectOk(alice.moderate("ban", bob));
    await bob.page.waitForFunction((count) => document.querySelectorAll("#banners .banner").length > count, before);
    const shown = await bob.page.locator("#messages li", { hasText: "welcome" }).count();
    if (shown !== 1) throw new SetUpError("the message before the error is gone");
    return { ok: false, banner: await newestBanner(bob.page), highlighted: "", retryText: "" };
  }),
  scenario("flood-channel", 1010, async (demo) => {
    const [alice] = await aliceInGeneral(demo);
    const page = alice.page;
    await page.fill("#send-text", "spam");
    const before = Number(await page.locator("#status").getAttribute("data-seq"));
    // Press Send as fast as the button allows, without waiting for answers.
    for (let n = 0; n < FLOOD_MESSAGES; n++) await page.click("#send-message button[type=submit]", { noWaitAfter: true });
    await page.waitForFunction(
      (seq) => Number(document.getElementById("status").dataset.seq) >= seq,
      before + FLOOD_MESSAGES,
    );
    // Answers may arrive out of order, so the last one may be a success.
    return alice.failure("send-message");
  }),
  scenario("delete-someone-elses-message", 1006, async (demo) => {
    const [alice, bob, carol] = await people(demo, "alice", "bob", "carol");
    const general = await alice.create(demo, "general", { members: [bob, carol] });
    await bob.openForSure(general);
    await expectOk(bob.send("mine"));
    await carol.openForSure(general);
    const message = carol.page.locator("#messages li", { hasText: "mine" });
    const seq = Number(await carol.page.locator("#status").getAttribute("data-seq"));
    await message.locator("button").click();
    await carol.page.waitForFunction((before) => Number(document.getElementById("status").dataset.seq) > before, seq);
    return carol.outcome(undefined);
  }),
  scenario("upload-oversized-file", 6001, async (demo) => {
    const [alice] = await aliceInGeneral(demo);
    return alice.submit("upload-file", { file_name: file("big.bin", Buffer.alloc(MAX_FILE_BYTES + 1, 0x5a)) });
  }),
  scenario("upload-damaged-file", 6000, async (demo) => {
    const [alice] = await aliceInGeneral(demo);
    // The page sends the content with its CRC-32; one byte changes on the way.
    await alice.page.route("**/chat.demo.v1.ChatService/UploadFile", (route) => {
      const body = route.request().postDataBuffer();
      const at = body.indexOf("meeting");
      if (at >= 0) body[at + 6] = "h".charCodeAt(0);
      return route.continue({ postData: body });
    });
    return alice.submit("upload-file", { file_name: file("minutes.txt", Buffer.from("minutes of the meeting")) });
  }),
]);

async function expectOk(outcome) {
  const result = await outcome;
  if (!result.ok) throw new SetUpError(`${result.banner?.reason ?? "?"} ${result.banner?.text ?? ""}`);
}

function bannerCount(page) {
  return page.locator("#banners .banner").count();
}
