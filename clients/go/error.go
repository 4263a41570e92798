package chaterrors

import (
	"errors"
	"fmt"
	"time"

	"google.golang.org/grpc/status"
)

// DefaultDomain is the google.rpc.ErrorInfo domain of the catalogue's errors
// unless a service sets its own.
const DefaultDomain = "chat.errors.v1"

// FieldViolation is one google.rpc.BadRequest.FieldViolation.
type FieldViolation struct {
	// Field is a dotted path into the request, e.g. "message.text".
	Field       string
	Description string
	// Reason is an optional UPPER_SNAKE_CASE reason for the violation.
	Reason           string
	LocalizedMessage *LocalizedMessage
}

// LocalizedMessage is a google.rpc.LocalizedMessage.
type LocalizedMessage struct {
	Locale  string
	Message string
}

// ResourceInfo is a google.rpc.ResourceInfo: the resource an error is about.
type ResourceInfo struct {
	ResourceType string
	ResourceName string
	Owner        string
	Description  string
}

// RequestInfo is a google.rpc.RequestInfo: which request failed, so a
// client can quote it and the server's logs can be searched for it.
type RequestInfo struct {
	RequestID   string
	ServingData string
}

// Error is a catalogue error a server raises: one [ErrorCode] plus optional
// extras. Build it with [New] and the With methods, each of which returns
// a new *Error and leaves the receiver as it was.
//
// Its GRPCStatus carries the code's gRPC code, its English description (or
// the custom message) and details holding ErrorInfo, one LocalizedMessage
// and whichever extras were given, within the trailer size limit
// ([MaxTrailerBytes]). The cause ([Error.WithCause]) stays on the server:
// it is what Unwrap returns and is never sent.
type Error struct {
	code       ErrorCode
	locale     Locale
	localeSet  bool
	domain     string
	message    string
	metadata   []metadataEntry
	retryDelay *time.Duration
	violations []FieldViolation
	resource   *ResourceInfo
	request    *RequestInfo
	cause      error
}

type metadataEntry struct{ key, value string }

// New returns the error code with its defaults: the default domain, the
// English description as message, and a LocalizedMessage in the caller's
// locale when the [Server] interceptors serve the call (DefaultLocale otherwise).
func New(code ErrorCode) *Error {
	return &Error{code: code}
}

func (e *Error) clone() *Error {
	c := *e
	return &c
}

// WithMessage replaces the English description as grpc-message and as the
// google.rpc.Status message; the LocalizedMessage stays. The text is
// cleaned (control, separator and bidi characters become spaces, and it is
// cut to [MaxMessageBytes]); an empty or blank message keeps the description.
func (e *Error) WithMessage(message string) *Error {
	c := e.clone()
	if cleaned := cleanText(message); !isBlank(cleaned) {
		c.message = cleaned
	} else {
		c.message = ""
	}
	return c
}

// WithLocale sends the LocalizedMessage in locale. Behind the [Server]
// interceptors the error goes out in the caller's locale whatever is set here.
func (e *Error) WithLocale(locale Locale) *Error {
	c := e.clone()
	c.locale, c.localeSet = locale, true
	return c
}

// WithDomain sends the error under domain instead of the [Server]'s (or
// [DefaultDomain]).
func (e *Error) WithDomain(domain string) *Error {
	c := e.clone()
	c.domain = domain
	return c
}

// WithMetadata adds key: value to ErrorInfo.metadata, replacing an earlier
// value of the same key. The value is cleaned like a message.
//
// It panics when [CheckMetadataKey] refuses the key, as regexp.MustCompile
// does for a bad pattern: keys are the program's constants. Check a key
// that comes from elsewhere first.
func (e *Error) WithMetadata(key, value string) *Error {
	if err := CheckMetadataKey(key); err != nil {
		panic(err)
	}
	c := e.clone()
	c.metadata = append([]metadataEntry(nil), e.metadata...)
	for i := range c.metadata {
		if c.metadata[i].key == key {
			c.metadata[i].value = value
			return c
		}
	}
	c.metadata = append(c.metadata, metadataEntry{key, value})
	return c
}

// WithRetryDelay tells the client how long to wait before retrying, as
// RetryInfo. A negative delay is sent as zero.
func (e *Error) WithRetryDelay(delay time.Duration) *Error {
	c := e.clone()
	delay = max(delay, 0)
	c.retryDelay = &delay
	return c
}

// WithFieldViolation adds a violation of field, sent in one BadRequest with
// any others.
func (e *Error) WithFieldViolation(field, description string) *Error {
	return e.WithFieldViolations(FieldViolation{Field: field, Description: description})
}

