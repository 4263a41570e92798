package chat.errors.demo;

import chat.demo.v1.ChatServiceGrpc;
import chat.demo.v1.ChatServiceGrpc.ChatServiceBlockingStub;
import chat.demo.v1.ChatServiceOuterClass.BanUserRequest;
import chat.demo.v1.ChatServiceOuterClass.BlockUserRequest;
import chat.demo.v1.ChatServiceOuterClass.ChannelType;
import chat.demo.v1.ChatServiceOuterClass.CreateChannelRequest;
import chat.demo.v1.ChatServiceOuterClass.DeactivateAccountRequest;
import chat.demo.v1.ChatServiceOuterClass.DeleteAccountRequest;
import chat.demo.v1.ChatServiceOuterClass.DeleteMessageRequest;
import chat.demo.v1.ChatServiceOuterClass.FreezeChannelRequest;
import chat.demo.v1.ChatServiceOuterClass.GetChannelRequest;
import chat.demo.v1.ChatServiceOuterClass.InviteMembersRequest;
import chat.demo.v1.ChatServiceOuterClass.JoinChannelRequest;
import chat.demo.v1.ChatServiceOuterClass.LoginRequest;
import chat.demo.v1.ChatServiceOuterClass.LogoutRequest;
import chat.demo.v1.ChatServiceOuterClass.MuteUserRequest;
import chat.demo.v1.ChatServiceOuterClass.RemoveMemberRequest;
import chat.demo.v1.ChatServiceOuterClass.SendMessageRequest;
import chat.demo.v1.ChatServiceOuterClass.SignUpRequest;
import chat.demo.v1.ChatServiceOuterClass.TransferOwnershipRequest;
import chat.demo.v1.ChatServiceOuterClass.UnblockUserRequest;
import chat.demo.v1.ChatServiceOuterClass.UploadFileRequest;
import chat.demo.v1.ChatServiceOuterClass.WatchChannelRequest;
import chat.demo.v1.ChatServiceOuterClass.WatchChannelResponse;
import chat.errors.ChatError;
import chat.errors.ChatErrorDecodeException;
import com.google.protobuf.ByteString;
import com.google.rpc.LocalizedMessage;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * A grpc-java client against the Rust demo server: plays every scenario of
 * {@code chat-demo-client --list} and reads each error strictly with
 * chat-errors for the JVM (and grpc-java's StatusProto must read it too),
 * checking it against the repository's table; then checks the locale
 * negotiated from accept-language. Prints one line per check and
 * {@code N passed, M failed} last.
 *
 * usage: InteropClient HOST:PORT SCENARIOS_TSV ERROR_CODES_TSV
 */
public final class InteropClient {
  private static final String INVITATION_CODE = "spring-2025";
  private static final int MAX_FILE_BYTES = 15 * 1024 * 1024;
  private static final int FLOOD_MESSAGES = 30;
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> ACCEPT_LANGUAGE =
      Metadata.Key.of("accept-language", Metadata.ASCII_STRING_MARSHALLER);

  /** The call a scenario must see fail. */
  interface FinalCall {
    void run();
  }

  interface Scenario {
    FinalCall setUp(Demo demo);
  }

  /** A row of tests/fixtures/error-codes.tsv. */
  static final class Row {
    final String[] cells;

    Row(String[] cells) {
      this.cells = cells;
    }

    String name() {
      return cells[1];
    }

    String reason() {
      return cells[2];
    }

    String grpcCode() {
      return cells[3];
    }

    String korean() {
      return cells[6];
    }

    String english() {
      return cells[7];
    }
  }

  /** A signed-up, logged-in user. */
  static final class Actor {
    final String id;
    final String loginToken;
    final String sessionToken;
    final ChatServiceBlockingStub stub;

    Actor(ChatServiceBlockingStub anonymous, String id) {
      this.id = id;
      this.loginToken = anonymous.signUp(SignUpRequest.newBuilder().setUserId(id).build()).getLoginToken();
      this.sessionToken = anonymous.login(LoginRequest.newBuilder().setUserId(id).setLoginToken(loginToken).build())
          .getSessionToken();
      this.stub = withHeader(anonymous, AUTHORIZATION, "Bearer " + sessionToken);
    }

    String create(CreateChannelRequest request) {
      return stub.createChannel(request).getChannel().getChannelId();
    }

    void block(Actor other) {
      stub.blockUser(BlockUserRequest.newBuilder().setUserId(other.id).build());
    }

    void ban(String channel, Actor member) {
      stub.banUser(BanUserRequest.newBuilder().setChannelId(channel).setUserId(member.id).build());
    }
  }

  /** Names unique to one scenario of one run, and the users in it. */
  static final class Demo {
    final ChatServiceBlockingStub stub;
    final String prefix;

    Demo(ChatServiceBlockingStub stub, String prefix) {
      this.stub = stub;
      this.prefix = prefix;
    }

    String id(String name) {
      return prefix + "-" + name;
    }

    Actor user(String name) {
      return new Actor(stub, id(name));
    }

    CreateChannelRequest.Builder channel(String name, ChannelType type) {
      return CreateChannelRequest.newBuilder().setChannelId(id(name)).setChannelType(type);
    }

    CreateChannelRequest.Builder publicChannel(String name, Actor... members) {
      CreateChannelRequest.Builder request = channel(name, ChannelType.CHANNEL_TYPE_PUBLIC);
      for (Actor member : members) {
        request.addMemberIds(member.id);
      }
      return request;
    }
  }

  private static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

  private static void scenario(String id, Scenario scenario) {
    SCENARIOS.put(id, scenario);
  }

  private static JoinChannelRequest join(String channel) {
    return JoinChannelRequest.newBuilder().setChannelId(channel).build();
  }

  private static JoinChannelRequest join(String channel, String code) {
    return JoinChannelRequest.newBuilder().setChannelId(channel).setInvitationCode(code).build();
  }

  private static SendMessageRequest text(String channel, String body) {
    return SendMessageRequest.newBuilder().setChannelId(channel).setText(body).build();
  }

  private static FinalCall getGeneral(Demo demo, String authorization) {
    ChatServiceBlockingStub stub = authorization == null ? demo.stub : withHeader(demo.stub, AUTHORIZATION, authorization);
    return () -> stub.getChannel(GetChannelRequest.newBuilder().setChannelId(demo.id("general")).build());
  }

  private static FinalCall upload(Actor actor, String channel, byte[] content, byte[] checksummed) {
    CRC32 crc = new CRC32();
    crc.update(checksummed);
    UploadFileRequest request = UploadFileRequest.newBuilder().setChannelId(channel).setFileName("minutes.txt")
        .setContent(ByteString.copyFrom(content)).setCrc32((int) crc.getValue()).build();
    return () -> actor.stub.uploadFile(request);
  }

  static {
    // Accounts, sessions and blocks.
    scenario("sign-up-without-user-id", d -> () -> d.stub.signUp(SignUpRequest.newBuilder().setNickname("Alice").build()));
    scenario("sign-up-with-malformed-user-id", d -> () -> d.stub.signUp(SignUpRequest.newBuilder().setUserId("Alice Kim").build()));
    scenario("sign-up-with-taken-user-id", d -> {
      Actor alice = d.user("alice");
      return () -> d.stub.signUp(SignUpRequest.newBuilder().setUserId(alice.id).setNickname("the other Alice").build());
    });
    scenario("log-in-as-unknown-user", d -> () -> d.stub.login(LoginRequest.newBuilder()
        .setUserId(d.id("nobody")).setLoginToken("login_" + "0".repeat(32)).build()));
    scenario("log-in-with-wrong-login-token", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      return () -> d.stub.login(LoginRequest.newBuilder().setUserId(alice.id).setLoginToken(bob.loginToken).build());
    });
    scenario("log-in-to-deactivated-account", d -> {
      Actor alice = d.user("alice");
      alice.stub.deactivateAccount(DeactivateAccountRequest.getDefaultInstance());
      return () -> d.stub.login(LoginRequest.newBuilder().setUserId(alice.id).setLoginToken(alice.loginToken).build());
    });
    scenario("call-without-session", d -> getGeneral(d, null));
    scenario("call-with-basic-authorization", d -> getGeneral(d, "Basic YWxpY2U6aHVudGVyMg=="));
    scenario("call-with-malformed-session-token", d -> getGeneral(d, "Bearer alice-is-me"));
    scenario("call-after-logout", d -> {
      Actor alice = d.user("alice");
      alice.stub.logout(LogoutRequest.getDefaultInstance());
      return getGeneral(d, "Bearer " + alice.sessionToken);
    });
    scenario("block-yourself", d -> {
      Actor alice = d.user("alice");
      return () -> alice.stub.blockUser(BlockUserRequest.newBuilder().setUserId(alice.id).build());
    });
    scenario("unblock-yourself", d -> {
      Actor alice = d.user("alice");
      return () -> alice.stub.unblockUser(UnblockUserRequest.newBuilder().setUserId(alice.id).build());
    });
    scenario("unblock-user-never-blocked", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      return () -> alice.stub.unblockUser(UnblockUserRequest.newBuilder().setUserId(bob.id).build());
    });

    // Creating, reading and joining channels.
    scenario("create-channel-with-taken-id", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      alice.create(d.publicChannel("general").build());
      return () -> bob.stub.createChannel(d.publicChannel("general").build());
    });
    scenario("reuse-channel-with-other-members", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      Actor carol = d.user("carol");
      alice.create(d.publicChannel("chat", bob).build());
      return () -> alice.stub.createChannel(d.publicChannel("chat", carol).setReuseExisting(true).build());
    });
    scenario("create-channel-with-blocked-user", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      alice.block(bob);
      return () -> alice.stub.createChannel(d.publicChannel("chat", bob).build());
    });
    scenario("create-channel-with-user-who-blocked-you", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      bob.block(alice);
      return () -> alice.stub.createChannel(d.publicChannel("chat", bob).build());
    });
    scenario("create-invitation-only-channel-with-empty-code", d -> {
      Actor alice = d.user("alice");
      return () -> alice.stub.createChannel(d.channel("club", ChannelType.CHANNEL_TYPE_INVITATION_ONLY).build());
    });
    scenario("create-channel-over-member-limit", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      Actor carol = d.user("carol");
      return () -> alice.stub.createChannel(d.publicChannel("pair", bob, carol).setMaxMembers(2).build());
    });
    scenario("read-unknown-channel", d -> {
      Actor alice = d.user("alice");
      return () -> alice.stub.getChannel(GetChannelRequest.newBuilder().setChannelId(d.id("nowhere")).build());
    });
    scenario("read-private-channel-as-outsider", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      String secret = alice.create(d.channel("secret", ChannelType.CHANNEL_TYPE_PRIVATE).build());
      return () -> bob.stub.getChannel(GetChannelRequest.newBuilder().setChannelId(secret).build());
    });
    scenario("read-channel-of-deleted-owner", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      String general = alice.create(d.publicChannel("general", bob).build());
      alice.stub.deleteAccount(DeleteAccountRequest.getDefaultInstance());
      return () -> bob.stub.getChannel(GetChannelRequest.newBuilder().setChannelId(general).build());
    });
    scenario("join-private-channel", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      String secret = alice.create(d.channel("secret", ChannelType.CHANNEL_TYPE_PRIVATE).build());
      return () -> bob.stub.joinChannel(join(secret));
    });
    scenario("join-invitation-only-channel-without-code", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      String club = alice.create(d.channel("club", ChannelType.CHANNEL_TYPE_INVITATION_ONLY)
          .setInvitationCode(INVITATION_CODE).build());
      return () -> bob.stub.joinChannel(join(club));
    });
    scenario("join-with-wrong-invitation-code", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      String club = alice.create(d.channel("club", ChannelType.CHANNEL_TYPE_INVITATION_ONLY)
          .setInvitationCode(INVITATION_CODE).build());
      return () -> bob.stub.joinChannel(join(club, "autumn-2025"));
    });
    scenario("join-public-channel-with-code", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      String general = alice.create(d.publicChannel("general").build());
      return () -> bob.stub.joinChannel(join(general, INVITATION_CODE));
    });
    scenario("join-channel-twice", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      String general = alice.create(d.publicChannel("general").build());
      bob.stub.joinChannel(join(general));
      return () -> bob.stub.joinChannel(join(general));
    });
    scenario("join-channel-after-ban", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      String general = alice.create(d.publicChannel("general", bob).build());
      alice.ban(general, bob);
      return () -> bob.stub.joinChannel(join(general));
    });
    scenario("join-channel-of-owner-who-blocked-you", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      String general = alice.create(d.publicChannel("general").build());
      alice.block(bob);
      return () -> bob.stub.joinChannel(join(general));
    });
    scenario("join-channel-of-owner-you-blocked", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      String general = alice.create(d.publicChannel("general").build());
      bob.block(alice);
      return () -> bob.stub.joinChannel(join(general));
    });
    scenario("join-full-channel", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      Actor carol = d.user("carol");
      String pair = alice.create(d.publicChannel("pair", bob).setMaxMembers(2).build());
      return () -> carol.stub.joinChannel(join(pair));
    });

    // Members and the owner's powers.
    scenario("invite-banned-user", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      String general = alice.create(d.publicChannel("general", bob).build());
      alice.ban(general, bob);
      return () -> alice.stub.inviteMembers(InviteMembersRequest.newBuilder().setChannelId(general).addUserIds(bob.id).build());
    });
    scenario("invite-blocked-user", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      String general = alice.create(d.publicChannel("general").build());
      alice.block(bob);
      return () -> alice.stub.inviteMembers(InviteMembersRequest.newBuilder().setChannelId(general).addUserIds(bob.id).build());
    });
    scenario("invite-user-who-blocked-you", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      String general = alice.create(d.publicChannel("general").build());
      bob.block(alice);
      return () -> alice.stub.inviteMembers(InviteMembersRequest.newBuilder().setChannelId(general).addUserIds(bob.id).build());
    });
    scenario("remove-owner", d -> {
      Actor alice = d.user("alice");
      String general = alice.create(d.publicChannel("general").build());
      return () -> alice.stub.removeMember(RemoveMemberRequest.newBuilder().setChannelId(general).setUserId(alice.id).build());
    });
    scenario("remove-non-member", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      String general = alice.create(d.publicChannel("general").build());
      return () -> alice.stub.removeMember(RemoveMemberRequest.newBuilder().setChannelId(general).setUserId(bob.id).build());
    });
    scenario("ban-non-member", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      String general = alice.create(d.publicChannel("general").build());
      return () -> alice.ban(general, bob);
    });
    scenario("ban-owner", d -> {
      Actor alice = d.user("alice");
      String general = alice.create(d.publicChannel("general").build());
      return () -> alice.ban(general, alice);
    });
    scenario("mute-owner", d -> {
      Actor alice = d.user("alice");
      String general = alice.create(d.publicChannel("general").build());
      return () -> alice.stub.muteUser(MuteUserRequest.newBuilder().setChannelId(general).setUserId(alice.id).build());
    });
    scenario("mute-non-member", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      String general = alice.create(d.publicChannel("general").build());
      return () -> alice.stub.muteUser(MuteUserRequest.newBuilder().setChannelId(general).setUserId(bob.id).build());
    });
    scenario("freeze-channel-not-owned", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      String general = alice.create(d.publicChannel("general", bob).build());
      return () -> bob.stub.freezeChannel(FreezeChannelRequest.newBuilder().setChannelId(general).setFrozen(true).build());
    });
    scenario("transfer-ownership-to-owner", d -> {
      Actor alice = d.user("alice");
      String general = alice.create(d.publicChannel("general").build());
      return () -> alice.stub.transferOwnership(TransferOwnershipRequest.newBuilder()
          .setChannelId(general).setNewOwnerId(alice.id).build());
    });
    scenario("ban-as-member", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      Actor carol = d.user("carol");
      String general = alice.create(d.publicChannel("general", bob, carol).build());
      return () -> bob.ban(general, carol);
    });

    // Messages and files.
    scenario("send-to-channel-not-joined", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      String general = alice.create(d.publicChannel("general").build());
      return () -> bob.stub.sendMessage(text(general, "hi"));
    });
    scenario("send-oversized-message", d -> {
      Actor alice = d.user("alice");
      String general = alice.create(d.publicChannel("general").build());
      // 1667 syllables of three bytes each: 5001 bytes.
      return () -> alice.stub.sendMessage(text(general, "가".repeat(1667)));
    });
    scenario("send-empty-message", d -> {
      Actor alice = d.user("alice");
      String general = alice.create(d.publicChannel("general").build());
      return () -> alice.stub.sendMessage(text(general, ""));
    });
    scenario("send-in-frozen-channel", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      String general = alice.create(d.publicChannel("general", bob).build());
      alice.stub.freezeChannel(FreezeChannelRequest.newBuilder().setChannelId(general).setFrozen(true).build());
      return () -> bob.stub.sendMessage(text(general, "hello?"));
    });
    scenario("mention-non-member", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      String general = alice.create(d.publicChannel("general").build());
      return () -> alice.stub.sendMessage(text(general, "@bob look at this").toBuilder().addMentionedUserIds(bob.id).build());
    });
    scenario("send-while-muted", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      String general = alice.create(d.publicChannel("general", bob).build());
      alice.stub.muteUser(MuteUserRequest.newBuilder().setChannelId(general).setUserId(bob.id).build());
      return () -> bob.stub.sendMessage(text(general, "hello?"));
    });
    scenario("banned-while-watching", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      String general = alice.create(d.publicChannel("general", bob).build());
      alice.stub.sendMessage(text(general, "welcome"));
      Iterator<WatchChannelResponse> messages = bob.stub.watchChannel(WatchChannelRequest.newBuilder().setChannelId(general).build());
      // The error must come after a message, in the trailers.
      messages.next();
      alice.ban(general, bob);
      return () -> messages.forEachRemaining(message -> { });
    });
    scenario("flood-channel", d -> {
      Actor alice = d.user("alice");
      String general = alice.create(d.publicChannel("general").build());
      return () -> {
        for (int n = 1; n <= FLOOD_MESSAGES; n++) {
          alice.stub.sendMessage(text(general, "spam #" + n));
        }
      };
    });
    scenario("delete-someone-elses-message", d -> {
      Actor alice = d.user("alice");
      Actor bob = d.user("bob");
      Actor carol = d.user("carol");
      String general = alice.create(d.publicChannel("general", bob, carol).build());
      long sent = bob.stub.sendMessage(text(general, "mine")).getMessageId();
      return () -> carol.stub.deleteMessage(DeleteMessageRequest.newBuilder().setChannelId(general).setMessageId(sent).build());
    });
    scenario("upload-oversized-file", d -> {
      Actor alice = d.user("alice");
      String general = alice.create(d.publicChannel("general").build());
      byte[] content = new byte[MAX_FILE_BYTES + 1];
      Arrays.fill(content, (byte) 'Z');
      return upload(alice, general, content, content);
    });
    scenario("upload-damaged-file", d -> {
      Actor alice = d.user("alice");
      String general = alice.create(d.publicChannel("general").build());
      return upload(alice, general, "minutes of the meeting".getBytes(StandardCharsets.UTF_8),
          "minutes of the meetinh".getBytes(StandardCharsets.UTF_8));
    });
  }

  private static ChatServiceBlockingStub withHeader(ChatServiceBlockingStub stub, Metadata.Key<String> key, String value) {
    Metadata headers = new Metadata();
    headers.put(key, value);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** What differs between the failed call and the table's row, with the extra detail and the locale. */
  static List<String> problems(StatusRuntimeException e, Row row, String detail, String locale) {
    List<String> found = new ArrayList<>();
    expect(found, "gRPC status", e.getStatus().getCode().name(), row.grpcCode());
    if (StatusProto.fromThrowable(e) == null) {
      found.add("StatusProto finds no grpc-status-details-bin");
    }
    ChatError error;
    try {
      error = ChatError.checkThrowable(e);
    } catch (ChatErrorDecodeException cause) {
      found.add("details: " + cause.kind().crateName() + ": " + cause.getMessage());
      return found;
    }
    if (error == null) {
      found.add("no chat error of " + ChatError.DEFAULT_DOMAIN + " in the details");
      return found;
    }
    expect(found, "code", error.code() == null ? null : error.code().reason(), row.reason());
    expect(found, "number", error.number(), Integer.parseInt(row.cells[0]));
    expect(found, "reason", error.reason(), row.reason());
    expect(found, "domain", error.domain(), ChatError.DEFAULT_DOMAIN);
    expect(found, "metadata code", error.metadata().get("code"), row.cells[0]);
    expect(found, "name", error.originalName(), row.name());
    String description = locale.equals("ko-KR") ? row.korean() : row.english();
    expect(found, "LocalizedMessage", error.localizedMessages(),
        List.of(LocalizedMessage.newBuilder().setLocale(locale).setMessage(description).build()));
    String[] kind = detail.split("=", 2);
    switch (kind[0]) {
      case "-":
        break;
      case "field": {
        List<String> fields = new ArrayList<>();
        error.fieldViolations().forEach(violation -> fields.add(violation.getField()));
        expect(found, "field violations", fields, List.of(kind[1]));
        break;
      }
      case "retry":
        if (error.retryDelay() == null || error.retryDelay().isZero()) {
          found.add("RetryInfo: expected a positive delay, got " + error.retryDelay());
        }
        break;
      case "resource":
        expect(found, "ResourceInfo", error.resourceInfo() == null ? null : error.resourceInfo().getResourceType(), kind[1]);
        break;
      case "metadata": {
        String[] entry = kind[1].split(":", 2);
        expect(found, "metadata " + entry[0], error.metadata().get(entry[0]), entry[1]);
        break;
      }
      default:
        found.add("unknown detail kind " + detail);
    }
    return found;
  }

  private static void expect(List<String> found, String what, Object actual, Object expected) {
    if (!java.util.Objects.equals(actual, expected)) {
      found.add(what + ": expected " + expected + ", got " + actual);
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, Row> table = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Paths.get(args[2]), StandardCharsets.UTF_8).subList(1, 58)) {
      String[] cells = line.split("\t", -1);
      table.put(cells[0], new Row(cells));
    }
    List<String[]> listing = new ArrayList<>();
    List<String> lines = Files.readAllLines(Paths.get(args[1]), StandardCharsets.UTF_8);
    if (!lines.get(0).equals("id\tcode\tdetail\ttitle")) {
      throw new IllegalArgumentException(args[1] + ": unexpected header " + lines.get(0));
    }
    for (String line : lines.subList(1, lines.size())) {
      listing.add(line.split("\t", -1));
    }

    Map<String, List<String>> results = new LinkedHashMap<>();
    List<String> coverage = new ArrayList<>();
    for (String[] entry : listing) {
      if (!SCENARIOS.containsKey(entry[0])) {
        coverage.add(entry[0] + ": no JVM implementation");
      }
    }
    for (String id : SCENARIOS.keySet()) {
      if (listing.stream().noneMatch(entry -> entry[0].equals(id))) {
        coverage.add(id + ": not a demo scenario");
      }
    }
    results.put("the JVM plays exactly the demo's scenarios", coverage);

    byte[] random = new byte[4];
    new SecureRandom().nextBytes(random);
    String run = String.format("jvm%02x%02x%02x%02x", random[0], random[1], random[2], random[3]);
    ManagedChannel channel = ManagedChannelBuilder.forTarget(args[0]).usePlaintext()
        .maxInboundMetadataSize(64 * 1024).build();
    try {
      ChatServiceBlockingStub stub = ChatServiceGrpc.newBlockingStub(channel);
      for (int index = 0; index < listing.size(); index++) {
        String[] entry = listing.get(index);
        Row row = table.get(entry[1]);
        String name = "scenario " + entry[0] + " -> " + entry[1] + " " + row.reason();
        Scenario scenario = SCENARIOS.get(entry[0]);
        if (scenario == null) {
          results.put(name, List.of("no JVM implementation"));
          continue;
        }
        results.put(name, play(new Demo(stub, String.format("%s-%02d", run, index)), scenario, row, entry[2]));
      }
      String[][] negotiations = {
        {"ko-KR,ko;q=0.9,en;q=0.8", "ko-KR", "localized"},
        {"en-US", "en-US", "localized"},
        {null, "ko-KR", "english"},
      };
      for (int index = 0; index < negotiations.length; index++) {
        String[] negotiation = negotiations[index];
        Demo demo = new Demo(stub, run + "-negotiate-" + index);
        results.put("accept-language " + negotiation[0] + " -> " + negotiation[1],
            negotiate(demo, table.get("2003"), negotiation[0], negotiation[1], negotiation[2].equals("localized")));
      }
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    int failed = 0;
    for (Map.Entry<String, List<String>> result : results.entrySet()) {
      if (result.getValue().isEmpty()) {
        System.out.println("ok   " + result.getKey());
      } else {
        failed++;
        System.out.println("FAIL " + result.getKey() + ": " + String.join("; ", result.getValue()));
      }
    }
    System.out.println((results.size() - failed) + " passed, " + failed + " failed");
    System.exit(failed == 0 ? 0 : 1);
  }

  private static List<String> play(Demo demo, Scenario scenario, Row row, String detail) {
    FinalCall call;
    try {
      call = scenario.setUp(demo);
    } catch (StatusRuntimeException e) {
      return List.of("a set-up call failed: " + e.getStatus());
    }
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return problems(e, row, detail, "ko-KR");
    }
    return List.of("the call succeeded");
  }

  /** The LocalizedMessage is in the negotiated locale, and the demo sends the message in it when asked. */
  private static List<String> negotiate(Demo demo, Row row, String acceptLanguage, String locale, boolean inMessage) {
    Actor alice;
    try {
      alice = demo.user("alice");
    } catch (StatusRuntimeException e) {
      return List.of("a set-up call failed: " + e.getStatus());
    }
    ChatServiceBlockingStub stub = acceptLanguage == null ? alice.stub : withHeader(alice.stub, ACCEPT_LANGUAGE, acceptLanguage);
    try {
      stub.getChannel(GetChannelRequest.newBuilder().setChannelId("no-such-channel").build());
    } catch (StatusRuntimeException e) {
      List<String> found = new ArrayList<>(problems(e, row, "-", locale));
      String message = inMessage ? (locale.equals("ko-KR") ? row.korean() : row.english()) : row.english();
      expect(found, "message", e.getStatus().getDescription(), message);
      return found;
    }
    return List.of("the call succeeded");
  }

  private InteropClient() {}
}
