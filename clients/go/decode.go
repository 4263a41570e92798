package chaterrors

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

const (
	errorInfoName        = "google.rpc.ErrorInfo"
	localizedMessageName = "google.rpc.LocalizedMessage"
	retryInfoName        = "google.rpc.RetryInfo"
	badRequestName       = "google.rpc.BadRequest"
	resourceInfoName     = "google.rpc.ResourceInfo"
	requestInfoName      = "google.rpc.RequestInfo"
)

// Decoder reads the chat errors of one domain. The zero Decoder reads
// [DefaultDomain].
type Decoder struct {
	Domain string
}

func (d Decoder) domain() string {
	if d.Domain == "" {
		return DefaultDomain
	}
	return d.Domain
}

// FromError reads the chat error of [DefaultDomain] out of err, leniently:
// details that do not parse are skipped and the first of repeated ones
// wins. It reports false when err carries no such error.
func FromError(err error) (*Decoded, bool) { return Decoder{}.FromError(err) }

// Parse reads the chat error of [DefaultDomain] out of err, strictly: a
// detail the package reads that is broken, repeated or inconsistent is a
// [*DecodeError]. It returns [ErrNotChatError] when err carries no such error.
func Parse(err error) (*Decoded, error) { return Decoder{}.Parse(err) }

// CodeOf returns the code of the chat error err carries, read leniently.
// A number the catalogue lacks is returned with known false.
func CodeOf(err error) (code ErrorCode, known bool) {
	st, ok := statusOf(err)
	if !ok {
		return 0, false
	}
	// Only the ErrorInfo is read, in place: no map, no other detail, no copy.
	for _, a := range st.Proto().GetDetails() {
		url := a.GetTypeUrl()
		if url != errorInfoURL && url[strings.LastIndexByte(url, '/')+1:] != errorInfoName {
			continue
		}
		info, err := parseErrorInfo(a.GetValue(), false)
		if err != nil || string(info.domain) != DefaultDomain {
			continue
		}
		number, hasNumber, _ := resolveCode(info, false)
		return ErrorCode(number), hasNumber && ErrorCode(number).Known()
	}
	return 0, false
}

// Is reports whether err is, or carries, the chat error code.
func Is(err error, code ErrorCode) bool {
	if errors.Is(err, code) {
		return true
	}
	got, known := CodeOf(err)
	return known && got == code
}

// FromError is [FromError] for the decoder's domain.
func (d Decoder) FromError(err error) (*Decoded, bool) {
	st, ok := statusOf(err)
	if !ok {
		return nil, false
	}
	decoded, _ := d.decodeStatus(st, false)
	return decoded, decoded != nil
}

// Parse is [Parse] for the decoder's domain.
func (d Decoder) Parse(err error) (*Decoded, error) {
	st, ok := statusOf(err)
	if !ok {
		return nil, ErrNotChatError
	}
	return d.decodeStatus(st, true)
}

// FromTrailers reads, leniently, a chat error from the values of
// grpc-status, grpc-message (already percent-decoded, and read lossily when
// it is not UTF-8) and
// grpc-status-details-bin (already base64-decoded), as a proxy or a
// gRPC-Web client has them.
func (d Decoder) FromTrailers(grpcStatus codes.Code, grpcMessage string, details []byte) (*Decoded, bool) {
	view, err := parseStatusBytes(details)
	if err != nil {
		return nil, false
	}
	decoded, _ := d.decode(grpcStatus, grpcMessage, view, false, nil)
	return decoded, decoded != nil
}

// ParseTrailers is [Decoder.FromTrailers], strictly.
func (d Decoder) ParseTrailers(grpcStatus codes.Code, grpcMessage string, details []byte) (*Decoded, error) {
	view, err := parseStatusBytes(details)
	if err != nil {
		return nil, &DecodeError{Kind: MalformedStatus, Wire: err.(WireError)}
	}
	return d.decode(grpcStatus, grpcMessage, view, true, nil)
}

func statusOf(err error) (*status.Status, bool) {
	if err == nil {
		return nil, false
	}
	st, ok := status.FromError(err)
	if !ok && st == nil {
		return nil, false
	}
	return st, true
}

