package chat.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.LocalizedMessage;
import com.google.rpc.RequestInfo;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Request bodies grpc-java cannot parse, sent over a real loopback
 * connection to a Netty server behind {@link ChatErrorInterceptor#intercept},
 * read back with grpc-java's StatusProto and checked against the fixture.
 */
class UndecodableRequestTest {
  private static final String METHOD = "test.Echo/Echo";
  /** The server's request type: any protobuf message with a string field. */
  private static final MethodDescriptor<RequestInfo, RequestInfo> ECHO =
      MethodDescriptor.<RequestInfo, RequestInfo>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(METHOD)
          .setRequestMarshaller(ProtoUtils.marshaller(RequestInfo.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(RequestInfo.getDefaultInstance()))
          .build();

  private static final MethodDescriptor<RequestInfo, RequestInfo> COLLECT = ECHO.toBuilder()
      .setType(MethodDescriptor.MethodType.CLIENT_STREAMING)
      .setFullMethodName("test.Echo/Collect")
      .build();

  private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<byte[]>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };
  /** The client's view of the same method: it sends whatever bytes it is given. */
  private static final MethodDescriptor<byte[], byte[]> RAW_ECHO = MethodDescriptor.<byte[], byte[]>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName(METHOD)
      .setRequestMarshaller(RAW)
      .setResponseMarshaller(RAW)
      .build();

  private static final java.util.logging.Logger LOGGER =
      java.util.logging.Logger.getLogger(ChatErrorInterceptor.class.getName());

  private final AtomicInteger collected = new AtomicInteger();
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws IOException {
    // The 1003 test's cause is logged on purpose; it stays out of the build's output.
    LOGGER.setUseParentHandlers(false);
    ServerServiceDefinition echo = ServerServiceDefinition.builder("test.Echo")
        .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, observer) -> {
          if (request.getRequestId().equals("throw")) {
            throw new IllegalStateException("the handler fails");
          }
          observer.onNext(request);
          observer.onCompleted();
        }))
        .addMethod(COLLECT, ServerCalls.asyncClientStreamingCall(observer -> new StreamObserver<RequestInfo>() {
          @Override
          public void onNext(RequestInfo request) {
            collected.incrementAndGet();
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {
            observer.onNext(RequestInfo.newBuilder().setRequestId(String.valueOf(collected.get())).build());
            observer.onCompleted();
          }
        }))
        .build();
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ChatErrorInterceptor.create().intercept(echo))
        .build()
        .start();
    int port = ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    LOGGER.setUseParentHandlers(true);
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private StatusRuntimeException send(byte[] body, String acceptLanguage) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("accept-language", Metadata.ASCII_STRING_MARSHALLER), acceptLanguage);
    return assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
        io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers)),
        RAW_ECHO, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), body));
  }

  /** The fixture's row for 1001: number, name, reason, gRPC code, HTTP status, retryable, ko-KR, en-US. */
  private static String[] paramsBindingError() throws IOException {
    return CatalogueTest.fixture().stream().filter(row -> row[0].equals("1001")).findFirst().orElseThrow();
  }

  private static void assertParamsBindingError(StatusRuntimeException e, String locale, String description)
      throws IOException {
    String[] row = paramsBindingError();
    assertEquals(row[3], e.getStatus().getCode().name());
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    ErrorInfo info = status.getDetails(0).unpack(ErrorInfo.class);
    assertEquals(row[2], info.getReason());
    assertEquals(row[0], info.getMetadataOrThrow("code"));
    assertEquals(row[1], info.getMetadataOrThrow("message"));
    LocalizedMessage localized = status.getDetails(1).unpack(LocalizedMessage.class);
    assertEquals(locale, localized.getLocale());
    assertEquals(locale.equals("ko-KR") ? row[6] : row[7], localized.getMessage());
    BadRequest bad = status.getDetails(2).unpack(BadRequest.class);
    assertEquals(1, bad.getFieldViolationsCount());
    assertEquals("request", bad.getFieldViolations(0).getField());
    assertTrue(bad.getFieldViolations(0).getDescription().startsWith(description),
        bad.getFieldViolations(0).getDescription());
    assertEquals(3, status.getDetailsCount());
  }

  @Test
  void garbageBytesAreAnsweredWith1001NamingTheRequest() throws IOException {
    // Field 1, length 5, then one byte: protobuf-java refuses it as truncated.
    byte[] garbage = {0x0a, 0x05, 'a'};
    InvalidProtocolBufferException parserSays = assertThrows(InvalidProtocolBufferException.class,
        () -> RequestInfo.parseFrom(garbage));
    StatusRuntimeException e = send(garbage, "en-US");
    assertParamsBindingError(e, "en-US", "not a valid google.rpc.RequestInfo: " + parserSays.getMessage());
  }

  @Test
  void aUnaryCallWithNoMessageIsAnswered1001InTheCallersLocale() throws Exception {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("accept-language", Metadata.ASCII_STRING_MARSHALLER), "ko");
    ClientCall<byte[], byte[]> call = channel.newCall(RAW_ECHO, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS));
    CompletableFuture<StatusRuntimeException> closed = new CompletableFuture<>();
    call.start(new ClientCall.Listener<byte[]>() {
      @Override
      public void onClose(Status status, Metadata trailers) {
        closed.complete(status.asRuntimeException(trailers));
      }
    }, headers);
    call.halfClose();
    assertParamsBindingError(closed.get(10, TimeUnit.SECONDS), "ko-KR", "is missing: the body holds no message");
  }

  @Test
  void aStreamStopsAtItsFirstUndecodableMessage() throws Exception {
    MethodDescriptor<byte[], byte[]> rawCollect = RAW_ECHO.toBuilder()
        .setType(MethodDescriptor.MethodType.CLIENT_STREAMING)
        .setFullMethodName("test.Echo/Collect")
        .build();
    ClientCall<byte[], byte[]> call = channel.newCall(rawCollect, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS));
    CompletableFuture<StatusRuntimeException> closed = new CompletableFuture<>();
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("accept-language", Metadata.ASCII_STRING_MARSHALLER), "en");
    call.start(new ClientCall.Listener<byte[]>() {
      @Override
      public void onClose(Status status, Metadata trailers) {
        closed.complete(status.asRuntimeException(trailers));
      }
    }, headers);
    call.request(1);
    byte[] valid = RequestInfo.newBuilder().setRequestId("r").build().toByteArray();
    byte[] garbage = {0x0a, 0x05, 'a'};
    call.sendMessage(valid);
    call.sendMessage(garbage);
    call.sendMessage(valid);
    call.halfClose();
    assertParamsBindingError(closed.get(10, TimeUnit.SECONDS), "en-US", "not a valid google.rpc.RequestInfo: ");
    assertEquals(1, collected.get());
  }

  @Test
  void aValidRequestStillReachesTheHandlerAndAThrowingOneIsStill1003() throws IOException {
    byte[] echoed = ClientCalls.blockingUnaryCall(channel, RAW_ECHO, CallOptions.DEFAULT,
        RequestInfo.newBuilder().setRequestId("r-1").build().toByteArray());
    assertEquals("r-1", RequestInfo.parseFrom(echoed).getRequestId());

    StatusRuntimeException e = send(RequestInfo.newBuilder().setRequestId("throw").build().toByteArray(), "en-US");
    assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
    List<com.google.protobuf.Any> details = StatusProto.fromThrowable(e).getDetailsList();
    assertEquals("INTERNAL_SERVER_ERROR_1003", details.get(0).unpack(ErrorInfo.class).getReason());
    assertTrue(details.get(details.size() - 1).unpack(RequestInfo.class).getRequestId().matches("[0-9a-f]{32}"));
  }
}
