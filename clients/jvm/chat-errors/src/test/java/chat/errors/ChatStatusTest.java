package chat.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.LocalizedMessage;
import com.google.rpc.RequestInfo;
import com.google.rpc.ResourceInfo;
import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the builder sends, read back by grpc-java's own StatusProto and protobuf-java. */
class ChatStatusTest {
  private static final CatalogueLocale ENGLISH = CatalogueLocale.fromTag("en-US");
  private static final CatalogueLocale KOREAN = CatalogueLocale.fromTag("ko-KR");

  @Test
  void everyCodeIsSentAsTheFixtureSays() throws IOException {
    for (String[] row : CatalogueTest.fixture()) {
      ErrorCode code = ErrorCode.fromNumber(Integer.parseInt(row[0]));
      StatusRuntimeException sent = ChatStatus.of(code);
      com.google.rpc.Status status = StatusProto.fromThrowable(sent);
      assertEquals(row[3], sent.getStatus().getCode().name());
      assertEquals(sent.getStatus().getCode().value(), status.getCode());
      assertEquals(row[7], status.getMessage());
      assertEquals(row[7], sent.getStatus().getDescription());
      assertEquals(2, status.getDetailsCount());
      ErrorInfo info = status.getDetails(0).unpack(ErrorInfo.class);
      assertEquals(row[2], info.getReason());
      assertEquals("chat.errors.v1", info.getDomain());
      assertEquals(Map.of("code", row[0], "message", row[1]), info.getMetadataMap());
      LocalizedMessage localized = status.getDetails(1).unpack(LocalizedMessage.class);
      assertEquals("ko-KR", localized.getLocale());
      assertEquals(row[6], localized.getMessage());
      assertEquals(code, ChatError.checkThrowable(sent).code());
    }
  }

  @Test
  void extrasFollowInTheContractsOrder() throws InvalidProtocolBufferException {
    StatusRuntimeException sent = ChatStatus.builder(ErrorCode.TOO_MANY_REQUESTS)
        .locale(ENGLISH)
        .message("slow down")
        .metadata("limit", "20/minute")
        .retryDelay(Duration.ofMillis(2500))
        .fieldViolation("text", "is too long")
        .resourceInfo(ResourceInfo.newBuilder().setResourceType("chat.demo.v1.Channel").setResourceName("c1").build())
        .requestInfo(RequestInfo.newBuilder().setRequestId("req-1").build())
        .asRuntimeException();
    com.google.rpc.Status status = StatusProto.fromThrowable(sent);
    assertEquals("slow down", status.getMessage());
    assertEquals(6, status.getDetailsCount());
    ErrorInfo info = status.getDetails(0).unpack(ErrorInfo.class);
    assertEquals("20/minute", info.getMetadataOrThrow("limit"));
    assertEquals(ENGLISH.tag(), status.getDetails(1).unpack(LocalizedMessage.class).getLocale());
    RetryInfo retry = status.getDetails(2).unpack(RetryInfo.class);
    assertEquals(2, retry.getRetryDelay().getSeconds());
    assertEquals(500_000_000, retry.getRetryDelay().getNanos());
    assertEquals("is too long", status.getDetails(3).unpack(BadRequest.class).getFieldViolations(0).getDescription());
    assertEquals("c1", status.getDetails(4).unpack(ResourceInfo.class).getResourceName());
    assertEquals("req-1", status.getDetails(5).unpack(RequestInfo.class).getRequestId());

    ChatError read = ChatError.checkThrowable(sent);
    assertEquals(Duration.ofMillis(2500), read.retryDelay());
    assertEquals("req-1", read.requestInfo().getRequestId());
    assertEquals(6, read.details().size());
  }

  @Test
  void everyTextSentIsCleaned() throws InvalidProtocolBufferException {
    com.google.rpc.Status status = ChatStatus.builder(ErrorCode.CHANNEL_NOT_FOUND)
        .message("a\r\nb\u202Ec")
        .metadata("channel", "x\ny")
        .fieldViolation("name", "bad\u2028line")
        .resourceInfo(ResourceInfo.newBuilder().setResourceName("r\u0007").build())
        .requestInfo(RequestInfo.newBuilder().setRequestId("id\t1").build())
        .build();
    assertEquals("a  b c", status.getMessage());
    assertEquals("x y", status.getDetails(0).unpack(ErrorInfo.class).getMetadataOrThrow("channel"));
    assertEquals("bad line", status.getDetails(2).unpack(BadRequest.class).getFieldViolations(0).getDescription());
    assertEquals("r ", status.getDetails(3).unpack(ResourceInfo.class).getResourceName());
    assertEquals("id 1", status.getDetails(4).unpack(RequestInfo.class).getRequestId());

    String cut = ChatStatus.builder(ErrorCode.CHANNEL_NOT_FOUND).message("채".repeat(400)).build().getMessage();
    assertTrue(cut.endsWith("…"));
    assertEquals(340, cut.chars().filter(c -> c == '채').count());
  }

