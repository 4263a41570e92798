package chat.errors;

import com.google.rpc.RequestInfo;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
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
 *       fresh one; the cause is logged with that id and never sent.
 * </ul>
 *
 * Statuses with {@code CANCELLED}, {@code DEADLINE_EXCEEDED} and
 * {@code UNIMPLEMENTED} pass unchanged, as they say nothing about the
 * server's inside.
 *
 * <pre>{@code
 * Server server = ServerBuilder.forPort(port)
 *     .addService(ServerInterceptors.intercept(service, ChatErrorInterceptor.create()))
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

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    Iterable<String> lines = headers.getAll(ACCEPT_LANGUAGE);
    List<String> acceptLanguage = new ArrayList<>();
    if (lines != null) {
      lines.forEach(acceptLanguage::add);
    }
    CatalogueLocale locale = negotiate(acceptLanguage);
    MaskingCall<Q, R> masking = new MaskingCall<>(call, headers.get(REQUEST_ID), locale);
    Context context = Context.current().withValue(ChatStatus.CALL_LOCALE, locale);
    ServerCall.Listener<Q> listener;
    try {
      listener = Contexts.interceptCall(context, masking, headers, next);
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
    private final CatalogueLocale locale;
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
