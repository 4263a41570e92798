package chat.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The enum read from the proto's options, against the repository's copy of the normative table. */
class CatalogueTest {
  /** number, original name, reason, gRPC code, HTTP status, retryable, ko-KR, en-US. */
  static List<String[]> fixture() throws IOException {
    return Files.readAllLines(Paths.get("../../../tests/fixtures/error-codes.tsv"), StandardCharsets.UTF_8)
        .stream()
        .skip(1)
        .filter(line -> !line.isEmpty())
        .map(line -> line.split("\t", -1))
        .collect(Collectors.toList());
  }

  @Test
  void everyCodeOfTheFixtureIsInTheEnumWithItsOptions() throws IOException {
    List<String[]> rows = fixture();
    assertEquals(rows.size(), ErrorCode.values().length);
    CatalogueLocale korean = CatalogueLocale.fromTag("ko-KR");
    CatalogueLocale english = CatalogueLocale.fromTag("en-US");
    for (String[] row : rows) {
      ErrorCode code = ErrorCode.fromNumber(Integer.parseInt(row[0]));
      assertEquals(row[1], code.originalName(), row[0]);
      assertEquals(row[2], code.reason(), row[0]);
      assertSame(code, ErrorCode.fromReason(row[2]));
      assertEquals(row[3], code.grpcCode().name(), row[0]);
      assertEquals(Boolean.parseBoolean(row[5]), code.isRetryable(), row[0]);
      assertEquals(row[6], code.description(korean), row[0]);
      assertEquals(row[7], code.description(english), row[0]);
      assertEquals(row[7], code.developerDescription(), row[0]);
    }
  }

  @Test
  void theLocalesAreTheProtosWithKoreanFirst() {
    assertEquals(List.of("ko-KR", "en-US"),
        CatalogueLocale.all().stream().map(CatalogueLocale::tag).collect(Collectors.toList()));
    assertSame(CatalogueLocale.all().get(0), CatalogueLocale.defaultLocale());
    assertSame(CatalogueLocale.developer(), CatalogueLocale.fromTag("EN-us"));
    assertNull(CatalogueLocale.fromTag("fr-FR"));
  }

  @Test
  void unknownNumbersAndReasonsAreNull() {
    assertNull(ErrorCode.fromNumber(0));
    assertNull(ErrorCode.fromNumber(9999));
    assertNull(ErrorCode.fromReason("UNSPECIFIED"));
  }
}
