package chat.errors;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code accept-language} (RFC 9110 §12.5.4) and RFC 4647 lookup among the
 * catalogue's locales, exactly as the Rust crate's
 * {@code src/locale/accept_language.rs} reads them, so that a JVM service
 * answers a caller in the locale a Rust one would.
 */
final class AcceptLanguage {
  /** A longer value (all header lines together) is ignored whole. */
  static final int MAX_ACCEPT_LANGUAGE_BYTES = 4096;
  /** A value with more elements, well-formed or not, is ignored whole. */
  static final int MAX_LANGUAGE_RANGES = 64;
  private static final int MAX_SUBTAG_LEN = 8;
  private static final int FULL_WEIGHT = 1000;
  private static final int NOT_A_WEIGHT = -1;

  /** The best locale found, or null, and the locales {@code q=0} ruled out (a bit each). */
  static final class Negotiation {
    final CatalogueLocale matched;
    final long excluded;

    Negotiation(CatalogueLocale matched, long excluded) {
      this.matched = matched;
      this.excluded = excluded;
    }

    boolean excludes(CatalogueLocale locale) {
      return (excluded & (1L << locale.index())) != 0;
    }
  }

  private static final Negotiation NOTHING = new Negotiation(null, 0);

  /** Reads every {@code accept-language} line as one list. */
  static Negotiation negotiate(List<String> lines) {
    byte[][] values = new byte[lines.size()][];
    int totalLength = 0;
    for (int i = 0; i < values.length; i++) {
      values[i] = lines.get(i).getBytes(StandardCharsets.UTF_8);
      totalLength += values[i].length;
    }
    if (totalLength > MAX_ACCEPT_LANGUAGE_BYTES || values.length > MAX_LANGUAGE_RANGES) {
      return NOTHING;
    }
    int count = 0;
    long excluded = 0;
    Best best = new Best();
    for (byte[] value : values) {
      for (Element element : elements(value)) {
        count++;
        if (count > MAX_LANGUAGE_RANGES) {
          return NOTHING;
        }
        if (element.weight == 0 && isLanguageRange(element.range)) {
          for (CatalogueLocale locale : CatalogueLocale.all()) {
            if (filters(element.range, locale.tag())) {
              excluded |= 1L << locale.index();
            }
          }
        } else if (element.weight != NOT_A_WEIGHT) {
          best.consider(element.range, element.weight, 0);
        }
      }
    }
    if (excluded != 0) {
      best = new Best();
      for (byte[] value : values) {
        for (Element element : elements(value)) {
          if (element.weight != NOT_A_WEIGHT) {
            best.consider(element.range, element.weight, excluded);
          }
        }
      }
    }
    return new Negotiation(best.locale, excluded);
  }

  private static final class Best {
    int weight = -1;
    CatalogueLocale locale;

    void consider(byte[] range, int rangeWeight, long excluded) {
      // `*` asks for nothing in particular: lookup skips it (RFC 4647 §3.4).
      if (rangeWeight == 0 || (locale != null && weight >= rangeWeight) || isStar(range)) {
        return;
      }
      CatalogueLocale found = exactTag(range, range.length, excluded);
      if (found == null && isLanguageRange(range)) {
        found = lookup(range, excluded);
      }
      if (found != null) {
        weight = rangeWeight;
        locale = found;
      }
    }
  }

  private static final class Element {
    final byte[] range;
    final int weight;

    Element(byte[] range, int weight) {
      this.range = range;
      this.weight = weight;
    }
  }

  /** The non-empty elements of one value ({@code a,,b} has two), split into range and weight. */
  private static List<Element> elements(byte[] value) {
    java.util.ArrayList<Element> elements = new java.util.ArrayList<>();
    int start = 0;
    for (int i = 0; i <= value.length; i++) {
      if (i == value.length || value[i] == ',') {
        int[] trimmed = trim(value, start, i);
        if (trimmed[0] < trimmed[1]) {
          elements.add(elementParts(value, trimmed[0], trimmed[1]));
        }
        start = i + 1;
      }
    }
    return elements;
  }

  /** {@code language-range [ OWS ";" OWS "q=" qvalue ]}: the range precedes the first whitespace or {@code ;}. */
  private static Element elementParts(byte[] value, int start, int end) {
    int rangeEnd = start;
    while (rangeEnd < end && value[rangeEnd] != ';' && value[rangeEnd] != ' ' && value[rangeEnd] != '\t') {
      rangeEnd++;
    }
    byte[] range = java.util.Arrays.copyOfRange(value, start, rangeEnd);
    int[] parameter = trim(value, rangeEnd, end);
    int weight;
    if (parameter[0] == parameter[1]) {
      weight = FULL_WEIGHT;
    } else if (value[parameter[0]] == ';') {
      int[] inner = trim(value, parameter[0] + 1, parameter[1]);
      if (inner[1] - inner[0] >= 2 && (value[inner[0]] == 'q' || value[inner[0]] == 'Q') && value[inner[0] + 1] == '=') {
        weight = qvalue(value, inner[0] + 2, inner[1]);
      } else {
        weight = NOT_A_WEIGHT;
      }
    } else {
      weight = NOT_A_WEIGHT;
    }
    return new Element(range, weight);
  }

