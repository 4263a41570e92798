package chaterrors

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
)

// fixtureRow is one line of the repository's copy of the normative table,
// tests/fixtures/error-codes.tsv: the expected values of these tests.
type fixtureRow struct {
	number          int32
	name, reason    string
	grpcCode        codes.Code
	retryable       bool
	korean, english string
}

var grpcCodeNames = map[string]codes.Code{
	"CANCELLED": codes.Canceled, "UNKNOWN": codes.Unknown, "INVALID_ARGUMENT": codes.InvalidArgument,
	"DEADLINE_EXCEEDED": codes.DeadlineExceeded, "NOT_FOUND": codes.NotFound,
	"ALREADY_EXISTS": codes.AlreadyExists, "PERMISSION_DENIED": codes.PermissionDenied,
	"RESOURCE_EXHAUSTED": codes.ResourceExhausted, "FAILED_PRECONDITION": codes.FailedPrecondition,
	"ABORTED": codes.Aborted, "OUT_OF_RANGE": codes.OutOfRange, "UNIMPLEMENTED": codes.Unimplemented,
	"INTERNAL": codes.Internal, "UNAVAILABLE": codes.Unavailable, "DATA_LOSS": codes.DataLoss,
	"UNAUTHENTICATED": codes.Unauthenticated,
}

func loadFixture(t testing.TB) []fixtureRow {
	t.Helper()
	text, err := os.ReadFile("../../tests/fixtures/error-codes.tsv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(text), "\n"), "\n")
	if got := lines[0]; got != "code\tname\treason\tgrpc_code\thttp_status\tretryable\tdescription_ko\tdescription_en" {
		t.Fatalf("unexpected fixture header %q", got)
	}
	var rows []fixtureRow
	for _, line := range lines[1:] {
		cells := strings.Split(line, "\t")
		number, err := strconv.Atoi(cells[0])
		if err != nil {
			t.Fatal(err)
		}
		grpcCode, ok := grpcCodeNames[cells[3]]
		if !ok {
			t.Fatalf("unknown gRPC code %q", cells[3])
		}
		rows = append(rows, fixtureRow{
			number: int32(number), name: cells[1], reason: cells[2], grpcCode: grpcCode,
			retryable: cells[5] == "true", korean: cells[6], english: cells[7],
		})
	}
	return rows
}

func localeOf(t testing.TB, tag string) Locale {
	t.Helper()
	locale, ok := ParseLocale(tag)
	if !ok {
		t.Fatalf("the catalogue has no locale %s", tag)
	}
	return locale
}

func TestCatalogueMatchesTheFixture(t *testing.T) {
	rows := loadFixture(t)
	if got := len(Codes()); got != len(rows) {
		t.Fatalf("%d codes, the fixture has %d", got, len(rows))
	}
	korean, english := localeOf(t, "ko-KR"), localeOf(t, "en-US")
	if DefaultLocale != korean {
		t.Errorf("DefaultLocale is %v, want ko-KR", DefaultLocale)
	}
	for i, row := range rows {
		code := Codes()[i]
		if code.Number() != row.number || code.OriginalName() != row.name || code.Reason() != row.reason ||
			code.GRPCCode() != row.grpcCode || code.Retryable() != row.retryable ||
			code.Description(korean) != row.korean || code.Description(english) != row.english {
			t.Errorf("code %d: got %d %s %s %v %v %q %q, fixture %+v", i, code.Number(), code.OriginalName(),
				code.Reason(), code.GRPCCode(), code.Retryable(), code.Description(korean), code.Description(english), row)
		}
		if found, ok := LookupReason(row.reason); !ok || found != code {
			t.Errorf("LookupReason(%q) = %v, %v", row.reason, found, ok)
		}
	}
	if got, want := ChannelNotFound.Error(), "2003 ChannelNotFound: The channel does not exist."; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if _, known := LookupCode(9999); known {
		t.Error("9999 is not in the catalogue")
	}
}
