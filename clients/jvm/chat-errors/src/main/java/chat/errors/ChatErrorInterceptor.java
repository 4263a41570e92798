package chat.errors;

import com.google.rpc.RequestInfo;
import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server side of the catalogue, from one setting (the domain and the
 * default locale), as the Rust crate's recommended stack:
 *
 * <ul>
 *   <li>negotiates the caller's {@code accept-language} exactly as the Rust
 *       crate does, and serves the call in that locale: a
 *       {@link ChatStatus} built in the handler carries its LocalizedMessage
 *       in it ({@link ChatStatus#callLocale()}), and a chat error built
 *       elsewhere (another thread, a constant) is resent in it;
 *   <li>masks what a client must not see, a handler that throws and an error
 *       status with no chat error of the domain, as {@code 1003
 *       InternalServerError} with a {@code RequestInfo} whose request id is
 *       the caller's {@code x-request-id} when that is a plain token, or a
 *       fresh one; the cause is logged with that id and never sent;
 *   <li>answers a request body that holds no message the method can parse
 *       (or a unary call that ends before its message) with {@code 1001
 *       ParamsBindingError} and a {@code BadRequest} naming the
 *       {@code request} field, as the Rust crate does, when the service is
 *       wrapped by {@link #intercept(BindableService)}: it takes requests as
 *       bytes and parses them itself, since grpc-java fails a call whose
 *       request its marshaller refuses before any interceptor can answer.
 * </ul>
 *
 * Statuses with {@code CANCELLED}, {@code DEADLINE_EXCEEDED} and
 * {@code UNIMPLEMENTED} pass unchanged, as they say nothing about the
 * server's inside.
 *
 * <pre>{@code
 * Server server = ServerBuilder.forPort(port)
 *     .addService(ChatErrorInterceptor.create().intercept(service))
 *     .build();
 * }</pre>
 */
public final class ChatErrorInterceptor implements ServerInterceptor {
  private static final Logger LOGGER = Logger.getLogger(ChatErrorInterceptor.class.getName());
  static final Metadata.Key<String> ACCEPT_LANGUAGE =
      Metadata.Key.of("accept-language", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> REQUEST_ID =
      Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);
  private static final int MAX_REQUEST_ID_LENGTH = 128;
  private static final Set<Status.Code> PASSING =
      EnumSet.of(Status.Code.OK, Status.Code.CANCELLED, Status.Code.DEADLINE_EXCEEDED, Status.Code.UNIMPLEMENTED);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** The {@code BadRequest} field a 1001 for an undecodable request names, as in the Rust crate. */
  static final String REQUEST_FIELD = "request";
  /** What a 1001 says of a request that ends before its one message, as in the Rust crate. */
  static final String MISSING_REQUEST_MESSAGE = "is missing: the body holds no message";

  private final String domain;
  private final CatalogueLocale defaultLocale;
  private final ChatErrorDecoder decoder;

  private ChatErrorInterceptor(String domain, CatalogueLocale defaultLocale) {
    this.domain = domain;
    this.defaultLocale = defaultLocale;
    this.decoder = ChatErrorDecoder.forDomain(domain);
  }

  /** The default domain, and {@link CatalogueLocale#defaultLocale()} when the caller names no locale. */
  public static ChatErrorInterceptor create() {
    return new ChatErrorInterceptor(ChatError.DEFAULT_DOMAIN, CatalogueLocale.defaultLocale());
  }

  /** Recognises and sends chat errors of {@code domain}, with {@code defaultLocale} when the caller names none. */
  public static ChatErrorInterceptor create(String domain, CatalogueLocale defaultLocale) {
    return new ChatErrorInterceptor(domain, defaultLocale);
  }

  /**
   * The locale for a call with these {@code accept-language} lines (every
   * line, as one list): the best match, or when none, the default locale,
   * or the first locale {@code q=0} did not rule out.
   */
  public CatalogueLocale negotiate(List<String> acceptLanguage) {
    AcceptLanguage.Negotiation negotiation = AcceptLanguage.negotiate(acceptLanguage);
    if (negotiation.matched != null) {
      return negotiation.matched;
    }
    if (!negotiation.excludes(defaultLocale)) {
      return defaultLocale;
    }
    for (CatalogueLocale locale : CatalogueLocale.all()) {
      if (!negotiation.excludes(locale)) {
        return locale;
      }
    }
    return defaultLocale;
  }

  /**
   * {@code service} behind this interceptor, which also reads each request
   * itself, so that a request body grpc-java cannot parse is answered with
   * {@code 1001 ParamsBindingError} and a {@code BadRequest} naming the
   * {@code request} field, as the Rust crate answers it; installed as a
   * plain {@link ServerInterceptor}, such a request never reaches the
   * interceptor (grpc-java fails the call itself).
   */
  public ServerServiceDefinition intercept(BindableService service) {
    return intercept(service.bindService());
  }

  /** {@code service} behind this interceptor; see {@link #intercept(BindableService)}. */
  public ServerServiceDefinition intercept(ServerServiceDefinition service) {
    ServiceDescriptor original = service.getServiceDescriptor();
    ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
        .setSchemaDescriptor(original.getSchemaDescriptor());
    List<ServerMethodDefinition<byte[], ?>> methods = new ArrayList<>();
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      ServerMethodDefinition<byte[], ?> reading = readingRequests(method);
      methods.add(reading);
      descriptor.addMethod(reading.getMethodDescriptor());
    }
    ServerServiceDefinition.Builder intercepted = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(intercepted::addMethod);
    return intercepted.build();
  }

  private <Q, R> ServerMethodDefinition<byte[], R> readingRequests(ServerMethodDefinition<Q, R> method) {
    MethodDescriptor<Q, R> typed = method.getMethodDescriptor();
    MethodDescriptor<byte[], R> wire = typed.toBuilder(RequestBytes.MARSHALLER, typed.getResponseMarshaller()).build();
    ServerCallHandler<Q, R> next = method.getServerCallHandler();
    return ServerMethodDefinition.create(wire, (call, headers) -> readingCall(call, headers, typed, next));
  }

  private <Q, R> ServerCall.Listener<byte[]> readingCall(ServerCall<byte[], R> call, Metadata headers,
      MethodDescriptor<Q, R> typed, ServerCallHandler<Q, R> next) {
    MaskingCall<byte[], R> masking = new MaskingCall<>(call, headers.get(REQUEST_ID), negotiate(headers));
    ServerCall.Listener<Q> listener = guarded(masking, new RequestBytes.TypedCall<>(masking, typed), headers, next);
    boolean oneRequest = typed.getType().clientSendsOneMessage();
    return new ServerCall.Listener<byte[]>() {
      private boolean received;
      /** Once a request is refused, the handler hears of no later one: the call is over. */
      private boolean refused;

      @Override
      public void onMessage(byte[] bytes) {
        if (refused) {
          return;
        }
        Q message;
        try {
          message = typed.parseRequest(new ByteArrayInputStream(bytes));
        } catch (RuntimeException e) {
          refuse("not a valid " + RequestBytes.typeName(typed) + ": " + RequestBytes.why(e));
          return;
        }
        received = true;
        listener.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!refused && oneRequest && !received) {
          refuse(MISSING_REQUEST_MESSAGE);
        }
        if (!refused) {
          listener.onHalfClose();
        }
      }

      private void refuse(String why) {
        refused = true;
        masking.closeUndecodable(why);
      }

      @Override
      public void onReady() {
        listener.onReady();
      }

      @Override
      public void onCancel() {
        listener.onCancel();
      }

      @Override
      public void onComplete() {
        listener.onComplete();
      }
    };
  }

  /**
   * Masks and negotiates for a call whose requests grpc-java parses: a body
   * it cannot parse fails the call before this interceptor sees it, so
   * prefer {@link #intercept(BindableService)}.
   */
  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    MaskingCall<Q, R> masking = new MaskingCall<>(call, headers.get(REQUEST_ID), negotiate(headers));
    return guarded(masking, masking, headers, next);
  }

  private CatalogueLocale negotiate(Metadata headers) {
    Iterable<String> lines = headers.getAll(ACCEPT_LANGUAGE);
    List<String> acceptLanguage = new ArrayList<>();
    if (lines != null) {
      lines.forEach(acceptLanguage::add);
    }
    return negotiate(acceptLanguage);
  }

  /** The handler's listener, in the call's locale, with what it throws answered as 1003. */
  private static <Q, R> ServerCall.Listener<Q> guarded(MaskingCall<?, ?> masking, ServerCall<Q, R> call,
      Metadata headers, ServerCallHandler<Q, R> next) {
    Context context = Context.current().withValue(ChatStatus.CALL_LOCALE, masking.locale);
    ServerCall.Listener<Q> listener;
    try {
      listener = Contexts.interceptCall(context, call, headers, next);
    } catch (RuntimeException e) {
      masking.closeWithInternal(e);
      return new ServerCall.Listener<Q>() {};
    }
    return new SimpleForwardingServerCallListener<Q>(listener) {
      @Override
      public void onMessage(Q message) {
        guard(() -> super.onMessage(message));
      }

      @Override
      public void onHalfClose() {
        guard(super::onHalfClose);
      }

      @Override
      public void onReady() {
        guard(super::onReady);
      }

      private void guard(Runnable step) {
        try {
          step.run();
        } catch (RuntimeException e) {
          masking.closeWithInternal(e);
        }
      }
    };
  }

  private final class MaskingCall<Q, R> extends SimpleForwardingServerCall<Q, R> {
    private final String sentRequestId;
    final CatalogueLocale locale;
    private boolean closed;

    MaskingCall(ServerCall<Q, R> call, String sentRequestId, CatalogueLocale locale) {
      super(call);
      this.sentRequestId = sentRequestId;
      this.locale = locale;
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      if (closed) {
        return;
      }
      if (PASSING.contains(status.getCode())) {
        closed = true;
        super.close(status, trailers);
        return;
      }
      ChatError chat = decoder.lenient(status, trailers);
      if (chat != null) {
        closed = true;
        super.close(status, inCallLocale(chat, status, trailers));
        return;
      }
      String requestId = requestId();
      LOGGER.log(Level.SEVERE, "request " + requestId + " " + getMethodDescriptor().getFullMethodName()
          + " failed with " + status.getCode() + " " + status.getDescription()
          + "; answered with 1003 InternalServerError", status.getCause());
      sendInternal(requestId);
    }

    /** The trailers with the LocalizedMessage in the negotiated locale, for a code this catalogue knows. */
    private Metadata inCallLocale(ChatError chat, Status status, Metadata trailers) {
      if (chat.code() == null || trailers == null) {
        return trailers;
      }
      byte[] details = trailers.get(ChatErrorDecoder.STATUS_DETAILS_KEY);
      String message = status.getDescription() == null ? "" : status.getDescription();
      byte[] relocalized = details == null ? null
          : Relocalizer.relocalize(details, message, domain, chat.code(), locale);
      if (relocalized == null) {
        return trailers;
      }
      trailers.removeAll(ChatErrorDecoder.STATUS_DETAILS_KEY);
      trailers.put(ChatErrorDecoder.STATUS_DETAILS_KEY, relocalized);
      return trailers;
    }

    /**
     * 1001 for a request body that holds no message the method can parse:
     * the caller's fault, told to the caller, and only worth a debug line here.
     */
    synchronized void closeUndecodable(String why) {
      if (closed) {
        return;
      }
      closed = true;
      LOGGER.log(Level.FINE, "undecodable request to " + getMethodDescriptor().getFullMethodName()
          + " answered with 1001 ParamsBindingError: " + why);
      ChatStatus.Builder undecodable = ChatStatus.builder(ErrorCode.PARAMS_BINDING_ERROR)
          .domain(domain)
          .locale(locale)
          .fieldViolation(REQUEST_FIELD, why);
      super.close(undecodable.status().withCause(null), undecodable.trailers());
    }

    synchronized void closeWithInternal(RuntimeException thrown) {
      if (closed) {
        return;
      }
      String requestId = requestId();
      LOGGER.log(Level.SEVERE, "request " + requestId + " " + getMethodDescriptor().getFullMethodName()
          + " threw; answered with 1003 InternalServerError", thrown);
      sendInternal(requestId);
    }

    private void sendInternal(String requestId) {
      closed = true;
      ChatStatus.Builder internal = ChatStatus.builder(ErrorCode.INTERNAL_SERVER_ERROR_1003)
          .domain(domain)
          .locale(locale)
          .requestInfo(RequestInfo.newBuilder().setRequestId(requestId).build());
      super.close(internal.status().withCause(null), internal.trailers());
    }

    private String requestId() {
      return isPlainToken(sentRequestId) ? sentRequestId : freshRequestId();
    }
  }

  /** Letters, digits, {@code .}, {@code _}, {@code :}, {@code -}, at most 128: safe to echo into logs and details. */
  static boolean isPlainToken(String text) {
    if (text == null || text.isEmpty() || text.length() > MAX_REQUEST_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == ':' || c == '-';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }

  /** 32 hex digits. */
  static String freshRequestId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    StringBuilder id = new StringBuilder(32);
    for (byte b : bytes) {
      id.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return id.toString();
  }
}
