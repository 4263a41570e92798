package chat.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Details in the proto3 JSON mapping, read by {@link ProtoJson} and by
 * protobuf-java-util's JsonFormat, Google's own reader of the mapping: both
 * must give the same message, and what JsonFormat refuses is refused.
 */
class ProtoJsonTest {
  private static final String RPC = "type.googleapis.com/google.rpc.";
  private static final String WKT = "type.googleapis.com/google.protobuf.";

  private static final List<String> READ_ALIKE = List.of(
      "{\"@type\":\"" + RPC + "ErrorInfo\",\"reason\":\"CHANNEL_NOT_FOUND\",\"domain\":\"chat.errors.v1\","
          + "\"metadata\":{\"code\":\"2003\",\"message\":\"ChannelNotFound\"}}",
      "{\"@type\":\"" + RPC + "ErrorInfo\",\"reason\":\"R\",\"unknownField\":{\"a\":[1,null]}}",
      "{\"@type\":\"" + RPC + "RetryInfo\",\"retryDelay\":\"1.5s\"}",
      "{\"@type\":\"" + RPC + "RetryInfo\",\"retry_delay\":\"-0.000000001s\"}",
      "{\"@type\":\"" + RPC + "RetryInfo\",\"retryDelay\":\"315576000000.999999999s\"}",
      "{\"@type\":\"" + RPC + "BadRequest\",\"fieldViolations\":[{\"field\":\"f\",\"description\":\"d\","
          + "\"reason\":\"R\",\"localizedMessage\":{\"locale\":\"ko-KR\",\"message\":\"채널\"}},{\"field\":\"g\"}]}",
      "{\"@type\":\"" + RPC + "QuotaFailure\",\"violations\":[{\"subject\":\"s\",\"quotaValue\":\"12\"}]}",
      "{\"@type\":\"" + RPC + "QuotaFailure\",\"violations\":[{\"quotaValue\":-7}]}",
      "{\"@type\":\"" + RPC + "Status\",\"code\":5,\"message\":\"m\",\"details\":[{\"@type\":\"" + RPC
          + "RequestInfo\",\"requestId\":\"r\"}]}",
      "{\"@type\":\"" + RPC + "Help\",\"links\":[{\"description\":\"d\",\"url\":\"https://example.com\"}]}",
      "{\"@type\":\"" + WKT + "Duration\",\"value\":\"3s\"}",
      "{\"@type\":\"" + WKT + "Timestamp\",\"value\":\"2026-12-04T05:00:00.5+09:00\"}",
      "{\"@type\":\"" + WKT + "FieldMask\",\"value\":\"channelId,view.fullName\"}",
      "{\"@type\":\"" + WKT + "Struct\",\"value\":{\"a\":[1.5,\"x\",null,true,{\"b\":{}}]}}",
      "{\"@type\":\"" + WKT + "Int64Value\",\"value\":\"-9223372036854775808\"}",
      "{\"@type\":\"" + WKT + "BytesValue\",\"value\":\"AQI=\"}",
      "{\"@type\":\"" + WKT + "Empty\",\"value\":{}}",
      "{\"@type\":\"" + WKT + "Any\",\"value\":{\"@type\":\"" + RPC + "LocalizedMessage\",\"locale\":\"en-US\"}}",
      "{\"@type\":\"" + WKT + "Api\",\"name\":\"a\",\"methods\":[{\"name\":\"m\",\"requestStreaming\":true}]}");

  private static final List<String> REFUSED_ALIKE = List.of(
      "{\"@type\":\"" + RPC + "ErrorInfo\",\"metadata\":[]}",
      "{\"@type\":\"" + RPC + "ErrorInfo\",\"metadata\":{\"code\":{}}}",
      "{\"@type\":\"" + RPC + "RetryInfo\",\"retryDelay\":\"1.5\"}",
      "{\"@type\":\"" + RPC + "RetryInfo\",\"retryDelay\":\"315576000001s\"}",
      "{\"@type\":\"" + RPC + "BadRequest\",\"fieldViolations\":{}}",
      "{\"@type\":\"" + RPC + "BadRequest\",\"fieldViolations\":[{\"localizedMessage\":[]}]}",
      "{\"@type\":\"" + RPC + "Status\",\"code\":2147483648}",
      "{\"@type\":\"" + WKT + "Timestamp\",\"value\":\"2026-12-04\"}",
      "{\"@type\":\"" + WKT + "Struct\",\"value\":[]}",
      "{\"@type\":\"" + WKT + "Any\",\"value\":{\"@type\":\"example.com/acme.Unknown\"}}");

  /** Every type the cases name, by full name. */
  private static final Map<String, Descriptor> TYPES = new HashMap<>();

  static {
    for (Descriptor type : List.of(com.google.rpc.Status.getDescriptor(), com.google.protobuf.Api.getDescriptor(),
        com.google.protobuf.Duration.getDescriptor(), com.google.protobuf.Timestamp.getDescriptor(),
        com.google.protobuf.FieldMask.getDescriptor(), com.google.protobuf.Struct.getDescriptor(),
        com.google.protobuf.Int64Value.getDescriptor(), com.google.protobuf.BytesValue.getDescriptor(),
        com.google.protobuf.Empty.getDescriptor(), Any.getDescriptor())) {
      TYPES.put(type.getFullName(), type);
    }
    for (Descriptor type : com.google.rpc.ErrorInfo.getDescriptor().getFile().getMessageTypes()) {
      TYPES.put(type.getFullName(), type);
    }
  }

  private static Any byJsonFormat(String json) throws InvalidProtocolBufferException {
    Any.Builder any = Any.newBuilder();
    JsonFormat.parser().ignoringUnknownFields()
        .usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder().add(TYPES.values()).build())
        .merge(json, any);
    return any.build();
  }

  private static Any byProtoJson(String json) throws Exception {
    return ProtoJson.any(JsonTree.parse(json));
  }

  /** Both values read as messages of the Any's type, so that map and field order on the wire do not matter. */
  private static void assertSameMessage(Any expected, Any actual, String json) throws Exception {
    assertEquals(expected.getTypeUrl(), actual.getTypeUrl(), json);
    Descriptor type = TYPES.get(ProtoJson.typeName(expected.getTypeUrl()));
    assertEquals(DynamicMessage.parseFrom(type, expected.getValue()), DynamicMessage.parseFrom(type, actual.getValue()),
        json);
  }

  @Test
  void validDetailsReadAsJsonFormatReadsThem() throws Exception {
    for (String json : READ_ALIKE) {
      assertSameMessage(byJsonFormat(json), byProtoJson(json), json);
    }
  }

  @Test
  void detailsJsonFormatRefusesAreRefused() {
    for (String json : REFUSED_ALIKE) {
      assertThrows(InvalidProtocolBufferException.class, () -> byJsonFormat(json), json);
      assertThrows(ProtoJson.InvalidException.class, () -> byProtoJson(json), json);
    }
  }
}