func (d Decoder) decodeStatus(st *status.Status, strict bool) (*Decoded, error) {
	p := st.Proto()
	if len(p.GetDetails()) == 0 {
		return nil, ErrNotChatError
	}
	view := statusView{
		present:     true,
		code:        p.GetCode(),
		message:     []byte(p.GetMessage()),
		messageUTF8: utf8.ValidString(p.GetMessage()),
		details:     make([]detail, len(p.GetDetails())),
	}
	for i, a := range p.GetDetails() {
		view.details[i] = detail{parsed: &anyView{
			typeURL: []byte(a.GetTypeUrl()), typeURLUTF8: utf8.ValidString(a.GetTypeUrl()), value: a.GetValue(),
		}}
	}
	return d.decode(st.Code(), st.Message(), view, strict, st)
}

type statusView struct {
	present     bool
	code        int32
	message     []byte
	messageUTF8 bool
	details     []detail
}

type detail struct {
	raw    []byte
	parsed *anyView
}

func (dt detail) any() (*anyView, error) {
	if dt.parsed != nil {
		return dt.parsed, nil
	}
	return parseAny(dt.raw)
}

type anyView struct {
	typeURL     []byte
	typeURLUTF8 bool
	value       []byte
}

// typeName is the part of the type URL after its last '/'.
func (a *anyView) typeName() []byte {
	if slash := bytes.LastIndexByte(a.typeURL, '/'); slash >= 0 {
		return a.typeURL[slash+1:]
	}
	return a.typeURL
}

func parseStatusBytes(b []byte) (statusView, error) {
	view := statusView{messageUTF8: true}
	if len(b) == 0 {
		return view, nil
	}
	view.present = true
	err := eachField(b, 0, func(f *field) error {
		switch f.tag {
		case fieldStatusCode:
			n, err := f.number()
			view.code = int32(n)
			return err
		case fieldStatusMessage:
			m, err := f.lengthDelimited()
			view.message = m
			view.messageUTF8 = view.messageUTF8 && utf8.Valid(m)
			return err
		case fieldStatusDetails:
			raw, err := f.lengthDelimited()
			view.details = append(view.details, detail{raw: raw})
			return err
		}
		return nil
	})
	return view, err
}

func parseAny(b []byte) (*anyView, error) {
	view := &anyView{typeURLUTF8: true}
	err := eachField(b, 0, func(f *field) error {
		switch f.tag {
		case fieldAnyTypeURL:
			u, err := f.lengthDelimited()
			view.typeURL = u
			view.typeURLUTF8 = view.typeURLUTF8 && utf8.Valid(u)
			return err
		case fieldAnyValue:
			v, err := f.lengthDelimited()
			view.value = v
			return err
		}
		return nil
	})
	return view, err
}

type errorInfoView struct {
	reason, domain []byte
	code           []byte
	hasCode        bool
	entries        [][2][]byte
	// allUTF8 holds when every occurrence of every string is UTF-8, as prost requires.
	allUTF8 bool
}

// parseErrorInfo reads an ErrorInfo; keepEntries keeps its metadata
// entries, which finding the code alone does not need.
func parseErrorInfo(b []byte, keepEntries bool) (*errorInfoView, error) {
	view := &errorInfoView{allUTF8: true}
	check := func(s []byte) { view.allUTF8 = view.allUTF8 && utf8.Valid(s) }
	err := eachField(b, 0, func(f *field) error {
		switch f.tag {
		case 1, 2:
			s, err := f.lengthDelimited()
			check(s)
			if f.tag == 1 {
				view.reason = s
			} else {
				view.domain = s
			}
			return err
		case fieldErrorInfoMeta:
			entry, err := f.lengthDelimited()
			if err != nil {
				return err
			}
			var key, value []byte
			err = eachField(entry, 1, func(f *field) error {
				switch f.tag {
				case 1, 2:
					s, err := f.lengthDelimited()
					check(s)
					if f.tag == 1 {
						key = s
					} else {
						value = s
					}
					return err
				}
				return nil
			})
			if err != nil {
				return err
			}
			if string(key) == metadataCodeKey {
				view.code, view.hasCode = value, true
			}
			if keepEntries {
				view.entries = append(view.entries, [2][]byte{key, value})
			}
		}
		return nil
	})
	return view, err
}

