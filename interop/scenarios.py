"""The demo's scenarios, played by a Python grpcio client.

Each scenario sets itself up with real calls and returns the one call that
must fail; the ids and expected codes match `chat-demo-client --list`, which
the interop client compares against. Set-up calls that fail raise at once,
so they are never mistaken for the scenario's own error.
"""

import zlib

from chat.demo.v1 import chat_service_pb2 as pb

PUBLIC = pb.CHANNEL_TYPE_PUBLIC
PRIVATE = pb.CHANNEL_TYPE_PRIVATE
INVITATION_ONLY = pb.CHANNEL_TYPE_INVITATION_ONLY
INVITATION_CODE = "spring-2025"
MAX_FILE_BYTES = 15 * 1024 * 1024
FLOOD_MESSAGES = 30

SCENARIOS = {}


def scenario(scenario_id, code):
    def register(play):
        SCENARIOS[scenario_id] = (code, play)
        return play
    return register


class Actor:
    """A signed-up, logged-in user."""

    def __init__(self, stub, user_id):
        self.stub = stub
        self.id = user_id
        self.login_token = stub.SignUp(pb.SignUpRequest(user_id=user_id)).login_token
        login = pb.LoginRequest(user_id=user_id, login_token=self.login_token)
        self.session_token = stub.Login(login).session_token

    @property
    def auth(self):
        return [("authorization", f"Bearer {self.session_token}")]

    def call(self, method, request):
        """Calls `method` (e.g. "JoinChannel") with this user's session."""
        return getattr(self.stub, method)(request, metadata=self.auth)

    def create(self, request):
        return self.call("CreateChannel", request).channel.channel_id

    def block(self, other):
        self.call("BlockUser", pb.BlockUserRequest(user_id=other.id))

    def ban(self, channel_id, member):
        self.call("BanUser", pb.BanUserRequest(channel_id=channel_id, user_id=member.id))


class Demo:
    """Names unique to one scenario of one run, and the users in it."""

    def __init__(self, stub, prefix):
        self.stub = stub
        self.prefix = prefix

    def id(self, name):
        return f"{self.prefix}-{name}"

    def user(self, name):
        return Actor(self.stub, self.id(name))

    def channel(self, name, channel_type, **fields):
        return pb.CreateChannelRequest(channel_id=self.id(name), channel_type=channel_type, **fields)

    def public_channel(self, name, members=(), **fields):
        return self.channel(name, PUBLIC, member_ids=[m.id for m in members], **fields)

    def alice_in_general(self):
        alice = self.user("alice")
        return alice, alice.create(self.public_channel("general"))

    def alice_and_bob_in_general(self):
        alice, bob = self.user("alice"), self.user("bob")
        return alice, bob, alice.create(self.public_channel("general", [bob]))

    def alice_in_general_bob_outside(self):
        alice, bob = self.user("alice"), self.user("bob")
        return alice, bob, alice.create(self.public_channel("general"))


def text(channel_id, body, **fields):
    return pb.SendMessageRequest(channel_id=channel_id, text=body, **fields)


def join(channel_id, code=None):
    if code is None:
        return pb.JoinChannelRequest(channel_id=channel_id)
    return pb.JoinChannelRequest(channel_id=channel_id, invitation_code=code)


def invite(inviter, channel_id, invitee):
    request = pb.InviteMembersRequest(channel_id=channel_id, user_ids=[invitee.id])
    return lambda: inviter.call("InviteMembers", request)


def get_channel(demo, metadata):
    request = pb.GetChannelRequest(channel_id=demo.id("general"))
    return lambda: demo.stub.GetChannel(request, metadata=metadata)


# Accounts, sessions and blocks.

@scenario("sign-up-without-user-id", 1002)
def _(demo):
    return lambda: demo.stub.SignUp(pb.SignUpRequest(nickname="Alice"))


@scenario("sign-up-with-malformed-user-id", 1001)
def _(demo):
    return lambda: demo.stub.SignUp(pb.SignUpRequest(user_id="Alice Kim"))


@scenario("sign-up-with-taken-user-id", 3004)
def _(demo):
    alice = demo.user("alice")
    return lambda: demo.stub.SignUp(pb.SignUpRequest(user_id=alice.id, nickname="the other Alice"))


