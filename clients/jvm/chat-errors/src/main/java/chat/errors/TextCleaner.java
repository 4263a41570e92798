package chat.errors;

import java.nio.charset.StandardCharsets;

/**
 * The cleaning every text a status sends goes through, as the Rust crate's
 * {@code clean} (src/encode/limits.rs): characters that could
 * forge lines in a client's logs or reorder what a UI shows become spaces,
 * and then a text still over {@link #MAX_TEXT_BYTES} is cut at a character boundary
 * and ends with {@code …}.
 */
final class TextCleaner {
  /** The longest text, in UTF-8 bytes. */
  static final int MAX_TEXT_BYTES = 1024;
  private static final int ELLIPSIS = '…';
  private static final int ELLIPSIS_BYTES = 3;

  /** Control characters, the line and paragraph separators, and every Unicode Bidi_Control character. */
  static boolean isUnsafe(int c) {
    return Character.getType(c) == Character.CONTROL
        || c == 0x2028 || c == 0x2029 || c == 0x061C || c == 0x200E || c == 0x200F
        || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
  }

  /** Replaces the unsafe characters first, then cuts, so that the cut counts the bytes sent. */
  static String clean(String text) {
    String cleaned = replaceUnsafe(text);
    if (utf8Length(cleaned) <= MAX_TEXT_BYTES) {
      return cleaned;
    }
    int budget = MAX_TEXT_BYTES - ELLIPSIS_BYTES;
    StringBuilder cut = new StringBuilder();
    int used = 0;
    for (int i = 0; i < cleaned.length(); ) {
      int c = cleaned.codePointAt(i);
      i += Character.charCount(c);
      int size = utf8Length(c);
      if (used + size > budget) {
        break;
      }
      used += size;
      cut.appendCodePoint(c);
    }
    return cut.appendCodePoint(ELLIPSIS).toString();
  }

  private static String replaceUnsafe(String text) {
    if (text.codePoints().noneMatch(TextCleaner::isUnsafe) && !hasLoneSurrogate(text)) {
      return text;
    }
    StringBuilder cleaned = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      // A lone surrogate cannot be sent as UTF-8: it goes out as U+FFFD, as protobuf would write it.
      if (Character.isSurrogate((char) c) && Character.charCount(c) == 1) {
        c = 0xFFFD;
      }
      cleaned.appendCodePoint(isUnsafe(c) ? ' ' : c);
    }
    return cleaned.toString();
  }

  /** Whether {@code text} is empty or only Unicode White_Space, as Rust's {@code str::trim} sees it. */
  static boolean isBlank(String text) {
    return text.codePoints().allMatch(TextCleaner::isWhiteSpace);
  }

  static boolean isWhiteSpace(int c) {
    return (c >= 0x09 && c <= 0x0d) || c == 0x20 || c == 0x85 || c == 0xa0 || c == 0x1680
        || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f
        || c == 0x205f || c == 0x3000;
  }

  private static boolean hasLoneSurrogate(String text) {
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (Character.isSurrogate((char) c) && Character.charCount(c) == 1) {
        return true;
      }
      i += Character.charCount(c);
    }
    return false;
  }

  static int utf8Length(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  private static int utf8Length(int c) {
    return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }

  private TextCleaner() {}
}