func malformedErrorInfo(err error) *DecodeError {
	return &DecodeError{Kind: MalformedDetail, TypeName: errorInfoName, Wire: err.(WireError)}
}

// findErrorInfo returns the ErrorInfo of domain, or nil. Leniently only the
// status's framing must hold and the first ErrorInfo of the domain wins;
// strictly every detail must parse as prost would parse it before a
// repeated ErrorInfo of the domain is reported.
func findErrorInfo(view statusView, domain string, strict bool) (*errorInfoView, error) {
	if !view.present {
		return nil, nil
	}
	if strict && !view.messageUTF8 {
		return nil, &DecodeError{Kind: MalformedStatus, Wire: WireNotUTF8}
	}
	var found *errorInfoView
	repeated := false
	for _, dt := range view.details {
		a, err := dt.any()
		if err != nil {
			if strict {
				return nil, &DecodeError{Kind: MalformedStatus, Wire: err.(WireError)}
			}
			continue
		}
		if strict && !a.typeURLUTF8 {
			return nil, &DecodeError{Kind: MalformedStatus, Wire: WireNotUTF8}
		}
		if string(a.typeName()) != errorInfoName {
			continue
		}
		info, err := parseErrorInfo(a.value, true)
		if err != nil {
			if strict {
				return nil, malformedErrorInfo(err)
			}
			continue
		}
		if string(info.domain) != domain {
			if strict && !info.allUTF8 {
				return nil, malformedErrorInfo(WireNotUTF8)
			}
			continue
		}
		if !strict {
			return info, nil
		}
		if found != nil {
			repeated = true
			if !found.allUTF8 || !info.allUTF8 {
				return nil, malformedErrorInfo(WireNotUTF8)
			}
		}
		found = info
	}
	if repeated {
		return nil, &DecodeError{Kind: DuplicateDetail, TypeName: errorInfoName}
	}
	return found, nil
}

// resolveCode takes the number from metadata "code", or from the reason
// when that is absent. Strictly, "code" must be canonical decimal, and it
// and the reason must name the same code unless the catalogue knows neither.
func resolveCode(info *errorInfoView, strict bool) (int32, bool, error) {
	byReason := func() (ErrorCode, bool) {
		if !utf8.Valid(info.reason) {
			return 0, false
		}
		return LookupReason(string(info.reason))
	}
	if !info.hasCode {
		code, ok := byReason()
		return int32(code), ok, nil
	}
	text := info.code
	if !strict {
		if n, ok := parseI32(text); ok {
			return n, true, nil
		}
		code, ok := byReason()
		return int32(code), ok, nil
	}
	number, err := canonicalNumber(text)
	if err != nil {
		return 0, false, err
	}
	named, namedKnown := byReason()
	known := ErrorCode(number).Known()
	if (known && namedKnown && named == ErrorCode(number)) || (!known && !namedKnown) {
		return number, true, nil
	}
	return 0, false, &DecodeError{Kind: CodeReasonMismatch, Number: number, Text: lossy(info.reason)}
}

// parseI32 is Rust's str::parse::<i32>: an optional sign, then ASCII
// digits, which is what strconv accepts in base 10.
func parseI32(b []byte) (int32, bool) {
	n, err := strconv.ParseInt(string(b), 10, 32)
	return int32(n), err == nil
}

// parseI64Trimmed is Rust's str::trim then parse::<i64>.
func parseI64Trimmed(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	_, err := strconv.ParseInt(strings.TrimFunc(string(b), unicode.IsSpace), 10, 64)
	return err == nil
}

func canonicalNumber(text []byte) (int32, error) {
	digitsOnly := len(text) > 0
	for _, b := range text {
		digitsOnly = digitsOnly && b >= '0' && b <= '9'
	}
	canonical := digitsOnly && (text[0] != '0' || len(text) == 1)
	n, parsed := parseI32(text)
	switch {
	case parsed && canonical:
		return n, nil
	case canonical:
		return 0, &DecodeError{Kind: InvalidCodeMetadata, Text: lossy(text)}
	case parseI64Trimmed(text):
		return 0, &DecodeError{Kind: NonCanonicalCode, Text: lossy(text)}
	}
	return 0, &DecodeError{Kind: InvalidCodeMetadata, Text: lossy(text)}
}

