package chat.errors.demo;

import chat.errors.CatalogueLocale;
import chat.errors.ChatError;
import chat.errors.ChatErrorDecodeException;
import chat.errors.ChatErrorDecoder;
import chat.errors.ChatStatus;
import chat.errors.DecodeErrorKind;
import chat.errors.ErrorCode;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.rpc.BadRequest;
import com.google.rpc.LocalizedMessage;
import com.google.rpc.RequestInfo;
import com.google.rpc.ResourceInfo;
import io.grpc.Status;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The JVM runner of conformance/README.md: JSON lines in, one canonical JSON
 * line out per input, for every kind: decode (gRPC and HTTP), negotiate and encode.
 */
public final class ConformanceRunner {
  private static final Pattern GRPC_STATUS = Pattern.compile("0|[1-9]|1[0-6]");
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]*");

  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
    String line;
    while ((line = in.readLine()) != null) {
      String id = "";
      try {
        JsonObject input = JsonParser.parseString(line).getAsJsonObject();
        id = input.get("id").getAsString();
        out.println(Json.write(answer(input)));
      } catch (RuntimeException e) {
        Map<String, Object> failed = new TreeMap<>();
        failed.put("id", id);
        failed.put("runner_error", String.valueOf(e));
        out.println(Json.write(failed));
      }
      out.flush();
    }
  }

  static Map<String, Object> answer(JsonObject input) {
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("id", input.get("id").getAsString());
    if (input.has("negotiate")) {
      CatalogueLocale locale = CatalogueLocale.negotiate(input.get("negotiate").getAsString());
      output.put("locale", locale == null ? null : locale.tag());
    } else if (input.has("encode")) {
      encode(input.getAsJsonObject("encode"), output);
    } else {
      String domain = input.has("domain") ? input.get("domain").getAsString() : ChatError.DEFAULT_DOMAIN;
      ChatErrorDecoder decoder = ChatErrorDecoder.forDomain(domain);
      String transport = input.get("transport").getAsString();
      if (transport.equals("grpc")) {
        decodeGrpc(input.getAsJsonObject("headers"), decoder, output);
      } else if (transport.equals("http")) {
        decodeHttp(input.get("status").getAsInt(), input.get("body").getAsString(), decoder, output);
      } else {
        throw new IllegalArgumentException("unknown transport " + transport);
      }
    }
    return output;
  }

  private static void decodeHttp(int status, String body, ChatErrorDecoder decoder, Map<String, Object> output) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ChatError lenient = decoder.lenientHttp(status, bytes);
    output.put("lenient", lenient == null ? null : view(lenient));
    try {
      ChatError strict = decoder.strictHttp(status, bytes);
      output.put("strict", ok(strict == null ? null : view(strict)));
    } catch (ChatErrorDecodeException e) {
      output.put("strict", error(e));
    }
  }

  /** The trailers read as the crate's status_from_headers reads them, then decoded both ways. */
  private static void decodeGrpc(JsonObject headers, ChatErrorDecoder decoder, Map<String, Object> output) {
    String status = string(headers, "grpc-status");
    if (status == null) {
      output.put("lenient", null);
      output.put("strict", ok(null));
      return;
    }
    String strictProblem = null;
    Status.Code code = Status.Code.UNKNOWN;
    if (GRPC_STATUS.matcher(status).matches()) {
      code = Status.fromCodeValue(Integer.parseInt(status)).getCode();
    } else {
      strictProblem = "InvalidGrpcStatus";
    }
    byte[] details = new byte[0];
    String encodedDetails = string(headers, "grpc-status-details-bin");
    if (encodedDetails != null && !encodedDetails.isEmpty()) {
      byte[] decoded = base64(encodedDetails);
      if (decoded == null && strictProblem == null) {
        strictProblem = "DetailsNotBase64";
      }
      details = decoded == null ? new byte[0] : decoded;
    }
    byte[] messageBytes = percentDecode(string(headers, "grpc-message"));
    String message = utf8(messageBytes);
    if (message == null) {
      if (strictProblem == null) {
        strictProblem = "MessageNotUtf8";
      }
      message = ChatErrorDecoder.lossyUtf8(messageBytes);
    }
    ChatError lenient = decoder.lenient(code, message, details);
    output.put("lenient", lenient == null ? null : view(lenient));
    if (strictProblem != null) {
      output.put("strict", error(strictProblem, null));
      return;
    }
    try {
      ChatError strict = decoder.strict(code, message, details);
      output.put("strict", ok(strict == null ? null : view(strict)));
    } catch (ChatErrorDecodeException e) {
      output.put("strict", error(e));
    }
  }

  private static Map<String, Object> error(ChatErrorDecodeException e) {
    boolean withDetail = e.kind() == DecodeErrorKind.MALFORMED_DETAIL || e.kind() == DecodeErrorKind.DUPLICATE_DETAIL;
    return error(e.kind().crateName(), withDetail ? e.typeName() : null);
  }

  private static Map<String, Object> ok(Object view) {
    Map<String, Object> ok = new TreeMap<>();
    ok.put("ok", view);
    return ok;
  }

  private static Map<String, Object> error(String kind, String detail) {
    Map<String, Object> error = new TreeMap<>();
    error.put("kind", kind);
    if (detail != null) {
      error.put("detail", detail);
    }
    Map<String, Object> wrapped = new TreeMap<>();
    wrapped.put("error", error);
    return wrapped;
  }

  static Map<String, Object> view(ChatError error) {
    Map<String, Object> view = new TreeMap<>();
    view.put("code", error.code() == null ? null : error.code().number());
    view.put("number", error.number());
    view.put("reason", error.reason());
    view.put("domain", error.domain());
    view.put("name", error.originalName());
    view.put("grpc_code", error.grpcCode().value());
    view.put("message", error.message());
    view.put("localized_message", localized(error.localizedMessage()));
    Duration delay = error.retryDelay();
    view.put("retry_delay", delay == null ? null
        : BigInteger.valueOf(delay.getSeconds()).multiply(BigInteger.valueOf(1_000_000_000L))
            .add(BigInteger.valueOf(delay.getNano())).toString());
    List<Object> violations = new ArrayList<>();
    for (BadRequest.FieldViolation violation : error.fieldViolations()) {
      Map<String, Object> entry = new TreeMap<>();
      entry.put("description", violation.getDescription());
      entry.put("field", violation.getField());
      entry.put("localized_message", violation.hasLocalizedMessage() ? localized(violation.getLocalizedMessage()) : null);
      entry.put("reason", violation.getReason());
      violations.add(entry);
    }
    view.put("field_violations", violations);
    ResourceInfo resource = error.resourceInfo();
    if (resource == null) {
      view.put("resource_info", null);
    } else {
      Map<String, Object> entry = new TreeMap<>();
      entry.put("description", resource.getDescription());
      entry.put("owner", resource.getOwner());
      entry.put("resource_name", resource.getResourceName());
      entry.put("resource_type", resource.getResourceType());
      view.put("resource_info", entry);
    }
    RequestInfo request = error.requestInfo();
    if (request == null) {
      view.put("request_info", null);
    } else {
      Map<String, Object> entry = new TreeMap<>();
      entry.put("request_id", request.getRequestId());
      entry.put("serving_data", request.getServingData());
      view.put("request_info", entry);
    }
    view.put("metadata", new TreeMap<String, Object>(error.metadata()));
    return view;
  }

  private static Object localized(LocalizedMessage message) {
    if (message == null) {
      return null;
    }
    Map<String, Object> entry = new TreeMap<>();
    entry.put("locale", message.getLocale());
    entry.put("message", message.getMessage());
    return entry;
  }

  private static void encode(JsonObject input, Map<String, Object> output) {
    ErrorCode code = ErrorCode.fromNumber(input.get("code").getAsInt());
    ChatStatus.Builder builder = ChatStatus.builder(code)
        .locale(CatalogueLocale.fromTag(input.get("locale").getAsString()));
    if (has(input, "domain")) {
      builder.domain(input.get("domain").getAsString());
    }
    if (has(input, "message")) {
      builder.message(input.get("message").getAsString());
    }
    if (has(input, "metadata")) {
      for (Map.Entry<String, JsonElement> entry : new TreeMap<>(input.getAsJsonObject("metadata").asMap()).entrySet()) {
        try {
          builder.metadata(entry.getKey(), entry.getValue().getAsString());
        } catch (IllegalArgumentException e) {
          output.put("refused", ChatStatus.RESERVED_METADATA_KEYS.contains(entry.getKey()) ? "ReservedKey" : "InvalidKey");
          return;
        }
      }
    }
    if (has(input, "retry_delay")) {
      BigInteger[] split = new BigInteger(input.get("retry_delay").getAsString())
          .divideAndRemainder(BigInteger.valueOf(1_000_000_000L));
      builder.retryDelay(Duration.ofSeconds(split[0].longValueExact(), split[1].longValue()));
    }
    if (has(input, "field_violations")) {
      for (JsonElement element : input.getAsJsonArray("field_violations")) {
        JsonObject violation = element.getAsJsonObject();
        BadRequest.FieldViolation.Builder built = BadRequest.FieldViolation.newBuilder()
            .setField(text(violation, "field"))
            .setDescription(text(violation, "description"))
            .setReason(text(violation, "reason"));
        if (has(violation, "localized_message")) {
          JsonObject localized = violation.getAsJsonObject("localized_message");
          built.setLocalizedMessage(LocalizedMessage.newBuilder()
              .setLocale(text(localized, "locale")).setMessage(text(localized, "message")));
        }
        builder.fieldViolation(built.build());
      }
    }
    if (has(input, "resource_info")) {
      JsonObject resource = input.getAsJsonObject("resource_info");
      builder.resourceInfo(ResourceInfo.newBuilder()
          .setResourceType(text(resource, "resource_type")).setResourceName(text(resource, "resource_name"))
          .setOwner(text(resource, "owner")).setDescription(text(resource, "description")).build());
    }
    if (has(input, "request_info")) {
      JsonObject request = input.getAsJsonObject("request_info");
      builder.requestInfo(RequestInfo.newBuilder()
          .setRequestId(text(request, "request_id")).setServingData(text(request, "serving_data")).build());
    }
    Status status = builder.status();
    Map<String, Object> headers = new TreeMap<>();
    headers.put("grpc-status", Integer.toString(status.getCode().value()));
    headers.put("grpc-message", grpcJavaPercentEncode(status.getDescription()));
    headers.put("grpc-status-details-bin", Base64.getEncoder().withoutPadding().encodeToString(builder.encodeDetails()));
    output.put("headers", headers);
  }

  private static boolean has(JsonObject object, String key) {
    return object.has(key) && !object.get(key).isJsonNull();
  }

  private static String text(JsonObject object, String key) {
    return has(object, key) ? object.get(key).getAsString() : "";
  }

  private static String string(JsonObject object, String key) {
    return has(object, key) ? object.get(key).getAsString() : null;
  }

  /** grpc-java's grpc-message encoding: bytes outside 0x20..0x7D, and {@code %}, as {@code %XX}. */
  private static String grpcJavaPercentEncode(String message) {
    StringBuilder encoded = new StringBuilder();
    for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c < ' ' || c >= '~' || c == '%') {
        encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      } else {
        encoded.append((char) c);
      }
    }
    return encoded.toString();
  }

  /** {@code %} and two hex digits of either case give that byte; any other {@code %} stays. */
  private static byte[] percentDecode(String message) {
    if (message == null) {
      return new byte[0];
    }
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream decoded = new ByteArrayOutputStream();
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0) {
        decoded.write(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
        i += 2;
      } else {
        decoded.write(bytes[i]);
      }
    }
    return decoded.toByteArray();
  }

  private static int hex(byte b) {
    return Character.digit((char) (b & 0xff), 16) >= 0 && b >= 0 ? Character.digit((char) b, 16) : -1;
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return null;
    }
  }

  /**
   * The base64 crate's STANDARD alphabet with {@code DecodePaddingMode::Indifferent}:
   * padding may be left out or shortened, never longer than canonical, and
   * trailing bits must be zero.
   */
  private static byte[] base64(String text) {
    int padding = 0;
    while (padding < text.length() && text.charAt(text.length() - 1 - padding) == '=') {
      padding++;
    }
    String body = text.substring(0, text.length() - padding);
    int remainder = body.length() % 4;
    if (!BASE64.matcher(body).matches() || remainder == 1) {
      return null;
    }
    if (padding > 0 && (remainder == 0 || padding > 4 - remainder)) {
      return null;
    }
    byte[] decoded = Base64.getDecoder().decode(pad(body));
    // Non-zero trailing bits: re-encoding would not give the same text.
    if (!Base64.getEncoder().withoutPadding().encodeToString(decoded).equals(body)) {
      return null;
    }
    return decoded;
  }

  private static String pad(String body) {
    StringBuilder padded = new StringBuilder(body);
    while (padded.length() % 4 != 0) {
      padded.append('=');
    }
    return padded.toString();
  }

  /** Canonical JSON: no whitespace, keys by code point, only the required escapes. */
  static final class Json {
    static String write(Object value) {
      StringBuilder out = new StringBuilder();
      write(value, out);
      return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static void write(Object value, StringBuilder out) {
      if (value == null) {
        out.append("null");
      } else if (value instanceof String) {
        string((String) value, out);
      } else if (value instanceof Integer || value instanceof Long) {
        out.append(value);
      } else if (value instanceof Map) {
        List<Map.Entry<String, Object>> entries = new ArrayList<>(((Map<String, Object>) value).entrySet());
        entries.sort((a, b) -> compareCodePoints(a.getKey(), b.getKey()));
        out.append('{');
        for (int i = 0; i < entries.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          string(entries.get(i).getKey(), out);
          out.append(':');
          write(entries.get(i).getValue(), out);
        }
        out.append('}');
      } else if (value instanceof List) {
        out.append('[');
        List<Object> list = (List<Object>) value;
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(list.get(i), out);
        }
        out.append(']');
      } else {
        throw new IllegalArgumentException("no JSON form for " + value.getClass());
      }
    }

    private static int compareCodePoints(String a, String b) {
      int i = 0;
      int j = 0;
      while (i < a.length() && j < b.length()) {
        int x = a.codePointAt(i);
        int y = b.codePointAt(j);
        if (x != y) {
          return Integer.compare(x, y);
        }
        i += Character.charCount(x);
        j += Character.charCount(y);
      }
      return Integer.compare(a.length() - i, b.length() - j);
    }

    private static void string(String text, StringBuilder out) {
      out.append('"');
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        switch (c) {
          case '"': out.append("\\\""); break;
          case '\\': out.append("\\\\"); break;
          case '\b': out.append("\\b"); break;
          case '\t': out.append("\\t"); break;
          case '\n': out.append("\\n"); break;
          case '\f': out.append("\\f"); break;
          case '\r': out.append("\\r"); break;
          default:
            if (c < 0x20) {
              out.append(String.format("\\u%04x", (int) c));
            } else {
              out.append(c);
            }
        }
      }
      out.append('"');
    }
  }

  private ConformanceRunner() {}
}
