package chat.errors;

import chat.errors.Wire.AnyView;
import chat.errors.Wire.ErrorInfoView;
import chat.errors.Wire.StatusView;
import chat.errors.Wire.WireException;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.rpc.BadRequest;
import com.google.rpc.LocalizedMessage;
import com.google.rpc.RequestInfo;
import com.google.rpc.ResourceInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads chat errors of one ErrorInfo domain, strictly or leniently, with the
 * rules of the Rust crate's {@code src/decode/read.rs}.
 *
 * <p><b>Strict</b> answers {@code null} when the details hold no ErrorInfo of
 * the domain, and throws {@link ChatErrorDecodeException} naming the first
 * problem: details that are not a {@code google.rpc.Status} as prost reads
 * one; a detail of a type read here that does not decode or, once-only,
 * repeats; a status code or message that differs from {@code grpc-status}
 * or {@code grpc-message}; metadata {@code code} that is not canonical
 * decimal or names another code than the reason; a known code sent with
 * another gRPC code or original name; a negative retry delay. A code from a
 * newer catalogue (number and reason both unknown) is kept.
 *
 * <p><b>Lenient</b> checks none of the agreements: broken details are
 * passed over, the first of repeated ones wins, text that is not UTF-8 is
 * read lossily, and it answers {@code null} rather than throwing.
 */
public final class ChatErrorDecoder {
  static final ChatErrorDecoder DEFAULT = new ChatErrorDecoder(ChatError.DEFAULT_DOMAIN);

