package chaterrors

import (
	"errors"
	"strconv"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protojson"
)

// aip193Body renders a status built by grpc-go with protojson, the
// independent encoder: {"error": {"code", "message", "status", "details"}}.
func aip193Body(t *testing.T, row fixtureRow, httpStatus int, statusName string) []byte {
	st := grpcGoStatus(t, row, "en-US", row.english, &errdetails.RetryInfo{})
	details := "["
	for i, a := range st.Proto().GetDetails() {
		rendered, err := protojson.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			details += ","
		}
		details += string(rendered)
	}
	details += "]"
	return []byte(`{"error":{"code":` + strconv.Itoa(httpStatus) + `,"message":` + strconv.Quote(row.english) +
		`,"status":"` + statusName + `","details":` + details + `}}`)
}

func TestHTTPBodiesReadAsTheTrailersAre(t *testing.T) {
	row := loadFixture(t)[13] // 2003 ChannelNotFound in the fixture's order
	if row.number != 2003 {
		t.Fatalf("fixture row 13 is %d", row.number)
	}
	decoded, err := Decoder{}.ParseHTTP(404, aip193Body(t, row, 404, "NOT_FOUND"))
	if err != nil {
		t.Fatal(err)
	}
	localized, _ := decoded.LocalizedMessage()
	if code, _ := decoded.Code(); code.Number() != 2003 || decoded.GRPCCode() != codes.NotFound || localized.Message != row.english {
		t.Errorf("decoded %v", decoded)
	}
	gateway := []byte(`{"code":5,"message":"The channel does not exist.","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"CHANNEL_NOT_FOUND","domain":"chat.errors.v1","metadata":{"code":"2003","message":"ChannelNotFound"}}]}`)
	if decoded, err := (Decoder{}).ParseHTTP(404, gateway); err != nil || !Is(decoded, ChannelNotFound) {
		t.Errorf("gateway form: %v %v", decoded, err)
	}
	for name, c := range map[string]struct {
		status int
		body   []byte
		kind   DecodeErrorKind
	}{
		"status mismatch": {500, aip193Body(t, row, 404, "NOT_FOUND"), HTTPStatusMismatch},
		"unknown status":  {404, aip193Body(t, row, 404, "NOPE"), InvalidField},
		"code disagrees":  {404, aip193Body(t, row, 400, "NOT_FOUND"), InvalidField},
		"not JSON":        {404, []byte(`{"error":`), NotJSON},
		"no @type":        {404, []byte(`{"code":5,"details":[{"reason":"X"}]}`), MalformedDetail},
	} {
		_, err := Decoder{}.ParseHTTP(c.status, c.body)
		var decodeErr *DecodeError
		if !errors.As(err, &decodeErr) || decodeErr.Kind != c.kind {
			t.Errorf("%s: %v, want %v", name, err, c.kind)
		}
	}
	if _, ok := (Decoder{}).FromHTTP(500, aip193Body(t, row, 404, "NOT_FOUND")); !ok {
		t.Error("lenient reading checks the HTTP status")
	}
}
