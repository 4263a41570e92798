package chat.errors;

import com.google.protobuf.MessageLite;
import com.google.rpc.BadRequest;
import com.google.rpc.LocalizedMessage;
import com.google.rpc.RequestInfo;
import com.google.rpc.ResourceInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the status a chat service fails a call with, byte for byte as the
 * Rust crate sends it: the code's gRPC code, its English description (or
 * the custom message) as {@code grpc-message}, and
 * {@code grpc-status-details-bin} holding {@code ErrorInfo{reason, domain,
 * metadata{code, message, …}}}, one {@code LocalizedMessage}, then
 * {@code RetryInfo}, {@code BadRequest}, {@code ResourceInfo} and
 * {@code RequestInfo} when given.
 *
 * <pre>{@code
 * throw ChatStatus.builder(ErrorCode.TOO_MANY_REQUESTS)
 *     .retryDelay(Duration.ofSeconds(3))
 *     .metadata("limit", "20/minute")
 *     .asRuntimeException();
 * }</pre>
 *
 * <p>Every text sent (the custom message, metadata values, every string of a
 * field violation and of its localized message, ResourceInfo and RequestInfo
 * fields) is cleaned alike:
 * control characters, line and paragraph separators and bidi controls
 * become spaces, then a text still over 1024 UTF-8 bytes is cut and ends
 * with {@code …}. A status never lets {@code grpc-message} (percent-encoded)
 * and the details (base64) pass {@link #MAX_TRAILER_BYTES} together: field
 * violations go first, last first, then metadata entries, last added
 * first, then ResourceInfo, then RequestInfo, and ErrorInfo metadata
 * {@code truncated} says what went, e.g. {@code fieldViolations:12,metadata:2}.
 *
 * <p>The LocalizedMessage is in the locale of the call being served when a
 * {@link ChatErrorInterceptor} negotiated one, else in the default locale,
 * unless {@link Builder#locale} picks another.
 */
public final class ChatStatus {
  /** The most that grpc-message and grpc-status-details-bin may take together, as sent. */
  public static final int MAX_TRAILER_BYTES = 7 * 1024;
  /** The longest text sent, in UTF-8 bytes. */
  public static final int MAX_TEXT_BYTES = TextCleaner.MAX_TEXT_BYTES;

  static final Context.Key<CatalogueLocale> CALL_LOCALE = Context.key("chat-errors-locale");

  private static final String TYPE_PREFIX = "type.googleapis.com/";
  private static final String ERROR_INFO_URL = TYPE_PREFIX + "google.rpc.ErrorInfo";
  private static final String LOCALIZED_MESSAGE_URL = TYPE_PREFIX + "google.rpc.LocalizedMessage";
  private static final String RETRY_INFO_URL = TYPE_PREFIX + "google.rpc.RetryInfo";
  private static final String BAD_REQUEST_URL = TYPE_PREFIX + "google.rpc.BadRequest";
  private static final String RESOURCE_INFO_URL = TYPE_PREFIX + "google.rpc.ResourceInfo";
  private static final String REQUEST_INFO_URL = TYPE_PREFIX + "google.rpc.RequestInfo";
  /** The ErrorInfo metadata keys the library fills in: the number, the original name, and what the cap dropped. */
  public static final List<String> RESERVED_METADATA_KEYS = List.of("code", "message", "truncated");
  private static final int MAX_METADATA_KEY_LENGTH = 64;

  /** A builder for {@code code}'s status. */
  public static Builder builder(ErrorCode code) {
    return new Builder(code);
  }

  /** {@code code}'s status with nothing but the defaults, as an exception to throw. */
  public static StatusRuntimeException of(ErrorCode code) {
    return builder(code).asRuntimeException();
  }

  /** The locale the call being served negotiated, or the default locale outside a call. */
  public static CatalogueLocale callLocale() {
    CatalogueLocale locale = CALL_LOCALE.get();
    return locale == null ? CatalogueLocale.defaultLocale() : locale;
  }

  /** The parts of a chat error's status. Not thread-safe; {@link #build} may be called many times. */
  public static final class Builder {
    private final ErrorCode code;
    private CatalogueLocale locale;
    private String domain = ChatError.DEFAULT_DOMAIN;
    private String message;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private Duration retryDelay;
    private final List<BadRequest.FieldViolation> violations = new ArrayList<>();
    private ResourceInfo resourceInfo;
    private RequestInfo requestInfo;
    private Throwable cause;

    private Builder(ErrorCode code) {
      this.code = Objects.requireNonNull(code, "code");
    }

    /** Replaces the English description as the status message; an empty or blank one keeps it. */
    public Builder message(String message) {
      String cleaned = TextCleaner.clean(message);
      this.message = TextCleaner.isBlank(cleaned) ? null : cleaned;
      return this;
    }

    /** Sends the LocalizedMessage in {@code locale}. */
    public Builder locale(CatalogueLocale locale) {
      this.locale = Objects.requireNonNull(locale, "locale");
      return this;
    }

    /** Sends the error under {@code domain} instead of {@link ChatError#DEFAULT_DOMAIN}. */
    public Builder domain(String domain) {
      this.domain = Objects.requireNonNull(domain, "domain");
      return this;
    }

    /**
     * Adds {@code key: value} to {@code ErrorInfo.metadata}, replacing an earlier value of the key.
     *
     * @throws IllegalArgumentException for {@code code}, {@code message} and {@code truncated},
     *     which the library fills in, and for a key outside {@code [a-z][a-zA-Z0-9-_]+} or over 64 characters
     */
    public Builder metadata(String key, String value) {
      checkKey(key);
      metadata.put(key, TextCleaner.clean(value));
      return this;
    }

    /** Tells the client how long to wait before retrying, as {@code RetryInfo}. */
    public Builder retryDelay(Duration delay) {
      if (delay.isNegative()) {
        throw new IllegalArgumentException("a retry delay cannot be negative: " + delay);
      }
      this.retryDelay = delay;
      return this;
    }

    /** Adds a violation of {@code field} (a dotted path into the request), sent in one {@code BadRequest}. */
    public Builder fieldViolation(String field, String description) {
      return fieldViolation(BadRequest.FieldViolation.newBuilder()
          .setField(field).setDescription(description).build());
    }

    /** Adds a whole field violation, with its own reason or localized message, every string of it cleaned. */
    public Builder fieldViolation(BadRequest.FieldViolation violation) {
      BadRequest.FieldViolation.Builder cleaned = violation.toBuilder()
          .setField(TextCleaner.clean(violation.getField()))
          .setDescription(TextCleaner.clean(violation.getDescription()))
          .setReason(TextCleaner.clean(violation.getReason()));
      if (violation.hasLocalizedMessage()) {
        LocalizedMessage localized = violation.getLocalizedMessage();
        cleaned.setLocalizedMessage(LocalizedMessage.newBuilder()
            .setLocale(TextCleaner.clean(localized.getLocale()))
            .setMessage(TextCleaner.clean(localized.getMessage())));
      }
      violations.add(cleaned.build());
      return this;
    }

    /** Names the resource the error is about. */
    public Builder resourceInfo(ResourceInfo resource) {
      this.resourceInfo = ResourceInfo.newBuilder()
          .setResourceType(TextCleaner.clean(resource.getResourceType()))
          .setResourceName(TextCleaner.clean(resource.getResourceName()))
          .setOwner(TextCleaner.clean(resource.getOwner()))
          .setDescription(TextCleaner.clean(resource.getDescription()))
          .build();
      return this;
    }

    /** Identifies the request, so a client can quote it and the logs can be searched for it. */
    public Builder requestInfo(RequestInfo request) {
      this.requestInfo = RequestInfo.newBuilder()
          .setRequestId(TextCleaner.clean(request.getRequestId()))
          .setServingData(TextCleaner.clean(request.getServingData()))
          .build();
      return this;
    }

    /** Keeps the underlying cause for the server's logs, as the Status's cause: it is never sent. */
    public Builder cause(Throwable cause) {
      this.cause = cause;
      return this;
    }

    /** The {@code google.rpc.Status}, as StatusProto would carry it. */
    public com.google.rpc.Status build() {
      try {
        return com.google.rpc.Status.parseFrom(encodeDetails());
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new IllegalStateException("the status just written does not parse", e);
      }
    }

    /** The status as a {@code StatusRuntimeException}, the form grpc-java handlers throw. */
    public StatusRuntimeException asRuntimeException() {
      return status().asRuntimeException(trailers());
    }

    /** The status as a checked {@code StatusException}, as grpc-kotlin handlers throw. */
    public StatusException asException() {
      return status().asException(trailers());
    }

    /** The {@code io.grpc.Status}, without the details: pair it with {@link #trailers()}. */
    public Status status() {
      return Status.fromCodeValue(code.grpcCode().value()).withDescription(message()).withCause(cause);
    }

    /** Trailers holding {@code grpc-status-details-bin}, exactly as the Rust crate writes it. */
    public Metadata trailers() {
      Metadata trailers = new Metadata();
      trailers.put(ChatErrorDecoder.STATUS_DETAILS_KEY, encodeDetails());
      return trailers;
    }

    private String message() {
      return message != null ? message : code.developerDescription();
    }

    /** The encoded {@code google.rpc.Status}, fitted to {@link #MAX_TRAILER_BYTES}. */
    public byte[] encodeDetails() {
      CatalogueLocale sentIn = locale != null ? locale : callLocale();
      Shape full = new Shape(this, sentIn);
      return Fitting.fit(full).write();
    }
  }

  private static void checkKey(String key) {
    if (RESERVED_METADATA_KEYS.contains(key)) {
      throw new IllegalArgumentException("ErrorInfo metadata key \"" + key + "\" is reserved for chat-errors");
    }
    boolean wellFormed = key.length() >= 2 && key.length() <= MAX_METADATA_KEY_LENGTH
        && key.charAt(0) >= 'a' && key.charAt(0) <= 'z';
    for (int i = 0; wellFormed && i < key.length(); i++) {
      char c = key.charAt(i);
      wellFormed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }
    if (!wellFormed) {
      throw new IllegalArgumentException("ErrorInfo metadata key \"" + key
          + "\" must match [a-z][a-zA-Z0-9-_]+ and be at most 64 characters");
    }
  }

  /** One status's parts, with what the size cap dropped. */
  static final class Shape {
    final ErrorCode code;
    final String domain;
    final String message;
    final CatalogueLocale locale;
    final List<Map.Entry<String, String>> metadata;
    final String truncated;
    final RetryInfo retry;
    final List<BadRequest.FieldViolation> violations;
    final ResourceInfo resource;
    final RequestInfo request;

    Shape(Builder builder, CatalogueLocale locale) {
      this.code = builder.code;
      this.domain = builder.domain;
      this.message = builder.message();
      this.locale = locale;
      this.metadata = new ArrayList<>(builder.metadata.entrySet());
      this.truncated = null;
      this.retry = builder.retryDelay == null ? null : RetryInfo.newBuilder()
          .setRetryDelay(com.google.protobuf.Duration.newBuilder()
              .setSeconds(builder.retryDelay.getSeconds()).setNanos(builder.retryDelay.getNano()))
          .build();
      this.violations = new ArrayList<>(builder.violations);
      this.resource = builder.resourceInfo;
      this.request = builder.requestInfo;
    }

    private Shape(Shape full, int metadataKept, int violationsKept, boolean resourceKept,
        boolean requestKept, String truncated) {
      this.code = full.code;
      this.domain = full.domain;
      this.message = full.message;
      this.locale = full.locale;
      this.metadata = full.metadata.subList(0, metadataKept);
      this.truncated = truncated;
      this.retry = full.retry;
      this.violations = full.violations.subList(0, violationsKept);
      this.resource = resourceKept ? full.resource : null;
      this.request = requestKept ? full.request : null;
    }

    /** This shape keeping only its first {@code kept} optional parts in keeping order, marked with what it dropped. */
    Shape keepFirst(int kept) {
      boolean requestKept = request != null && kept > 0;
      kept -= requestKept ? 1 : 0;
      boolean resourceKept = resource != null && kept > 0;
      kept -= resourceKept ? 1 : 0;
      int metadataKept = Math.min(kept, metadata.size());
      kept -= metadataKept;
      int violationsKept = Math.min(kept, violations.size());
      List<String> dropped = new ArrayList<>();
      if (violations.size() > violationsKept) {
        dropped.add("fieldViolations:" + (violations.size() - violationsKept));
      }
      if (metadata.size() > metadataKept) {
        dropped.add("metadata:" + (metadata.size() - metadataKept));
      }
      if (resource != null && !resourceKept) {
        dropped.add("resourceInfo:1");
      }
      if (request != null && !requestKept) {
        dropped.add("requestInfo:1");
      }
      return new Shape(this, metadataKept, violationsKept, resourceKept, requestKept, String.join(",", dropped));
    }

    /** What each optional part adds on its own, in keeping order (request, resource, metadata, violations). */
    List<Integer> optionalPartLengths() {
      List<Integer> lengths = new ArrayList<>();
      if (request != null) {
        lengths.add(detailLength(REQUEST_INFO_URL, request.getSerializedSize()));
      }
      if (resource != null) {
        lengths.add(detailLength(RESOURCE_INFO_URL, resource.getSerializedSize()));
      }
      for (Map.Entry<String, String> entry : metadata) {
        lengths.add(Writer.fieldLength(3, Writer.mapEntryLength(entry.getKey(), entry.getValue())));
      }
      for (BadRequest.FieldViolation violation : violations) {
        lengths.add(Writer.fieldLength(1, violation.getSerializedSize()));
      }
      return lengths;
    }

    private List<String[]> metadataEntries() {
      List<String[]> entries = new ArrayList<>();
      entries.add(new String[] {"code", Integer.toString(code.number())});
      entries.add(new String[] {"message", code.originalName()});
      for (Map.Entry<String, String> entry : metadata) {
        entries.add(new String[] {entry.getKey(), entry.getValue()});
      }
      if (truncated != null) {
        entries.add(new String[] {"truncated", truncated});
      }
      return entries;
    }

    private int errorInfoLength() {
      int length = Writer.stringFieldLength(1, code.reason()) + Writer.stringFieldLength(2, domain);
      for (String[] entry : metadataEntries()) {
        length += Writer.fieldLength(3, Writer.mapEntryLength(entry[0], entry[1]));
      }
      return length;
    }

    private int badRequestLength() {
      int length = 0;
      for (BadRequest.FieldViolation violation : violations) {
        length += Writer.fieldLength(1, violation.getSerializedSize());
      }
      return length;
    }

    static int localizedLength(ErrorCode code, CatalogueLocale locale) {
      int body = Writer.stringFieldLength(1, locale.tag()) + Writer.stringFieldLength(2, code.description(locale));
      return detailLength(LOCALIZED_MESSAGE_URL, body);
    }

    /** The exact length of the encoded {@code google.rpc.Status}. */
    int encodedLength() {
      int length = Writer.int32FieldLength(1, code.grpcCode().value())
          + Writer.stringFieldLength(2, message)
          + detailLength(ERROR_INFO_URL, errorInfoLength())
          + localizedLength(code, locale);
      if (retry != null) {
        length += detailLength(RETRY_INFO_URL, retry.getSerializedSize());
      }
      if (!violations.isEmpty()) {
        length += detailLength(BAD_REQUEST_URL, badRequestLength());
      }
      if (resource != null) {
        length += detailLength(RESOURCE_INFO_URL, resource.getSerializedSize());
      }
      if (request != null) {
        length += detailLength(REQUEST_INFO_URL, request.getSerializedSize());
      }
      return length;
    }

    byte[] write() {
      Writer out = new Writer();
      out.int32Field(1, code.grpcCode().value());
      out.stringField(2, message);
      out.detailHeader(ERROR_INFO_URL, errorInfoLength());
      out.stringField(1, code.reason());
      out.stringField(2, domain);
      for (String[] entry : metadataEntries()) {
        out.mapEntry(3, entry[0], entry[1]);
      }
      LocalizedMessage localized = LocalizedMessage.newBuilder()
          .setLocale(locale.tag()).setMessage(code.description(locale)).build();
      out.detail(LOCALIZED_MESSAGE_URL, localized);
      if (retry != null) {
        out.detail(RETRY_INFO_URL, retry);
      }
      if (!violations.isEmpty()) {
        out.detailHeader(BAD_REQUEST_URL, badRequestLength());
        for (BadRequest.FieldViolation violation : violations) {
          out.message(1, violation);
        }
      }
      if (resource != null) {
        out.detail(RESOURCE_INFO_URL, resource);
      }
      if (request != null) {
        out.detail(REQUEST_INFO_URL, request);
      }
      return out.toByteArray();
    }
  }

  static int detailLength(String typeUrl, int valueLength) {
    return Writer.fieldLength(3, Writer.anyLength(typeUrl, valueLength));
  }

  /** The size cap of src/encode/limits.rs. */
  static final class Fitting {
    static Shape fit(Shape full) {
      int messageLength = percentEncodedLength(full.message);
      if (fits(full, messageLength)) {
        return full;
      }
      int rawBudget = Math.max(0, MAX_TRAILER_BYTES - messageLength) / 4 * 3;
      int longestPossible = 0;
      int partsLength = 0;
      for (int partLength : full.optionalPartLengths()) {
        partsLength += partLength;
        if (partsLength > rawBudget) {
          break;
        }
        longestPossible++;
      }
      for (int kept = longestPossible; kept >= 0; kept--) {
        Shape candidate = full.keepFirst(kept);
        if (fits(candidate, messageLength)) {
          return candidate;
        }
      }
      return full.keepFirst(0);
    }

    /** The cap holds in the longest locale, so that it still holds when the status is sent in another. */
    private static boolean fits(Shape shape, int messageLength) {
      int longest = 0;
      for (CatalogueLocale locale : CatalogueLocale.all()) {
        longest = Math.max(longest, Shape.localizedLength(shape.code, locale));
      }
      int inAnyLocale = shape.encodedLength() + longest - Shape.localizedLength(shape.code, shape.locale);
      return messageLength + base64Length(inAnyLocale) <= MAX_TRAILER_BYTES;
    }

    /** The length of {@code message} as tonic percent-encodes it, so that the cap drops what Rust's drops. */
    static int percentEncodedLength(String message) {
      int length = 0;
      for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
        int c = b & 0xff;
        boolean escaped = c == ' ' || c == '"' || c == '#' || c == '%' || c == '<' || c == '>'
            || c == '`' || c == '?' || c == '{' || c == '}' || c < 0x21 || c > 0x7e;
        length += escaped ? 3 : 1;
      }
      return length;
    }

    static int base64Length(int rawLength) {
      return (rawLength * 4 + 2) / 3;
    }
  }

  /** The few protobuf writes done by hand, as the Rust crate's src/encode/writer.rs does them. */
  static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static int varintLength(long value) {
      int length = 1;
      while ((value & ~0x7FL) != 0) {
        value >>>= 7;
        length++;
      }
      return length;
    }

    static int fieldLength(int tag, int length) {
      return varintLength((long) tag << 3) + varintLength(length) + length;
    }

    /** Proto3 leaves an empty string out. */
    static int stringFieldLength(int tag, String text) {
      return text.isEmpty() ? 0 : fieldLength(tag, utf8(text).length);
    }

    static int int32FieldLength(int tag, int value) {
      return value == 0 ? 0 : varintLength((long) tag << 3) + varintLength(value < 0 ? value & 0xFFFFFFFFFFFFFFFFL : value);
    }

    static int mapEntryLength(String key, String value) {
      return stringFieldLength(1, key) + stringFieldLength(2, value);
    }

    static int anyLength(String typeUrl, int valueLength) {
      return stringFieldLength(1, typeUrl) + fieldLength(2, valueLength);
    }

    void varint(long value) {
      while ((value & ~0x7FL) != 0) {
        out.write((int) ((value & 0x7F) | 0x80));
        value >>>= 7;
      }
      out.write((int) value);
    }

    void header(int tag, int length) {
      varint(((long) tag << 3) | 2);
      varint(length);
    }

    void int32Field(int tag, int value) {
      if (value != 0) {
        varint((long) tag << 3);
        varint(value);
      }
    }

    void stringField(int tag, String text) {
      if (!text.isEmpty()) {
        byte[] bytes = utf8(text);
        header(tag, bytes.length);
        out.write(bytes, 0, bytes.length);
      }
    }

    void bytesField(int tag, byte[] bytes) {
      if (bytes.length > 0) {
        header(tag, bytes.length);
        out.write(bytes, 0, bytes.length);
      }
    }

    void mapEntry(int tag, String key, String value) {
      header(tag, mapEntryLength(key, value));
      stringField(1, key);
      stringField(2, value);
    }

    void detailHeader(String typeUrl, int valueLength) {
      header(3, anyLength(typeUrl, valueLength));
      stringField(1, typeUrl);
      header(2, valueLength);
    }

    void detail(String typeUrl, MessageLite value) {
      detailHeader(typeUrl, value.getSerializedSize());
      byte[] bytes = value.toByteArray();
      out.write(bytes, 0, bytes.length);
    }

    void message(int tag, MessageLite value) {
      header(tag, value.getSerializedSize());
      byte[] bytes = value.toByteArray();
      out.write(bytes, 0, bytes.length);
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }

    private static byte[] utf8(String text) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
  }

  private ChatStatus() {}
}
