package chaterrors

import (
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/protoadapt"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/durationpb"
)

// grpcGoStatus builds a chat error the way a Go service would by hand,
// with grpc-go's status.New(...).WithDetails(...): the independent encoder.
func grpcGoStatus(t testing.TB, row fixtureRow, locale, text string, extras ...protoadapt.MessageV1) *status.Status {
	t.Helper()
	details := []protoadapt.MessageV1{
		&errdetails.ErrorInfo{Reason: row.reason, Domain: DefaultDomain,
			Metadata: map[string]string{"code": strconv.Itoa(int(row.number)), "message": row.name}},
		&errdetails.LocalizedMessage{Locale: locale, Message: text},
	}
	st, err := status.New(row.grpcCode, row.english).WithDetails(append(details, extras...)...)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestEveryCodeBuiltByGrpcGoIsReadStrictlyAndLeniently(t *testing.T) {
	for _, row := range loadFixture(t) {
		err := grpcGoStatus(t, row, "en-US", row.english).Err()
		strict, parseErr := Parse(err)
		if parseErr != nil {
			t.Fatalf("%d: %v", row.number, parseErr)
		}
		lenient, ok := FromError(err)
		if !ok {
			t.Fatalf("%d: lenient read nothing", row.number)
		}
		for _, decoded := range []*Decoded{strict, lenient} {
			code, known := decoded.Code()
			name, _ := decoded.OriginalName()
			localized, _ := decoded.LocalizedMessage()
			if !known || code.Number() != row.number || decoded.Reason() != row.reason || name != row.name ||
				decoded.GRPCCode() != row.grpcCode || decoded.Message() != row.english ||
				localized != (LocalizedMessage{"en-US", row.english}) || decoded.Retryable() != row.retryable {
				t.Errorf("%d: decoded %v", row.number, decoded)
			}
		}
		code, _ := LookupCode(row.number)
		if !Is(err, code) || !errors.Is(strict, code) {
			t.Errorf("%d: Is is false", row.number)
		}
		var asDecoded *Decoded
		if !errors.As(fmt.Errorf("wrapped: %w", strict), &asDecoded) || asDecoded != strict {
			t.Errorf("%d: errors.As failed", row.number)
		}
	}
}

func TestBuilderRoundTripsThroughTheDecoder(t *testing.T) {
	err := New(TooManyRequests).WithLocale(localeOf(t, "en-US")).
		WithRetryDelay(1500*time.Millisecond).
		WithFieldViolation("text", "at most 2000 characters").
		WithResourceInfo(ResourceInfo{ResourceType: "channel", ResourceName: "general"}).
		WithRequestInfo(RequestInfo{RequestID: "req-9"}).
		WithMetadata("limit", "2000")
	decoded, parseErr := Parse(fmt.Errorf("call failed: %w", err))
	if parseErr != nil {
		t.Fatal(parseErr)
	}
	delay, _ := decoded.RetryDelay()
	resource, _ := decoded.ResourceInfo()
	request, _ := decoded.RequestInfo()
	if delay != 1500*time.Millisecond || resource.ResourceName != "general" || request.RequestID != "req-9" ||
		decoded.Metadata()["limit"] != "2000" || len(decoded.FieldViolations()) != 1 {
		t.Errorf("decoded %+v", decoded)
	}
	if !errors.Is(err, TooManyRequests) || errors.Is(err, ChannelNotFound) {
		t.Error("errors.Is on the builder")
	}
}

func TestANewerCatalogueCodeIsKeptAsANumber(t *testing.T) {
	st, _ := status.New(codes.NotFound, "new").WithDetails(&errdetails.ErrorInfo{
		Reason: "SOMETHING_NEW", Domain: DefaultDomain, Metadata: map[string]string{"code": "9100"}})
	decoded, err := Parse(st.Err())
	if err != nil {
		t.Fatal(err)
	}
	number, hasNumber := decoded.Number()
	if _, known := decoded.Code(); known || !hasNumber || number != 9100 || decoded.Reason() != "SOMETHING_NEW" {
		t.Errorf("decoded %v", decoded)
	}
}

func TestOtherErrorsAreNotChatErrors(t *testing.T) {
	other, _ := status.New(codes.NotFound, "x").WithDetails(&errdetails.ErrorInfo{Reason: "CHANNEL_NOT_FOUND", Domain: "other.example"})
	for _, err := range []error{nil, errors.New("plain"), status.Error(codes.NotFound, "bare"), other.Err()} {
		if _, ok := FromError(err); ok {
			t.Errorf("%v read as a chat error", err)
		}
		if _, parseErr := Parse(err); !errors.Is(parseErr, ErrNotChatError) {
			t.Errorf("%v: %v", err, parseErr)
		}
	}
	if _, ok := (Decoder{Domain: "other.example"}).FromError(other.Err()); !ok {
		t.Error("a decoder for the other domain reads it")
	}
}

// trailers marshals a google.rpc.Status with protobuf-go, the independent encoder.
func trailers(t *testing.T, st *spb.Status) []byte {
	b, err := proto.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func anyOf(t *testing.T, m proto.Message) *anypb.Any {
	a, err := anypb.New(m)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestStrictBreachesAndTheirLenientReading(t *testing.T) {
	info := func(metadata map[string]string) *errdetails.ErrorInfo {
		return &errdetails.ErrorInfo{Reason: "CHANNEL_NOT_FOUND", Domain: DefaultDomain, Metadata: metadata}
	}
	good := map[string]string{"code": "2003", "message": "ChannelNotFound"}
	const message = "The channel does not exist."
	cases := []struct {
		name        string
		grpcStatus  codes.Code
		details     *spb.Status
		kind        DecodeErrorKind
		lenientCode int32
	}{
		{"code mismatch", codes.NotFound, &spb.Status{Code: 3, Message: message, Details: []*anypb.Any{anyOf(t, info(good))}}, CodeMismatch, 2003},
		{"message mismatch", codes.NotFound, &spb.Status{Code: 5, Message: "other", Details: []*anypb.Any{anyOf(t, info(good))}}, MessageMismatch, 2003},
		{"grpc code mismatch", codes.Internal, &spb.Status{Code: 13, Message: message, Details: []*anypb.Any{anyOf(t, info(good))}}, GrpcCodeMismatch, 2003},
		{"name mismatch", codes.NotFound, &spb.Status{Code: 5, Message: message, Details: []*anypb.Any{anyOf(t, info(map[string]string{"code": "2003", "message": "Nope"}))}}, NameMismatch, 2003},
		{"non-canonical", codes.NotFound, &spb.Status{Code: 5, Message: message, Details: []*anypb.Any{anyOf(t, info(map[string]string{"code": "02003"}))}}, NonCanonicalCode, 2003},
		{"not a number", codes.NotFound, &spb.Status{Code: 5, Message: message, Details: []*anypb.Any{anyOf(t, info(map[string]string{"code": "x"}))}}, InvalidCodeMetadata, 2003},
		{"code and reason disagree", codes.NotFound, &spb.Status{Code: 5, Message: message, Details: []*anypb.Any{anyOf(t, info(map[string]string{"code": "2004"}))}}, CodeReasonMismatch, 2004},
		{"duplicate ErrorInfo", codes.NotFound, &spb.Status{Code: 5, Message: message, Details: []*anypb.Any{anyOf(t, info(good)), anyOf(t, info(good))}}, DuplicateDetail, 2003},
		{"duplicate RetryInfo", codes.NotFound, &spb.Status{Code: 5, Message: message, Details: []*anypb.Any{anyOf(t, info(good)),
			anyOf(t, &errdetails.RetryInfo{RetryDelay: durationpb.New(time.Second)}), anyOf(t, &errdetails.RetryInfo{})}}, DuplicateDetail, 2003},
		{"negative retry delay", codes.NotFound, &spb.Status{Code: 5, Message: message, Details: []*anypb.Any{anyOf(t, info(good)),
			anyOf(t, &errdetails.RetryInfo{RetryDelay: durationpb.New(-time.Second)})}}, InvalidRetryDelay, 2003},
		{"malformed LocalizedMessage", codes.NotFound, &spb.Status{Code: 5, Message: message, Details: []*anypb.Any{anyOf(t, info(good)),
			{TypeUrl: "type.googleapis.com/google.rpc.LocalizedMessage", Value: []byte{0x0a, 5, 'a'}}}}, MalformedDetail, 2003},
	}
	for _, c := range cases {
		bin := trailers(t, c.details)
		_, err := Decoder{}.ParseTrailers(c.grpcStatus, message, bin)
		var decodeErr *DecodeError
		if !errors.As(err, &decodeErr) || decodeErr.Kind != c.kind {
			t.Errorf("%s: strict gave %v, want %v", c.name, err, c.kind)
		}
		lenient, ok := Decoder{}.FromTrailers(c.grpcStatus, message, bin)
		if number, _ := lenient.Number(); !ok || number != c.lenientCode {
			t.Errorf("%s: lenient gave %v", c.name, lenient)
		}
	}
	if _, err := (Decoder{}).ParseTrailers(codes.NotFound, "", []byte{0x0a, 1, 0}); err == nil {
		t.Error("a Status whose code has the wrong wire type is accepted")
	}
}
