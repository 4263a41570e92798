package chaterrors

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"unicode/utf8"

	// Registers google.rpc's detail types: the ones the JSON mapping knows.
	_ "google.golang.org/genproto/googleapis/rpc/errdetails"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/known/anypb"
)

// Reading a chat error out of an HTTP JSON error body, in AIP-193's form
// ({"error":{"code","message","status","details"}}) or the gateway form
// ({"code":<gRPC code>,"message","details"}), as the Rust crate's http_json
// module reads it: the JSON becomes the google.rpc.Status it stands for,
// which goes through the same decoding as grpc-status-details-bin.

// MaxHTTPErrorBytes is the largest error body read.
const MaxHTTPErrorBytes = 64 * 1024

// maxJSONDepth is serde_json's nesting limit.
const maxJSONDepth = 127

// HTTPStatus is the standard mapping of a gRPC code to an HTTP status.
func HTTPStatus(code codes.Code) int {
	switch code {
	case codes.OK:
		return http.StatusOK
	case codes.Canceled:
		return 499
	case codes.InvalidArgument, codes.FailedPrecondition, codes.OutOfRange:
		return http.StatusBadRequest
	case codes.DeadlineExceeded:
		return http.StatusGatewayTimeout
	case codes.NotFound:
		return http.StatusNotFound
	case codes.AlreadyExists, codes.Aborted:
		return http.StatusConflict
	case codes.PermissionDenied:
		return http.StatusForbidden
	case codes.ResourceExhausted:
		return http.StatusTooManyRequests
	case codes.Unimplemented:
		return http.StatusNotImplemented
	case codes.Unavailable:
		return http.StatusServiceUnavailable
	case codes.Unauthenticated:
		return http.StatusUnauthorized
	}
	return http.StatusInternalServerError
}

// codeNames are google.rpc.Code's names, e.g. NOT_FOUND.
var codeNames = [...]string{"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
	"NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
	"ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"}

// FromHTTP reads, leniently, the chat error in an HTTP error response.
func (d Decoder) FromHTTP(httpStatus int, body []byte) (*Decoded, bool) {
	st, err := httpToStatus(httpStatus, body, false)
	if err != nil || st == nil {
		return nil, false
	}
	return d.FromTrailers(codes.Code(st.GetCode()), st.GetMessage(), marshalStatus(st))
}

// ParseHTTP reads, strictly, the chat error in an HTTP error response.
func (d Decoder) ParseHTTP(httpStatus int, body []byte) (*Decoded, error) {
	st, err := httpToStatus(httpStatus, body, true)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return nil, ErrNotChatError
	}
	return d.ParseTrailers(codes.Code(st.GetCode()), st.GetMessage(), marshalStatus(st))
}

func marshalStatus(st *spb.Status) []byte {
	b, _ := proto.Marshal(st)
	return b
}

func jsonDepth(body []byte) int {
	depth, deepest, inString, escaped := 0, 0, false, false
	for _, c := range body {
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case inString && c == '"':
			inString = false
		case inString:
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			depth++
			deepest = max(deepest, depth)
		case c == ']' || c == '}':
			depth--
		}
	}
	return deepest
}

