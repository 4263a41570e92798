package chat.errors.demo;

import chat.demo.v1.ChatServiceGrpc;
import chat.demo.v1.ChatServiceOuterClass.GetChannelRequest;
import chat.demo.v1.ChatServiceOuterClass.GetChannelResponse;
import chat.demo.v1.ChatServiceOuterClass.SendMessageRequest;
import chat.demo.v1.ChatServiceOuterClass.SendMessageResponse;
import chat.demo.v1.ChatServiceOuterClass.SignUpRequest;
import chat.demo.v1.ChatServiceOuterClass.SignUpResponse;
import chat.demo.v1.ChatServiceOuterClass.UploadFileRequest;
import chat.demo.v1.ChatServiceOuterClass.UploadFileResponse;
import chat.errors.ChatErrorInterceptor;
import chat.errors.ChatStatus;
import chat.errors.ErrorCode;
import com.google.rpc.ResourceInfo;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A grpc-java ChatService whose every call fails with a status built by
 * chat-errors for the JVM, for the Rust client {@code chat-demo-interop-client}
 * to decode; the interface of interop/peer_server.py, behind
 * {@link ChatErrorInterceptor}:
 *
 * <ul>
 *   <li>GetChannel with metadata {@code interop-error-code: N} fails with
 *       catalogue error N; with {@code panic} the handler throws a
 *       RuntimeException and with {@code internal} it fails with a bare
 *       INTERNAL status, both answered as 1003 with a request id; without it,
 *       CHANNEL_NOT_FOUND and a ResourceInfo;
 *   <li>SendMessage fails with TOO_MANY_REQUESTS, a RetryInfo and a {@code limit};
 *   <li>SignUp without a user id fails with INVALID_PARAMS and a BadRequest;
 *   <li>UploadFile fails with FILE_SIZE_LIMIT_EXCEEDED and a Korean message;
 *   <li>every other call is UNIMPLEMENTED;
 *   <li>a request body that is no message of the method's request type is
 *       answered with 1001 ParamsBindingError and a BadRequest naming
 *       {@code request}.
 * </ul>
 *
 * Binds 127.0.0.1 on a free port and prints {@code peer listening on 127.0.0.1:PORT}.
 */
public final class PeerServer {
  static final Metadata.Key<String> ERROR_CODE_KEY =
      Metadata.Key.of("interop-error-code", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> REQUESTED = Context.key("interop-error-code");
  static final Duration RETRY_DELAY = Duration.ofMillis(2500);
  static final String RATE_LIMIT = "5 messages per 10 seconds";
  static final String KOREAN_MESSAGE = "파일이 너무 큽니다: 16 MiB (최대 15 MiB)";
  static final String CHANNEL_RESOURCE = "chat.demo.v1.Channel";

  static final class Service extends ChatServiceGrpc.ChatServiceImplBase {
    @Override
    public void getChannel(GetChannelRequest request, StreamObserver<GetChannelResponse> response) {
      String requested = REQUESTED.get();
      if ("panic".equals(requested)) {
        throw new IllegalStateException("the interop peer panics on request, with a secret: hunter2");
      }
      if ("internal".equals(requested)) {
        response.onError(Status.INTERNAL.withDescription("db: connection refused (secret: hunter2)").asRuntimeException());
        return;
      }
      if (requested != null) {
        response.onError(ChatStatus.of(ErrorCode.fromNumber(Integer.parseInt(requested))));
        return;
      }
      response.onError(ChatStatus.builder(ErrorCode.CHANNEL_NOT_FOUND)
          .resourceInfo(ResourceInfo.newBuilder()
              .setResourceType(CHANNEL_RESOURCE).setResourceName(request.getChannelId()).build())
          .asRuntimeException());
    }

    @Override
    public void sendMessage(SendMessageRequest request, StreamObserver<SendMessageResponse> response) {
      response.onError(ChatStatus.builder(ErrorCode.TOO_MANY_REQUESTS)
          .retryDelay(RETRY_DELAY)
          .metadata("limit", RATE_LIMIT)
          .asRuntimeException());
    }

    @Override
    public void signUp(SignUpRequest request, StreamObserver<SignUpResponse> response) {
      if (request.getUserId().isEmpty()) {
        response.onError(ChatStatus.builder(ErrorCode.INVALID_PARAMS)
            .fieldViolation("user_id", "is required")
            .asRuntimeException());
        return;
      }
      response.onError(Status.UNIMPLEMENTED.withDescription("the interop peer signs nobody up").asRuntimeException());
    }

    @Override
    public void uploadFile(UploadFileRequest request, StreamObserver<UploadFileResponse> response) {
      response.onError(ChatStatus.builder(ErrorCode.FILE_SIZE_LIMIT_EXCEEDED)
          .message(KOREAN_MESSAGE)
          .asRuntimeException());
    }
  }

  /** Puts {@code interop-error-code} where the handler finds it. */
  private static final ServerInterceptor REQUESTED_CODE = new ServerInterceptor() {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      Context context = Context.current().withValue(REQUESTED, headers.get(ERROR_CODE_KEY));
      return Contexts.interceptCall(context, call, headers, next);
    }
  };

  /** The peer's service behind {@link ChatErrorInterceptor}, as it serves it. */
  public static ServerServiceDefinition service() {
    return ChatErrorInterceptor.create().intercept(ServerInterceptors.intercept(new Service(), REQUESTED_CODE));
  }

  public static void main(String[] args) throws Exception {
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(service())
        .build()
        .start();
    InetSocketAddress bound = (InetSocketAddress) server.getListenSockets().get(0);
    System.out.println("peer listening on 127.0.0.1:" + bound.getPort());
    System.out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
    server.awaitTermination();
  }

  private PeerServer() {}
}
