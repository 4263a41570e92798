package chat.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.rpc.ErrorInfo;
import com.google.rpc.LocalizedMessage;
import com.google.rpc.RetryInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Statuses built by grpc-java's StatusProto and protobuf-java, read strictly and leniently. */
class ChatErrorDecoderTest {
  private static ErrorInfo.Builder channelNotFound() {
    return ErrorInfo.newBuilder().setReason("CHANNEL_NOT_FOUND").setDomain("chat.errors.v1")
        .putMetadata("code", "2003").putMetadata("message", "ChannelNotFound");
  }

  private static StatusRuntimeException sent(ErrorInfo.Builder info, Any... more) {
    com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
        .setCode(Status.Code.NOT_FOUND.value()).setMessage("The channel does not exist.")
        .addDetails(Any.pack(info.build()));
    for (Any detail : more) {
      status.addDetails(detail);
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }

  /** A status whose details are {@code bytes}, as grpc-java delivers any trailer. */
  private static StatusRuntimeException raw(Status.Code code, String message, byte[] bytes) {
    Metadata trailers = new Metadata();
    trailers.put(ChatErrorDecoder.STATUS_DETAILS_KEY, bytes);
    return Status.fromCode(code).withDescription(message).asRuntimeException(trailers);
  }

  private static DecodeErrorKind strictKind(Throwable t) {
    return assertThrows(ChatErrorDecodeException.class, () -> ChatError.checkThrowable(t)).kind();
  }

  @Test
  void aStatusProtoErrorIsReadBothWays() {
    StatusRuntimeException e = sent(channelNotFound(),
        Any.pack(LocalizedMessage.newBuilder().setLocale("en-US").setMessage("The channel does not exist.").build()));
    for (ChatError error : new ChatError[] {ChatError.checkThrowable(e), ChatError.fromThrowable(e)}) {
      assertEquals(ErrorCode.CHANNEL_NOT_FOUND, error.code());
      assertEquals(2003, error.number());
      assertEquals("ChannelNotFound", error.originalName());
      assertEquals("en-US", error.localizedMessage().getLocale());
      assertEquals(Status.Code.NOT_FOUND, error.grpcCode());
    }
  }

  @Test
  void aWrappedOrCheckedExceptionIsFound() {
    StatusRuntimeException e = sent(channelNotFound());
    StatusException checked = Status.NOT_FOUND.withDescription("The channel does not exist.")
        .asException(e.getTrailers());
    assertEquals(ErrorCode.CHANNEL_NOT_FOUND, ChatError.fromThrowable(new ExecutionException(e)).code());
    assertEquals(ErrorCode.CHANNEL_NOT_FOUND, ChatError.checkThrowable(new RuntimeException(checked)).code());
    assertNull(ChatError.fromThrowable(new IllegalStateException("no status")));
    assertEquals(true, ChatError.isCode(new ExecutionException(e), ErrorCode.CHANNEL_NOT_FOUND));
    assertEquals(false, ChatError.isCode(e, ErrorCode.MUTED_IN_CHANNEL));
    assertEquals(false, ChatError.isCode(new IllegalStateException("no status"), ErrorCode.CHANNEL_NOT_FOUND));
    assertNull(ChatError.checkThrowable(Status.INTERNAL.withDescription("boom").asRuntimeException()));
  }

  @Test
  void aCodeFromANewerCatalogueIsKeptAsANumber() {
    ChatError error = ChatError.checkThrowable(sent(ErrorInfo.newBuilder().setReason("NEW_THING")
        .setDomain("chat.errors.v1").putMetadata("code", "9999")));
    assertNull(error.code());
    assertEquals(9999, error.number());
    assertEquals("NEW_THING", error.reason());
  }

  @Test
  void anotherDomainIsNoChatErrorUnlessAskedFor() {
    StatusRuntimeException e = sent(channelNotFound().setDomain("other.example"));
    assertNull(ChatError.checkThrowable(e));
    assertEquals(ErrorCode.CHANNEL_NOT_FOUND, ChatErrorDecoder.forDomain("other.example").strict(e).code());
  }

  @Test
  void strictRefusesWhatContradictsItselfAndLenientReadsIt() {
    StatusRuntimeException repeated = sent(channelNotFound(), Any.pack(channelNotFound().setReason("MUTED_IN_CHANNEL")
        .putMetadata("code", "2027").putMetadata("message", "MutedInChannel").build()));
    assertEquals(DecodeErrorKind.DUPLICATE_DETAIL, strictKind(repeated));
    assertEquals(ErrorCode.CHANNEL_NOT_FOUND, ChatError.fromThrowable(repeated).code());

    StatusRuntimeException padded = sent(channelNotFound().putMetadata("code", "02003"));
    assertEquals(DecodeErrorKind.NON_CANONICAL_CODE, strictKind(padded));
    assertEquals(ErrorCode.CHANNEL_NOT_FOUND, ChatError.fromThrowable(padded).code());

    assertEquals(DecodeErrorKind.INVALID_CODE_METADATA, strictKind(sent(channelNotFound().putMetadata("code", "x"))));
    assertEquals(DecodeErrorKind.CODE_REASON_MISMATCH, strictKind(sent(channelNotFound().putMetadata("code", "2027"))));
    assertEquals(DecodeErrorKind.NAME_MISMATCH, strictKind(sent(channelNotFound().putMetadata("message", "Other"))));

    StatusRuntimeException twoRetries = sent(channelNotFound(),
        Any.pack(RetryInfo.getDefaultInstance()), Any.pack(RetryInfo.getDefaultInstance()));
    assertEquals(DecodeErrorKind.DUPLICATE_DETAIL, strictKind(twoRetries));

    StatusRuntimeException negative = sent(channelNotFound(), Any.pack(RetryInfo.newBuilder()
        .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(-3)).build()));
    assertEquals(DecodeErrorKind.INVALID_RETRY_DELAY, strictKind(negative));
    assertNull(ChatError.fromThrowable(negative).retryDelay());
  }

