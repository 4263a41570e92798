// The demo's scenarios, played by a Node.js grpc-js client.
//
// Each scenario sets itself up with real calls and returns the one call that
// must fail; the ids and expected codes match `chat-demo-client --list`, which
// the client compares against. A failed set-up call is reported as such, so it
// is never mistaken for the scenario's own error.

import grpc from "@grpc/grpc-js";

const PUBLIC = "CHANNEL_TYPE_PUBLIC";
const PRIVATE = "CHANNEL_TYPE_PRIVATE";
const INVITATION_ONLY = "CHANNEL_TYPE_INVITATION_ONLY";
const INVITATION_CODE = "spring-2025";
const MAX_FILE_BYTES = 15 * 1024 * 1024;
const FLOOD_MESSAGES = 30;

export class SetUpError extends Error {}

// One unary call as a promise; `metadata` is a list of [key, value] pairs.
export function unary(client, method, request, metadata = []) {
  const headers = new grpc.Metadata();
  for (const [key, value] of metadata) headers.add(key, value);
  return new Promise((resolve, reject) => {
    client[method](request, headers, (error, response) => (error ? reject(error) : resolve(response)));
  });
}

// A call made while setting a scenario up: its failure is not the scenario's.
async function setUp(client, method, request, metadata) {
  try {
    return await unary(client, method, request, metadata);
  } catch (error) {
    throw new SetUpError(`${method}: ${error.code} ${JSON.stringify(error.details)}`);
  }
}

// A signed-up, logged-in user.
class Actor {
  static async signUp(client, id) {
    const actor = new Actor(client, id);
    actor.loginToken = (await setUp(client, "SignUp", { user_id: id })).login_token;
    actor.sessionToken = (await setUp(client, "Login", { user_id: id, login_token: actor.loginToken })).session_token;
    return actor;
  }

  constructor(client, id) {
    this.client = client;
    this.id = id;
  }

  get auth() {
    return [["authorization", `Bearer ${this.sessionToken}`]];
  }

  setUp(method, request) {
    return setUp(this.client, method, request, this.auth);
  }

  // The scenario's own call, made later.
  call(method, request) {
    return () => unary(this.client, method, request, this.auth);
  }

  async create(request) {
    return (await this.setUp("CreateChannel", request)).channel.channel_id;
  }

  block(other) {
    return this.setUp("BlockUser", { user_id: other.id });
  }

  ban(channelId, member) {
    return this.setUp("BanUser", { channel_id: channelId, user_id: member.id });
  }

  // A server stream of the channel's messages.
  watch(channelId) {
    const headers = new grpc.Metadata();
    for (const [key, value] of this.auth) headers.add(key, value);
    return this.client.WatchChannel({ channel_id: channelId }, headers);
  }
}

// Names unique to one scenario of one run, and the users in it.
export class Demo {
  constructor(client, prefix) {
    this.client = client;
    this.prefix = prefix;
  }

  id(name) {
    return `${this.prefix}-${name}`;
  }

  user(name) {
    return Actor.signUp(this.client, this.id(name));
  }

  users(...names) {
    return Promise.all(names.map((name) => this.user(name)));
  }

  call(method, request, metadata = []) {
    return () => unary(this.client, method, request, metadata);
  }

  channel(name, channelType, fields = {}) {
    return { channel_id: this.id(name), channel_type: channelType, ...fields };
  }

  publicChannel(name, members = [], fields = {}) {
    return this.channel(name, PUBLIC, { member_ids: members.map((member) => member.id), ...fields });
  }

  async aliceInGeneral() {
    const alice = await this.user("alice");
    return [alice, await alice.create(this.publicChannel("general"))];
  }

  async aliceAndBobInGeneral() {
    const [alice, bob] = await this.users("alice", "bob");
    return [alice, bob, await alice.create(this.publicChannel("general", [bob]))];
  }

  async aliceInGeneralBobOutside() {
    const [alice, bob] = await this.users("alice", "bob");
    return [alice, bob, await alice.create(this.publicChannel("general"))];
  }
}

const text = (channelId, body, fields = {}) => ({ channel_id: channelId, text: body, ...fields });
const join = (channelId, code) => (code === undefined ? { channel_id: channelId } : { channel_id: channelId, invitation_code: code });
const invite = (inviter, channelId, invitee) => inviter.call("InviteMembers", { channel_id: channelId, user_ids: [invitee.id] });
const getChannel = (demo, metadata) => demo.call("GetChannel", { channel_id: demo.id("general") }, metadata);
const upload = (actor, channelId, content, crc) =>
  actor.call("UploadFile", { channel_id: channelId, file_name: "minutes.txt", content, crc32: crc });