func (d Decoder) decode(grpcStatus codes.Code, grpcMessage string, view statusView, strict bool, st *status.Status) (*Decoded, error) {
	domain := d.domain()
	info, err := findErrorInfo(view, domain, strict)
	if err != nil {
		return nil, err
	}
	if info == nil {
		return nil, ErrNotChatError
	}
	if strict && !info.allUTF8 {
		return nil, malformedErrorInfo(WireNotUTF8)
	}
	decoded := &Decoded{
		grpcCode: grpcStatus,
		reason:   lossy(info.reason),
		domain:   domain,
		metadata: make(map[string]string, len(info.entries)),
		message:  lossy([]byte(grpcMessage)),
		status:   st,
	}
	for _, entry := range info.entries {
		decoded.metadata[lossy(entry[0])] = lossy(entry[1])
	}
	if strict {
		if view.code != int32(grpcStatus) {
			return nil, &DecodeError{Kind: CodeMismatch, HeaderCode: int32(grpcStatus), DetailsCode: view.code}
		}
		if string(view.message) != grpcMessage {
			return nil, &DecodeError{Kind: MessageMismatch}
		}
	}
	if decoded.number, decoded.hasNumber, err = resolveCode(info, strict); err != nil {
		return nil, err
	}
	if code := ErrorCode(decoded.number); strict && decoded.hasNumber && code.Known() {
		if grpcStatus != code.GRPCCode() {
			return nil, &DecodeError{Kind: GrpcCodeMismatch, Code: code, SentGRPCCode: grpcStatus}
		}
		if name, ok := decoded.metadata[metadataNameKey]; ok && name != code.OriginalName() {
			return nil, &DecodeError{Kind: NameMismatch, Code: code, Text: name}
		}
	}
	if err := decoded.readDetails(view, strict); err != nil {
		return nil, err
	}
	return decoded, nil
}

