package main

import (
	"context"
	"fmt"
	"hash/crc32"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"

	pb "github.com/chat-errors/chat-errors/clients/go/interop/demopb"
)

// The demo's scenarios, as interop/scenarios.py plays them: each sets
// itself up with real calls and returns the one call that must fail. The
// ids and codes match `chat-demo-client --list`.

const (
	invitationCode = "spring-2025"
	maxFileBytes   = 15 * 1024 * 1024
	floodMessages  = 30
)

// setupFailed marks an error of a set-up call, never the scenario's own.
type setupFailed struct{ err error }

func (s setupFailed) Error() string { return "a set-up call failed: " + s.err.Error() }

type demo struct {
	conn   *grpc.ClientConn
	prefix string
}

func (d *demo) id(name string) string { return d.prefix + "-" + name }

// invoke calls method with the outgoing metadata pairs.
func (d *demo) invoke(method string, request, response proto.Message, pairs ...string) error {
	ctx := metadata.AppendToOutgoingContext(context.Background(), pairs...)
	return d.conn.Invoke(ctx, "/chat.demo.v1.ChatService/"+method, request, response)
}

func must(err error) {
	if err != nil {
		panic(setupFailed{err})
	}
}

type actor struct {
	demo         *demo
	id           string
	loginToken   string
	sessionToken string
}

func (d *demo) user(name string) *actor {
	a := &actor{demo: d, id: d.id(name)}
	signedUp := &pb.SignUpResponse{}
	must(d.invoke("SignUp", &pb.SignUpRequest{UserId: a.id}, signedUp))
	a.loginToken = signedUp.GetLoginToken()
	loggedIn := &pb.LoginResponse{}
	must(d.invoke("Login", &pb.LoginRequest{UserId: a.id, LoginToken: a.loginToken}, loggedIn))
	a.sessionToken = loggedIn.GetSessionToken()
	return a
}

func (a *actor) auth() []string { return []string{"authorization", "Bearer " + a.sessionToken} }

func (a *actor) call(method string, request, response proto.Message) error {
	return a.demo.invoke(method, request, response, a.auth()...)
}

// finally is the call that must fail.
func (a *actor) finally(method string, request, response proto.Message) func() error {
	return func() error { return a.call(method, request, response) }
}

func (a *actor) setup(method string, request, response proto.Message) {
	must(a.call(method, request, response))
}

func (a *actor) create(request *pb.CreateChannelRequest) string {
	created := &pb.CreateChannelResponse{}
	a.setup("CreateChannel", request, created)
	return created.GetChannel().GetChannelId()
}

func (a *actor) block(other *actor) {
	a.setup("BlockUser", &pb.BlockUserRequest{UserId: other.id}, &pb.BlockUserResponse{})
}

func (a *actor) ban(channelID string, member *actor) {
	a.setup("BanUser", &pb.BanUserRequest{ChannelId: channelID, UserId: member.id}, &pb.BanUserResponse{})
}

func (d *demo) channel(name string, channelType pb.ChannelType) *pb.CreateChannelRequest {
	return &pb.CreateChannelRequest{ChannelId: d.id(name), ChannelType: channelType}
}

func (d *demo) publicChannel(name string, members ...*actor) *pb.CreateChannelRequest {
	request := d.channel(name, pb.ChannelType_CHANNEL_TYPE_PUBLIC)
	for _, member := range members {
		request.MemberIds = append(request.MemberIds, member.id)
	}
	return request
}

func (d *demo) aliceInGeneral() (*actor, string) {
	alice := d.user("alice")
	return alice, alice.create(d.publicChannel("general"))
}

func (d *demo) aliceAndBobInGeneral() (*actor, *actor, string) {
	alice, bob := d.user("alice"), d.user("bob")
	return alice, bob, alice.create(d.publicChannel("general", bob))
}

func (d *demo) aliceInGeneralBobOutside() (*actor, *actor, string) {
	alice, bob := d.user("alice"), d.user("bob")
	return alice, bob, alice.create(d.publicChannel("general"))
}

func (d *demo) getChannel(pairs ...string) func() error {
	return func() error {
		return d.invoke("GetChannel", &pb.GetChannelRequest{ChannelId: d.id("general")}, &pb.GetChannelResponse{}, pairs...)
	}
}

func text(channelID, body string) *pb.SendMessageRequest {
	return &pb.SendMessageRequest{ChannelId: channelID, Text: body}
}

