package chat.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Empty;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RequestInfo;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The interceptor in front of a real grpc-java server, in process. */
class ChatErrorInterceptorTest {
  private static final MethodDescriptor<Empty, Empty> CALL = MethodDescriptor.<Empty, Empty>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName("test.Service/Call")
      .setRequestMarshaller(ProtoUtils.marshaller(Empty.getDefaultInstance()))
      .setResponseMarshaller(ProtoUtils.marshaller(Empty.getDefaultInstance()))
      .build();

  private volatile Supplier<RuntimeException> failure;
  private Server server;
  private ManagedChannel channel;

  private static final java.util.logging.Logger LOGGER =
      java.util.logging.Logger.getLogger(ChatErrorInterceptor.class.getName());
  private final List<java.util.logging.LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final java.util.logging.Handler capture = new java.util.logging.Handler() {
    @Override
    public void publish(java.util.logging.LogRecord record) {
      logged.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void start() throws Exception {
    // The causes go to this test, not to the build's output.
    LOGGER.setUseParentHandlers(false);
    LOGGER.addHandler(capture);
    String name = InProcessServerBuilder.generateName();
    ServerServiceDefinition service = ServerServiceDefinition.builder("test.Service")
        .addMethod(CALL, ServerCalls.asyncUnaryCall((request, observer) -> {
          RuntimeException e = failure.get();
          if (e instanceof StatusRuntimeException) {
            observer.onError(e);
          } else {
            throw e;
          }
        }))
        .build();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(io.grpc.ServerInterceptors.intercept(service, ChatErrorInterceptor.create()))
        .build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() {
    LOGGER.removeHandler(capture);
    LOGGER.setUseParentHandlers(true);
    channel.shutdownNow();
    server.shutdownNow();
  }

  private StatusRuntimeException call(Metadata headers) {
    return assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
        io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers)),
        CALL, CallOptions.DEFAULT, Empty.getDefaultInstance()));
  }

  private static Metadata headers(String key, String value) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER), value);
    return headers;
  }

  @Test
  void aThrowingHandlerIsMaskedAs1003WithTheCallersRequestId() {
    failure = () -> new IllegalStateException("database password is hunter2");
    StatusRuntimeException e = call(headers("x-request-id", "req-42.a_b:c"));
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
    assertFalse(status.toString().contains("hunter2"));
    ChatError error = ChatError.checkThrowable(e);
    assertEquals(ErrorCode.INTERNAL_SERVER_ERROR_1003, error.code());
    assertEquals("req-42.a_b:c", error.requestInfo().getRequestId());
    // The cause stays on the server, in the log line that names the request id.
    assertEquals(1, logged.size());
    assertTrue(logged.get(0).getMessage().contains("req-42.a_b:c"));
    assertEquals("database password is hunter2", logged.get(0).getThrown().getMessage());
  }

  @Test
  void aStatusWithNoChatErrorIsMaskedWithAFreshRequestId() throws Exception {
    failure = () -> Status.INTERNAL.withDescription("db: connection refused").asRuntimeException();
    StatusRuntimeException e = call(headers("x-request-id", "has space"));
    assertFalse(e.getStatus().getDescription().contains("db"));
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    String requestId = status.getDetails(status.getDetailsCount() - 1).unpack(RequestInfo.class).getRequestId();
    assertTrue(requestId.matches("[0-9a-f]{32}"), requestId);
    assertEquals("INTERNAL_SERVER_ERROR_1003", status.getDetails(0).unpack(ErrorInfo.class).getReason());
    assertTrue(logged.get(0).getMessage().contains("db: connection refused"));
    assertTrue(logged.get(0).getMessage().contains(requestId));
  }

  @Test
  void chatErrorsAndPassingCodesGoThroughInTheNegotiatedLocale() {
    failure = () -> ChatStatus.of(ErrorCode.MUTED_IN_CHANNEL);
    ChatError korean = ChatError.checkThrowable(call(new Metadata()));
    assertEquals(ErrorCode.MUTED_IN_CHANNEL, korean.code());
    assertEquals("ko-KR", korean.localizedMessage().getLocale());
    ChatError english = ChatError.checkThrowable(call(headers("accept-language", "en-GB,en;q=0.9")));
    assertEquals("en-US", english.localizedMessage().getLocale());
    assertEquals(ErrorCode.MUTED_IN_CHANNEL.description(CatalogueLocale.developer()),
        english.localizedMessage().getMessage());

    // Built outside the call, in another locale: resent in the caller's, the rest as it was.
    StatusRuntimeException prebuilt = ChatStatus.builder(ErrorCode.MUTED_IN_CHANNEL)
        .locale(CatalogueLocale.defaultLocale()).metadata("channel", "general").asRuntimeException();
    failure = () -> prebuilt;
    StatusRuntimeException resent = call(headers("accept-language", "en"));
    com.google.rpc.Status status = StatusProto.fromThrowable(resent);
    assertEquals(2, status.getDetailsCount());
    ChatError relocalized = ChatError.checkThrowable(resent);
    assertEquals("en-US", relocalized.localizedMessage().getLocale());
    assertEquals("general", relocalized.metadata().get("channel"));
    assertEquals("ko-KR", ChatError.checkThrowable(call(new Metadata())).localizedMessage().getLocale());

    failure = () -> Status.UNIMPLEMENTED.withDescription("no such method").asRuntimeException();
    StatusRuntimeException unimplemented = call(new Metadata());
    assertEquals(Status.Code.UNIMPLEMENTED, unimplemented.getStatus().getCode());
    assertNull(ChatError.fromThrowable(unimplemented));
  }

  @Test
  void negotiationFollowsTheRustCrate() {
    ChatErrorInterceptor interceptor = ChatErrorInterceptor.create();
    // The Rust crate's documented answers (src/locale/mod.rs, localizer.rs).
    assertEquals("en-US", interceptor.negotiate(List.of("en-GB,en;q=0.9")).tag());
    assertEquals("ko-KR", interceptor.negotiate(List.of("fr-CH, fr;q=0.9, ko;q=0.5")).tag());
    assertEquals("ko-KR", interceptor.negotiate(List.of("fr")).tag());
    assertEquals("ko-KR", interceptor.negotiate(List.of()).tag());
    assertNull(CatalogueLocale.negotiate("fr"));
    // q=0 rules the default out: the first locale not ruled out stands in.
    assertEquals("en-US", interceptor.negotiate(List.of("ko;q=0")).tag());
    assertEquals("en-US", interceptor.negotiate(List.of("ko;q=0.5", "en;q=0.8")).tag());
    assertEquals("ko-KR", interceptor.negotiate(List.of("en;q=NaN, ko;q=0.1")).tag());
    assertEquals("en-US", interceptor.negotiate(List.of("zh-Hant-CN-x-private1;q=1, en-US-x-y")).tag());
    assertNull(CatalogueLocale.negotiate("en," + "x,".repeat(64)));
    assertNull(CatalogueLocale.negotiate("en;q=" + "0".repeat(5000)));
  }
}