@scenario("log-in-as-unknown-user", 3003)
def _(demo):
    request = pb.LoginRequest(user_id=demo.id("nobody"), login_token="login_" + "0" * 32)
    return lambda: demo.stub.Login(request)


@scenario("log-in-with-wrong-login-token", 3009)
def _(demo):
    alice, bob = demo.user("alice"), demo.user("bob")
    return lambda: demo.stub.Login(pb.LoginRequest(user_id=alice.id, login_token=bob.login_token))


@scenario("log-in-to-deactivated-account", 3010)
def _(demo):
    alice = demo.user("alice")
    alice.call("DeactivateAccount", pb.DeactivateAccountRequest())
    return lambda: demo.stub.Login(pb.LoginRequest(user_id=alice.id, login_token=alice.login_token))


@scenario("call-without-session", 1007)
def _(demo):
    return get_channel(demo, [])


@scenario("call-with-basic-authorization", 1011)
def _(demo):
    return get_channel(demo, [("authorization", "Basic YWxpY2U6aHVudGVyMg==")])


@scenario("call-with-malformed-session-token", 3002)
def _(demo):
    return get_channel(demo, [("authorization", "Bearer alice-is-me")])


@scenario("call-after-logout", 3001)
def _(demo):
    alice = demo.user("alice")
    alice.call("Logout", pb.LogoutRequest())
    return get_channel(demo, alice.auth)


@scenario("block-yourself", 5000)
def _(demo):
    alice = demo.user("alice")
    return lambda: alice.call("BlockUser", pb.BlockUserRequest(user_id=alice.id))


@scenario("unblock-yourself", 5001)
def _(demo):
    alice = demo.user("alice")
    return lambda: alice.call("UnblockUser", pb.UnblockUserRequest(user_id=alice.id))


@scenario("unblock-user-never-blocked", 5002)
def _(demo):
    alice, bob = demo.user("alice"), demo.user("bob")
    return lambda: alice.call("UnblockUser", pb.UnblockUserRequest(user_id=bob.id))


# Creating, reading and joining channels.

@scenario("create-channel-with-taken-id", 2002)
def _(demo):
    alice, bob = demo.user("alice"), demo.user("bob")
    alice.create(demo.public_channel("general"))
    return lambda: bob.call("CreateChannel", demo.public_channel("general"))


@scenario("reuse-channel-with-other-members", 2004)
def _(demo):
    alice, bob, carol = demo.user("alice"), demo.user("bob"), demo.user("carol")
    alice.create(demo.public_channel("chat", [bob]))
    reuse = demo.public_channel("chat", [carol], reuse_existing=True)
    return lambda: alice.call("CreateChannel", reuse)


@scenario("create-channel-with-blocked-user", 2019)
def _(demo):
    alice, bob = demo.user("alice"), demo.user("bob")
    alice.block(bob)
    return lambda: alice.call("CreateChannel", demo.public_channel("chat", [bob]))


@scenario("create-channel-with-user-who-blocked-you", 2020)
def _(demo):
    alice, bob = demo.user("alice"), demo.user("bob")
    bob.block(alice)
    return lambda: alice.call("CreateChannel", demo.public_channel("chat", [bob]))


@scenario("create-invitation-only-channel-with-empty-code", 2013)
def _(demo):
    alice = demo.user("alice")
    return lambda: alice.call("CreateChannel", demo.channel("club", INVITATION_ONLY))


@scenario("create-channel-over-member-limit", 2029)
def _(demo):
    alice, bob, carol = demo.user("alice"), demo.user("bob"), demo.user("carol")
    request = demo.public_channel("pair", [bob, carol], max_members=2)
    return lambda: alice.call("CreateChannel", request)


@scenario("read-unknown-channel", 2003)
def _(demo):
    alice = demo.user("alice")
    return lambda: alice.call("GetChannel", pb.GetChannelRequest(channel_id=demo.id("nowhere")))


@scenario("read-private-channel-as-outsider", 2005)
def _(demo):
    alice, bob = demo.user("alice"), demo.user("bob")
    secret = alice.create(demo.channel("secret", PRIVATE))
    return lambda: bob.call("GetChannel", pb.GetChannelRequest(channel_id=secret))


@scenario("read-channel-of-deleted-owner", 2000)
def _(demo):
    alice, bob, general = demo.alice_and_bob_in_general()
    alice.call("DeleteAccount", pb.DeleteAccountRequest())
    return lambda: bob.call("GetChannel", pb.GetChannelRequest(channel_id=general))


