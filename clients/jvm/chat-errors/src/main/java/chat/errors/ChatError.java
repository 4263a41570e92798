package chat.errors;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.LocalizedMessage;
import com.google.rpc.RequestInfo;
import com.google.rpc.ResourceInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A chat error as a client received it, read from a {@code Throwable} or a
 * {@code Status} and its trailers.
 *
 * <p>Everything comes from the wire, so a peer on a newer catalogue can send
 * a code this build does not know: {@link #code()} is then {@code null}
 * while {@link #number()} and {@link #reason()} keep what was sent.
 *
 * <pre>{@code
 * } catch (StatusRuntimeException e) {
 *   ChatError error = ChatError.fromThrowable(e);
 *   if (error != null && error.is(ErrorCode.CHANNEL_NOT_FOUND)) {
 *     show(error.localizedMessage().getMessage());
 *   }
 * }
 * }</pre>
 *
 * <p>{@code from*} read leniently, {@code check*} strictly, exactly as the
 * Rust crate's {@code get_chat_error} and {@code check_chat_error} do; both
 * expect the default domain, and {@link ChatErrorDecoder#forDomain} another.
 */
public final class ChatError {
  /** The ErrorInfo domain of the catalogue's errors unless a service sets another. */
  public static final String DEFAULT_DOMAIN = "chat.errors.v1";

  private final ErrorCode code;
  private final Integer number;
  private final Status.Code grpcCode;
  private final String reason;
  private final String domain;
  private final Map<String, String> metadata;
  private final String message;
  private final List<LocalizedMessage> localizedMessages;
  private final Duration retryDelay;
  private final List<BadRequest.FieldViolation> fieldViolations;
  private final ResourceInfo resourceInfo;
  private final RequestInfo requestInfo;
  private final List<Any> details;

  ChatError(ErrorCode code, Integer number, Status.Code grpcCode, String reason, String domain,
      Map<String, String> metadata, String message, List<LocalizedMessage> localizedMessages,
      Duration retryDelay, List<BadRequest.FieldViolation> fieldViolations, ResourceInfo resourceInfo,
      RequestInfo requestInfo, List<Any> details) {
    this.code = code;
    this.number = number;
    this.grpcCode = grpcCode;
    this.reason = reason;
    this.domain = domain;
    this.metadata = Collections.unmodifiableMap(metadata);
    this.message = message;
    this.localizedMessages = Collections.unmodifiableList(localizedMessages);
    this.retryDelay = retryDelay;
    this.fieldViolations = Collections.unmodifiableList(fieldViolations);
    this.resourceInfo = resourceInfo;
    this.requestInfo = requestInfo;
    this.details = Collections.unmodifiableList(details);
  }

  /** The chat error in {@code t} or its causes, leniently; {@code null} when there is none. */
  public static ChatError fromThrowable(Throwable t) {
    return ChatErrorDecoder.DEFAULT.lenient(t);
  }

  /**
   * Whether {@code t} or one of its causes carries the chat error {@code code},
   * read leniently from the ErrorInfo alone: the cheap way to branch on a code.
   */
  public static boolean isCode(Throwable t, ErrorCode code) {
    return ChatErrorDecoder.DEFAULT.codeOf(t) == code;
  }

  /** The chat error in a status and its trailers, leniently; {@code null} when there is none. */
  public static ChatError fromStatus(Status status, Metadata trailers) {
    return ChatErrorDecoder.DEFAULT.lenient(status, trailers);
  }

  /**
   * The chat error in {@code t} or its causes, strictly; {@code null} when
   * the status carries no ErrorInfo of the domain.
   *
   * @throws ChatErrorDecodeException when the details are broken or contradict themselves or the status
   */
  public static ChatError checkThrowable(Throwable t) {
    return ChatErrorDecoder.DEFAULT.strict(t);
  }

  /**
   * The chat error in a status and its trailers, strictly.
   *
   * @throws ChatErrorDecodeException as {@link #checkThrowable}
   */
  public static ChatError checkStatus(Status status, Metadata trailers) {
    return ChatErrorDecoder.DEFAULT.strict(status, trailers);
  }

  /**
   * The chat error in an HTTP error response, leniently: its status and JSON
   * body, in AIP-193's form or the gateway form (see
   * {@link ChatErrorDecoder#lenientHttp}); {@code null} when there is none.
   */
  public static ChatError fromHttp(int httpStatus, byte[] body) {
    return ChatErrorDecoder.DEFAULT.lenientHttp(httpStatus, body);
  }

  /**
   * The chat error in an HTTP error response, strictly (see
   * {@link ChatErrorDecoder#strictHttp}); {@code null} when the body holds none.
   *
   * @throws ChatErrorDecodeException when the body or its details break the crate's rules
   */
  public static ChatError checkHttp(int httpStatus, byte[] body) {
    return ChatErrorDecoder.DEFAULT.strictHttp(httpStatus, body);
  }

  /** The error code, or {@code null} when this build's catalogue lacks it. */
  public ErrorCode code() {
    return code;
  }

  /** Whether this is the error {@code code}. */
  public boolean is(ErrorCode code) {
    return this.code == code;
  }

  /** The numeric code as sent: ErrorInfo metadata {@code code}, or else the reason's; may be null. */
  public Integer number() {
    return number;
  }

  /** The gRPC status code the error arrived with. */
  public Status.Code grpcCode() {
    return grpcCode;
  }

  /** {@code ErrorInfo.reason}, e.g. {@code CHANNEL_NOT_FOUND}. */
  public String reason() {
    return reason;
  }

  /** {@code ErrorInfo.domain}. */
  public String domain() {
    return domain;
  }

  /** The original error name, ErrorInfo metadata {@code message}; may be null. */
  public String originalName() {
    return metadata.get("message");
  }

  /** All of {@code ErrorInfo.metadata}, {@code code} and {@code message} included. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** The status message ({@code grpc-message}), developer-facing. */
  public String message() {
    return message;
  }

  /** The user-facing message with its locale: the first LocalizedMessage, or null. */
  public LocalizedMessage localizedMessage() {
    return localizedMessages.isEmpty() ? null : localizedMessages.get(0);
  }

  /** Every LocalizedMessage, in the order sent; a chat server sends exactly one. */
  public List<LocalizedMessage> localizedMessages() {
    return localizedMessages;
  }

  /** {@code RetryInfo.retry_delay}, or null when none was sent. */
  public Duration retryDelay() {
    return retryDelay;
  }

  /** The {@code BadRequest} field violations, in the order sent. */
  public List<BadRequest.FieldViolation> fieldViolations() {
    return fieldViolations;
  }

  /** {@code ResourceInfo}, or null. */
  public ResourceInfo resourceInfo() {
    return resourceInfo;
  }

  /** {@code RequestInfo}, or null. */
  public RequestInfo requestInfo() {
    return requestInfo;
  }

  /** Every detail that parsed as an {@code Any}, in the order sent, unknown types included. */
  public List<Any> details() {
    return details;
  }

  /** {@code 2003 ChannelNotFound: The channel does not exist.}; an unknown code shows number and reason. */
  @Override
  public String toString() {
    if (code != null) {
      return code + ": " + message;
    }
    return (number != null ? number + " " : "") + reason + ": " + message;
  }
}