func httpToStatus(httpStatus int, body []byte, strict bool) (*spb.Status, error) {
	if len(body) > MaxHTTPErrorBytes {
		return nil, &DecodeError{Kind: TooLarge}
	}
	var top any
	decoder := json.NewDecoder(bytes.NewReader(body))
	decoder.UseNumber()
	notJSON := &DecodeError{Kind: NotJSON}
	if !utf8.Valid(body) || !json.Valid(body) || jsonDepth(body) > maxJSONDepth || bytes.Contains(body, []byte(`\u`)) && hasLoneSurrogate(body) {
		return nil, notJSON
	}
	if err := decoder.Decode(&top); err != nil {
		return nil, notJSON
	}
	fields, ok := top.(map[string]any)
	if !ok {
		return nil, nil
	}
	invalid := func(field string) (*spb.Status, error) {
		return nil, &DecodeError{Kind: InvalidField, Text: field}
	}
	var grpcCode codes.Code
	var bodyStatus uint64
	hasBodyStatus := false
	if errorValue, present := fields["error"]; present {
		errorFields, ok := errorValue.(map[string]any)
		if !ok {
			if strict {
				return invalid("error")
			}
			return nil, nil
		}
		grpcCode = codes.Unknown
		name, _ := errorFields["status"].(string)
		found := false
		for i, known := range codeNames {
			if known == name {
				grpcCode, found = codes.Code(i), true
			}
		}
		if !found && strict {
			return invalid("error.status")
		}
		bodyStatus, hasBodyStatus = asUint(errorFields["code"])
		if strict && (!hasBodyStatus || bodyStatus > 0xffff || int(bodyStatus) != HTTPStatus(grpcCode)) {
			return invalid("error.code")
		}
		fields = errorFields
	} else if codeValue, present := fields["code"]; present {
		number, ok := asInt(codeValue)
		switch {
		case ok && number >= 0 && number <= 16:
			grpcCode = codes.Code(number)
		case strict:
			return invalid("code")
		default:
			grpcCode = codes.Unknown
		}
		bodyStatus, hasBodyStatus = uint64(HTTPStatus(grpcCode)), true
	} else {
		return nil, nil
	}
	if strict && (!hasBodyStatus || bodyStatus != uint64(httpStatus)) {
		return nil, &DecodeError{Kind: HTTPStatusMismatch}
	}
	message := ""
	switch m := fields["message"].(type) {
	case nil:
		if _, present := fields["message"]; present && strict {
			return invalid("message")
		}
	case string:
		message = m
	default:
		if strict {
			return invalid("message")
		}
	}
	var details []any
	switch list := fields["details"].(type) {
	case nil:
		if _, present := fields["details"]; present && strict {
			return invalid("details")
		}
	case []any:
		details = list
	default:
		if strict {
			return invalid("details")
		}
	}
	st := &spb.Status{Code: int32(grpcCode), Message: message}
	for _, detail := range details {
		a, err := readJSONDetail(detail)
		switch {
		case err != nil && strict:
			return nil, err
		case err == nil && a != nil:
			st.Details = append(st.Details, a)
		}
	}
	return st, nil
}

// readJSONDetail is one detail as the Any it stands for; nil for a type
// the JSON mapping does not know, which is skipped.
func readJSONDetail(detail any) (*anypb.Any, error) {
	fields, _ := detail.(map[string]any)
	typeURL, ok := fields["@type"].(string)
	if !ok {
		return nil, &DecodeError{Kind: MalformedDetail, TypeName: ""}
	}
	name := typeURL
	if slash := lastIndexByte(typeURL, '/'); slash >= 0 {
		name = typeURL[slash+1:]
	}
	if _, err := protoregistry.GlobalTypes.FindMessageByName(protoreflect.FullName(name)); err != nil {
		return nil, nil
	}
	raw, err := json.Marshal(detail)
	if err != nil {
		return nil, &DecodeError{Kind: MalformedDetail, TypeName: name}
	}
	a := &anypb.Any{}
	if err := (protojson.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(raw, a); err != nil {
		return nil, &DecodeError{Kind: MalformedDetail, TypeName: name}
	}
	return a, nil
}

func asUint(v any) (uint64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	u, err := strconv.ParseUint(string(n), 10, 64)
	return u, err == nil
}

func asInt(v any) (int64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := strconv.ParseInt(string(n), 10, 64)
	return i, err == nil
}

// hasLoneSurrogate reports a \uD800-\uDFFF escape not in a valid pair,
// which serde_json refuses and encoding/json would replace.
func hasLoneSurrogate(body []byte) bool {
	for i := 0; i+6 <= len(body); i++ {
		if body[i] != '\\' {
			continue
		}
		if body[i+1] != 'u' {
			i++ // skip the escaped character
			continue
		}
		v, err := strconv.ParseUint(string(body[i+2:i+6]), 16, 32)
		if err != nil {
			continue
		}
		switch {
		case v >= 0xd800 && v <= 0xdbff:
			if i+12 > len(body) || body[i+6] != '\\' || body[i+7] != 'u' {
				return true
			}
			low, err := strconv.ParseUint(string(body[i+8:i+12]), 16, 32)
			if err != nil || low < 0xdc00 || low > 0xdfff {
				return true
			}
			i += 11
		case v >= 0xdc00 && v <= 0xdfff:
			return true
		default:
			i += 5
		}
	}
	return false
}
