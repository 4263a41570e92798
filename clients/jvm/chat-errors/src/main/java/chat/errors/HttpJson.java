package chat.errors;

import com.google.protobuf.Any;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * An HTTP JSON error body, in AIP-193's form
 * ({@code {"error":{"code","message","status","details"}}}) or the gateway
 * form ({@code {"code":<gRPC code>,"message","details"}}), turned back into
 * the {@code google.rpc.Status} it stands for, as the Rust crate's
 * {@code http_json::check_error} and {@code get_error} read it. The status
 * then goes through the same decoding as {@code grpc-status-details-bin}.
 */
final class HttpJson {
  /** The largest error body read, as in the Rust crate. */
  static final int MAX_BODY_BYTES = 64 * 1024;

  private static final String[] CODE_NAMES = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
      "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
      "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE",
      "DATA_LOSS", "UNAUTHENTICATED"};

  /** The status a body stands for: its code, message and the bytes of its details. */
  static final class Carried {
    final Status.Code code;
    final String message;
    final byte[] details;

    Carried(Status.Code code, String message, byte[] details) {
      this.code = code;
      this.message = message;
      this.details = details;
    }
  }

  private HttpJson() {}

  /** The HTTP status a gRPC code is sent with, as {@code google/rpc/code.proto} maps them. */
  static int httpStatus(Status.Code code) {
    switch (code) {
      case OK:
        return 200;
      case CANCELLED:
        return 499;
      case INVALID_ARGUMENT:
      case FAILED_PRECONDITION:
      case OUT_OF_RANGE:
        return 400;
      case DEADLINE_EXCEEDED:
        return 504;
      case NOT_FOUND:
        return 404;
      case ALREADY_EXISTS:
      case ABORTED:
        return 409;
      case PERMISSION_DENIED:
        return 403;
      case RESOURCE_EXHAUSTED:
        return 429;
      case UNIMPLEMENTED:
        return 501;
      case UNAVAILABLE:
        return 503;
      case UNAUTHENTICATED:
        return 401;
      default:
        return 500;
    }
  }

  /**
   * The status {@code body} stands for, or null when it is JSON in neither
   * form. Strictly, what does not read throws; leniently, only a body too
   * large or not JSON throws, and the caller answers null.
   */
  static Carried read(int httpStatus, byte[] body, boolean strict) {
    if (body.length > MAX_BODY_BYTES) {
      throw new ChatErrorDecodeException(DecodeErrorKind.TOO_LARGE, null,
          "the error body is " + body.length + " bytes, over the " + MAX_BODY_BYTES + "-byte limit");
    }
    Object json;
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
      json = JsonTree.parse(text);
    } catch (CharacterCodingException e) {
      throw notJson("it is not UTF-8");
    } catch (JsonTree.NotJsonException e) {
      throw notJson(e.getMessage());
    }
    if (!(json instanceof Map)) {
      return null;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> top = (Map<String, Object>) json;
    Map<String, Object> fields;
    Status.Code grpcCode;
    Long bodyHttpStatus;
    if (top.containsKey("error")) {
      // AIP-193: `status` names the gRPC code, `code` is the HTTP status.
      Object error = top.get("error");
      if (!(error instanceof Map)) {
        if (strict) {
          throw invalid("error");
        }
        return null;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> errorFields = (Map<String, Object>) error;
      grpcCode = codeNamed(errorFields.get("status"));
      if (grpcCode == null) {
        if (strict) {
          throw invalid("error.status");
        }
        grpcCode = Status.Code.UNKNOWN;
      }
      Object code = errorFields.get("code");
      bodyHttpStatus = code instanceof JsonTree.Number ? ((JsonTree.Number) code).asU64() : null;
      if (strict && (bodyHttpStatus == null || bodyHttpStatus != httpStatus(grpcCode))) {
        throw invalid("error.code");
      }
      fields = errorFields;
    } else if (top.containsKey("code")) {
      // The gateway form: `code` is the gRPC code.
      Object code = top.get("code");
      Long number = code instanceof JsonTree.Number ? ((JsonTree.Number) code).asI64() : null;
      if (number != null && number >= 0 && number <= 16) {
        grpcCode = Status.fromCodeValue((int) (long) number).getCode();
      } else if (strict) {
        throw invalid("code");
      } else {
        grpcCode = Status.Code.UNKNOWN;
      }
      bodyHttpStatus = (long) httpStatus(grpcCode);
      fields = top;
    } else {
      return null;
    }
    if (strict && bodyHttpStatus != httpStatus) {
      throw new ChatErrorDecodeException(DecodeErrorKind.HTTP_STATUS_MISMATCH, null,
          "the response's HTTP status is " + httpStatus + " but its body says " + bodyHttpStatus);
    }
    String message = "";
    if (fields.containsKey("message")) {
      Object value = fields.get("message");
      if (value instanceof String) {
        message = (String) value;
      } else if (strict) {
        throw invalid("message");
      }
    }
    List<?> details = Collections.emptyList();
    if (fields.containsKey("details")) {
      Object value = fields.get("details");
      if (value instanceof List) {
        details = (List<?>) value;
      } else if (strict) {
        throw invalid("details");
      }
    }
    com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
        .setCode(grpcCode.value())
        .setMessage(message);
    for (Object detail : details) {
      Any any = detail(detail, strict);
      if (any != null) {
        status.addDetails(any);
      }
    }
    return new Carried(grpcCode, message, status.build().toByteArray());
  }

  /** One detail as the Any it stands for; null when its type is unknown (always skipped) or, leniently, broken. */
  private static Any detail(Object detail, boolean strict) {
    Object typeUrl = detail instanceof Map ? ((Map<?, ?>) detail).get("@type") : null;
    String typeName = "";
    if (typeUrl instanceof String) {
      typeName = ProtoJson.typeName((String) typeUrl);
      if (!ProtoJson.knows(typeName)) {
        return null;
      }
      try {
        return ProtoJson.any(detail);
      } catch (ProtoJson.InvalidException e) {
        if (!strict) {
          return null;
        }
        throw malformed(typeName, e.getMessage());
      }
    }
    if (!strict) {
      return null;
    }
    throw malformed(typeName, "a detail has no @type");
  }

  private static Status.Code codeNamed(Object name) {
    for (int i = 0; i < CODE_NAMES.length; i++) {
      if (CODE_NAMES[i].equals(name)) {
        return Status.fromCodeValue(i).getCode();
      }
    }
    return null;
  }

  private static ChatErrorDecodeException notJson(String why) {
    return new ChatErrorDecodeException(DecodeErrorKind.NOT_JSON, null, "the error body is not JSON: " + why);
  }

  private static ChatErrorDecodeException invalid(String field) {
    return new ChatErrorDecodeException(DecodeErrorKind.INVALID_FIELD, null,
        "the error body's " + field + " is missing, mistyped or unknown");
  }

  private static ChatErrorDecodeException malformed(String typeName, String why) {
    return new ChatErrorDecodeException(DecodeErrorKind.MALFORMED_DETAIL, typeName,
        "malformed detail " + typeName + ": " + why);
  }
}