// WithFieldViolations adds whole field violations. Every string of each,
// its LocalizedMessage's among them, is cleaned like a message.
func (e *Error) WithFieldViolations(violations ...FieldViolation) *Error {
	c := e.clone()
	c.violations = append(append([]FieldViolation(nil), e.violations...), violations...)
	return c
}

// WithResourceInfo names the resource the error is about. Its four fields
// are cleaned like a message.
func (e *Error) WithResourceInfo(resource ResourceInfo) *Error {
	c := e.clone()
	c.resource = &resource
	return c
}

// WithRequestInfo identifies the request. Both fields are cleaned like a
// message.
func (e *Error) WithRequestInfo(request RequestInfo) *Error {
	c := e.clone()
	c.request = &request
	return c
}

// WithCause keeps the underlying cause for the server's logs and for
// errors.Is and errors.As on the server. It is never sent.
func (e *Error) WithCause(cause error) *Error {
	c := e.clone()
	c.cause = cause
	return c
}

// Code returns the error code.
func (e *Error) Code() ErrorCode { return e.code }

// Locale returns the locale of the LocalizedMessage.
func (e *Error) Locale() Locale { return e.locale }

// Domain returns the domain sent in ErrorInfo.
func (e *Error) Domain() string {
	if e.domain == "" {
		return DefaultDomain
	}
	return e.domain
}

// Message returns the message sent: the custom one, or the English description.
func (e *Error) Message() string {
	if e.message == "" {
		return e.code.EnglishDescription()
	}
	return e.message
}

// Error returns "2003 ChannelNotFound: The channel does not exist.", with
// the custom message in place of the description when there is one.
func (e *Error) Error() string { return e.code.String() + ": " + e.Message() }

// Unwrap returns the cause, which stays on the server.
func (e *Error) Unwrap() error { return e.cause }

// Is reports whether target is this error's code, so that
// errors.Is(err, chaterrors.ChannelNotFound) holds.
func (e *Error) Is(target error) bool {
	code, ok := target.(ErrorCode)
	return ok && code == e.code
}

// GRPCStatus returns the status the error is sent as. A code with nothing
// but its defaults shares one status encoded once per domain and locale.
func (e *Error) GRPCStatus() *status.Status {
	if e.hasOnlyDefaults() {
		return defaultStatus(e.Domain(), e.code, e.locale)
	}
	return status.FromProto(encodeStatus(e))
}

func (e *Error) hasOnlyDefaults() bool {
	return e.message == "" && len(e.metadata) == 0 && e.retryDelay == nil &&
		len(e.violations) == 0 && e.resource == nil && e.request == nil
}

// GRPCStatus returns the code's default status: the default domain, in
// DefaultLocale, encoded once and shared.
func (c ErrorCode) GRPCStatus() *status.Status {
	return defaultStatus(DefaultDomain, c, DefaultLocale)
}

// Is reports whether target is the same code.
func (c ErrorCode) Is(target error) bool {
	code, ok := target.(ErrorCode)
	return ok && code == c
}

// MaxMetadataKeyLen is the longest ErrorInfo metadata key.
const MaxMetadataKeyLen = 64

const (
	metadataCodeKey      = "code"
	metadataNameKey      = "message"
	metadataTruncatedKey = "truncated"
)

// ErrReservedMetadataKey is what [CheckMetadataKey] wraps for "code" and
// "message", which the error code fills in, and "truncated", which marks
// what the size limit dropped.
var ErrReservedMetadataKey = errors.New("chaterrors: reserved ErrorInfo metadata key")

// ErrInvalidMetadataKey is what [CheckMetadataKey] wraps for a key outside
// ErrorInfo's [a-z][a-zA-Z0-9-_]+ or longer than [MaxMetadataKeyLen].
var ErrInvalidMetadataKey = errors.New("chaterrors: invalid ErrorInfo metadata key")

// CheckMetadataKey returns nil when [Error.WithMetadata] accepts key.
func CheckMetadataKey(key string) error {
	switch key {
	case metadataCodeKey, metadataNameKey, metadataTruncatedKey:
		return fmt.Errorf("%w %q", ErrReservedMetadataKey, key)
	}
	wellFormed := len(key) >= 2 && len(key) <= MaxMetadataKeyLen && key[0] >= 'a' && key[0] <= 'z'
	for i := 0; wellFormed && i < len(key); i++ {
		b := key[i]
		wellFormed = isASCIILetter(b) || (b >= '0' && b <= '9') || b == '-' || b == '_'
	}
	if !wellFormed {
		return fmt.Errorf("%w %q: it must match [a-z][a-zA-Z0-9-_]+ and be at most %d characters",
			ErrInvalidMetadataKey, key, MaxMetadataKeyLen)
	}
	return nil
}
