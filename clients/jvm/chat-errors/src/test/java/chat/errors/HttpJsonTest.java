package chat.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.LocalizedMessage;
import com.google.rpc.RequestInfo;
import com.google.rpc.ResourceInfo;
import com.google.rpc.RetryInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * HTTP JSON error bodies: written by protobuf-java-util's JsonFormat (an
 * independent proto3 JSON mapping) for every code of the fixture, and the
 * conformance corpus's HTTP vectors with the Rust crate's answers.
 */
class HttpJsonTest {
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
      .usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder()
          .add(List.of(ErrorInfo.getDescriptor(), LocalizedMessage.getDescriptor(), RetryInfo.getDescriptor(),
              BadRequest.getDescriptor(), ResourceInfo.getDescriptor(), RequestInfo.getDescriptor()))
          .build())
      .omittingInsignificantWhitespace();

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The gateway form is the proto3 JSON of {@code google.rpc.Status}; AIP-193 wraps its details. */
  private static String[] bothForms(com.google.rpc.Status status, int httpStatus, String codeName) throws IOException {
    String gateway = PRINTER.print(status);
    JsonObject gatewayJson = JsonParser.parseString(gateway).getAsJsonObject();
    JsonObject error = new JsonObject();
    error.addProperty("code", httpStatus);
    error.addProperty("message", status.getMessage());
    error.addProperty("status", codeName);
    error.add("details", gatewayJson.get("details"));
    JsonObject aip = new JsonObject();
    aip.add("error", error);
    return new String[] {gateway, aip.toString()};
  }

  @Test
  void everyCodeOfTheFixtureReadsBackFromJsonFormatsBodiesInBothForms() throws IOException {
    for (String[] row : CatalogueTest.fixture()) {
      int number = Integer.parseInt(row[0]);
      int httpStatus = Integer.parseInt(row[4]);
      com.google.rpc.Status status = ChatStatus.builder(ErrorCode.fromNumber(number))
          .retryDelay(Duration.ofMillis(1500))
          .fieldViolation("channel_id", "is required")
          .build();
      for (String body : bothForms(status, httpStatus, row[3])) {
        for (ChatError error : new ChatError[] {ChatError.checkHttp(httpStatus, utf8(body)),
            ChatError.fromHttp(httpStatus, utf8(body))}) {
          assertEquals(number, error.number(), body);
          assertEquals(row[2], error.reason(), body);
          assertEquals(row[1], error.originalName(), body);
          assertEquals(row[3], error.grpcCode().name(), body);
          assertEquals(row[6], error.localizedMessage().getMessage(), body);
          assertEquals(row[7], error.message(), body);
          assertEquals(Duration.ofMillis(1500), error.retryDelay(), body);
          assertEquals("channel_id", error.fieldViolations().get(0).getField(), body);
        }
        int otherStatus = httpStatus == 500 ? 400 : 500;
        assertEquals(DecodeErrorKind.HTTP_STATUS_MISMATCH, assertThrows(ChatErrorDecodeException.class,
            () -> ChatError.checkHttp(otherStatus, utf8(body))).kind());
        assertEquals(number, ChatError.fromHttp(otherStatus, utf8(body)).number());
      }
    }
  }

  @Test
  void anotherDomainIsReadByItsDecoder() throws IOException {
    com.google.rpc.Status status = ChatStatus.builder(ErrorCode.CHANNEL_NOT_FOUND).domain("billing.example.com").build();
    String gateway = bothForms(status, 404, "NOT_FOUND")[0];
    assertNull(ChatError.checkHttp(404, utf8(gateway)));
    assertEquals(ErrorCode.CHANNEL_NOT_FOUND,
        ChatErrorDecoder.forDomain("billing.example.com").strictHttp(404, utf8(gateway)).code());
  }

  /** Each HTTP vector of conformance/vectors: the strict kind or code, and whether lenient finds the error. */
  @Test
  void theCorpusHttpVectorsGiveTheRustCratesAnswers() throws IOException {
    List<String> lines = Files.readAllLines(Paths.get("../../../conformance/vectors/http.jsonl"), StandardCharsets.UTF_8);
    assertEquals(true, lines.size() > 100);
    for (String line : lines) {
      JsonObject vector = JsonParser.parseString(line).getAsJsonObject();
      JsonObject input = vector.getAsJsonObject("input");
      JsonObject expected = vector.getAsJsonObject("expected");
      String id = input.get("id").getAsString();
      ChatErrorDecoder decoder = ChatErrorDecoder.forDomain(
          input.has("domain") ? input.get("domain").getAsString() : ChatError.DEFAULT_DOMAIN);
      int status = input.get("status").getAsInt();
      byte[] body = utf8(input.get("body").getAsString());

      JsonElement lenient = expected.get("lenient");
      ChatError lenientError = decoder.lenientHttp(status, body);
      if (lenient.isJsonNull()) {
        assertNull(lenientError, id);
      } else {
        assertNotNull(lenientError, id);
        assertEquals(lenient.getAsJsonObject().get("reason").getAsString(), lenientError.reason(), id);
      }

      JsonObject strict = expected.getAsJsonObject("strict");
      if (strict.has("error")) {
        JsonObject error = strict.getAsJsonObject("error");
        ChatErrorDecodeException thrown =
            assertThrows(ChatErrorDecodeException.class, () -> decoder.strictHttp(status, body), id);
        assertEquals(error.get("kind").getAsString(), thrown.kind().crateName(), id);
        if (error.has("detail")) {
          assertEquals(error.get("detail").getAsString(), thrown.typeName(), id);
        }
      } else if (strict.get("ok").isJsonNull()) {
        assertNull(decoder.strictHttp(status, body), id);
      } else {
        JsonObject view = strict.getAsJsonObject("ok");
        ChatError error = decoder.strictHttp(status, body);
        assertEquals(view.get("reason").getAsString(), error.reason(), id);
        assertEquals(view.get("grpc_code").getAsInt(), error.grpcCode().value(), id);
        assertEquals(view.get("message").getAsString(), error.message(), id);
        JsonElement delay = view.get("retry_delay");
        assertEquals(delay.isJsonNull() ? null : Duration.ofNanos(Long.parseLong(delay.getAsString())),
            error.retryDelay(), id);
      }
    }
  }

  @Test
  void aBodyOverSixtyFourKibIsRefusedBeforeItIsParsed() {
    byte[] body = new byte[HttpJson.MAX_BODY_BYTES + 1];
    java.util.Arrays.fill(body, (byte) '[');
    assertEquals(DecodeErrorKind.TOO_LARGE,
        assertThrows(ChatErrorDecodeException.class, () -> ChatError.checkHttp(500, body)).kind());
    assertNull(ChatError.fromHttp(500, body));
  }
}