// CRC-32 (IEEE), written out because zlib.crc32 is missing from early Node 20 releases.
function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

// id -> [expected code, play(demo) resolving to the call that must fail]
export const SCENARIOS = new Map([
  // Accounts, sessions and blocks.
  ["sign-up-without-user-id", [1002, async (demo) => demo.call("SignUp", { nickname: "Alice" })]],
  ["sign-up-with-malformed-user-id", [1001, async (demo) => demo.call("SignUp", { user_id: "Alice Kim" })]],
  ["sign-up-with-taken-user-id", [3004, async (demo) => {
    const alice = await demo.user("alice");
    return demo.call("SignUp", { user_id: alice.id, nickname: "the other Alice" });
  }]],
  ["log-in-as-unknown-user", [3003, async (demo) =>
    demo.call("Login", { user_id: demo.id("nobody"), login_token: "login_" + "0".repeat(32) })]],
  ["log-in-with-wrong-login-token", [3009, async (demo) => {
    const [alice, bob] = await demo.users("alice", "bob");
    return demo.call("Login", { user_id: alice.id, login_token: bob.loginToken });
  }]],
  ["log-in-to-deactivated-account", [3010, async (demo) => {
    const alice = await demo.user("alice");
    await alice.setUp("DeactivateAccount", {});
    return demo.call("Login", { user_id: alice.id, login_token: alice.loginToken });
  }]],
  ["call-without-session", [1007, async (demo) => getChannel(demo, [])]],
  ["call-with-basic-authorization", [1011, async (demo) =>
    getChannel(demo, [["authorization", "Basic YWxpY2U6aHVudGVyMg=="]])]],
  ["call-with-malformed-session-token", [3002, async (demo) => getChannel(demo, [["authorization", "Bearer alice-is-me"]])]],
  ["call-after-logout", [3001, async (demo) => {
    const alice = await demo.user("alice");
    await alice.setUp("Logout", {});
    return getChannel(demo, alice.auth);
  }]],
  ["block-yourself", [5000, async (demo) => {
    const alice = await demo.user("alice");
    return alice.call("BlockUser", { user_id: alice.id });
  }]],
  ["unblock-yourself", [5001, async (demo) => {
    const alice = await demo.user("alice");
    return alice.call("UnblockUser", { user_id: alice.id });
  }]],
  ["unblock-user-never-blocked", [5002, async (demo) => {
    const [alice, bob] = await demo.users("alice", "bob");
    return alice.call("UnblockUser", { user_id: bob.id });
  }]],

  // Creating, reading and joining channels.
  ["create-channel-with-taken-id", [2002, async (demo) => {
    const [alice, bob] = await demo.users("alice", "bob");
    await alice.create(demo.publicChannel("general"));
    return bob.call("CreateChannel", demo.publicChannel("general"));
  }]],
  ["reuse-channel-with-other-members", [2004, async (demo) => {
    const [alice, bob, carol] = await demo.users("alice", "bob", "carol");
    await alice.create(demo.publicChannel("chat", [bob]));
    return alice.call("CreateChannel", demo.publicChannel("chat", [carol], { reuse_existing: true }));
  }]],
  ["create-channel-with-blocked-user", [2019, async (demo) => {
    const [alice, bob] = await demo.users("alice", "bob");
    await alice.block(bob);
    return alice.call("CreateChannel", demo.publicChannel("chat", [bob]));
  }]],
  ["create-channel-with-user-who-blocked-you", [2020, async (demo) => {
    const [alice, bob] = await demo.users("alice", "bob");
    await bob.block(alice);
    return alice.call("CreateChannel", demo.publicChannel("chat", [bob]));
  }]],
  ["create-invitation-only-channel-with-empty-code", [2013, async (demo) => {
    const alice = await demo.user("alice");
    return alice.call("CreateChannel", demo.channel("club", INVITATION_ONLY));
  }]],
  ["create-channel-over-member-limit", [2029, async (demo) => {
    const [alice, bob, carol] = await demo.users("alice", "bob", "carol");
    return alice.call("CreateChannel", demo.publicChannel("pair", [bob, carol], { max_members: 2 }));
  }]],
  ["read-unknown-channel", [2003, async (demo) => {
    const alice = await demo.user("alice");
    return alice.call("GetChannel", { channel_id: demo.id("nowhere") });
  }]],
  ["read-private-channel-as-outsider", [2005, async (demo) => {
    const [alice, bob] = await demo.users("alice", "bob");
    const secret = await alice.create(demo.channel("secret", PRIVATE));
    return bob.call("GetChannel", { channel_id: secret });
  }]],
  ["read-channel-of-deleted-owner", [2000, async (demo) => {
    const [alice, bob, general] = await demo.aliceAndBobInGeneral();
    await alice.setUp("DeleteAccount", {});
    return bob.call("GetChannel", { channel_id: general });
  }]],
  ["join-private-channel", [2011, async (demo) => {
    const [alice, bob] = await demo.users("alice", "bob");
    const secret = await alice.create(demo.channel("secret", PRIVATE));
    return bob.call("JoinChannel", join(secret));
  }]],
  ["join-invitation-only-channel-without-code", [2012, async (demo) => {
    const [alice, bob] = await demo.users("alice", "bob");
    const club = await alice.create(demo.channel("club", INVITATION_ONLY, { invitation_code: INVITATION_CODE }));
    return bob.call("JoinChannel", join(club));
  }]],
  ["join-with-wrong-invitation-code", [2014, async (demo) => {
    const [alice, bob] = await demo.users("alice", "bob");
    const club = await alice.create(demo.channel("club", INVITATION_ONLY, { invitation_code: INVITATION_CODE }));
    return bob.call("JoinChannel", join(club, "autumn-2025"));
  }]],
  ["join-public-channel-with-code", [2015, async (demo) => {
    const [, bob, general] = await demo.aliceInGeneralBobOutside();
    return bob.call("JoinChannel", join(general, INVITATION_CODE));
  }]],
  ["join-channel-twice", [2008, async (demo) => {
    const [, bob, general] = await demo.aliceInGeneralBobOutside();
    await bob.setUp("JoinChannel", join(general));
    return bob.call("JoinChannel", join(general));
  }]],
  ["join-channel-after-ban", [2018, async (demo) => {
    const [alice, bob, general] = await demo.aliceAndBobInGeneral();
    await alice.ban(general, bob);
    return bob.call("JoinChannel", join(general));
  }]],
  ["join-channel-of-owner-who-blocked-you", [2023, async (demo) => {
    const [alice, bob, general] = await demo.aliceInGeneralBobOutside();
    await alice.block(bob);
    return bob.call("JoinChannel", join(general));
  }]],
  ["join-channel-of-owner-you-blocked", [2024, async (demo) => {
    const [alice, bob, general] = await demo.aliceInGeneralBobOutside();
    await bob.block(alice);
    return bob.call("JoinChannel", join(general));
  }]],
  ["join-full-channel", [2029, async (demo) => {
    const [alice, bob, carol] = await demo.users("alice", "bob", "carol");
    const pair = await alice.create(demo.publicChannel("pair", [bob], { max_members: 2 }));
    return carol.call("JoinChannel", join(pair));
  }]],

  // Members and the owner's powers.
  ["invite-banned-user", [2017, async (demo) => {
    const [alice, bob, general] = await demo.aliceAndBobInGeneral();
    await alice.ban(general, bob);
    return invite(alice, general, bob);
  }]],
  ["invite-blocked-user", [2021, async (demo) => {
    const [alice, bob, general] = await demo.aliceInGeneralBobOutside();
    await alice.block(bob);
    return invite(alice, general, bob);
  }]],
  ["invite-user-who-blocked-you", [2022, async (demo) => {
    const [alice, bob, general] = await demo.aliceInGeneralBobOutside();
    await bob.block(alice);
    return invite(alice, general, bob);
  }]],
  ["remove-owner", [2007, async (demo) => {
    const [alice, general] = await demo.aliceInGeneral();
    return alice.call("RemoveMember", { channel_id: general, user_id: alice.id });
  }]],
  ["remove-non-member", [2009, async (demo) => {
    const [alice, bob, general] = await demo.aliceInGeneralBobOutside();
    return alice.call("RemoveMember", { channel_id: general, user_id: bob.id });
  }]],
  ["ban-non-member", [2010, async (demo) => {
    const [alice, bob, general] = await demo.aliceInGeneralBobOutside();
    return alice.call("BanUser", { channel_id: general, user_id: bob.id });
  }]],
  ["ban-owner", [2016, async (demo) => {
    const [alice, general] = await demo.aliceInGeneral();
    return alice.call("BanUser", { channel_id: general, user_id: alice.id });
  }]],
  ["mute-owner", [2028, async (demo) => {
    const [alice, general] = await demo.aliceInGeneral();
    return alice.call("MuteUser", { channel_id: general, user_id: alice.id });
  }]],
  ["mute-non-member", [2001, async (demo) => {
    const [alice, bob, general] = await demo.aliceInGeneralBobOutside();
    return alice.call("MuteUser", { channel_id: general, user_id: bob.id });
  }]],
  ["freeze-channel-not-owned", [2006, async (demo) => {
    const [, bob, general] = await demo.aliceAndBobInGeneral();
    return bob.call("FreezeChannel", { channel_id: general, frozen: true });
  }]],
  ["transfer-ownership-to-owner", [2030, async (demo) => {
    const [alice, general] = await demo.aliceInGeneral();
    return alice.call("TransferOwnership", { channel_id: general, new_owner_id: alice.id });
  }]],
  ["ban-as-member", [2031, async (demo) => {
    const [alice, bob, carol] = await demo.users("alice", "bob", "carol");
    const general = await alice.create(demo.publicChannel("general", [bob, carol]));
    return bob.call("BanUser", { channel_id: general, user_id: carol.id });
  }]],

  // Messages and files.
  ["send-to-channel-not-joined", [4000, async (demo) => {
    const [, bob, general] = await demo.aliceInGeneralBobOutside();
    return bob.call("SendMessage", text(general, "hi"));
  }]],
  ["send-oversized-message", [4001, async (demo) => {
    const [alice, general] = await demo.aliceInGeneral();
    // 1667 syllables of three bytes each: 5001 bytes.
    return alice.call("SendMessage", text(general, "가".repeat(1667)));
  }]],
  ["send-empty-message", [4002, async (demo) => {
    const [alice, general] = await demo.aliceInGeneral();
    return alice.call("SendMessage", text(general, ""));
  }]],
  ["send-in-frozen-channel", [2025, async (demo) => {
    const [alice, bob, general] = await demo.aliceAndBobInGeneral();
    await alice.setUp("FreezeChannel", { channel_id: general, frozen: true });
    return bob.call("SendMessage", text(general, "hello?"));
  }]],
  ["mention-non-member", [2026, async (demo) => {
    const [alice, bob, general] = await demo.aliceInGeneralBobOutside();
    return alice.call("SendMessage", text(general, "@bob look at this", { mentioned_user_ids: [bob.id] }));
  }]],
  ["send-while-muted", [2027, async (demo) => {
    const [alice, bob, general] = await demo.aliceAndBobInGeneral();
    await alice.setUp("MuteUser", { channel_id: general, user_id: bob.id });
    return bob.call("SendMessage", text(general, "hello?"));
  }]],
  ["banned-while-watching", [2018, async (demo) => {
    const [alice, bob, general] = await demo.aliceAndBobInGeneral();
    await alice.setUp("SendMessage", text(general, "welcome"));
    const messages = bob.watch(general);
    const ended = new Promise((resolve, reject) => {
      messages.on("error", reject);
      messages.on("end", resolve);
    });
    // Awaited only by the final call; until then a rejection is expected.
    ended.catch(() => {});
    // The error must come after a message, in the trailers.
    await new Promise((resolve, reject) => {
      messages.once("data", resolve);
      ended.then(
        () => reject(new SetUpError("WatchChannel ended before any message")),
        (error) => reject(new SetUpError(`WatchChannel: ${error.code} ${JSON.stringify(error.details)}`)),
      );
    });
    await alice.ban(general, bob);
    return () => ended;
  }]],
  ["flood-channel", [1010, async (demo) => {
    const [alice, general] = await demo.aliceInGeneral();
    // More sends than any burst allows; the first refusal ends the flood.
    return async () => {
      for (let n = 1; n <= FLOOD_MESSAGES; n++) await alice.call("SendMessage", text(general, `spam #${n}`))();
    };
  }]],
  ["delete-someone-elses-message", [1006, async (demo) => {
    const [alice, bob, carol] = await demo.users("alice", "bob", "carol");
    const general = await alice.create(demo.publicChannel("general", [bob, carol]));
    const sent = await bob.setUp("SendMessage", text(general, "mine"));
    return carol.call("DeleteMessage", { channel_id: general, message_id: sent.message_id });
  }]],
  ["upload-oversized-file", [6001, async (demo) => {
    const [alice, general] = await demo.aliceInGeneral();
    const content = Buffer.alloc(MAX_FILE_BYTES + 1, "Z");
    return upload(alice, general, content, crc32(content));
  }]],
  ["upload-damaged-file", [6000, async (demo) => {
    const [alice, general] = await demo.aliceInGeneral();
    return upload(alice, general, Buffer.from("minutes of the meeting"), crc32(Buffer.from("minutes of the meetinh")));
  }]],
]);
