package chat.errors;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.UnsafeByteOperations;
import java.util.ArrayList;
import java.util.List;

/**
 * A protobuf reader that reads as prost, under the Rust crate, reads: a
 * repeated singular field keeps its last value, unknown fields are skipped,
 * and a key past 32 bits, field number 0, wire types 6 and 7, an unmatched
 * end-group, a known field of the wrong wire type, a string that is not
 * UTF-8 or a length past the end is an error. protobuf-java passes a known
 * field of the wrong wire type over as unknown, so it cannot be the judge
 * alone: this port of the crate's {@code src/decode/scan.rs} is.
 */
final class Wire {
  /** prost's limit on nested groups and messages. */
  private static final int MAX_DEPTH = 100;

  enum Problem {
    TRUNCATED("the bytes end inside a field"),
    VARINT_TOO_LONG("a varint is longer than ten bytes"),
    INVALID_KEY("a field key is invalid"),
    WRONG_WIRE_TYPE("a field has the wrong wire type"),
    NOT_UTF8("a string field is not UTF-8"),
    BAD_GROUP("a group is unterminated or nested too deeply");

    final String text;

    Problem(String text) {
      this.text = text;
    }
  }

  static final class WireException extends Exception {
    private static final long serialVersionUID = 1L;
    final Problem problem;

    WireException(Problem problem) {
      super(problem.text, null, false, false);
      this.problem = problem;
    }
  }

  static final int VARINT = 0;
  static final int LENGTH_DELIMITED = 2;

  /** The top-level fields of one message, one at a time. */
  static final class Fields {
    private final byte[] buf;
    private int pos;
    private final int end;
    int tag;
    int wireType;
    long varint;
    int start;
    int stop;

    Fields(byte[] buf, int start, int end) {
      this.buf = buf;
      this.pos = start;
      this.end = end;
    }

    boolean next() throws WireException {
      if (pos >= end) {
        return false;
      }
      try {
        long key = varint();
        if (key > 0xFFFFFFFFL) {
          throw new WireException(Problem.INVALID_KEY);
        }
        tag = (int) (key >>> 3);
        wireType = (int) (key & 7);
        if (tag == 0 || wireType > 5) {
          throw new WireException(Problem.INVALID_KEY);
        }
        value(tag, wireType);
        return true;
      } catch (WireException e) {
        pos = end;
        throw e;
      }
    }

    byte[] bytes() throws WireException {
      if (wireType != LENGTH_DELIMITED) {
        throw new WireException(Problem.WRONG_WIRE_TYPE);
      }
      return java.util.Arrays.copyOfRange(buf, start, stop);
    }

    private long varint() throws WireException {
      long value = 0;
      for (int index = 0; index < 10; index++) {
        if (pos + index >= end) {
          throw new WireException(Problem.TRUNCATED);
        }
        int b = buf[pos + index] & 0xff;
        if (index == 9 && b > 1) {
          throw new WireException(Problem.VARINT_TOO_LONG);
        }
        value |= (long) (b & 0x7f) << (7 * index);
        if (b < 0x80) {
          pos += index + 1;
          return value;
        }
      }
      throw new WireException(Problem.VARINT_TOO_LONG);
    }

    private void take(long length) throws WireException {
      if (length < 0 || length > end - pos) {
        throw new WireException(Problem.TRUNCATED);
      }
      start = pos;
      pos += (int) length;
      stop = pos;
    }

    private void value(int fieldTag, int type) throws WireException {
      switch (type) {
        case VARINT:
          varint = varint();
          return;
        case 1:
          take(8);
          return;
        case LENGTH_DELIMITED:
          take(varint());
          return;
        case 3:
          skipGroup(fieldTag);
          return;
        case 5:
          take(4);
          return;
        default:
          throw new WireException(Problem.BAD_GROUP);
      }
    }

    /** Skips a group up to its end key, iteratively so that no input overflows the stack. */
    private void skipGroup(int fieldTag) throws WireException {
      List<Integer> open = new ArrayList<>();
      open.add(fieldTag);
      while (!open.isEmpty()) {
        long key = varint();
        if (key > 0xFFFFFFFFL) {
          throw new WireException(Problem.INVALID_KEY);
        }
        int innerTag = (int) (key >>> 3);
        int type = (int) (key & 7);
        if (innerTag == 0 || type > 5) {
          throw new WireException(Problem.INVALID_KEY);
        }
        if (type == 3) {
          if (open.size() >= MAX_DEPTH) {
            throw new WireException(Problem.BAD_GROUP);
          }
          open.add(innerTag);
        } else if (type == 4) {
          if (innerTag != open.get(open.size() - 1)) {
            throw new WireException(Problem.BAD_GROUP);
          }
          open.remove(open.size() - 1);
        } else {
          value(innerTag, type);
        }
      }
    }
  }

