package chat.errors;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.ApiProto;
import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.DurationProto;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.EmptyProto;
import com.google.protobuf.FieldMask;
import com.google.protobuf.FieldMaskProto;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.NullValue;
import com.google.protobuf.SourceContextProto;
import com.google.protobuf.Struct;
import com.google.protobuf.StructProto;
import com.google.protobuf.Timestamp;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.TypeProto;
import com.google.protobuf.Value;
import com.google.protobuf.WrappersProto;
import com.google.protobuf.compiler.PluginProtos;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The proto3 JSON mapping read back, as the Rust crate reads an HTTP error
 * body's details (prost-reflect, unknown fields ignored): for the messages of
 * {@code google/rpc/status.proto} and {@code error_details.proto}, and the
 * well-known types of {@code google/protobuf}, as prost-reflect's pool
 * knows them.
 */
final class ProtoJson {
  static final class InvalidException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidException(String message) {
      super(message);
    }
  }

  private static final Map<String, Descriptor> KNOWN = new HashMap<>();

  static {
    for (FileDescriptor file : new FileDescriptor[] {
        com.google.rpc.Status.getDescriptor().getFile(),
        com.google.rpc.ErrorInfo.getDescriptor().getFile(),
        Any.getDescriptor().getFile(),
        ApiProto.getDescriptor(),
        DescriptorProtos.getDescriptor(),
        DurationProto.getDescriptor(),
        EmptyProto.getDescriptor(),
        FieldMaskProto.getDescriptor(),
        PluginProtos.getDescriptor(),
        SourceContextProto.getDescriptor(),
        StructProto.getDescriptor(),
        TimestampProto.getDescriptor(),
        TypeProto.getDescriptor(),
        WrappersProto.getDescriptor()}) {
      for (Descriptor type : file.getMessageTypes()) {
        register(type);
      }
    }
  }

  private static void register(Descriptor type) {
    if (type.getOptions().getMapEntry()) {
      return;
    }
    KNOWN.put(type.getFullName(), type);
    for (Descriptor nested : type.getNestedTypes()) {
      register(nested);
    }
  }

  private ProtoJson() {}

  /** Whether the mapping reads {@code typeName}, e.g. {@code google.rpc.ErrorInfo}. */
  static boolean knows(String typeName) {
    return KNOWN.containsKey(typeName);
  }

  /** The message name a type URL names: the part after its last {@code /}. */
  static String typeName(String typeUrl) {
    return typeUrl.substring(typeUrl.lastIndexOf('/') + 1);
  }

  /** {@code json}, an object with an {@code @type}, as the {@code Any} it stands for. */
  static Any any(Object json) throws InvalidException {
    Map<String, Object> fields = object(json, "google.protobuf.Any");
    Object typeUrlValue = fields.get("@type");
    if (!(typeUrlValue instanceof String)) {
      throw new InvalidException("an Any has no @type");
    }
    String typeUrl = (String) typeUrlValue;
    if (typeUrl.indexOf('/') < 0) {
      throw new InvalidException("the type URL " + typeUrl + " has no '/'");
    }
    Descriptor type = KNOWN.get(typeName(typeUrl));
    if (type == null) {
      throw new InvalidException("the type " + typeUrl + " is not known");
    }
    Message value;
    if (hasSpecialMapping(type)) {
      if (!fields.containsKey("value")) {
        throw new InvalidException("an Any of " + type.getFullName() + " has no value");
      }
      value = message(type, fields.get("value"));
    } else {
      value = fields(type, fields, "@type");
    }
    return Any.newBuilder().setTypeUrl(typeUrl).setValue(value.toByteString()).build();
  }

  /** The well-known types whose JSON is not an object of their fields: inside an Any, under {@code value}. */
  private static boolean hasSpecialMapping(Descriptor type) {
    switch (type.getFile().getName()) {
      case "google/protobuf/any.proto":
      case "google/protobuf/duration.proto":
      case "google/protobuf/empty.proto":
      case "google/protobuf/field_mask.proto":
      case "google/protobuf/struct.proto":
      case "google/protobuf/timestamp.proto":
      case "google/protobuf/wrappers.proto":
        return true;
      default:
        return false;
    }
  }

  private static Map<String, Object> object(Object json, String what) throws InvalidException {
    if (!(json instanceof Map)) {
      throw new InvalidException(what + " must be a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> fields = (Map<String, Object>) json;
    return fields;
  }

  /** A message of {@code type} from its JSON, which is not null. */
  private static Message message(Descriptor type, Object json) throws InvalidException {
    switch (type.getFullName()) {
      case "google.protobuf.Any":
        return any(json);
      case "google.protobuf.Duration":
        return duration(json);
      case "google.protobuf.Empty":
        object(json, "google.protobuf.Empty");
        return DynamicMessage.getDefaultInstance(type);
      case "google.protobuf.Timestamp":
        return timestamp(json);
      case "google.protobuf.FieldMask":
        return fieldMask(json);
      case "google.protobuf.Struct":
        return struct(json);
      case "google.protobuf.ListValue":
        return listValue(json);
      case "google.protobuf.Value":
        return value(json);
      default:
        break;
    }
    if (type.getFile().getName().equals("google/protobuf/wrappers.proto")) {
      FieldDescriptor value = type.findFieldByName("value");
      return DynamicMessage.newBuilder(type).setField(value, scalar(value, json)).build();
    }
    return fields(type, object(json, type.getFullName()), null);
  }

  /**
   * The fields of a message, each found by its JSON or its proto name;
   * unknown names are ignored, {@code null} leaves a field at its default,
   * and keys are read in code point order, so the last of two names of one
   * field wins.
   */
  private static Message fields(Descriptor type, Map<String, Object> json, String skipped)
      throws InvalidException {
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    for (Map.Entry<String, Object> entry : json.entrySet()) {
      if (entry.getKey().equals(skipped)) {
        continue;
      }
      FieldDescriptor field = fieldNamed(type, entry.getKey());
      if (field == null) {
        continue;
      }
      Object value = entry.getValue();
      builder.clearField(field);
      if (value == JsonTree.NULL) {
        continue;
      }
      if (field.isMapField()) {
        Descriptor entryType = field.getMessageType();
        FieldDescriptor keyField = entryType.findFieldByName("key");
        FieldDescriptor valueField = entryType.findFieldByName("value");
        for (Map.Entry<String, Object> pair : object(value, field.getFullName()).entrySet()) {
          if (pair.getValue() == JsonTree.NULL) {
            throw new InvalidException(field.getFullName() + " holds a null value");
          }
          builder.addRepeatedField(field, DynamicMessage.newBuilder(entryType)
              .setField(keyField, mapKey(keyField, pair.getKey()))
              .setField(valueField, single(valueField, pair.getValue()))
              .build());
        }
      } else if (field.isRepeated()) {
        if (!(value instanceof List)) {
          throw new InvalidException(field.getFullName() + " must be a JSON array");
        }
        for (Object element : (List<?>) value) {
          if (element == JsonTree.NULL) {
            throw new InvalidException(field.getFullName() + " holds a null element");
          }
          Object single = single(field, element);
          if (single != null) {
            builder.addRepeatedField(field, single);
          }
        }
      } else {
        Object single = single(field, value);
        if (single != null) {
          builder.setField(field, single);
        }
      }
    }
    return builder.build();
  }

  private static FieldDescriptor fieldNamed(Descriptor type, String name) {
    for (FieldDescriptor field : type.getFields()) {
      if (field.getJsonName().equals(name)) {
        return field;
      }
    }
    return type.findFieldByName(name);
  }

  private static Object single(FieldDescriptor field, Object json) throws InvalidException {
    if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      return message(field.getMessageType(), json);
    }
    return scalar(field, json);
  }

  private static Object mapKey(FieldDescriptor key, String text) throws InvalidException {
    if (key.getType() == FieldDescriptor.Type.STRING) {
      return text;
    }
    if (key.getType() == FieldDescriptor.Type.BOOL) {
      if (text.equals("true") || text.equals("false")) {
        return Boolean.valueOf(text);
      }
      throw new InvalidException("a bool map key must be true or false");
    }
    return scalar(key, text);
  }

  private static final BigInteger U32_MAX = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE);
  private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final Pattern RUST_INTEGER = Pattern.compile("[+-]?[0-9]+");

  private static Object scalar(FieldDescriptor field, Object json) throws InvalidException {
    String name = field.getFullName();
    switch (field.getType()) {
      case STRING:
        if (json instanceof String) {
          return json;
        }
        throw new InvalidException(name + " must be a string");
      case BOOL:
        if (json instanceof Boolean) {
          return json;
        }
        throw new InvalidException(name + " must be a bool");
      case BYTES:
        if (json instanceof String) {
          try {
            String text = (String) json;
            boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
            return ByteString.copyFrom((urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text));
          } catch (IllegalArgumentException e) {
            throw new InvalidException(name + " is not base64");
          }
        }
        throw new InvalidException(name + " must be a base64 string");
      case ENUM:
        return enumValue(field, json);
      case INT32:
      case SINT32:
      case SFIXED32:
        return integer(name, json, BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE))
            .intValue();
      case UINT32:
      case FIXED32:
        return integer(name, json, BigInteger.ZERO, U32_MAX).intValue();
      case INT64:
      case SINT64:
      case SFIXED64:
        return integer(name, json, BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE))
            .longValue();
      case UINT64:
      case FIXED64:
        return integer(name, json, BigInteger.ZERO, U64_MAX).longValue();
      case DOUBLE:
        return floating(name, json);
      case FLOAT:
        return (float) floating(name, json);
      default:
        throw new InvalidException(name + " has a type the mapping does not read");
    }
  }

  /** An integer from a JSON number (a float only when integral) or a decimal string. */
  private static BigInteger integer(String name, Object json, BigInteger min, BigInteger max)
      throws InvalidException {
    BigInteger value = null;
    if (json instanceof JsonTree.Number) {
      JsonTree.Number number = (JsonTree.Number) json;
      if (number.integer != null) {
        value = number.integer;
      } else if (!Double.isInfinite(number.floating) && number.floating == Math.rint(number.floating)) {
        value = new BigDecimal(number.floating).toBigInteger();
      }
    } else if (json instanceof String && RUST_INTEGER.matcher((String) json).matches()) {
      String text = (String) json;
      value = new BigInteger(text.startsWith("+") ? text.substring(1) : text);
    }
    if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new InvalidException(name + " must be an integer in range");
    }
    return value;
  }

  private static double floating(String name, Object json) throws InvalidException {
    if (json instanceof JsonTree.Number) {
      return ((JsonTree.Number) json).floating;
    }
    if (json instanceof String) {
      switch ((String) json) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          try {
            return Double.parseDouble((String) json);
          } catch (NumberFormatException e) {
            throw new InvalidException(name + " must be a number");
          }
      }
    }
    throw new InvalidException(name + " must be a number");
  }

  /**
   * An enum value by name or number; {@code null} (the field left unset) for
   * a name the enum lacks or a number a closed enum lacks, which the Rust
   * crate's mapping passes over as it passes over unknown fields.
   */
  private static EnumValueDescriptor enumValue(FieldDescriptor field, Object json) throws InvalidException {
    if (json instanceof String) {
      return field.getEnumType().findValueByName((String) json);
    }
    if (json instanceof JsonTree.Number && ((JsonTree.Number) json).asI64() != null) {
      long number = ((JsonTree.Number) json).asI64();
      if (number >= Integer.MIN_VALUE && number <= Integer.MAX_VALUE) {
        EnumValueDescriptor known = field.getEnumType().findValueByNumber((int) number);
        return known != null || field.getEnumType().isClosed()
            ? known : field.getEnumType().findValueByNumberCreatingIfUnknown((int) number);
      }
    }
    throw new InvalidException(field.getFullName() + " must name a value of " + field.getEnumType().getFullName());
  }

  private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
  private static final Pattern TIMESTAMP =
      Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})");

  /** RFC 3339, {@code 2020-01-01T00:00:00Z}, between years 1 and 9999. */
  private static Message timestamp(Object json) throws InvalidException {
    if (json instanceof String && TIMESTAMP.matcher((String) json).matches()) {
      try {
        OffsetDateTime time = OffsetDateTime.parse((String) json, RFC_3339);
        long seconds = time.toEpochSecond();
        if (seconds >= -62_135_596_800L && seconds <= 253_402_300_799L) {
          return Timestamp.newBuilder().setSeconds(seconds).setNanos(time.getNano()).build();
        }
      } catch (DateTimeException e) {
        // Falls through to the refusal: a day or hour out of range.
      }
    }
    throw new InvalidException("a google.protobuf.Timestamp must be an RFC 3339 string");
  }

  /** Comma-separated lowerCamelCase paths, each read back as snake_case. */
  private static Message fieldMask(Object json) throws InvalidException {
    if (!(json instanceof String)) {
      throw new InvalidException("a google.protobuf.FieldMask must be a string");
    }
    FieldMask.Builder mask = FieldMask.newBuilder();
    String text = (String) json;
    if (!text.isEmpty()) {
      for (String path : text.split(",", -1)) {
        StringBuilder snake = new StringBuilder();
        for (char c : path.toCharArray()) {
          if (c >= 'A' && c <= 'Z') {
            snake.append('_').append((char) (c - 'A' + 'a'));
          } else {
            snake.append(c);
          }
        }
        mask.addPaths(snake.toString());
      }
    }
    return mask.build();
  }

  private static Struct struct(Object json) throws InvalidException {
    Struct.Builder struct = Struct.newBuilder();
    for (Map.Entry<String, Object> entry : object(json, "google.protobuf.Struct").entrySet()) {
      struct.putFields(entry.getKey(), value(entry.getValue()));
    }
    return struct.build();
  }

  private static ListValue listValue(Object json) throws InvalidException {
    if (!(json instanceof List)) {
      throw new InvalidException("a google.protobuf.ListValue must be a JSON array");
    }
    ListValue.Builder list = ListValue.newBuilder();
    for (Object element : (List<?>) json) {
      list.addValues(value(element));
    }
    return list.build();
  }

  private static Value value(Object json) throws InvalidException {
    if (json == JsonTree.NULL) {
      return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
    }
    if (json instanceof Boolean) {
      return Value.newBuilder().setBoolValue((Boolean) json).build();
    }
    if (json instanceof String) {
      return Value.newBuilder().setStringValue((String) json).build();
    }
    if (json instanceof JsonTree.Number) {
      return Value.newBuilder().setNumberValue(((JsonTree.Number) json).floating).build();
    }
    if (json instanceof List) {
      return Value.newBuilder().setListValue(listValue(json)).build();
    }
    return Value.newBuilder().setStructValue(struct(json)).build();
  }

  /** {@code 1.5s}: digits, an optional fraction of digits (past nine truncated), {@code s}; at most 315,576,000,000 s. */
  private static final Pattern DURATION = Pattern.compile("(-)?([0-9]+)(?:\\.([0-9]+))?s");
  private static final long MAX_DURATION_SECONDS = 315_576_000_000L;

  private static Message duration(Object json) throws InvalidException {
    Matcher matcher = json instanceof String ? DURATION.matcher((String) json) : null;
    if (matcher == null || !matcher.matches()) {
      throw new InvalidException("a google.protobuf.Duration must be a string such as \"1.5s\"");
    }
    BigInteger seconds = new BigInteger(matcher.group(2));
    if (seconds.compareTo(BigInteger.valueOf(MAX_DURATION_SECONDS)) > 0) {
      throw new InvalidException("a google.protobuf.Duration is out of range");
    }
    String fraction = matcher.group(3) == null ? "" : matcher.group(3);
    String nineDigits = (fraction + "000000000").substring(0, 9);
    long nanos = Long.parseLong(nineDigits);
    long wholeSeconds = seconds.longValue();
    if (matcher.group(1) != null) {
      wholeSeconds = -wholeSeconds;
      nanos = -nanos;
    }
    return com.google.protobuf.Duration.newBuilder().setSeconds(wholeSeconds).setNanos((int) nanos).build();
  }
}
