package chaterrors

import (
	"errors"
	"testing"

	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// FuzzDecode holds the decoder to protobuf-go on any bytes: it never
// panics; strict decoding never accepts a Status that protobuf-go refuses;
// lenient decoding finds a chat error wherever strict decoding does; and
// CodeOf agrees with FromError.
// `go test` replays the seeds below; `go test -fuzz FuzzDecode` searches.
func FuzzDecode(f *testing.F) {
	for _, err := range []error{
		New(ChannelNotFound), New(TooManyRequests).WithRetryDelay(1500).WithMetadata("limit", "5"),
		New(InvalidParams).WithFieldViolation("user_id", "is required").
			WithResourceInfo(ResourceInfo{ResourceType: "t", ResourceName: "n"}).
			WithRequestInfo(RequestInfo{RequestID: "r"}),
	} {
		details, marshalErr := proto.Marshal(status.Convert(err).Proto())
		if marshalErr != nil {
			f.Fatal(marshalErr)
		}
		f.Add(uint8(status.Code(err)), status.Convert(err).Message(), details)
		f.Add(uint8(status.Code(err)), "other", details[:len(details)/2])
	}
	f.Add(uint8(5), "", []byte{0x53, 0x53, 0x53})
	f.Fuzz(func(t *testing.T, code uint8, message string, details []byte) {
		grpcCode := codes.Code(code % 17)
		strict, strictErr := Decoder{}.ParseTrailers(grpcCode, message, details)
		lenient, found := Decoder{}.FromTrailers(grpcCode, message, details)
		var decodeErr *DecodeError
		if strictErr != nil && !errors.Is(strictErr, ErrNotChatError) && !errors.As(strictErr, &decodeErr) {
			t.Fatalf("strict decoding returned %T %v", strictErr, strictErr)
		}
		if strict != nil && !found {
			t.Fatalf("strict found %v, lenient nothing", strict)
		}
		if strict != nil && len(details) > 0 {
			if err := proto.Unmarshal(details, &spb.Status{}); err != nil {
				t.Fatalf("strict accepted a Status protobuf-go refuses (%v)", err)
			}
		}
		if found {
			_ = lenient.Error()
		}
		// The code-only path and the full lenient read agree on any status.
		if parsed := new(spb.Status); proto.Unmarshal(details, parsed) == nil {
			err := status.FromProto(parsed).Err()
			code, known := CodeOf(err)
			full, ok := FromError(err)
			var fullCode ErrorCode
			var fullKnown bool
			if ok {
				fullCode, fullKnown = full.Code()
			}
			if known != fullKnown || (known && code != fullCode) {
				t.Fatalf("CodeOf says %v %v, FromError %v %v", code, known, fullCode, fullKnown)
			}
		}
	})
}