  static boolean isUtf8(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return UnsafeByteOperations.unsafeWrap(bytes).isValidUtf8();
      }
    }
    return true;
  }

  /**
   * The text of {@code bytes}, each maximal invalid subsequence replaced by
   * U+FFFD, as Rust's {@code String::from_utf8_lossy}, Python's
   * {@code errors="replace"} and {@code TextDecoder} do; Java's own decoder
   * replaces some sequences (an encoded surrogate, say) with fewer.
   */
  static String lossy(byte[] bytes) {
    StringBuilder text = new StringBuilder(bytes.length);
    int i = 0;
    while (i < bytes.length) {
      int b = bytes[i] & 0xff;
      if (b < 0x80) {
        text.append((char) b);
        i++;
        continue;
      }
      int length;
      int low = 0x80;
      int high = 0xbf;
      if (b >= 0xc2 && b <= 0xdf) {
        length = 2;
      } else if (b >= 0xe0 && b <= 0xef) {
        length = 3;
        low = b == 0xe0 ? 0xa0 : 0x80;
        high = b == 0xed ? 0x9f : 0xbf;
      } else if (b >= 0xf0 && b <= 0xf4) {
        length = 4;
        low = b == 0xf0 ? 0x90 : 0x80;
        high = b == 0xf4 ? 0x8f : 0xbf;
      } else {
        text.append('\uFFFD');
        i++;
        continue;
      }
      int codePoint = b & (0xff >> (length + 1));
      int k = 1;
      for (; k < length; k++) {
        if (i + k >= bytes.length) {
          break;
        }
        int next = bytes[i + k] & 0xff;
        int min = k == 1 ? low : 0x80;
        int max = k == 1 ? high : 0xbf;
        if (next < min || next > max) {
          break;
        }
        codePoint = (codePoint << 6) | (next & 0x3f);
      }
      if (k == length) {
        text.appendCodePoint(codePoint);
      } else {
        text.append('\uFFFD');
      }
      i += k;
    }
    return text.toString();
  }

  static void checkUtf8(byte[] bytes) throws WireException {
    if (!isUtf8(bytes)) {
      throw new WireException(Problem.NOT_UTF8);
    }
  }

  /** A {@code google.rpc.Status}, its own framing checked; each detail is read on its own. */
  static final class StatusView {
    int code;
    byte[] message = new byte[0];
    /** Whether every occurrence of the message, not only the last, is UTF-8, as prost checks each. */
    boolean messageUtf8 = true;
    final List<byte[]> details = new ArrayList<>();

    static StatusView parse(byte[] bytes) throws WireException {
      StatusView view = new StatusView();
      Fields fields = new Fields(bytes, 0, bytes.length);
      while (fields.next()) {
        switch (fields.tag) {
          case 1:
            if (fields.wireType != VARINT) {
              throw new WireException(Problem.WRONG_WIRE_TYPE);
            }
            view.code = (int) fields.varint;
            break;
          case 2:
            view.message = fields.bytes();
            view.messageUtf8 &= isUtf8(view.message);
            break;
          case 3:
            view.details.add(fields.bytes());
            break;
          default:
            break;
        }
      }
      return view;
    }
  }

  /** A {@code google.protobuf.Any}. */
  static final class AnyView {
    byte[] typeUrl = new byte[0];
    byte[] value = new byte[0];
    boolean typeUrlUtf8 = true;

    static AnyView parse(byte[] bytes) throws WireException {
      AnyView view = new AnyView();
      Fields fields = new Fields(bytes, 0, bytes.length);
      while (fields.next()) {
        if (fields.tag == 1) {
          view.typeUrl = fields.bytes();
          view.typeUrlUtf8 &= isUtf8(view.typeUrl);
        } else if (fields.tag == 2) {
          view.value = fields.bytes();
        }
      }
      return view;
    }

    /** The part of the type URL after its last {@code /}, as protobuf's own {@code Any.is} reads it. */
    byte[] typeName() {
      int slash = -1;
      for (int i = typeUrl.length - 1; i >= 0; i--) {
        if (typeUrl[i] == '/') {
          slash = i;
          break;
        }
      }
      return java.util.Arrays.copyOfRange(typeUrl, slash + 1, typeUrl.length);
    }

    boolean is(String typeName) {
      return java.util.Arrays.equals(typeName(), typeName.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** A {@code google.rpc.ErrorInfo}, its strings still bytes. */
  static final class ErrorInfoView {
    byte[] reason = new byte[0];
    byte[] domain = new byte[0];
    /** The value of the last metadata entry whose key is {@code code}, or null. */
    byte[] code;
    /** Every metadata entry in wire order, key then value. */
    final List<byte[][]> metadata = new ArrayList<>();
    /** Whether every occurrence of every string, overwritten ones included, is UTF-8. */
    boolean utf8 = true;

    static ErrorInfoView parse(byte[] bytes) throws WireException {
      ErrorInfoView view = new ErrorInfoView();
      Fields fields = new Fields(bytes, 0, bytes.length);
      while (fields.next()) {
        switch (fields.tag) {
          case 1:
            view.reason = fields.bytes();
            view.utf8 &= isUtf8(view.reason);
            break;
          case 2:
            view.domain = fields.bytes();
            view.utf8 &= isUtf8(view.domain);
            break;
          case 3:
            byte[][] entry = mapEntry(fields.bytes());
            view.utf8 &= entry[2] == null;
            view.metadata.add(entry);
            if (java.util.Arrays.equals(entry[0], CODE_KEY)) {
              view.code = entry[1];
            }
            break;
          default:
            break;
        }
      }
      return view;
    }

    void checkUtf8() throws WireException {
      if (!utf8) {
        throw new WireException(Problem.NOT_UTF8);
      }
    }
  }

  private static final byte[] CODE_KEY = {'c', 'o', 'd', 'e'};

  /** Key, value, and a third element that is non-null when some occurrence of either is not UTF-8. */
  private static byte[][] mapEntry(byte[] bytes) throws WireException {
    byte[][] entry = {new byte[0], new byte[0], null};
    Fields fields = new Fields(bytes, 0, bytes.length);
    while (fields.next()) {
      if (fields.tag == 1 || fields.tag == 2) {
        byte[] text = fields.bytes();
        entry[fields.tag - 1] = text;
        if (!isUtf8(text)) {
          entry[2] = text;
        }
      }
    }
    return entry;
  }

  /**
   * Whether {@code bytes} decode as {@code type} the way prost decodes them:
   * what protobuf-java then parses from them is what prost would have read.
   */
  static void checkMessage(Descriptor type, byte[] bytes) throws WireException {
    checkMessage(type, bytes, 0, bytes.length, 0);
  }

  private static void checkMessage(Descriptor type, byte[] bytes, int start, int end, int depth)
      throws WireException {
    if (depth >= MAX_DEPTH) {
      throw new WireException(Problem.BAD_GROUP);
    }
    Fields fields = new Fields(bytes, start, end);
    while (fields.next()) {
      FieldDescriptor field = type.findFieldByNumber(fields.tag);
      if (field == null) {
        continue;
      }
      int expected = wireTypeOf(field.getType());
      boolean packed = field.isRepeated() && field.isPackable() && fields.wireType == LENGTH_DELIMITED;
      if (fields.wireType != expected && !packed) {
        throw new WireException(Problem.WRONG_WIRE_TYPE);
      }
      if (field.getType() == FieldDescriptor.Type.STRING) {
        checkUtf8(java.util.Arrays.copyOfRange(bytes, fields.start, fields.stop));
      } else if (field.getType() == FieldDescriptor.Type.MESSAGE) {
        checkMessage(field.getMessageType(), bytes, fields.start, fields.stop, depth + 1);
      }
    }
  }

  private static int wireTypeOf(FieldDescriptor.Type type) {
    switch (type) {
      case DOUBLE:
      case FIXED64:
      case SFIXED64:
        return 1;
      case FLOAT:
      case FIXED32:
      case SFIXED32:
        return 5;
      case STRING:
      case BYTES:
      case MESSAGE:
        return LENGTH_DELIMITED;
      case GROUP:
        return 3;
      default:
        return VARINT;
    }
  }

  private Wire() {}
}