  @Test
  void headersThatDisagreeWithTheDetailsAreStrictErrors() {
    byte[] details = StatusProto.fromThrowable(sent(channelNotFound())).toByteArray();
    assertEquals(DecodeErrorKind.CODE_MISMATCH, strictKind(raw(Status.Code.INTERNAL, "The channel does not exist.", details)));
    assertEquals(DecodeErrorKind.MESSAGE_MISMATCH, strictKind(raw(Status.Code.NOT_FOUND, "other", details)));
    assertEquals(ErrorCode.CHANNEL_NOT_FOUND, ChatError.fromThrowable(raw(Status.Code.INTERNAL, "x", details)).code());
  }

  @Test
  void wireBreachesThatProtobufJavaPassesOverAreRefused() {
    byte[] status = StatusProto.fromThrowable(sent(channelNotFound())).toByteArray();
    // A valid status, then Status.details (field 3) sent as a varint.
    byte[] detailsAsVarint = concat(status, new byte[] {0x18, 0x01});
    StatusRuntimeException varint = raw(Status.Code.NOT_FOUND, "The channel does not exist.", detailsAsVarint);
    assertEquals(DecodeErrorKind.MALFORMED_STATUS, strictKind(varint));
    assertNull(ChatError.fromThrowable(varint));

    // ErrorInfo.reason (field 1) sent as fixed32.
    Any fixed32Reason = Any.newBuilder().setTypeUrl("type.googleapis.com/google.rpc.ErrorInfo")
        .setValue(ByteString.copyFrom(concat(new byte[] {0x0d, 1, 2, 3, 4}, channelNotFound().build().toByteArray())))
        .build();
    byte[] bytes = com.google.rpc.Status.newBuilder().setCode(5).setMessage("m").addDetails(fixed32Reason).build().toByteArray();
    StatusRuntimeException e = raw(Status.Code.NOT_FOUND, "m", bytes);
    ChatErrorDecodeException thrown = assertThrows(ChatErrorDecodeException.class, () -> ChatError.checkThrowable(e));
    assertEquals(DecodeErrorKind.MALFORMED_DETAIL, thrown.kind());
    assertEquals("google.rpc.ErrorInfo", thrown.typeName());
    assertNull(ChatError.fromThrowable(e));
  }

  @Test
  void theTwoFuzzFindingsOfIssue20AreRefusedAsProtobufRefusesThem() {
    String[] findings = {
      "EhISEhISEhISEhISEhISEhISEhISEhISEhISEhISEhISEhISFhISEhISEhYSEhISEhISEhISEhKSEhISEhI9EgEAXgAAAAAAAAAAAAAAACc=",
      "EhISEhISEhISEhISEhISEhISEhISEhISEhISEhISEhISEhISEhISEhISEhISErS0tLS0tLS0tLS0EhISEhISEhISEhISEhISEhISEgEAXic=",
    };
    for (String finding : findings) {
      byte[] bytes = Base64.getDecoder().decode(finding);
      assertThrows(com.google.protobuf.InvalidProtocolBufferException.class,
          () -> com.google.rpc.Status.parseFrom(bytes));
      assertEquals(DecodeErrorKind.MALFORMED_STATUS, strictKind(raw(Status.Code.NOT_FOUND, "m", bytes)));
    }
  }

  @Test
  void hostileBytesNeverThrowAnythingElse() {
    java.util.Random random = new java.util.Random(20);
    byte[] valid = StatusProto.fromThrowable(sent(channelNotFound(),
        Any.pack(RetryInfo.getDefaultInstance()))).toByteArray();
    for (int round = 0; round < 20_000; round++) {
      byte[] bytes = valid.clone();
      int flips = 1 + random.nextInt(4);
      for (int i = 0; i < flips; i++) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      if (random.nextBoolean()) {
        bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
      }
      StatusRuntimeException e = raw(Status.Code.NOT_FOUND, "The channel does not exist.", bytes);
      ChatError.fromThrowable(e);
      try {
        ChatError.checkThrowable(e);
      } catch (ChatErrorDecodeException expected) {
        assertNotNull(expected.kind());
      }
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }
}
