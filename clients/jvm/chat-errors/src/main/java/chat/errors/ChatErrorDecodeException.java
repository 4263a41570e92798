package chat.errors;

/**
 * A status that strict decoding refuses: details that do not parse, or a
 * chat error that contradicts itself or the status it travelled with. The
 * only exception any decoding entry point throws, whatever the trailers hold.
 */
public final class ChatErrorDecodeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final DecodeErrorKind kind;
  private final String typeName;

  ChatErrorDecodeException(DecodeErrorKind kind, String typeName, String message) {
    super(message);
    this.kind = kind;
    this.typeName = typeName;
  }

  /** What is wrong. */
  public DecodeErrorKind kind() {
    return kind;
  }

  /**
   * The detail's message name, e.g. {@code google.rpc.ErrorInfo}, for
   * {@link DecodeErrorKind#MALFORMED_DETAIL} and {@link DecodeErrorKind#DUPLICATE_DETAIL};
   * {@code null} otherwise.
   */
  public String typeName() {
    return typeName;
  }
}
