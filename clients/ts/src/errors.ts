// What strict decoding reports. The kinds carry the names of the Rust
// crate's DecodeError variants, of its StatusHeaderError for the headers and
// of its HttpJsonDecodeError for HTTP JSON bodies.

/** Why a status was refused by strict decoding. */
export type DecodeErrorKind =
  /** `grpc-status-details-bin` is not base64. */
  | "DetailsNotBase64"
  /** `grpc-status` is not one of "0" to "16". */
  | "InvalidGrpcStatus"
  /** `grpc-message`, percent-decoded, is not UTF-8. */
  | "MessageNotUtf8"
  /** The details are not a `google.rpc.Status`. */
  | "MalformedStatus"
  /** A detail of a type this package reads did not decode as that type. */
  | "MalformedDetail"
  /** A detail type that may appear once appeared again. */
  | "DuplicateDetail"
  /** `google.rpc.Status.code` is not the `grpc-status` it travelled with. */
  | "CodeMismatch"
  /** `google.rpc.Status.message` is not the `grpc-message` it travelled with. */
  | "MessageMismatch"
  /** ErrorInfo metadata `code` is not a number, or past 2^31 - 1. */
  | "InvalidCodeMetadata"
  /** ErrorInfo metadata `code` reads as a number but is not canonical decimal (`0|[1-9][0-9]*`). */
  | "NonCanonicalCode"
  /** ErrorInfo metadata `code` and the reason name different codes. */
  | "CodeReasonMismatch"
  /** ErrorInfo metadata `message` is not the code's original name. */
  | "NameMismatch"
  /** The status code is not the gRPC code the catalogue sends this error with. */
  | "GrpcCodeMismatch"
  /** `RetryInfo.retry_delay` is negative or out of protobuf's range. */
  | "InvalidRetryDelay"
  /** An HTTP error body is longer than `MAX_HTTP_JSON_ERROR_BYTES`. */
  | "TooLarge"
  /** An HTTP error body is not JSON. */
  | "NotJson"
  /** A field of an HTTP error body's envelope has the wrong type or an unknown value, e.g. `error.status`. */
  | "InvalidField"
  /** The HTTP status of the response is not the one its body's code maps to. */
  | "HttpStatusMismatch";

/**
 * Thrown by `chatErrorOf(err, { strict: true })` when a status carries a chat
 * error but breaks the wire contract. Lenient reading never throws.
 */
export class DecodeError extends Error {
  constructor(
    /** What is wrong, as a stable name to switch on. */
    readonly kind: DecodeErrorKind,
    message: string,
    /** The detail's message name, e.g. `google.rpc.ErrorInfo`, for the detail kinds. */
    readonly typeName?: string,
  ) {
    super(message);
    this.name = "DecodeError";
  }
}
