package chaterrors

import (
	"encoding/base64"
	"strconv"
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// sentDetails reads a status's details with grpc-go's own decoder.
type sentDetails struct {
	errorInfo  *errdetails.ErrorInfo
	localized  []*errdetails.LocalizedMessage
	retry      *errdetails.RetryInfo
	badRequest *errdetails.BadRequest
	resource   *errdetails.ResourceInfo
	request    *errdetails.RequestInfo
}

func detailsOf(t *testing.T, st *status.Status) sentDetails {
	t.Helper()
	var sent sentDetails
	for _, d := range st.Details() {
		switch d := d.(type) {
		case *errdetails.ErrorInfo:
			sent.errorInfo = d
		case *errdetails.LocalizedMessage:
			sent.localized = append(sent.localized, d)
		case *errdetails.RetryInfo:
			sent.retry = d
		case *errdetails.BadRequest:
			sent.badRequest = d
		case *errdetails.ResourceInfo:
			sent.resource = d
		case *errdetails.RequestInfo:
			sent.request = d
		case error:
			t.Fatalf("grpc-go could not read a detail: %v", d)
		}
	}
	return sent
}

func TestEveryCodeInEveryLocaleAsGrpcGoReadsIt(t *testing.T) {
	for _, row := range loadFixture(t) {
		code, _ := LookupCode(row.number)
		for tag, text := range map[string]string{"ko-KR": row.korean, "en-US": row.english} {
			for _, err := range []error{New(code).WithLocale(localeOf(t, tag)), New(code).WithLocale(localeOf(t, tag)).WithCause(errTest)} {
				st, ok := status.FromError(err)
				if !ok {
					t.Fatalf("%d: status.FromError refused %T", row.number, err)
				}
				if st.Code() != row.grpcCode || st.Message() != row.english {
					t.Errorf("%d: status %v %q", row.number, st.Code(), st.Message())
				}
				sent := detailsOf(t, st)
				info := sent.errorInfo
				if info == nil || info.Reason != row.reason || info.Domain != DefaultDomain ||
					info.Metadata["code"] != strconv.Itoa(int(row.number)) || info.Metadata["message"] != row.name || len(info.Metadata) != 2 {
					t.Errorf("%d: ErrorInfo %v", row.number, info)
				}
				if len(sent.localized) != 1 || sent.localized[0].Locale != tag || sent.localized[0].Message != text {
					t.Errorf("%d %s: LocalizedMessage %v", row.number, tag, sent.localized)
				}
				if sent.retry != nil || sent.badRequest != nil || sent.resource != nil || sent.request != nil {
					t.Errorf("%d: unexpected extras", row.number)
				}
			}
		}
		st := status.Convert(code)
		if sent := detailsOf(t, st); sent.localized[0].Locale != "ko-KR" {
			t.Errorf("%d: a bare code goes out in %s", row.number, sent.localized[0].Locale)
		}
	}
}

type testError string

func (e testError) Error() string { return string(e) }

const errTest = testError("database unreachable")

func TestExtrasAsGrpcGoReadsThem(t *testing.T) {
	err := New(TooManyRequests).
		WithMessage("slow down\r\nplease").
		WithMetadata("limit", "20/minute").
		WithMetadata("limit", "30/minute").
		WithRetryDelay(3*time.Second + 250*time.Millisecond).
		WithFieldViolations(FieldViolation{Field: "text\u2028", Description: "too\tlong", Reason: "TOO\u200fLONG",
			LocalizedMessage: &LocalizedMessage{Locale: "en-US\r", Message: "Too\u2066long"}}).
		WithResourceInfo(ResourceInfo{ResourceType: "channel", ResourceName: "general", Owner: "o", Description: "d\u202e"}).
		WithRequestInfo(RequestInfo{RequestID: "req-1", ServingData: "node\n7"}).
		WithCause(errTest)
	st := status.Convert(err)
	if st.Message() != "slow down  please" {
		t.Errorf("message %q", st.Message())
	}
	sent := detailsOf(t, st)
	if sent.errorInfo.Metadata["limit"] != "30/minute" || len(sent.errorInfo.Metadata) != 3 {
		t.Errorf("metadata %v", sent.errorInfo.Metadata)
	}
	if got := sent.retry.GetRetryDelay().AsDuration(); got != 3250*time.Millisecond {
		t.Errorf("retry delay %v", got)
	}
	v := sent.badRequest.GetFieldViolations()
	if len(v) != 1 || v[0].Field != "text " || v[0].Description != "too long" || v[0].Reason != "TOO LONG" ||
		v[0].GetLocalizedMessage().GetLocale() != "en-US " || v[0].GetLocalizedMessage().GetMessage() != "Too long" {
		t.Errorf("violations %v", v)
	}
	if sent.resource.GetDescription() != "d " || sent.resource.GetResourceName() != "general" {
		t.Errorf("resource %v", sent.resource)
	}
	if sent.request.GetRequestId() != "req-1" || sent.request.GetServingData() != "node 7" {
		t.Errorf("request %v", sent.request)
	}
	if strings.Contains(st.Message(), errTest.Error()) || strings.Contains(st.String(), errTest.Error()) {
		t.Error("the cause reached the status")
	}
}

func TestBlankMessageKeepsTheDescription(t *testing.T) {
	for _, blank := range []string{"", "   ", "\n\t"} {
		if got := status.Convert(New(ChannelNotFound).WithMessage(blank)).Message(); got != "The channel does not exist." {
			t.Errorf("%q: message %q", blank, got)
		}
	}
	long := strings.Repeat("채", 400)
	got := status.Convert(New(ChannelNotFound).WithMessage(long)).Message()
	if len(got) > MaxMessageBytes || !strings.HasSuffix(got, "…") || strings.Count(got, "채") != 340 {
		t.Errorf("cut message: %d bytes", len(got))
	}
}

func TestTextsAreCleanedBeforeTheyAreCut(t *testing.T) {
	// 1,024 right-to-left overrides take 3,072 bytes but become 1,024
	// one-byte spaces: within MaxMessageBytes once cleaned, so sent whole.
	overrides := strings.Repeat("\u202e", MaxMessageBytes)
	spaces := strings.Repeat(" ", MaxMessageBytes)
	// 1,100 bytes once cleaned: cut to 1,021 bytes, then "…" (3 bytes).
	long := "a\u2029" + strings.Repeat("b", 1098)
	cut := "a " + strings.Repeat("b", 1019) + "…"
	// Each text goes out alone, so that the size limit never drops it.
	slots := map[string]struct {
		build func(text string) *Error
		sent  func(sentDetails) string
	}{
		"metadata value": {
			func(text string) *Error { return New(InvalidParams).WithMetadata("notes", text) },
			func(d sentDetails) string { return d.errorInfo.GetMetadata()["notes"] },
		},
		"violation field": {
			func(text string) *Error { return New(InvalidParams).WithFieldViolation(text, "d") },
			func(d sentDetails) string { return d.badRequest.GetFieldViolations()[0].GetField() },
		},
		"violation description": {
			func(text string) *Error { return New(InvalidParams).WithFieldViolation("f", text) },
			func(d sentDetails) string { return d.badRequest.GetFieldViolations()[0].GetDescription() },
		},
		"violation reason": {
			func(text string) *Error { return New(InvalidParams).WithFieldViolations(FieldViolation{Reason: text}) },
			func(d sentDetails) string { return d.badRequest.GetFieldViolations()[0].GetReason() },
		},
		"violation locale": {
			func(text string) *Error {
				return New(InvalidParams).WithFieldViolations(FieldViolation{LocalizedMessage: &LocalizedMessage{Locale: text}})
			},
			func(d sentDetails) string {
				return d.badRequest.GetFieldViolations()[0].GetLocalizedMessage().GetLocale()
			},
		},
		"violation localized message": {
			func(text string) *Error {
				return New(InvalidParams).WithFieldViolations(FieldViolation{LocalizedMessage: &LocalizedMessage{Message: text}})
			},
			func(d sentDetails) string {
				return d.badRequest.GetFieldViolations()[0].GetLocalizedMessage().GetMessage()
			},
		},
		"resource type": {
			func(text string) *Error { return New(InvalidParams).WithResourceInfo(ResourceInfo{ResourceType: text}) },
			func(d sentDetails) string { return d.resource.GetResourceType() },
		},
		"resource name": {
			func(text string) *Error { return New(InvalidParams).WithResourceInfo(ResourceInfo{ResourceName: text}) },
			func(d sentDetails) string { return d.resource.GetResourceName() },
		},
		"resource owner": {
			func(text string) *Error { return New(InvalidParams).WithResourceInfo(ResourceInfo{Owner: text}) },
			func(d sentDetails) string { return d.resource.GetOwner() },
		},
		"resource description": {
			func(text string) *Error { return New(InvalidParams).WithResourceInfo(ResourceInfo{Description: text}) },
			func(d sentDetails) string { return d.resource.GetDescription() },
		},
		"request id": {
			func(text string) *Error { return New(InvalidParams).WithRequestInfo(RequestInfo{RequestID: text}) },
			func(d sentDetails) string { return d.request.GetRequestId() },
		},
		"serving data": {
			func(text string) *Error { return New(InvalidParams).WithRequestInfo(RequestInfo{ServingData: text}) },
			func(d sentDetails) string { return d.request.GetServingData() },
		},
	}
	for name, slot := range slots {
		for _, c := range []struct{ text, want string }{{overrides, spaces}, {long, cut}} {
			st := status.Convert(slot.build(c.text))
			sent := detailsOf(t, st)
			if got := slot.sent(sent); got != c.want {
				t.Errorf("%s: sent %d bytes %.12q…, want %d bytes %.12q…", name, len(got), got, len(c.want), c.want)
			}
			if _, dropped := sent.errorInfo.GetMetadata()["truncated"]; dropped {
				t.Errorf("%s: the size limit dropped a part", name)
			}
		}
	}
	for _, c := range []struct{ text, want string }{{"x" + overrides[3:], "x" + spaces[1:]}, {long, cut}} {
		if got := status.Convert(New(InvalidParams).WithMessage(c.text)).Message(); got != c.want {
			t.Errorf("message: sent %d bytes %.12q…, want %d bytes", len(got), got, len(c.want))
		}
	}
}

func TestAMessageBlankOnceCleanedKeepsTheDescription(t *testing.T) {
	for _, blank := range []string{"\u2028\u2029", "\u202a \u2066", "\x00\x7f\u0085"} {
		if got := status.Convert(New(ChannelNotFound).WithMessage(blank)).Message(); got != "The channel does not exist." {
			t.Errorf("%q: message %q", blank, got)
		}
	}
}

// sentLen is what grpc-message and grpc-status-details-bin take as tonic
// sends them: the bound the Rust crate keeps.
func sentLen(t *testing.T, st *status.Status) int {
	details, err := proto.Marshal(st.Proto())
	if err != nil {
		t.Fatal(err)
	}
	return percentEncodedLen(st.Message()) + len(base64.RawStdEncoding.EncodeToString(details))
}

func TestOversizedErrorsDropPartsInOrderAndSayWhich(t *testing.T) {
	err := New(InvalidParams).WithMessage(strings.Repeat("m", 1000)).
		WithRequestInfo(RequestInfo{RequestID: "req-1"}).
		WithResourceInfo(ResourceInfo{ResourceType: "channel", ResourceName: strings.Repeat("r", 500)}).
		WithMetadata("first", strings.Repeat("a", 900)).
		WithMetadata("second", strings.Repeat("b", 900))
	for i := range 40 {
		err = err.WithFieldViolation("field"+strconv.Itoa(i), strings.Repeat("v", 200))
	}
	st := status.Convert(err)
	if n := sentLen(t, st); n > MaxTrailerBytes {
		t.Fatalf("%d bytes sent", n)
	}
	sent := detailsOf(t, st)
	kept := len(sent.badRequest.GetFieldViolations())
	if kept == 0 || kept == 40 {
		t.Fatalf("%d violations kept", kept)
	}
	if got, want := sent.errorInfo.Metadata["truncated"], "fieldViolations:"+strconv.Itoa(40-kept); got != want {
		t.Errorf("truncated %q, want %q", got, want)
	}
	for i, v := range sent.badRequest.GetFieldViolations() {
		if v.Field != "field"+strconv.Itoa(i) {
			t.Errorf("violation %d is %s: the last ones go first", i, v.Field)
		}
	}
	if sent.request == nil || sent.resource == nil || sent.errorInfo.Metadata["second"] == "" {
		t.Error("a part that fits was dropped")
	}
}

func TestDefaultStatusesAreShared(t *testing.T) {
	if New(ChannelNotFound).GRPCStatus() != ChannelNotFound.GRPCStatus() {
		t.Error("the default status is encoded again")
	}
}

func TestMetadataKeys(t *testing.T) {
	for _, key := range []string{"code", "message", "truncated"} {
		if err := CheckMetadataKey(key); err == nil || !strings.Contains(err.Error(), "reserved") {
			t.Errorf("%q: %v", key, err)
		}
	}
	for _, key := range []string{"", "a", "Upper", "1st", "has space", strings.Repeat("k", MaxMetadataKeyLen+1)} {
		if CheckMetadataKey(key) == nil {
			t.Errorf("%q accepted", key)
		}
	}
	for _, key := range []string{"limit", "retry-after_s2", strings.Repeat("k", MaxMetadataKeyLen)} {
		if err := CheckMetadataKey(key); err != nil {
			t.Errorf("%q: %v", key, err)
		}
	}
}
