// Command runner is the Go client's conformance runner: JSON lines in, one
// canonical JSON line out per input line (conformance/README.md). It reads
// gRPC trailers as grpc-go would hand them to the package, negotiates
// accept-language and encodes with the builder.
package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"

	chaterrors "github.com/chat-errors/chat-errors/clients/go"
)

type input struct {
	ID        string            `json:"id"`
	Transport string            `json:"transport"`
	Headers   map[string]string `json:"headers"`
	Domain    string            `json:"domain"`
	Negotiate *string           `json:"negotiate"`
	Encode    *encodeInput      `json:"encode"`
	Status    *int              `json:"status"`
	Body      *string           `json:"body"`
}

type violationInput struct {
	Field            string                      `json:"field"`
	Description      string                      `json:"description"`
	Reason           string                      `json:"reason"`
	LocalizedMessage *chaterrorsLocalizedMessage `json:"localized_message"`
}

type chaterrorsLocalizedMessage struct {
	Locale  string `json:"locale"`
	Message string `json:"message"`
}

type encodeInput struct {
	Code            int32             `json:"code"`
	Locale          string            `json:"locale"`
	Domain          *string           `json:"domain"`
	Message         *string           `json:"message"`
	Metadata        map[string]string `json:"metadata"`
	RetryDelay      *string           `json:"retry_delay"`
	FieldViolations []violationInput  `json:"field_violations"`
	ResourceInfo    *struct {
		Description  string `json:"description"`
		Owner        string `json:"owner"`
		ResourceName string `json:"resource_name"`
		ResourceType string `json:"resource_type"`
	} `json:"resource_info"`
	RequestInfo *struct {
		RequestID   string `json:"request_id"`
		ServingData string `json:"serving_data"`
	} `json:"request_info"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := bufio.NewWriter(os.Stdout)
	for in.Scan() {
		var line strings.Builder
		writeJSON(&line, answer(in.Bytes()))
		out.WriteString(line.String())
		out.WriteByte('\n')
		if err := out.Flush(); err != nil {
			os.Exit(1)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "conformance runner:", err)
		os.Exit(1)
	}
}

func answer(line []byte) object {
	var request input
	if err := json.Unmarshal(line, &request); err != nil {
		return object{"id": request.ID, "runner_error": err.Error()}
	}
	switch {
	case request.Negotiate != nil:
		return object{"id": request.ID, "locale": negotiated(*request.Negotiate)}
	case request.Encode != nil:
		return encode(request.ID, request.Encode)
	case request.Transport == "grpc":
		strict, lenient := decodeGRPC(request)
		return object{"id": request.ID, "strict": strict, "lenient": lenient}
	case request.Transport == "http" && request.Status != nil && request.Body != nil:
		decoder := chaterrors.Decoder{Domain: request.Domain}
		body := []byte(*request.Body)
		var lenient any
		if decoded, ok := decoder.FromHTTP(*request.Status, body); ok {
			lenient = view(decoded)
		}
		decoded, err := decoder.ParseHTTP(*request.Status, body)
		return object{"id": request.ID, "strict": strictAnswer(decoded, err), "lenient": lenient}
	}
	return object{"id": request.ID, "runner_error": "the Go runner reads gRPC trailers only, not transport " + strconv.Quote(request.Transport)}
}

// negotiated is the locale the caller asked for, or null when none matched.
func negotiated(acceptLanguage string) any {
	locale, requested := chaterrors.NegotiateLocale(chaterrors.DefaultLocale, acceptLanguage)
	if !requested {
		return nil
	}
	return locale.String()
}

func kindError(kind string) object { return object{"error": object{"kind": kind}} }

// percentDecode turns %XX (either case) into that byte; any other % stays.
func percentDecode(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			v, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
			out = append(out, byte(v))
			i += 2
			continue
		}
		out = append(out, s[i])
	}
	return out
}

func isHex(b byte) bool {
	return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F')
}

// detailsBase64 is the standard alphabet with padding optional, as the
// base64 crate's Indifferent mode reads it: up to two '=' may close the
// last group, a length of 1 modulo 4 and non-zero trailing bits are errors.
func detailsBase64(s string) ([]byte, bool) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, false
	}
	data := strings.TrimRight(s, "=")
	if padding := len(s) - len(data); padding > 2 || (padding > 0 && len(data)%4 == 0) {
		return nil, false
	}
	decoded, err := base64.RawStdEncoding.Strict().DecodeString(data)
	return decoded, err == nil
}

func grpcStatus(s string) (codes.Code, bool) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 16 || strconv.Itoa(n) != s {
		return codes.Unknown, false
	}
	return codes.Code(n), true
}

func decodeGRPC(request input) (strict any, lenient any) {
	statusText, present := request.Headers["grpc-status"]
	if !present {
		return object{"ok": nil}, nil
	}
	decoder := chaterrors.Decoder{Domain: request.Domain}
	code, codeOK := grpcStatus(statusText)
	details, detailsOK := []byte(nil), true
	if bin := request.Headers["grpc-status-details-bin"]; bin != "" {
		details, detailsOK = detailsBase64(bin)
	}
	rawMessage := percentDecode(request.Headers["grpc-message"])
	messageOK := utf8.Valid(rawMessage)

	if detailsOK {
		if decoded, ok := decoder.FromTrailers(code, string(rawMessage), details); ok {
			lenient = view(decoded)
		}
	}
	switch {
	case !codeOK:
		strict = kindError("InvalidGrpcStatus")
	case !detailsOK:
		strict = kindError("DetailsNotBase64")
	case !messageOK:
		strict = kindError("MessageNotUtf8")
	default:
		strict = strictAnswer(decoder.ParseTrailers(code, string(rawMessage), details))
	}
	return strict, lenient
}

func strictAnswer(decoded *chaterrors.Decoded, err error) object {
	var decodeErr *chaterrors.DecodeError
	switch {
	case errors.Is(err, chaterrors.ErrNotChatError):
		return object{"ok": nil}
	case errors.As(err, &decodeErr):
		e := object{"kind": decodeErr.Kind.String()}
		if decodeErr.Kind == chaterrors.MalformedDetail || decodeErr.Kind == chaterrors.DuplicateDetail {
			e["detail"] = decodeErr.TypeName
		}
		return object{"error": e}
	case err != nil:
		return object{"runner_error": err.Error()}
	}
	return object{"ok": view(decoded)}
}

func localizedView(m *chaterrors.LocalizedMessage) any {
	if m == nil {
		return nil
	}
	return object{"locale": m.Locale, "message": m.Message}
}

func view(d *chaterrors.Decoded) object {
	v := object{
		"domain": d.Domain(), "grpc_code": rawNumber(d.GRPCCode()), "message": d.Message(),
		"reason": d.Reason(), "code": nil, "number": nil, "name": nil, "localized_message": nil,
		"retry_delay": nil, "resource_info": nil, "request_info": nil,
	}
	if code, known := d.Code(); known {
		v["code"] = rawNumber(code.Number())
	}
	if number, ok := d.Number(); ok {
		v["number"] = rawNumber(number)
	}
	if name, ok := d.OriginalName(); ok {
		v["name"] = name
	}
	if m, ok := d.LocalizedMessage(); ok {
		v["localized_message"] = localizedView(&m)
	}
	if seconds, nanos, ok := d.RetryDelayParts(); ok {
		total := new(big.Int).Mul(new(big.Int).SetUint64(seconds), big.NewInt(int64(time.Second)))
		v["retry_delay"] = total.Add(total, big.NewInt(int64(nanos))).String()
	}
	violations := []any{}
	for _, fv := range d.FieldViolations() {
		violations = append(violations, object{"description": fv.Description, "field": fv.Field,
			"localized_message": localizedView(fv.LocalizedMessage), "reason": fv.Reason})
	}
	v["field_violations"] = violations
	if r, ok := d.ResourceInfo(); ok {
		v["resource_info"] = object{"description": r.Description, "owner": r.Owner,
			"resource_name": r.ResourceName, "resource_type": r.ResourceType}
	}
	if r, ok := d.RequestInfo(); ok {
		v["request_info"] = object{"request_id": r.RequestID, "serving_data": r.ServingData}
	}
	metadata := object{}
	for key, value := range d.Metadata() {
		metadata[key] = value
	}
	v["metadata"] = metadata
	return v
}

func encode(id string, e *encodeInput) object {
	locale, ok := chaterrors.ParseLocale(e.Locale)
	if !ok {
		return object{"id": id, "runner_error": "unknown locale " + e.Locale}
	}
	built := chaterrors.New(chaterrors.ErrorCode(e.Code)).WithLocale(locale)
	if e.Domain != nil {
		built = built.WithDomain(*e.Domain)
	}
	if e.Message != nil {
		built = built.WithMessage(*e.Message)
	}
	keys := make([]string, 0, len(e.Metadata))
	for key := range e.Metadata {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	for _, key := range keys {
		if err := chaterrors.CheckMetadataKey(key); err != nil {
			refused := "InvalidKey"
			if errors.Is(err, chaterrors.ErrReservedMetadataKey) {
				refused = "ReservedKey"
			}
			return object{"id": id, "refused": refused}
		}
		built = built.WithMetadata(key, e.Metadata[key])
	}
	if e.RetryDelay != nil {
		nanos, err := strconv.ParseInt(*e.RetryDelay, 10, 64)
		if err != nil {
			return object{"id": id, "runner_error": "retry delay " + *e.RetryDelay + " is past time.Duration"}
		}
		built = built.WithRetryDelay(time.Duration(nanos))
	}
	for _, v := range e.FieldViolations {
		violation := chaterrors.FieldViolation{Field: v.Field, Description: v.Description, Reason: v.Reason}
		if v.LocalizedMessage != nil {
			violation.LocalizedMessage = &chaterrors.LocalizedMessage{Locale: v.LocalizedMessage.Locale, Message: v.LocalizedMessage.Message}
		}
		built = built.WithFieldViolations(violation)
	}
	if r := e.ResourceInfo; r != nil {
		built = built.WithResourceInfo(chaterrors.ResourceInfo{ResourceType: r.ResourceType,
			ResourceName: r.ResourceName, Owner: r.Owner, Description: r.Description})
	}
	if r := e.RequestInfo; r != nil {
		built = built.WithRequestInfo(chaterrors.RequestInfo{RequestID: r.RequestID, ServingData: r.ServingData})
	}
	st := built.GRPCStatus()
	details, err := proto.Marshal(st.Proto())
	if err != nil {
		return object{"id": id, "runner_error": err.Error()}
	}
	return object{"id": id, "headers": object{
		"grpc-status":             strconv.Itoa(int(st.Code())),
		"grpc-message":            grpcGoPercentEncode(st.Message()),
		"grpc-status-details-bin": base64.RawStdEncoding.EncodeToString(details),
	}}
}

// grpcGoPercentEncode is how grpc-go writes grpc-message: every byte
// outside printable ASCII, and '%', as %XX.
func grpcGoPercentEncode(message string) string {
	var b strings.Builder
	for i := 0; i < len(message); i++ {
		c := message[i]
		if c >= ' ' && c <= '~' && c != '%' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