  /** The trailer protobuf's {@code google.rpc.Status} travels in, as grpc-java's StatusProto names it. */
  static final Metadata.Key<byte[]> STATUS_DETAILS_KEY =
      Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER);

  private static final String ERROR_INFO = "google.rpc.ErrorInfo";
  private static final String LOCALIZED_MESSAGE = "google.rpc.LocalizedMessage";
  private static final String RETRY_INFO = "google.rpc.RetryInfo";
  private static final String BAD_REQUEST = "google.rpc.BadRequest";
  private static final String RESOURCE_INFO = "google.rpc.ResourceInfo";
  private static final String REQUEST_INFO = "google.rpc.RequestInfo";

  private final String domain;
  private final byte[] domainBytes;

  private ChatErrorDecoder(String domain) {
    this.domain = domain;
    this.domainBytes = domain.getBytes(StandardCharsets.UTF_8);
  }

  /** A decoder for the errors of {@code domain}. */
  public static ChatErrorDecoder forDomain(String domain) {
    return domain.equals(ChatError.DEFAULT_DOMAIN) ? DEFAULT : new ChatErrorDecoder(domain);
  }

  /** The ErrorInfo domain this decoder reads. */
  public String domain() {
    return domain;
  }

  /** Leniently, from {@code t} or the first of its causes that carries a gRPC status. */
  public ChatError lenient(Throwable t) {
    Throwable carrier = statusCarrier(t);
    return carrier == null ? null : lenient(statusOf(carrier), trailersOf(carrier));
  }

  /** Strictly, from {@code t} or the first of its causes that carries a gRPC status. */
  public ChatError strict(Throwable t) {
    Throwable carrier = statusCarrier(t);
    return carrier == null ? null : strict(statusOf(carrier), trailersOf(carrier));
  }

  /** Leniently, from a status and its trailers (which may be null). */
  public ChatError lenient(Status status, Metadata trailers) {
    try {
      return decode(status.getCode(), status.getDescription(), detailsOf(trailers), false);
    } catch (ChatErrorDecodeException e) {
      return null;
    }
  }

  /** Strictly, from a status and its trailers (which may be null). */
  public ChatError strict(Status status, Metadata trailers) {
    return decode(status.getCode(), status.getDescription(), detailsOf(trailers), true);
  }

  /**
   * Leniently, from a status as another transport delivers it (gRPC-Web,
   * Cronet): its code, its message already percent-decoded, and the bytes of
   * {@code grpc-status-details-bin} already base64-decoded.
   */
  public ChatError lenient(Status.Code code, String message, byte[] details) {
    try {
      return decode(code, message, details, false);
    } catch (ChatErrorDecodeException e) {
      return null;
    }
  }

  /** Strictly, from a status as another transport delivers it; see {@link #lenient(Status.Code, String, byte[])}. */
  public ChatError strict(Status.Code code, String message, byte[] details) {
    return decode(code, message, details, true);
  }

  /**
   * Leniently, from an HTTP error response: its status and its JSON body, in
   * AIP-193's form ({@code {"error":{"code","message","status","details"}}})
   * or the gateway form grpc-gateway and Envoy's transcoder send
   * ({@code {"code":<gRPC code>,"message","details"}}). The body stands for
   * the {@code google.rpc.Status} of the proto3 JSON mapping and is read with
   * the rules of the gRPC path; what does not parse is passed over, and
   * {@code null} means no chat error of the domain can be found.
   */
  public ChatError lenientHttp(int httpStatus, byte[] body) {
    try {
      HttpJson.Carried carried = HttpJson.read(httpStatus, body, false);
      return carried == null ? null : decode(carried.code, carried.message, carried.details, false);
    } catch (ChatErrorDecodeException e) {
      return null;
    }
  }

  /**
   * Strictly, from an HTTP error response, as the Rust crate's
   * {@code http_json::check_error} reads it: {@code null} when the body is
   * JSON in neither form or holds no ErrorInfo of the domain; details whose
   * {@code @type} the JSON mapping does not know are passed over.
   *
   * @throws ChatErrorDecodeException {@link DecodeErrorKind#TOO_LARGE} over 64 KiB,
   *     {@link DecodeErrorKind#NOT_JSON}, {@link DecodeErrorKind#INVALID_FIELD} for a
   *     mistyped or unknown envelope field, {@link DecodeErrorKind#HTTP_STATUS_MISMATCH},
   *     {@link DecodeErrorKind#MALFORMED_DETAIL} for a detail of a known type that does
   *     not parse, then every kind of the gRPC path
   */
  public ChatError strictHttp(int httpStatus, byte[] body) {
    HttpJson.Carried carried = HttpJson.read(httpStatus, body, true);
    return carried == null ? null : decode(carried.code, carried.message, carried.details, true);
  }

  /**
   * Only the code, leniently, reading no detail but the ErrorInfo: {@code null}
   * when there is no chat error of the domain or this catalogue lacks its code.
   */
  public ErrorCode codeOf(Throwable t) {
    Throwable carrier = statusCarrier(t);
    if (carrier == null) {
      return null;
    }
    try {
      Found found = findErrorInfo(detailsOf(trailersOf(carrier)), false);
      if (found == null) {
        return null;
      }
      ErrorCode[] code = new ErrorCode[1];
      resolveCode(found.info, false, code);
      return code[0];
    } catch (ChatErrorDecodeException e) {
      return null;
    }
  }

  private static Throwable statusCarrier(Throwable t) {
    // A cause chain can loop; grpc-java's StatusProto walks it the same way.
    for (int depth = 0; t != null && depth < 64; depth++, t = t.getCause()) {
      if (t instanceof StatusRuntimeException || t instanceof StatusException) {
        return t;
      }
    }
    return null;
  }

  private static Status statusOf(Throwable carrier) {
    return carrier instanceof StatusRuntimeException
        ? ((StatusRuntimeException) carrier).getStatus()
        : ((StatusException) carrier).getStatus();
  }

  private static Metadata trailersOf(Throwable carrier) {
    return carrier instanceof StatusRuntimeException
        ? ((StatusRuntimeException) carrier).getTrailers()
        : ((StatusException) carrier).getTrailers();
  }

  private static byte[] detailsOf(Metadata trailers) {
    if (trailers == null) {
      return new byte[0];
    }
    try {
      byte[] details = trailers.get(STATUS_DETAILS_KEY);
      return details == null ? new byte[0] : details;
    } catch (RuntimeException e) {
      throw new ChatErrorDecodeException(DecodeErrorKind.MALFORMED_STATUS, null,
          "grpc-status-details-bin cannot be read: " + e.getMessage());
    }
  }

  /**
   * The whole chat error, or null when the details hold no ErrorInfo of the
   * domain: the common core of every entry point, and what the conformance
   * runner calls with the headers as sent.
   */
  ChatError decode(Status.Code grpcCode, String message, byte[] details, boolean strict) {
    String statusMessage = message == null ? "" : message;
    Found found = findErrorInfo(details, strict);
    if (found == null) {
      return null;
    }
    ErrorInfoView info = found.info;
    if (strict && !info.utf8) {
      throw malformed(ERROR_INFO, new WireException(Wire.Problem.NOT_UTF8));
    }
    String reason = text(info.reason, strict);
    Map<String, String> metadata = new LinkedHashMap<>();
    for (byte[][] entry : info.metadata) {
      String key = text(entry[0], strict);
      String value = text(entry[1], strict);
      metadata.put(key, value);
    }
    if (strict) {
      int header = grpcCode.value();
      if (found.status.code != header) {
        throw new ChatErrorDecodeException(DecodeErrorKind.CODE_MISMATCH, null,
            "grpc-status is " + header + " but the details say " + found.status.code);
      }
      if (!Arrays.equals(found.status.message, statusMessage.getBytes(StandardCharsets.UTF_8))) {
        throw new ChatErrorDecodeException(DecodeErrorKind.MESSAGE_MISMATCH, null,
            "grpc-message differs from the message inside the details");
      }
    }
    ErrorCode[] code = new ErrorCode[1];
    Integer number = resolveCode(info, strict, code);
    if (strict && code[0] != null) {
      checkKnownCode(code[0], grpcCode, metadata.get("message"));
    }

    List<LocalizedMessage> localized = new ArrayList<>();
    Duration retryDelay = null;
    List<BadRequest.FieldViolation> violations = new ArrayList<>();
    ResourceInfo resourceInfo = null;
    RequestInfo requestInfo = null;
    List<Any> all = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (byte[] bytes : found.status.details) {
      AnyView detail;
      try {
        detail = AnyView.parse(bytes);
      } catch (WireException e) {
        continue;
      }
      all.add(Any.newBuilder()
          .setTypeUrl(Wire.lossy(detail.typeUrl))
          .setValue(ByteString.copyFrom(detail.value))
          .build());
      String typeName = Wire.isUtf8(detail.typeName()) ? new String(detail.typeName(), StandardCharsets.UTF_8) : "";
      switch (typeName) {
        case LOCALIZED_MESSAGE: {
          LocalizedMessage m = read(LOCALIZED_MESSAGE, LocalizedMessage.getDescriptor(),
              LocalizedMessage.parser(), detail.value, strict);
          if (m != null) {
            localized.add(m);
          }
          break;
        }
        case RETRY_INFO: {
          RetryInfo retry = readOnce(seen, RETRY_INFO, RetryInfo.getDescriptor(), RetryInfo.parser(),
              detail.value, strict);
          if (retry != null) {
            retryDelay = retryDelay(retry, strict);
          }
          break;
        }
        case BAD_REQUEST: {
          BadRequest bad = readOnce(seen, BAD_REQUEST, BadRequest.getDescriptor(), BadRequest.parser(),
              detail.value, strict);
          if (bad != null) {
            violations = bad.getFieldViolationsList();
          }
          break;
        }
        case RESOURCE_INFO: {
          ResourceInfo resource = readOnce(seen, RESOURCE_INFO, ResourceInfo.getDescriptor(),
              ResourceInfo.parser(), detail.value, strict);
          if (resource != null) {
            resourceInfo = resource;
          }
          break;
        }
        case REQUEST_INFO: {
          RequestInfo request = readOnce(seen, REQUEST_INFO, RequestInfo.getDescriptor(),
              RequestInfo.parser(), detail.value, strict);
          if (request != null) {
            requestInfo = request;
          }
          break;
        }
        default:
          // Other detail types, from this server or a proxy, are not ours to judge.
          break;
      }
    }
    return new ChatError(code[0], number, grpcCode, reason, domain, metadata, statusMessage,
        localized, retryDelay, violations, resourceInfo, requestInfo, all);
  }

  private static final class Found {
    final StatusView status;
    final ErrorInfoView info;

    Found(StatusView status, ErrorInfoView info) {
      this.status = status;
      this.info = info;
    }
  }

  /**
   * The details and the ErrorInfo of the domain among them. Strictly, every
   * detail must parse as prost would parse it before a repeated ErrorInfo of
   * the domain is reported.
   */
  private Found findErrorInfo(byte[] details, boolean strict) {
    if (details.length == 0) {
      return null;
    }
    StatusView status;
    try {
      status = StatusView.parse(details);
      if (strict && !status.messageUtf8) {
        throw new WireException(Wire.Problem.NOT_UTF8);
      }
    } catch (WireException e) {
      throw malformedStatus(e);
    }
    ErrorInfoView found = null;
    boolean repeated = false;
    for (byte[] bytes : status.details) {
      AnyView detail;
      try {
        detail = AnyView.parse(bytes);
        if (strict && !detail.typeUrlUtf8) {
          throw new WireException(Wire.Problem.NOT_UTF8);
        }
      } catch (WireException e) {
        if (strict) {
          throw malformedStatus(e);
        }
        continue;
      }
      if (!detail.is(ERROR_INFO)) {
        continue;
      }
      ErrorInfoView info;
      try {
        info = ErrorInfoView.parse(detail.value);
      } catch (WireException e) {
        if (strict) {
          throw malformed(ERROR_INFO, e);
        }
        continue;
      }
      if (!Arrays.equals(info.domain, domainBytes)) {
        if (strict) {
          try {
            info.checkUtf8();
          } catch (WireException e) {
            throw malformed(ERROR_INFO, e);
          }
        }
        continue;
      }
      if (!strict) {
        return new Found(status, info);
      }
      if (found != null) {
        repeated = true;
        try {
          found.checkUtf8();
          info.checkUtf8();
        } catch (WireException e) {
          throw malformed(ERROR_INFO, e);
        }
      }
      found = info;
    }
    if (repeated) {
      throw new ChatErrorDecodeException(DecodeErrorKind.DUPLICATE_DETAIL, ERROR_INFO,
          ERROR_INFO + " appears more than once in the details");
    }
    return found == null ? null : new Found(status, found);
  }

  private static ChatErrorDecodeException malformedStatus(WireException e) {
    return new ChatErrorDecodeException(DecodeErrorKind.MALFORMED_STATUS, null,
        "grpc-status-details-bin is not a google.rpc.Status: " + e.getMessage());
  }

  private static ChatErrorDecodeException malformed(String typeName, WireException e) {
    return new ChatErrorDecodeException(DecodeErrorKind.MALFORMED_DETAIL, typeName,
        "malformed " + typeName + " detail: " + e.getMessage());
  }

  private static String text(byte[] bytes, boolean strict) {
    if (strict && !Wire.isUtf8(bytes)) {
      throw malformed(ERROR_INFO, new WireException(Wire.Problem.NOT_UTF8));
    }
    return Wire.lossy(bytes);
  }

  /** {@code bytes} as text, each maximal invalid UTF-8 sequence read as U+FFFD, as the Rust crate reads them leniently. */
  public static String lossyUtf8(byte[] bytes) {
    return Wire.lossy(bytes);
  }

  /** The code from metadata {@code code}, or from the reason when that is absent. */
  private static Integer resolveCode(ErrorInfoView info, boolean strict, ErrorCode[] code) {
    ErrorCode byReason = Wire.isUtf8(info.reason)
        ? ErrorCode.fromReason(new String(info.reason, StandardCharsets.UTF_8)) : null;
    if (info.code == null) {
      code[0] = byReason;
      return byReason == null ? null : byReason.number();
    }
    if (!strict) {
      Integer number = Wire.isUtf8(info.code) ? parseRustI32(new String(info.code, StandardCharsets.UTF_8)) : null;
      if (number == null) {
        code[0] = byReason;
        return byReason == null ? null : byReason.number();
      }
      code[0] = ErrorCode.fromNumber(number);
      return number;
    }
    int number = canonicalNumber(info.code);
    ErrorCode known = ErrorCode.fromNumber(number);
    if (known != byReason) {
      throw new ChatErrorDecodeException(DecodeErrorKind.CODE_REASON_MISMATCH, null,
          "ErrorInfo metadata code " + number + " and reason "
              + new String(info.reason, StandardCharsets.UTF_8) + " name different codes");
    }
    code[0] = known;
    return number;
  }

  /** Rust's {@code str::parse::<i32>}: an optional sign, then one or more ASCII digits. */
  private static Integer parseRustI32(String text) {
    Long value = parseRustI64(text);
    return value == null || value < Integer.MIN_VALUE || value > Integer.MAX_VALUE ? null : (int) (long) value;
  }

  private static boolean allDigits(String text, int start) {
    for (int i = start; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** Metadata {@code code} as strict decoding takes it: canonical digits of 0 to {@code Integer.MAX_VALUE}. */
  private static int canonicalNumber(byte[] text) {
    String lossy = new String(text, StandardCharsets.UTF_8);
    boolean digitsOnly = text.length > 0;
    for (byte b : text) {
      digitsOnly &= b >= '0' && b <= '9';
    }
    boolean canonical = digitsOnly && (text[0] != '0' || text.length == 1);
    Integer parsed = Wire.isUtf8(text) ? parseRustI32(lossy) : null;
    if (parsed != null && canonical) {
      return parsed;
    }
    if (canonical) {
      throw new ChatErrorDecodeException(DecodeErrorKind.INVALID_CODE_METADATA, null,
          "ErrorInfo metadata code \"" + lossy + "\" is not a number");
    }
    boolean readsAsNumber = Wire.isUtf8(text) && parseRustI64(rustTrim(lossy)) != null;
    if (readsAsNumber) {
      throw new ChatErrorDecodeException(DecodeErrorKind.NON_CANONICAL_CODE, null,
          "ErrorInfo metadata code \"" + lossy + "\" is not written as canonical decimal digits");
    }
    throw new ChatErrorDecodeException(DecodeErrorKind.INVALID_CODE_METADATA, null,
        "ErrorInfo metadata code \"" + lossy + "\" is not a number");
  }

  private static Long parseRustI64(String text) {
    int start = text.startsWith("+") || text.startsWith("-") ? 1 : 0;
    if (start == text.length() || !allDigits(text, start)) {
      return null;
    }
    try {
      return new java.math.BigInteger(text.charAt(0) == '+' ? text.substring(1) : text).longValueExact();
    } catch (ArithmeticException e) {
      return null;
    }
  }

  /** Rust's {@code str::trim}: Unicode White_Space at both ends. */
  private static String rustTrim(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && isRustWhitespace(text.codePointAt(start))) {
      start += Character.charCount(text.codePointAt(start));
    }
    while (end > start && isRustWhitespace(text.codePointBefore(end))) {
      end -= Character.charCount(text.codePointBefore(end));
    }
    return text.substring(start, end);
  }

  private static boolean isRustWhitespace(int c) {
    return (c >= 0x09 && c <= 0x0d) || c == 0x20 || c == 0x85 || c == 0xa0 || c == 0x1680
        || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f
        || c == 0x205f || c == 0x3000;
  }

  private static void checkKnownCode(ErrorCode code, Status.Code grpcStatus, String name) {
    if (grpcStatus != code.grpcCode()) {
      throw new ChatErrorDecodeException(DecodeErrorKind.GRPC_CODE_MISMATCH, null,
          "grpc-status is " + grpcStatus.value() + " (" + grpcStatus + ") but " + code + " is sent as "
              + code.grpcCode().value() + " (" + code.grpcCode() + ")");
    }
    if (name != null && !name.equals(code.originalName())) {
      throw new ChatErrorDecodeException(DecodeErrorKind.NAME_MISMATCH, null,
          "ErrorInfo metadata message \"" + name + "\" is not the name of " + code.number()
              + ", \"" + code.originalName() + "\"");
    }
  }

  private static <M extends Message> M read(String typeName, Descriptor type, Parser<M> parser,
      byte[] value, boolean strict) {
    try {
      Wire.checkMessage(type, value);
      return parser.parseFrom(value);
    } catch (WireException | InvalidProtocolBufferException e) {
      if (strict) {
        throw new ChatErrorDecodeException(DecodeErrorKind.MALFORMED_DETAIL, typeName,
            "malformed " + typeName + " detail: " + e.getMessage());
      }
      return null;
    }
  }

  /** As {@link #read}, for a type that may appear once: a repeat is an error when strict and ignored otherwise. */
  private static <M extends Message> M readOnce(List<String> seen, String typeName, Descriptor type,
      Parser<M> parser, byte[] value, boolean strict) {
    if (seen.contains(typeName)) {
      if (strict) {
        throw new ChatErrorDecodeException(DecodeErrorKind.DUPLICATE_DETAIL, typeName,
            typeName + " appears more than once in the details");
      }
      return null;
    }
    seen.add(typeName);
    return read(typeName, type, parser, value, strict);
  }

  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final long NANOS_MAX = NANOS_PER_SECOND - 1;

  /** prost-types' {@code Duration::normalize} then {@code TryFrom}: negative is refused. */
  private static Duration retryDelay(RetryInfo info, boolean strict) {
    if (!info.hasRetryDelay()) {
      return null;
    }
    long seconds = info.getRetryDelay().getSeconds();
    long nanos = info.getRetryDelay().getNanos();
    if (nanos <= -NANOS_PER_SECOND || nanos >= NANOS_PER_SECOND) {
      long carried = nanos / NANOS_PER_SECOND;
      long sum = seconds + carried;
      boolean overflow = ((seconds ^ sum) & (carried ^ sum)) < 0;
      if (!overflow) {
        seconds = sum;
        nanos %= NANOS_PER_SECOND;
      } else if (nanos < 0) {
        seconds = Long.MIN_VALUE;
        nanos = -NANOS_MAX;
      } else {
        seconds = Long.MAX_VALUE;
        nanos = NANOS_MAX;
      }
    }
    if (seconds < 0 && nanos > 0) {
      seconds += 1;
      nanos -= NANOS_PER_SECOND;
    } else if (seconds > 0 && nanos < 0) {
      seconds -= 1;
      nanos += NANOS_PER_SECOND;
    }
    if (seconds >= 0 && nanos >= 0) {
      return Duration.ofSeconds(seconds, nanos);
    }
    if (strict) {
      throw new ChatErrorDecodeException(DecodeErrorKind.INVALID_RETRY_DELAY, null,
          "RetryInfo.retry_delay is negative");
    }
    return null;
  }
}