  private static int[] trim(byte[] bytes, int start, int end) {
    while (start < end && (bytes[start] == ' ' || bytes[start] == '\t')) {
      start++;
    }
    while (end > start && (bytes[end - 1] == ' ' || bytes[end - 1] == '\t')) {
      end--;
    }
    return new int[] {start, end};
  }

  /** RFC 9110 §12.4.2: {@code ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )}, in thousandths. */
  static int qvalue(byte[] text, int start, int end) {
    int length = end - start;
    if (length == 0 || (length > 1 && (text[start + 1] != '.' || length > 5))) {
      return NOT_A_WEIGHT;
    }
    int thousandths = 0;
    for (int place = 0; place < 3; place++) {
      int at = start + 2 + place;
      int digit = 0;
      if (at < end) {
        if (text[at] < '0' || text[at] > '9') {
          return NOT_A_WEIGHT;
        }
        digit = text[at] - '0';
      }
      thousandths = thousandths * 10 + digit;
    }
    if (text[start] == '0') {
      return thousandths;
    }
    return text[start] == '1' && thousandths == 0 ? FULL_WEIGHT : NOT_A_WEIGHT;
  }

  private static boolean isStar(byte[] range) {
    return range.length == 1 && range[0] == '*';
  }

  /** RFC 4647 §2.1: subtags of 1 to 8 characters, letters in the first, letters or digits after; or {@code *}. */
  private static boolean isLanguageRange(byte[] range) {
    if (isStar(range)) {
      return true;
    }
    int subtagLength = 0;
    boolean firstSubtag = true;
    for (byte b : range) {
      if (b == '-') {
        if (subtagLength == 0) {
          return false;
        }
        subtagLength = 0;
        firstSubtag = false;
        continue;
      }
      boolean letter = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
      boolean allowed = firstSubtag ? letter : letter || (b >= '0' && b <= '9');
      subtagLength++;
      if (!allowed || subtagLength > MAX_SUBTAG_LEN) {
        return false;
      }
    }
    return subtagLength > 0;
  }

  /** RFC 4647 §3.3.1 basic filtering. */
  private static boolean filters(byte[] range, String tag) {
    return isStar(range) || isTagOrPrefix(range, range.length, tag);
  }

  private static boolean isTagOrPrefix(byte[] range, int length, String tag) {
    if (tag.length() < length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (lower(range[i]) != lower((byte) tag.charAt(i))) {
        return false;
      }
    }
    return tag.length() == length || tag.charAt(length) == '-';
  }

  /** RFC 4647 §3.4 lookup of one range and its ever shorter truncations. */
  private static CatalogueLocale lookup(byte[] range, long excluded) {
    int length = range.length;
    while (true) {
      CatalogueLocale found = exactTag(range, length, excluded);
      if (found != null) {
        return found;
      }
      for (CatalogueLocale locale : CatalogueLocale.all()) {
        if ((excluded & (1L << locale.index())) == 0 && isTagOrPrefix(range, length, locale.tag())) {
          return locale;
        }
      }
      length = truncate(range, length);
      if (length < 0) {
        return null;
      }
    }
  }

  private static CatalogueLocale exactTag(byte[] range, int length, long excluded) {
    for (CatalogueLocale locale : CatalogueLocale.all()) {
      if ((excluded & (1L << locale.index())) == 0 && locale.tag().length() == length
          && isTagOrPrefix(range, length, locale.tag())) {
        return locale;
      }
    }
    return null;
  }

  /** The length without the last subtag, and without a singleton left before it; -1 when none is left. */
  private static int truncate(byte[] range, int length) {
    int dash = lastDash(range, length);
    if (dash < 0) {
      return -1;
    }
    int before = lastDash(range, dash);
    return before >= 0 && dash - before == 2 ? before : dash;
  }

  private static int lastDash(byte[] range, int length) {
    for (int i = length - 1; i >= 0; i--) {
      if (range[i] == '-') {
        return i;
      }
    }
    return -1;
  }

  private static byte lower(byte b) {
    return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
  }

  static boolean equalsIgnoreAsciiCase(String a, String b) {
    if (a.length() != b.length()) {
      return false;
    }
    for (int i = 0; i < a.length(); i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y && !(x < 128 && y < 128 && lower((byte) x) == lower((byte) y))) {
        return false;
      }
    }
    return true;
  }

  private AcceptLanguage() {}
}
