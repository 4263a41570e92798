package chaterrors

import (
	"maps"
	"strconv"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Decoded is a chat error as a client received it. Everything comes from
// the wire, so a peer with a newer catalogue can send a code this build
// lacks: [Decoded.Code] then reports false while [Decoded.Number] and
// [Decoded.Reason] keep what was sent.
//
// It is an error: its GRPCStatus is the status it was read from, and
// errors.Is(decoded, chaterrors.ChannelNotFound) holds for code 2003.
type Decoded struct {
	number       int32
	hasNumber    bool
	grpcCode     codes.Code
	reason       string
	domain       string
	metadata     map[string]string
	message      string
	localized    []LocalizedMessage
	retrySeconds uint64
	retryNanos   uint32
	hasRetry     bool
	violations   []FieldViolation
	resource     *ResourceInfo
	request      *RequestInfo
	status       *status.Status
}

// Code returns the error code, if this build's catalogue has it.
func (d *Decoded) Code() (ErrorCode, bool) {
	code := ErrorCode(d.number)
	return code, d.hasNumber && code.Known()
}

// Number returns the numeric code as sent: from ErrorInfo metadata "code",
// or else from the reason. It is kept when the catalogue lacks the code.
func (d *Decoded) Number() (int32, bool) { return d.number, d.hasNumber }

// Is reports whether target is this error's code.
func (d *Decoded) Is(target error) bool {
	code, ok := target.(ErrorCode)
	known, isKnown := d.Code()
	return ok && isKnown && known == code
}

// GRPCCode returns the grpc-status the error arrived with.
func (d *Decoded) GRPCCode() codes.Code { return d.grpcCode }

// Reason returns ErrorInfo.reason, e.g. "CHANNEL_NOT_FOUND".
func (d *Decoded) Reason() string { return d.reason }

// Domain returns ErrorInfo.domain.
func (d *Decoded) Domain() string { return d.domain }

// OriginalName returns ErrorInfo metadata "message", e.g. "ChannelNotFound".
func (d *Decoded) OriginalName() (string, bool) {
	name, ok := d.metadata[metadataNameKey]
	return name, ok
}

// Metadata returns a copy of ErrorInfo.metadata, "code" and "message" included.
func (d *Decoded) Metadata() map[string]string { return maps.Clone(d.metadata) }

// Message returns the status message (grpc-message).
func (d *Decoded) Message() string { return d.message }

// LocalizedMessages returns every LocalizedMessage, in the order sent. A
// chat server sends exactly one.
func (d *Decoded) LocalizedMessages() []LocalizedMessage {
	return append([]LocalizedMessage(nil), d.localized...)
}

// LocalizedMessage returns the user-facing message with its locale: the
// first LocalizedMessage.
func (d *Decoded) LocalizedMessage() (LocalizedMessage, bool) {
	if len(d.localized) == 0 {
		return LocalizedMessage{}, false
	}
	return d.localized[0], true
}

// RetryDelay returns RetryInfo.retry_delay, if the server sent one; a
// delay past time.Duration's range is its largest value.
func (d *Decoded) RetryDelay() (time.Duration, bool) {
	if !d.hasRetry {
		return 0, false
	}
	return retryDuration(d.retrySeconds, d.retryNanos), true
}

// RetryDelayParts returns RetryInfo.retry_delay as the non-negative
// seconds and nanoseconds sent, which a time.Duration cannot always hold.
func (d *Decoded) RetryDelayParts() (seconds uint64, nanos uint32, ok bool) {
	return d.retrySeconds, d.retryNanos, d.hasRetry
}

// FieldViolations returns the BadRequest field violations.
func (d *Decoded) FieldViolations() []FieldViolation {
	return append([]FieldViolation(nil), d.violations...)
}

// ResourceInfo returns ResourceInfo, if the server sent one.
func (d *Decoded) ResourceInfo() (ResourceInfo, bool) {
	if d.resource == nil {
		return ResourceInfo{}, false
	}
	return *d.resource, true
}

// RequestInfo returns RequestInfo, if the server sent one.
func (d *Decoded) RequestInfo() (RequestInfo, bool) {
	if d.request == nil {
		return RequestInfo{}, false
	}
	return *d.request, true
}

// Retryable reports whether the catalogue lets a client retry this code unchanged.
func (d *Decoded) Retryable() bool {
	code, known := d.Code()
	return known && code.Retryable()
}

// GRPCStatus returns the status the error was read from.
func (d *Decoded) GRPCStatus() *status.Status {
	if d.status != nil {
		return d.status
	}
	return status.New(d.grpcCode, d.message)
}

// Error returns "2003 ChannelNotFound: <message>"; a code the catalogue
// lacks shows its number and reason.
func (d *Decoded) Error() string {
	if code, known := d.Code(); known {
		return code.String() + ": " + d.message
	}
	if d.hasNumber {
		return strconv.Itoa(int(d.number)) + " " + d.reason + ": " + d.message
	}
	return d.reason + ": " + d.message
}