@scenario("join-private-channel", 2011)
def _(demo):
    alice, bob = demo.user("alice"), demo.user("bob")
    secret = alice.create(demo.channel("secret", PRIVATE))
    return lambda: bob.call("JoinChannel", join(secret))


@scenario("join-invitation-only-channel-without-code", 2012)
def _(demo):
    alice, bob = demo.user("alice"), demo.user("bob")
    club = alice.create(demo.channel("club", INVITATION_ONLY, invitation_code=INVITATION_CODE))
    return lambda: bob.call("JoinChannel", join(club))


@scenario("join-with-wrong-invitation-code", 2014)
def _(demo):
    alice, bob = demo.user("alice"), demo.user("bob")
    club = alice.create(demo.channel("club", INVITATION_ONLY, invitation_code=INVITATION_CODE))
    return lambda: bob.call("JoinChannel", join(club, "autumn-2025"))


@scenario("join-public-channel-with-code", 2015)
def _(demo):
    _, bob, general = demo.alice_in_general_bob_outside()
    return lambda: bob.call("JoinChannel", join(general, INVITATION_CODE))


@scenario("join-channel-twice", 2008)
def _(demo):
    _, bob, general = demo.alice_in_general_bob_outside()
    bob.call("JoinChannel", join(general))
    return lambda: bob.call("JoinChannel", join(general))


@scenario("join-channel-after-ban", 2018)
def _(demo):
    alice, bob, general = demo.alice_and_bob_in_general()
    alice.ban(general, bob)
    return lambda: bob.call("JoinChannel", join(general))


@scenario("join-channel-of-owner-who-blocked-you", 2023)
def _(demo):
    alice, bob, general = demo.alice_in_general_bob_outside()
    alice.block(bob)
    return lambda: bob.call("JoinChannel", join(general))


@scenario("join-channel-of-owner-you-blocked", 2024)
def _(demo):
    alice, bob, general = demo.alice_in_general_bob_outside()
    bob.block(alice)
    return lambda: bob.call("JoinChannel", join(general))


@scenario("join-full-channel", 2029)
def _(demo):
    alice, bob, carol = demo.user("alice"), demo.user("bob"), demo.user("carol")
    pair = alice.create(demo.public_channel("pair", [bob], max_members=2))
    return lambda: carol.call("JoinChannel", join(pair))


# Members and the owner's powers.

@scenario("invite-banned-user", 2017)
def _(demo):
    alice, bob, general = demo.alice_and_bob_in_general()
    alice.ban(general, bob)
    return invite(alice, general, bob)


@scenario("invite-blocked-user", 2021)
def _(demo):
    alice, bob, general = demo.alice_in_general_bob_outside()
    alice.block(bob)
    return invite(alice, general, bob)


@scenario("invite-user-who-blocked-you", 2022)
def _(demo):
    alice, bob, general = demo.alice_in_general_bob_outside()
    bob.block(alice)
    return invite(alice, general, bob)


@scenario("remove-owner", 2007)
def _(demo):
    alice, general = demo.alice_in_general()
    request = pb.RemoveMemberRequest(channel_id=general, user_id=alice.id)
    return lambda: alice.call("RemoveMember", request)


@scenario("remove-non-member", 2009)
def _(demo):
    alice, bob, general = demo.alice_in_general_bob_outside()
    request = pb.RemoveMemberRequest(channel_id=general, user_id=bob.id)
    return lambda: alice.call("RemoveMember", request)


@scenario("ban-non-member", 2010)
def _(demo):
    alice, bob, general = demo.alice_in_general_bob_outside()
    return lambda: alice.call("BanUser", pb.BanUserRequest(channel_id=general, user_id=bob.id))


@scenario("ban-owner", 2016)
def _(demo):
    alice, general = demo.alice_in_general()
    return lambda: alice.call("BanUser", pb.BanUserRequest(channel_id=general, user_id=alice.id))


@scenario("mute-owner", 2028)
def _(demo):
    alice, general = demo.alice_in_general()
    return lambda: alice.call("MuteUser", pb.MuteUserRequest(channel_id=general, user_id=alice.id))


@scenario("mute-non-member", 2001)
def _(demo):
    alice, bob, general = demo.alice_in_general_bob_outside()
    return lambda: alice.call("MuteUser", pb.MuteUserRequest(channel_id=general, user_id=bob.id))


