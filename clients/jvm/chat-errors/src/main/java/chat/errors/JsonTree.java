package chat.errors;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON read as the Rust crate reads it (serde_json's {@code Value}), so that
 * every body is JSON, or not, for both: RFC 8259's grammar with no leniency,
 * at most 127 levels of nesting, no lone surrogate escapes, no control
 * character in a string. An object keeps the last of repeated keys and
 * iterates its keys in code point order, as serde_json's map does.
 *
 * <p>Values: {@link Map} (a {@link TreeMap}), {@link List}, {@link String},
 * {@link Number}, {@link Boolean}, and {@link #NULL}.
 */
final class JsonTree {
  /** JSON's {@code null}, so that a key holding it can be told from an absent key. */
  static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  /** serde_json's recursion limit: entering the 128th level of arrays or objects fails. */
  private static final int MAX_DEPTH = 127;

  private static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  };

  /**
   * A JSON number as serde_json classifies it: an integer without fraction
   * or exponent that fits {@code u64} (non-negative) or {@code i64}
   * (negative) is an integer; anything else, {@code -0} included, a float.
   */
  static final class Number {
    /** The integer, or null for a float. */
    final BigInteger integer;
    final double floating;

    Number(BigInteger integer, double floating) {
      this.integer = integer;
      this.floating = floating;
    }

    /** serde_json's {@code as_u64}. */
    Long asU64() {
      return integer != null && integer.signum() >= 0 ? integer.longValue() : null;
    }

    /** serde_json's {@code as_i64}. */
    Long asI64() {
      return integer != null && integer.bitLength() < 64 ? integer.longValue() : null;
    }
  }

  static final class NotJsonException extends Exception {
    private static final long serialVersionUID = 1L;

    NotJsonException(String message, int at) {
      super(message + " at character " + at);
    }
  }

  private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final BigInteger I64_MIN = BigInteger.valueOf(Long.MIN_VALUE);

  private final String text;
  private int at;
  private int depth;

  private JsonTree(String text) {
    this.text = text;
  }

  /** The value {@code text} holds, surrounded by nothing but JSON whitespace. */
  static Object parse(String text) throws NotJsonException {
    JsonTree parser = new JsonTree(text);
    parser.skipWhitespace();
    Object value = parser.value();
    parser.skipWhitespace();
    if (parser.at != text.length()) {
      throw parser.error("trailing characters");
    }
    return value;
  }

  private NotJsonException error(String message) {
    return new NotJsonException(message, at);
  }

  private void skipWhitespace() {
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      at++;
    }
  }

  private Object value() throws NotJsonException {
    if (at == text.length()) {
      throw error("EOF while parsing a value");
    }
    char c = text.charAt(at);
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        at++;
        return string();
      case 't':
        literal("true");
        return Boolean.TRUE;
      case 'f':
        literal("false");
        return Boolean.FALSE;
      case 'n':
        literal("null");
        return NULL;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("expected value");
    }
  }

  private void literal(String word) throws NotJsonException {
    if (!text.startsWith(word, at)) {
      throw error("expected " + word);
    }
    at += word.length();
  }

  private void enter() throws NotJsonException {
    if (++depth > MAX_DEPTH) {
      throw error("recursion limit exceeded");
    }
    at++;
  }

  private Map<String, Object> object() throws NotJsonException {
    enter();
    Map<String, Object> object = new TreeMap<>(CODE_POINT_ORDER);
    skipWhitespace();
    if (at < text.length() && text.charAt(at) == '}') {
      at++;
      depth--;
      return object;
    }
    while (true) {
      skipWhitespace();
      if (at == text.length() || text.charAt(at) != '"') {
        throw error("key must be a string");
      }
      at++;
      String key = string();
      skipWhitespace();
      if (at == text.length() || text.charAt(at) != ':') {
        throw error("expected ':'");
      }
      at++;
      skipWhitespace();
      object.put(key, value());
      skipWhitespace();
      if (at == text.length()) {
        throw error("EOF while parsing an object");
      }
      char c = text.charAt(at++);
      if (c == '}') {
        depth--;
        return object;
      }
      if (c != ',') {
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<Object> array() throws NotJsonException {
    enter();
    List<Object> array = new ArrayList<>();
    skipWhitespace();
    if (at < text.length() && text.charAt(at) == ']') {
      at++;
      depth--;
      return array;
    }
    while (true) {
      skipWhitespace();
      array.add(value());
      skipWhitespace();
      if (at == text.length()) {
        throw error("EOF while parsing a list");
      }
      char c = text.charAt(at++);
      if (c == ']') {
        depth--;
        return array;
      }
      if (c != ',') {
        throw error("expected ',' or ']'");
      }
    }
  }

  /** The rest of a string whose opening quote has been read. */
  private String string() throws NotJsonException {
    StringBuilder out = new StringBuilder();
    while (true) {
      if (at == text.length()) {
        throw error("EOF while parsing a string");
      }
      char c = text.charAt(at++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw error("control character in a string");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (at == text.length()) {
        throw error("EOF while parsing a string");
      }
      char escape = text.charAt(at++);
      switch (escape) {
        case '"':
        case '\\':
        case '/':
          out.append(escape);
          break;
        case 'b':
          out.append('\b');
          break;
        case 'f':
          out.append('\f');
          break;
        case 'n':
          out.append('\n');
          break;
        case 'r':
          out.append('\r');
          break;
        case 't':
          out.append('\t');
          break;
        case 'u': {
          char unit = hex4();
          if (Character.isLowSurrogate(unit)) {
            throw error("lone leading surrogate in hex escape");
          }
          if (Character.isHighSurrogate(unit)) {
            if (!text.startsWith("\\u", at)) {
              throw error("unexpected end of hex escape");
            }
            at += 2;
            char low = hex4();
            if (!Character.isLowSurrogate(low)) {
              throw error("lone leading surrogate in hex escape");
            }
            out.append(unit).append(low);
          } else {
            out.append(unit);
          }
          break;
        }
        default:
          throw error("invalid escape");
      }
    }
  }

  private char hex4() throws NotJsonException {
    if (at + 4 > text.length()) {
      throw error("EOF while parsing a string");
    }
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int digit = Character.digit(text.charAt(at + i), 16);
      if (digit < 0 || text.charAt(at + i) > 'f') {
        throw error("invalid escape");
      }
      value = value * 16 + digit;
    }
    at += 4;
    return (char) value;
  }

  private Number number() throws NotJsonException {
    int start = at;
    boolean negative = text.charAt(at) == '-';
    if (negative) {
      at++;
    }
    if (at == text.length() || !isDigit(text.charAt(at))) {
      throw error("invalid number");
    }
    if (text.charAt(at) == '0') {
      at++;
      if (at < text.length() && isDigit(text.charAt(at))) {
        throw error("invalid number");
      }
    } else {
      skipDigits();
    }
    boolean integral = true;
    if (at < text.length() && text.charAt(at) == '.') {
      integral = false;
      at++;
      if (at == text.length() || !isDigit(text.charAt(at))) {
        throw error("invalid number");
      }
      skipDigits();
    }
    int exponentAt = -1;
    if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
      integral = false;
      at++;
      if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) {
        at++;
      }
      exponentAt = at;
      if (at == text.length() || !isDigit(text.charAt(at))) {
        throw error("invalid number");
      }
      skipDigits();
    }
    String literal = text.substring(start, at);
    if (integral) {
      BigInteger integer = new BigInteger(literal);
      boolean fits = negative ? integer.signum() < 0 && integer.compareTo(I64_MIN) >= 0
          : integer.compareTo(U64_MAX) <= 0;
      if (fits) {
        return new Number(integer, integer.doubleValue());
      }
    }
    return new Number(null, floating(literal, exponentAt));
  }

  /** The float, refused when it is out of {@code f64}'s range, as serde_json refuses it. */
  private double floating(String literal, int exponentAt) throws NotJsonException {
    double value;
    try {
      value = new BigDecimal(literal).doubleValue();
    } catch (NumberFormatException e) {
      // An exponent past int's range: zero or infinitely small, or out of range.
      String mantissa = literal.substring(0, literal.indexOf(literal.contains("e") ? 'e' : 'E'));
      boolean zero = new BigDecimal(mantissa).signum() == 0;
      boolean shrinking = text.charAt(exponentAt - 1) == '-';
      if (zero || shrinking) {
        return 0.0;
      }
      throw error("number out of range");
    }
    if (Double.isInfinite(value)) {
      throw error("number out of range");
    }
    return value;
  }

  private void skipDigits() {
    while (at < text.length() && isDigit(text.charAt(at))) {
      at++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