  @Test
  void everyStringOfAFieldViolationIsCleaned() throws InvalidProtocolBufferException {
    BadRequest.FieldViolation violation = BadRequest.FieldViolation.newBuilder()
        .setField("user\nname")
        .setDescription("too\u202Elong")
        .setReason("TOO_LONG\u2066")
        .setLocalizedMessage(LocalizedMessage.newBuilder().setLocale("en\u200E").setMessage("m\u0000\u2029"))
        .build();
    com.google.rpc.Status status = ChatStatus.builder(ErrorCode.INVALID_PARAMS).fieldViolation(violation).build();
    BadRequest.FieldViolation sent = status.getDetails(2).unpack(BadRequest.class).getFieldViolations(0);
    assertEquals("user name", sent.getField());
    assertEquals("too long", sent.getDescription());
    assertEquals("TOO_LONG ", sent.getReason());
    assertEquals("en ", sent.getLocalizedMessage().getLocale());
    assertEquals("m  ", sent.getLocalizedMessage().getMessage());

    String longField = "f".repeat(1025);
    BadRequest.FieldViolation cut = ChatStatus.builder(ErrorCode.INVALID_PARAMS)
        .fieldViolation(longField, "d").build().getDetails(2).unpack(BadRequest.class).getFieldViolations(0);
    assertEquals("f".repeat(1021) + "…", cut.getField());
  }

  @Test
  void theCutCountsTheCleanedText() throws InvalidProtocolBufferException {
    // 1024 overrides of 3 bytes each become 1024 one-byte spaces: sent whole.
    com.google.rpc.Status overrides = ChatStatus.builder(ErrorCode.CHANNEL_NOT_FOUND)
        .metadata("value", "\u202E".repeat(1024))
        .message("x" + "\u2028".repeat(1023))
        .build();
    assertEquals(" ".repeat(1024), overrides.getDetails(0).unpack(ErrorInfo.class).getMetadataOrThrow("value"));
    assertEquals("x" + " ".repeat(1023), overrides.getMessage());

    // Over 1024 bytes, the cut keeps whole characters within 1021 bytes, then adds the 3-byte ellipsis.
    String emoji = ChatStatus.builder(ErrorCode.CHANNEL_NOT_FOUND)
        .message("a".repeat(1018) + "😀😀").build().getMessage();
    assertEquals("a".repeat(1018) + "…", emoji);
    String exact = "a".repeat(1020) + "😀";
    assertEquals(exact, ChatStatus.builder(ErrorCode.CHANNEL_NOT_FOUND).message(exact).build().getMessage());
  }

  @Test
  void aBlankMessageKeepsTheDescription() {
    // Blank is judged after cleaning, by Unicode White_Space as Rust's str::trim sees it.
    for (String blank : new String[] {"", "   ", "\n\t", "\u202E\u2066\u200F", "\u0085\u3000\u00A0"}) {
      assertEquals(ErrorCode.CHANNEL_NOT_FOUND.developerDescription(),
          ChatStatus.builder(ErrorCode.CHANNEL_NOT_FOUND).message(blank).build().getMessage());
    }
  }

  @Test
  void reservedAndMalformedMetadataKeysAreRefused() {
    for (String key : new String[] {"code", "message", "truncated", "A", "x", "1st", "has space", "k".repeat(65)}) {
      assertThrows(IllegalArgumentException.class,
          () -> ChatStatus.builder(ErrorCode.CHANNEL_NOT_FOUND).metadata(key, "v"), key);
    }
  }

  @Test
  void oversizedStatusesDropViolationsFirstAndSayWhat() throws InvalidProtocolBufferException {
    ChatStatus.Builder builder = ChatStatus.builder(ErrorCode.INVALID_PARAMS)
        .locale(KOREAN)
        .resourceInfo(ResourceInfo.newBuilder().setResourceName("r").build())
        .metadata("first", "1")
        .metadata("second", "2");
    for (int i = 0; i < 300; i++) {
      builder.fieldViolation("field" + i, "d".repeat(40));
    }
    StatusRuntimeException sent = builder.asRuntimeException();
    com.google.rpc.Status status = StatusProto.fromThrowable(sent);
    byte[] details = status.toByteArray();
    int sentLength = Base64.getEncoder().withoutPadding().encodeToString(details).length()
        + ChatStatus.Fitting.percentEncodedLength(status.getMessage());
    assertTrue(sentLength <= ChatStatus.MAX_TRAILER_BYTES, Integer.toString(sentLength));
    ErrorInfo info = status.getDetails(0).unpack(ErrorInfo.class);
    BadRequest bad = null;
    for (Any detail : status.getDetailsList()) {
      if (detail.is(BadRequest.class)) {
        bad = detail.unpack(BadRequest.class);
      }
    }
    int kept = bad == null ? 0 : bad.getFieldViolationsCount();
    assertTrue(kept > 0 && kept < 300, Integer.toString(kept));
    assertEquals("fieldViolations:" + (300 - kept), info.getMetadataOrThrow("truncated"));
    assertEquals("1", info.getMetadataOrThrow("first"));
    assertFalse(ChatError.checkThrowable(sent).fieldViolations().isEmpty());
  }

  @Test
  void aNegativeRetryDelayIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> ChatStatus.builder(ErrorCode.TOO_MANY_REQUESTS).retryDelay(Duration.ofSeconds(-1)));
  }
}