@scenario("freeze-channel-not-owned", 2006)
def _(demo):
    _, bob, general = demo.alice_and_bob_in_general()
    freeze = pb.FreezeChannelRequest(channel_id=general, frozen=True)
    return lambda: bob.call("FreezeChannel", freeze)


@scenario("transfer-ownership-to-owner", 2030)
def _(demo):
    alice, general = demo.alice_in_general()
    request = pb.TransferOwnershipRequest(channel_id=general, new_owner_id=alice.id)
    return lambda: alice.call("TransferOwnership", request)


@scenario("ban-as-member", 2031)
def _(demo):
    alice, bob, carol = demo.user("alice"), demo.user("bob"), demo.user("carol")
    general = alice.create(demo.public_channel("general", [bob, carol]))
    return lambda: bob.call("BanUser", pb.BanUserRequest(channel_id=general, user_id=carol.id))


# Messages and files.

@scenario("send-to-channel-not-joined", 4000)
def _(demo):
    _, bob, general = demo.alice_in_general_bob_outside()
    return lambda: bob.call("SendMessage", text(general, "hi"))


@scenario("send-oversized-message", 4001)
def _(demo):
    alice, general = demo.alice_in_general()
    # 1667 syllables of three bytes each: 5001 bytes.
    return lambda: alice.call("SendMessage", text(general, "가" * 1667))


@scenario("send-empty-message", 4002)
def _(demo):
    alice, general = demo.alice_in_general()
    return lambda: alice.call("SendMessage", text(general, ""))


@scenario("send-in-frozen-channel", 2025)
def _(demo):
    alice, bob, general = demo.alice_and_bob_in_general()
    alice.call("FreezeChannel", pb.FreezeChannelRequest(channel_id=general, frozen=True))
    return lambda: bob.call("SendMessage", text(general, "hello?"))


@scenario("mention-non-member", 2026)
def _(demo):
    alice, bob, general = demo.alice_in_general_bob_outside()
    request = text(general, "@bob look at this", mentioned_user_ids=[bob.id])
    return lambda: alice.call("SendMessage", request)


@scenario("send-while-muted", 2027)
def _(demo):
    alice, bob, general = demo.alice_and_bob_in_general()
    alice.call("MuteUser", pb.MuteUserRequest(channel_id=general, user_id=bob.id))
    return lambda: bob.call("SendMessage", text(general, "hello?"))


@scenario("banned-while-watching", 2018)
def _(demo):
    alice, bob, general = demo.alice_and_bob_in_general()
    alice.call("SendMessage", text(general, "welcome"))
    messages = bob.call("WatchChannel", pb.WatchChannelRequest(channel_id=general))
    # The error must come after a message, in the trailers.
    next(messages)
    alice.ban(general, bob)
    return lambda: list(messages)


@scenario("flood-channel", 1010)
def _(demo):
    alice, general = demo.alice_in_general()

    def flood():
        # More sends than any burst allows; the first refusal ends the flood.
        for n in range(1, FLOOD_MESSAGES + 1):
            alice.call("SendMessage", text(general, f"spam #{n}"))
    return flood


@scenario("delete-someone-elses-message", 1006)
def _(demo):
    alice, bob, carol = demo.user("alice"), demo.user("bob"), demo.user("carol")
    general = alice.create(demo.public_channel("general", [bob, carol]))
    sent = bob.call("SendMessage", text(general, "mine"))
    request = pb.DeleteMessageRequest(channel_id=general, message_id=sent.message_id)
    return lambda: carol.call("DeleteMessage", request)


def upload(actor, channel_id, content, crc32):
    request = pb.UploadFileRequest(channel_id=channel_id, file_name="minutes.txt",
                                   content=content, crc32=crc32)
    return lambda: actor.call("UploadFile", request)


@scenario("upload-oversized-file", 6001)
def _(demo):
    alice, general = demo.alice_in_general()
    content = b"Z" * (MAX_FILE_BYTES + 1)
    return upload(alice, general, content, zlib.crc32(content))


@scenario("upload-damaged-file", 6000)
def _(demo):
    alice, general = demo.alice_in_general()
    return upload(alice, general, b"minutes of the meeting", zlib.crc32(b"minutes of the meetinh"))
