package chat.errors;

/**
 * Why strict decoding refused a status, named as the Rust crate's
 * {@code DecodeError} variants are, so that every language reports the same.
 */
public enum DecodeErrorKind {
  /** The details are not a {@code google.rpc.Status}, a detail is not an {@code Any}, or a string in them is not UTF-8. */
  MALFORMED_STATUS("MalformedStatus"),
  /**
   * A detail of a type the library reads did not decode as that type (in an
   * HTTP JSON body: a detail of a type the JSON mapping knows, or one with no
   * {@code @type}); see {@link ChatErrorDecodeException#typeName()}.
   */
  MALFORMED_DETAIL("MalformedDetail"),
  /** A detail type that may appear once appeared again. */
  DUPLICATE_DETAIL("DuplicateDetail"),
  /** {@code google.rpc.Status.code} is not the {@code grpc-status} it travelled with. */
  CODE_MISMATCH("CodeMismatch"),
  /** {@code google.rpc.Status.message} is not the {@code grpc-message} it travelled with. */
  MESSAGE_MISMATCH("MessageMismatch"),
  /** ErrorInfo metadata {@code code} is not a number. */
  INVALID_CODE_METADATA("InvalidCodeMetadata"),
  /** ErrorInfo metadata {@code code} is a number not written as canonical decimal digits ({@code "02003"}). */
  NON_CANONICAL_CODE("NonCanonicalCode"),
  /** ErrorInfo metadata {@code code} and the reason name different codes. */
  CODE_REASON_MISMATCH("CodeReasonMismatch"),
  /** ErrorInfo metadata {@code message} is not the code's original name. */
  NAME_MISMATCH("NameMismatch"),
  /** {@code grpc-status} is not the gRPC code the catalogue sends the code with. */
  GRPC_CODE_MISMATCH("GrpcCodeMismatch"),
  /** {@code RetryInfo.retry_delay} is negative. */
  INVALID_RETRY_DELAY("InvalidRetryDelay"),
  /** An HTTP JSON error body is over 64 KiB, the most that is read. */
  TOO_LARGE("TooLarge"),
  /** An HTTP JSON error body is not JSON (or not UTF-8). */
  NOT_JSON("NotJson"),
  /** A field of an HTTP JSON error body's envelope has the wrong type or an unknown value, e.g. {@code error.status}. */
  INVALID_FIELD("InvalidField"),
  /** The HTTP status of a response is not the one its JSON error body's code maps to. */
  HTTP_STATUS_MISMATCH("HttpStatusMismatch");

  private final String crateName;

  DecodeErrorKind(String crateName) {
    this.crateName = crateName;
  }

  /** The name of the Rust crate's variant, e.g. {@code MalformedDetail}. */
  public String crateName() {
    return crateName;
  }
}
