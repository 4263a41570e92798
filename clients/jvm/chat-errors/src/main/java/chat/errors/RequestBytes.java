package chat.errors;

import com.google.protobuf.Message;
import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Requests taken from grpc-java as bytes, so that {@link ChatErrorInterceptor}
 * parses them itself: a marshaller that throws makes grpc-java fail the call
 * with no chance for an interceptor to answer.
 */
final class RequestBytes {
  private RequestBytes() {}

  /** The request body as it came, never refused. */
  static final MethodDescriptor.Marshaller<byte[]> MARSHALLER = new MethodDescriptor.Marshaller<byte[]>() {
    @Override
    public InputStream stream(byte[] value) {
      return new java.io.ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        // grpc-java hands over a message already received in full, in memory.
        throw new UncheckedIOException(e);
      }
    }
  };

  /** The request's message type, e.g. {@code chat.demo.v1.GetChannelRequest}. */
  static String typeName(MethodDescriptor<?, ?> method) {
    if (method.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller) {
      Object prototype = ((MethodDescriptor.PrototypeMarshaller<?>) method.getRequestMarshaller()).getMessagePrototype();
      if (prototype instanceof Message) {
        return ((Message) prototype).getDescriptorForType().getFullName();
      }
      if (prototype != null) {
        return prototype.getClass().getName();
      }
    }
    return "request of " + method.getFullMethodName();
  }

  /** What the parser said, without grpc-java's wrapping. */
  static String why(RuntimeException e) {
    Throwable cause = e instanceof StatusRuntimeException && e.getCause() != null ? e.getCause() : e;
    String message = cause.getMessage();
    if (message != null) {
      return message;
    }
    Status status = Status.fromThrowable(e);
    return status.getDescription() != null ? status.getDescription() : cause.getClass().getSimpleName();
  }

  /** The handler's view of a call whose requests arrive as bytes: its own method descriptor, everything else forwarded. */
  static final class TypedCall<Q, R> extends ServerCall<Q, R> {
    private final ServerCall<byte[], R> call;
    private final MethodDescriptor<Q, R> method;

    TypedCall(ServerCall<byte[], R> call, MethodDescriptor<Q, R> method) {
      this.call = call;
      this.method = method;
    }

    @Override
    public void request(int numMessages) {
      call.request(numMessages);
    }

    @Override
    public void sendHeaders(Metadata headers) {
      call.sendHeaders(headers);
    }

    @Override
    public void sendMessage(R message) {
      call.sendMessage(message);
    }

    @Override
    public boolean isReady() {
      return call.isReady();
    }

    @Override
    public void close(Status status, Metadata trailers) {
      call.close(status, trailers);
    }

    @Override
    public boolean isCancelled() {
      return call.isCancelled();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
      call.setMessageCompression(enabled);
    }

    @Override
    public void setCompression(String compressor) {
      call.setCompression(compressor);
    }

    @Override
    public void setOnReadyThreshold(int numBytes) {
      call.setOnReadyThreshold(numBytes);
    }

    @Override
    public SecurityLevel getSecurityLevel() {
      return call.getSecurityLevel();
    }

    @Override
    public Attributes getAttributes() {
      return call.getAttributes();
    }

    @Override
    public String getAuthority() {
      return call.getAuthority();
    }

    @Override
    public MethodDescriptor<Q, R> getMethodDescriptor() {
      return method;
    }
  }
}