func (decoded *Decoded) readDetails(view statusView, strict bool) error {
	seen := map[string]bool{}
	// once reports whether a detail that may appear once is read: a repeat
	// is an error when strict and skipped otherwise, even if the first did
	// not decode.
	once := func(name string) (bool, error) {
		if seen[name] {
			if strict {
				return false, &DecodeError{Kind: DuplicateDetail, TypeName: name}
			}
			return false, nil
		}
		seen[name] = true
		return true, nil
	}
	malformed := func(name string, err error) error {
		if strict {
			return &DecodeError{Kind: MalformedDetail, TypeName: name, Wire: err.(WireError)}
		}
		return nil
	}
	for _, dt := range view.details {
		a, err := dt.any()
		if err != nil {
			continue
		}
		name := string(a.typeName())
		if !utf8.ValidString(name) {
			continue
		}
		switch name {
		case localizedMessageName:
			m, err := readLocalized(a.value, 0)
			if err != nil {
				if err := malformed(name, err); err != nil {
					return err
				}
				continue
			}
			decoded.localized = append(decoded.localized, m)
		case retryInfoName, badRequestName, resourceInfoName, requestInfoName:
			if read, err := once(name); err != nil {
				return err
			} else if !read {
				continue
			}
			if err := decoded.readOnce(name, a.value, strict); err != nil {
				if decodeErr, ok := err.(*DecodeError); ok {
					return decodeErr
				}
				if err := malformed(name, err); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (decoded *Decoded) readOnce(name string, value []byte, strict bool) error {
	switch name {
	case retryInfoName:
		delay, present, err := readRetryInfo(value)
		if err != nil || !present {
			return err
		}
		seconds, nanos, ok := delay.nonNegative()
		if !ok {
			if strict {
				return &DecodeError{Kind: InvalidRetryDelay}
			}
			return nil
		}
		decoded.retrySeconds, decoded.retryNanos, decoded.hasRetry = seconds, nanos, true
	case badRequestName:
		violations, err := readBadRequest(value)
		if err != nil {
			return err
		}
		decoded.violations = violations
	case resourceInfoName:
		var r ResourceInfo
		if err := readStrings(value, 0, &r.ResourceType, &r.ResourceName, &r.Owner, &r.Description); err != nil {
			return err
		}
		decoded.resource = &r
	case requestInfoName:
		var r RequestInfo
		if err := readStrings(value, 0, &r.RequestID, &r.ServingData); err != nil {
			return err
		}
		decoded.request = &r
	}
	return nil
}

// readStrings decodes a message whose fields 1..n are strings.
func readStrings(b []byte, depth int, targets ...*string) error {
	return eachField(b, depth, func(f *field) error {
		if f.tag < 1 || int(f.tag) > len(targets) {
			return nil
		}
		s, err := f.text()
		*targets[f.tag-1] = s
		return err
	})
}

func readLocalized(b []byte, depth int) (LocalizedMessage, error) {
	var m LocalizedMessage
	err := readStrings(b, depth, &m.Locale, &m.Message)
	return m, err
}

func readBadRequest(b []byte) ([]FieldViolation, error) {
	var violations []FieldViolation
	err := eachField(b, 0, func(f *field) error {
		if f.tag != fieldBadRequestViol {
			return nil
		}
		body, err := f.lengthDelimited()
		if err != nil {
			return err
		}
		var v FieldViolation
		err = eachField(body, 1, func(f *field) error {
			switch f.tag {
			case 1, 2, 3:
				s, err := f.text()
				*[]*string{&v.Field, &v.Description, &v.Reason}[f.tag-1] = s
				return err
			case 4:
				body, err := f.lengthDelimited()
				if err != nil {
					return err
				}
				if v.LocalizedMessage == nil {
					v.LocalizedMessage = &LocalizedMessage{}
				}
				// A repeated message field merges into the earlier one.
				return readStrings(body, 2, &v.LocalizedMessage.Locale, &v.LocalizedMessage.Message)
			}
			return nil
		})
		violations = append(violations, v)
		return err
	})
	return violations, err
}

// protoDurationValue is a google.protobuf.Duration as sent.
type protoDurationValue struct {
	seconds int64
	nanos   int32
}

func readRetryInfo(b []byte) (protoDurationValue, bool, error) {
	var delay protoDurationValue
	present := false
	err := eachField(b, 0, func(f *field) error {
		if f.tag != 1 {
			return nil
		}
		body, err := f.lengthDelimited()
		if err != nil {
			return err
		}
		present = true
		return eachField(body, 1, func(f *field) error {
			switch f.tag {
			case 1:
				n, err := f.number()
				delay.seconds = int64(n)
				return err
			case 2:
				n, err := f.number()
				delay.nanos = int32(n)
				return err
			}
			return nil
		})
	})
	return delay, present, err
}

const nanosPerSecond = 1_000_000_000

// nonNegative is prost-types' conversion to a std Duration: normalized,
// then refused when negative.
func (d protoDurationValue) nonNegative() (uint64, uint32, bool) {
	seconds, nanos := d.seconds, d.nanos
	if nanos <= -nanosPerSecond || nanos >= nanosPerSecond {
		carry := int64(nanos / nanosPerSecond)
		if (carry > 0 && seconds > math.MaxInt64-carry) || (carry < 0 && seconds < math.MinInt64-carry) {
			if nanos < 0 {
				seconds, nanos = math.MinInt64, -(nanosPerSecond - 1)
			} else {
				seconds, nanos = math.MaxInt64, nanosPerSecond-1
			}
		} else {
			seconds += carry
			nanos %= nanosPerSecond
		}
	}
	if seconds < 0 && nanos > 0 {
		if seconds < math.MaxInt64 {
			seconds++
			nanos -= nanosPerSecond
		} else {
			nanos = nanosPerSecond - 1
		}
	} else if seconds > 0 && nanos < 0 {
		if seconds > math.MinInt64 {
			seconds--
			nanos += nanosPerSecond
		} else {
			nanos = -(nanosPerSecond - 1)
		}
	}
	if seconds >= 0 && nanos >= 0 {
		return uint64(seconds), uint32(nanos), true
	}
	return 0, 0, false
}

// retryDuration saturates at the longest time.Duration.
func retryDuration(seconds uint64, nanos uint32) time.Duration {
	if seconds > uint64(math.MaxInt64/int64(time.Second))-1 {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(seconds)*time.Second + time.Duration(nanos)
}