func join(channelID string) *pb.JoinChannelRequest {
	return &pb.JoinChannelRequest{ChannelId: channelID}
}

func joinWith(channelID, code string) *pb.JoinChannelRequest {
	return &pb.JoinChannelRequest{ChannelId: channelID, InvitationCode: &code}
}

func invite(inviter *actor, channelID string, invitee *actor) func() error {
	return inviter.finally("InviteMembers", &pb.InviteMembersRequest{ChannelId: channelID, UserIds: []string{invitee.id}}, &pb.InviteMembersResponse{})
}

func upload(a *actor, channelID string, content []byte, checksum uint32) func() error {
	return a.finally("UploadFile", &pb.UploadFileRequest{ChannelId: channelID, FileName: "minutes.txt", Content: content, Crc32: checksum}, &pb.UploadFileResponse{})
}

type scenario struct {
	code int32
	play func(d *demo) func() error
}

var scenarios = map[string]scenario{
	// Accounts, sessions and blocks.
	"sign-up-without-user-id": {1002, func(d *demo) func() error {
		return func() error { return d.invoke("SignUp", &pb.SignUpRequest{Nickname: "Alice"}, &pb.SignUpResponse{}) }
	}},
	"sign-up-with-malformed-user-id": {1001, func(d *demo) func() error {
		return func() error { return d.invoke("SignUp", &pb.SignUpRequest{UserId: "Alice Kim"}, &pb.SignUpResponse{}) }
	}},
	"sign-up-with-taken-user-id": {3004, func(d *demo) func() error {
		alice := d.user("alice")
		return func() error {
			return d.invoke("SignUp", &pb.SignUpRequest{UserId: alice.id, Nickname: "the other Alice"}, &pb.SignUpResponse{})
		}
	}},
	"log-in-as-unknown-user": {3003, func(d *demo) func() error {
		return func() error {
			return d.invoke("Login", &pb.LoginRequest{UserId: d.id("nobody"), LoginToken: "login_" + strings.Repeat("0", 32)}, &pb.LoginResponse{})
		}
	}},
	"log-in-with-wrong-login-token": {3009, func(d *demo) func() error {
		alice, bob := d.user("alice"), d.user("bob")
		return func() error {
			return d.invoke("Login", &pb.LoginRequest{UserId: alice.id, LoginToken: bob.loginToken}, &pb.LoginResponse{})
		}
	}},
	"log-in-to-deactivated-account": {3010, func(d *demo) func() error {
		alice := d.user("alice")
		alice.setup("DeactivateAccount", &pb.DeactivateAccountRequest{}, &pb.DeactivateAccountResponse{})
		return func() error {
			return d.invoke("Login", &pb.LoginRequest{UserId: alice.id, LoginToken: alice.loginToken}, &pb.LoginResponse{})
		}
	}},
	"call-without-session":          {1007, func(d *demo) func() error { return d.getChannel() }},
	"call-with-basic-authorization": {1011, func(d *demo) func() error { return d.getChannel("authorization", "Basic YWxpY2U6aHVudGVyMg==") }},
	"call-with-malformed-session-token": {3002, func(d *demo) func() error {
		return d.getChannel("authorization", "Bearer alice-is-me")
	}},
	"call-after-logout": {3001, func(d *demo) func() error {
		alice := d.user("alice")
		alice.setup("Logout", &pb.LogoutRequest{}, &pb.LogoutResponse{})
		return d.getChannel(alice.auth()...)
	}},
	"block-yourself": {5000, func(d *demo) func() error {
		alice := d.user("alice")
		return alice.finally("BlockUser", &pb.BlockUserRequest{UserId: alice.id}, &pb.BlockUserResponse{})
	}},
	"unblock-yourself": {5001, func(d *demo) func() error {
		alice := d.user("alice")
		return alice.finally("UnblockUser", &pb.UnblockUserRequest{UserId: alice.id}, &pb.UnblockUserResponse{})
	}},
	"unblock-user-never-blocked": {5002, func(d *demo) func() error {
		alice, bob := d.user("alice"), d.user("bob")
		return alice.finally("UnblockUser", &pb.UnblockUserRequest{UserId: bob.id}, &pb.UnblockUserResponse{})
	}},

	// Creating, reading and joining channels.
	"create-channel-with-taken-id": {2002, func(d *demo) func() error {
		alice, bob := d.user("alice"), d.user("bob")
		alice.create(d.publicChannel("general"))
		return bob.finally("CreateChannel", d.publicChannel("general"), &pb.CreateChannelResponse{})
	}},
	"reuse-channel-with-other-members": {2004, func(d *demo) func() error {
		alice, bob, carol := d.user("alice"), d.user("bob"), d.user("carol")
		alice.create(d.publicChannel("chat", bob))
		reuse := d.publicChannel("chat", carol)
		reuse.ReuseExisting = true
		return alice.finally("CreateChannel", reuse, &pb.CreateChannelResponse{})
	}},
	"create-channel-with-blocked-user": {2019, func(d *demo) func() error {
		alice, bob := d.user("alice"), d.user("bob")
		alice.block(bob)
		return alice.finally("CreateChannel", d.publicChannel("chat", bob), &pb.CreateChannelResponse{})
	}},
	"create-channel-with-user-who-blocked-you": {2020, func(d *demo) func() error {
		alice, bob := d.user("alice"), d.user("bob")
		bob.block(alice)
		return alice.finally("CreateChannel", d.publicChannel("chat", bob), &pb.CreateChannelResponse{})
	}},
	"create-invitation-only-channel-with-empty-code": {2013, func(d *demo) func() error {
		alice := d.user("alice")
		return alice.finally("CreateChannel", d.channel("club", pb.ChannelType_CHANNEL_TYPE_INVITATION_ONLY), &pb.CreateChannelResponse{})
	}},
	"create-channel-over-member-limit": {2029, func(d *demo) func() error {
		alice, bob, carol := d.user("alice"), d.user("bob"), d.user("carol")
		request := d.publicChannel("pair", bob, carol)
		request.MaxMembers = 2
		return alice.finally("CreateChannel", request, &pb.CreateChannelResponse{})
	}},
	"read-unknown-channel": {2003, func(d *demo) func() error {
		alice := d.user("alice")
		return alice.finally("GetChannel", &pb.GetChannelRequest{ChannelId: d.id("nowhere")}, &pb.GetChannelResponse{})
	}},
	"read-private-channel-as-outsider": {2005, func(d *demo) func() error {
		alice, bob := d.user("alice"), d.user("bob")
		secret := alice.create(d.channel("secret", pb.ChannelType_CHANNEL_TYPE_PRIVATE))
		return bob.finally("GetChannel", &pb.GetChannelRequest{ChannelId: secret}, &pb.GetChannelResponse{})
	}},
	"read-channel-of-deleted-owner": {2000, func(d *demo) func() error {
		alice, bob, general := d.aliceAndBobInGeneral()
		alice.setup("DeleteAccount", &pb.DeleteAccountRequest{}, &pb.DeleteAccountResponse{})
		return bob.finally("GetChannel", &pb.GetChannelRequest{ChannelId: general}, &pb.GetChannelResponse{})
	}},
	"join-private-channel": {2011, func(d *demo) func() error {
		alice, bob := d.user("alice"), d.user("bob")
		secret := alice.create(d.channel("secret", pb.ChannelType_CHANNEL_TYPE_PRIVATE))
		return bob.finally("JoinChannel", join(secret), &pb.JoinChannelResponse{})
	}},
	"join-invitation-only-channel-without-code": {2012, func(d *demo) func() error {
		alice, bob := d.user("alice"), d.user("bob")
		club := d.channel("club", pb.ChannelType_CHANNEL_TYPE_INVITATION_ONLY)
		club.InvitationCode = invitationCode
		return bob.finally("JoinChannel", join(alice.create(club)), &pb.JoinChannelResponse{})
	}},
	"join-with-wrong-invitation-code": {2014, func(d *demo) func() error {
		alice, bob := d.user("alice"), d.user("bob")
		club := d.channel("club", pb.ChannelType_CHANNEL_TYPE_INVITATION_ONLY)
		club.InvitationCode = invitationCode
		return bob.finally("JoinChannel", joinWith(alice.create(club), "autumn-2025"), &pb.JoinChannelResponse{})
	}},
	"join-public-channel-with-code": {2015, func(d *demo) func() error {
		_, bob, general := d.aliceInGeneralBobOutside()
		return bob.finally("JoinChannel", joinWith(general, invitationCode), &pb.JoinChannelResponse{})
	}},
	"join-channel-twice": {2008, func(d *demo) func() error {
		_, bob, general := d.aliceInGeneralBobOutside()
		bob.setup("JoinChannel", join(general), &pb.JoinChannelResponse{})
		return bob.finally("JoinChannel", join(general), &pb.JoinChannelResponse{})
	}},
	"join-channel-after-ban": {2018, func(d *demo) func() error {
		alice, bob, general := d.aliceAndBobInGeneral()
		alice.ban(general, bob)
		return bob.finally("JoinChannel", join(general), &pb.JoinChannelResponse{})
	}},
	"join-channel-of-owner-who-blocked-you": {2023, func(d *demo) func() error {
		alice, bob, general := d.aliceInGeneralBobOutside()
		alice.block(bob)
		return bob.finally("JoinChannel", join(general), &pb.JoinChannelResponse{})
	}},
	"join-channel-of-owner-you-blocked": {2024, func(d *demo) func() error {
		alice, bob, general := d.aliceInGeneralBobOutside()
		bob.block(alice)
		return bob.finally("JoinChannel", join(general), &pb.JoinChannelResponse{})
	}},
	"join-full-channel": {2029, func(d *demo) func() error {
		alice, bob, carol := d.user("alice"), d.user("bob"), d.user("carol")
		pair := d.publicChannel("pair", bob)
		pair.MaxMembers = 2
		return carol.finally("JoinChannel", join(alice.create(pair)), &pb.JoinChannelResponse{})
	}},

	// Members and the owner's powers.
	"invite-banned-user": {2017, func(d *demo) func() error {
		alice, bob, general := d.aliceAndBobInGeneral()
		alice.ban(general, bob)
		return invite(alice, general, bob)
	}},
	"invite-blocked-user": {2021, func(d *demo) func() error {
		alice, bob, general := d.aliceInGeneralBobOutside()
		alice.block(bob)
		return invite(alice, general, bob)
	}},
	"invite-user-who-blocked-you": {2022, func(d *demo) func() error {
		alice, bob, general := d.aliceInGeneralBobOutside()
		bob.block(alice)
		return invite(alice, general, bob)
	}},
	"remove-owner": {2007, func(d *demo) func() error {
		alice, general := d.aliceInGeneral()
		return alice.finally("RemoveMember", &pb.RemoveMemberRequest{ChannelId: general, UserId: alice.id}, &pb.RemoveMemberResponse{})
	}},
	"remove-non-member": {2009, func(d *demo) func() error {
		alice, bob, general := d.aliceInGeneralBobOutside()
		return alice.finally("RemoveMember", &pb.RemoveMemberRequest{ChannelId: general, UserId: bob.id}, &pb.RemoveMemberResponse{})
	}},
	"ban-non-member": {2010, func(d *demo) func() error {
		alice, bob, general := d.aliceInGeneralBobOutside()
		return alice.finally("BanUser", &pb.BanUserRequest{ChannelId: general, UserId: bob.id}, &pb.BanUserResponse{})
	}},
	"ban-owner": {2016, func(d *demo) func() error {
		alice, general := d.aliceInGeneral()
		return alice.finally("BanUser", &pb.BanUserRequest{ChannelId: general, UserId: alice.id}, &pb.BanUserResponse{})
	}},
	"mute-owner": {2028, func(d *demo) func() error {
		alice, general := d.aliceInGeneral()
		return alice.finally("MuteUser", &pb.MuteUserRequest{ChannelId: general, UserId: alice.id}, &pb.MuteUserResponse{})
	}},
	"mute-non-member": {2001, func(d *demo) func() error {
		alice, bob, general := d.aliceInGeneralBobOutside()
		return alice.finally("MuteUser", &pb.MuteUserRequest{ChannelId: general, UserId: bob.id}, &pb.MuteUserResponse{})
	}},
	"freeze-channel-not-owned": {2006, func(d *demo) func() error {
		_, bob, general := d.aliceAndBobInGeneral()
		return bob.finally("FreezeChannel", &pb.FreezeChannelRequest{ChannelId: general, Frozen: true}, &pb.FreezeChannelResponse{})
	}},
	"transfer-ownership-to-owner": {2030, func(d *demo) func() error {
		alice, general := d.aliceInGeneral()
		return alice.finally("TransferOwnership", &pb.TransferOwnershipRequest{ChannelId: general, NewOwnerId: alice.id}, &pb.TransferOwnershipResponse{})
	}},
	"ban-as-member": {2031, func(d *demo) func() error {
		alice, bob, carol := d.user("alice"), d.user("bob"), d.user("carol")
		general := alice.create(d.publicChannel("general", bob, carol))
		return bob.finally("BanUser", &pb.BanUserRequest{ChannelId: general, UserId: carol.id}, &pb.BanUserResponse{})
	}},

	// Messages and files.
	"send-to-channel-not-joined": {4000, func(d *demo) func() error {
		_, bob, general := d.aliceInGeneralBobOutside()
		return bob.finally("SendMessage", text(general, "hi"), &pb.SendMessageResponse{})
	}},
	"send-oversized-message": {4001, func(d *demo) func() error {
		alice, general := d.aliceInGeneral()
		// 1667 syllables of three bytes each: 5001 bytes.
		return alice.finally("SendMessage", text(general, strings.Repeat("가", 1667)), &pb.SendMessageResponse{})
	}},
	"send-empty-message": {4002, func(d *demo) func() error {
		alice, general := d.aliceInGeneral()
		return alice.finally("SendMessage", text(general, ""), &pb.SendMessageResponse{})
	}},
	"send-in-frozen-channel": {2025, func(d *demo) func() error {
		alice, bob, general := d.aliceAndBobInGeneral()
		alice.setup("FreezeChannel", &pb.FreezeChannelRequest{ChannelId: general, Frozen: true}, &pb.FreezeChannelResponse{})
		return bob.finally("SendMessage", text(general, "hello?"), &pb.SendMessageResponse{})
	}},
	"mention-non-member": {2026, func(d *demo) func() error {
		alice, bob, general := d.aliceInGeneralBobOutside()
		request := text(general, "@bob look at this")
		request.MentionedUserIds = []string{bob.id}
		return alice.finally("SendMessage", request, &pb.SendMessageResponse{})
	}},
	"send-while-muted": {2027, func(d *demo) func() error {
		alice, bob, general := d.aliceAndBobInGeneral()
		alice.setup("MuteUser", &pb.MuteUserRequest{ChannelId: general, UserId: bob.id}, &pb.MuteUserResponse{})
		return bob.finally("SendMessage", text(general, "hello?"), &pb.SendMessageResponse{})
	}},
	"banned-while-watching": {2018, func(d *demo) func() error {
		alice, bob, general := d.aliceAndBobInGeneral()
		alice.setup("SendMessage", text(general, "welcome"), &pb.SendMessageResponse{})
		ctx := metadata.AppendToOutgoingContext(context.Background(), bob.auth()...)
		stream, err := d.conn.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true}, "/chat.demo.v1.ChatService/WatchChannel")
		must(err)
		must(stream.SendMsg(&pb.WatchChannelRequest{ChannelId: general}))
		must(stream.CloseSend())
		// The error must come after a message, in the trailers.
		must(stream.RecvMsg(&pb.WatchChannelResponse{}))
		alice.ban(general, bob)
		return func() error {
			for {
				if err := stream.RecvMsg(&pb.WatchChannelResponse{}); err != nil {
					return err
				}
			}
		}
	}},
	"flood-channel": {1010, func(d *demo) func() error {
		alice, general := d.aliceInGeneral()
		return func() error {
			// More sends than any burst allows; the first refusal ends the flood.
			for n := 1; n <= floodMessages; n++ {
				if err := alice.call("SendMessage", text(general, fmt.Sprintf("spam #%d", n)), &pb.SendMessageResponse{}); err != nil {
					return err
				}
			}
			return nil
		}
	}},
	"delete-someone-elses-message": {1006, func(d *demo) func() error {
		alice, bob, carol := d.user("alice"), d.user("bob"), d.user("carol")
		general := alice.create(d.publicChannel("general", bob, carol))
		sent := &pb.SendMessageResponse{}
		bob.setup("SendMessage", text(general, "mine"), sent)
		return carol.finally("DeleteMessage", &pb.DeleteMessageRequest{ChannelId: general, MessageId: sent.GetMessageId()}, &pb.DeleteMessageResponse{})
	}},
	"upload-oversized-file": {6001, func(d *demo) func() error {
		alice, general := d.aliceInGeneral()
		content := []byte(strings.Repeat("Z", maxFileBytes+1))
		return upload(alice, general, content, crc32.ChecksumIEEE(content))
	}},
	"upload-damaged-file": {6000, func(d *demo) func() error {
		alice, general := d.aliceInGeneral()
		return upload(alice, general, []byte("minutes of the meeting"), crc32.ChecksumIEEE([]byte("minutes of the meetinh")))
	}},
}
