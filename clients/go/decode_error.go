package chaterrors

import (
	"errors"
	"fmt"

	"google.golang.org/grpc/codes"
)

// ErrNotChatError is what [Parse] returns for an error that carries no
// ErrorInfo of the expected domain: a plain gRPC error, or another
// service's.
var ErrNotChatError = errors.New("chaterrors: not a chat error")

// DecodeErrorKind names what strict decoding refused, as the Rust crate's
// DecodeError variants name it.
type DecodeErrorKind int

const (
	// MalformedStatus: the details are not a google.rpc.Status.
	MalformedStatus DecodeErrorKind = iota + 1
	// MalformedDetail: a detail of a type the package reads did not decode as that type.
	MalformedDetail
	// DuplicateDetail: a detail type that may appear once appeared again.
	DuplicateDetail
	// CodeMismatch: google.rpc.Status.code is not the grpc-status it travelled with.
	CodeMismatch
	// MessageMismatch: google.rpc.Status.message is not the grpc-message it travelled with.
	MessageMismatch
	// InvalidCodeMetadata: ErrorInfo metadata "code" is not a number.
	InvalidCodeMetadata
	// NonCanonicalCode: metadata "code" is a number not written as its
	// canonical decimal digits, e.g. "02003" or "+2003".
	NonCanonicalCode
	// CodeReasonMismatch: metadata "code" and ErrorInfo.reason name different codes.
	CodeReasonMismatch
	// NameMismatch: metadata "message" is not the code's original name.
	NameMismatch
	// GrpcCodeMismatch: grpc-status is not the gRPC code the catalogue sends the code with.
	GrpcCodeMismatch
	// InvalidRetryDelay: RetryInfo.retry_delay is negative.
	InvalidRetryDelay
	// TooLarge: an HTTP error body is over MaxHTTPErrorBytes.
	TooLarge
	// NotJSON: an HTTP error body is not JSON.
	NotJSON
	// InvalidField: a field of an HTTP error body is mistyped or names no code
	// (Text names it, e.g. "error.status").
	InvalidField
	// HTTPStatusMismatch: the response's HTTP status is not the one its body implies.
	HTTPStatusMismatch
)

var kindNames = [...]string{
	MalformedStatus: "MalformedStatus", MalformedDetail: "MalformedDetail",
	DuplicateDetail: "DuplicateDetail", CodeMismatch: "CodeMismatch",
	MessageMismatch: "MessageMismatch", InvalidCodeMetadata: "InvalidCodeMetadata",
	NonCanonicalCode: "NonCanonicalCode", CodeReasonMismatch: "CodeReasonMismatch",
	NameMismatch: "NameMismatch", GrpcCodeMismatch: "GrpcCodeMismatch",
	InvalidRetryDelay: "InvalidRetryDelay", TooLarge: "TooLarge", NotJSON: "NotJson",
	InvalidField: "InvalidField", HTTPStatusMismatch: "HttpStatusMismatch",
}

func (k DecodeErrorKind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("DecodeErrorKind(%d)", int(k))
}

// DecodeError is a status that strict decoding refuses: details that do
// not parse, or a chat error that contradicts itself or the status it
// travelled with. Lenient decoding never returns it.
type DecodeError struct {
	Kind DecodeErrorKind
	// TypeName is the detail's message name, e.g. "google.rpc.ErrorInfo",
	// for MalformedDetail and DuplicateDetail.
	TypeName string
	// Wire says what is malformed, for MalformedStatus and MalformedDetail.
	Wire WireError
	// HeaderCode and DetailsCode are the two codes of a CodeMismatch.
	HeaderCode, DetailsCode int32
	// Text is metadata "code" as sent (InvalidCodeMetadata, NonCanonicalCode),
	// the reason (CodeReasonMismatch) or the name sent (NameMismatch).
	Text string
	// Number is metadata "code" of a CodeReasonMismatch.
	Number int32
	// Code is the code metadata "code" and the reason agree on, for
	// NameMismatch and GrpcCodeMismatch.
	Code ErrorCode
	// SentGRPCCode is the grpc-status of a GrpcCodeMismatch.
	SentGRPCCode codes.Code
}

func (e *DecodeError) Error() string {
	switch e.Kind {
	case MalformedStatus:
		return "chaterrors: grpc-status-details-bin is not a google.rpc.Status: " + e.Wire.Error()
	case MalformedDetail:
		return fmt.Sprintf("chaterrors: malformed %s detail: %v", e.TypeName, e.Wire)
	case DuplicateDetail:
		return fmt.Sprintf("chaterrors: %s appears more than once in the details", e.TypeName)
	case CodeMismatch:
		return fmt.Sprintf("chaterrors: grpc-status is %d but the details say %d", e.HeaderCode, e.DetailsCode)
	case MessageMismatch:
		return "chaterrors: grpc-message differs from the message inside the details"
	case InvalidCodeMetadata:
		return fmt.Sprintf("chaterrors: ErrorInfo metadata code %q is not a number", e.Text)
	case NonCanonicalCode:
		return fmt.Sprintf("chaterrors: ErrorInfo metadata code %q is not written as canonical decimal digits", e.Text)
	case CodeReasonMismatch:
		return fmt.Sprintf("chaterrors: ErrorInfo metadata code %d and reason %q name different codes", e.Number, e.Text)
	case NameMismatch:
		return fmt.Sprintf("chaterrors: ErrorInfo metadata message %q is not the name of %d, %q", e.Text, e.Code, e.Code.OriginalName())
	case GrpcCodeMismatch:
		return fmt.Sprintf("chaterrors: grpc-status is %d (%v) but %v is sent as %d (%v)",
			e.SentGRPCCode, e.SentGRPCCode, e.Code, e.Code.GRPCCode(), e.Code.GRPCCode())
	case InvalidRetryDelay:
		return "chaterrors: RetryInfo.retry_delay is negative"
	case TooLarge:
		return fmt.Sprintf("chaterrors: the error body is over %d bytes", MaxHTTPErrorBytes)
	case NotJSON:
		return "chaterrors: the error body is not JSON"
	case InvalidField:
		return fmt.Sprintf("chaterrors: the error body's %s is missing, mistyped or unknown", e.Text)
	case HTTPStatusMismatch:
		return "chaterrors: the response's HTTP status differs from the one its body implies"
	}
	return "chaterrors: " + e.Kind.String()
}

// Unwrap returns the WireError of a malformed status or detail.
func (e *DecodeError) Unwrap() error {
	if e.Wire != 0 {
		return e.Wire
	}
	return nil
}
