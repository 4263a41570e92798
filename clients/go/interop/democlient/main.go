// Command democlient plays every demo scenario against the Rust demo
// server with grpc-go and reads each error with the chaterrors package,
// strictly: the gRPC status, the code, reason, domain and metadata, the
// ko-KR LocalizedMessage and the scenario's extra detail, with grpc-go's
// own status.Details() also reading every detail. Then it checks that the
// locale negotiated from accept-language picks the LocalizedMessage and
// (as the demo opts in) the status message.
//
//	democlient --addr HOST:PORT --scenarios FILE --fixture tests/fixtures/error-codes.tsv
//
// FILE is the output of `chat-demo-client --list`. Prints one line per
// check and "N passed, M failed" last; exits 1 when any check fails.
package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	// Registers the google.rpc detail types, so that grpc-go's own
	// status.Details() can judge every detail.
	_ "google.golang.org/genproto/googleapis/rpc/errdetails"

	chaterrors "github.com/chat-errors/chat-errors/clients/go"
	pb "github.com/chat-errors/chat-errors/clients/go/interop/demopb"
)

// row is one line of the normative table's copy.
type row struct {
	number                 int32
	name, reason, grpcCode string
	korean, english        string
}

func readTable(path string) (map[int32]row, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(text), "\n"), "\n")
	table := map[int32]row{}
	for _, line := range lines[1:] {
		cells := strings.Split(line, "\t")
		number, err := strconv.Atoi(cells[0])
		if err != nil || len(cells) != 8 {
			return nil, fmt.Errorf("%s: bad line %q", path, line)
		}
		table[int32(number)] = row{int32(number), cells[1], cells[2], cells[3], cells[6], cells[7]}
	}
	return table, nil
}

type listed struct {
	id     string
	code   int32
	detail string
}

func readListing(path string) ([]listed, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(text), "\n"), "\n")
	if lines[0] != "id\tcode\tdetail\ttitle" {
		return nil, fmt.Errorf("%s: unexpected header %q", path, lines[0])
	}
	var listing []listed
	for _, line := range lines[1:] {
		cells := strings.Split(line, "\t")
		code, err := strconv.Atoi(cells[1])
		if err != nil || len(cells) != 4 {
			return nil, fmt.Errorf("%s: bad line %q", path, line)
		}
		listing = append(listing, listed{cells[0], int32(code), cells[2]})
	}
	return listing, nil
}

// grpcCodeName is the fixture's spelling of a gRPC code, e.g. NOT_FOUND.
func grpcCodeName(err error) string {
	var spelled strings.Builder
	for i, r := range status.Code(err).String() {
		if i > 0 && r >= 'A' && r <= 'Z' {
			spelled.WriteByte('_')
		}
		spelled.WriteRune(r)
	}
	name := strings.ToUpper(spelled.String())
	if name == "CANCELED" {
		return "CANCELLED"
	}
	return name
}

// problems checks err against the table's row, the locale and the detail.
func problems(err error, expected row, locale, message, detail string) []string {
	var found []string
	expect := func(what string, got, want any) {
		if got != want {
			found = append(found, fmt.Sprintf("%s: expected %v, got %v", what, want, got))
		}
	}
	for _, d := range status.Convert(err).Details() {
		if detailErr, ok := d.(error); ok {
			found = append(found, "grpc-go cannot read a detail: "+detailErr.Error())
		}
	}
	decoded, parseErr := chaterrors.Parse(err)
	if parseErr != nil {
		return append(found, fmt.Sprintf("strict decoding: %v (%v)", parseErr, err))
	}
	number, _ := decoded.Number()
	name, _ := decoded.OriginalName()
	localized, _ := decoded.LocalizedMessage()
	expect("grpc-status", grpcCodeName(err), expected.grpcCode)
	expect("code", number, expected.number)
	expect("reason", decoded.Reason(), expected.reason)
	expect("domain", decoded.Domain(), chaterrors.DefaultDomain)
	expect("metadata message", name, expected.name)
	expect("locale", localized.Locale, locale)
	want := expected.korean
	if locale == "en-US" {
		want = expected.english
	}
	expect("localized message", localized.Message, want)
	expect("status message", decoded.Message(), message)
	kind, value, _ := strings.Cut(detail, "=")
	switch kind {
	case "-":
	case "field":
		var fields []string
		for _, v := range decoded.FieldViolations() {
			fields = append(fields, v.Field)
		}
		expect("field violations", fmt.Sprint(fields), fmt.Sprint([]string{value}))
	case "retry":
		if delay, ok := decoded.RetryDelay(); !ok || delay <= 0 {
			found = append(found, fmt.Sprintf("RetryInfo: expected a positive delay, got %v", delay))
		}
	case "resource":
		resource, _ := decoded.ResourceInfo()
		expect("ResourceInfo", resource.ResourceType, value)
	case "metadata":
		key, example, _ := strings.Cut(value, ":")
		expect("metadata "+key, decoded.Metadata()[key], example)
	default:
		found = append(found, "unknown detail kind "+detail)
	}
	return found
}

func play(conn *grpc.ClientConn, prefix string, s scenario) (err error) {
	defer func() {
		if failed := recover(); failed != nil {
			setup, ok := failed.(setupFailed)
			if !ok {
				panic(failed)
			}
			err = setup
		}
	}()
	return s.play(&demo{conn: conn, prefix: prefix})()
}

func main() {
	addr := flag.String("addr", "", "the demo server, HOST:PORT")
	scenariosFile := flag.String("scenarios", "", "the output of chat-demo-client --list")
	fixture := flag.String("fixture", "tests/fixtures/error-codes.tsv", "the normative table's copy")
	flag.Parse()
	table, err := readTable(*fixture)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	listing, err := readListing(*scenariosFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	conn, err := grpc.NewClient(*addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer conn.Close()

	type result struct {
		name     string
		problems []string
	}
	var results []result
	var listedIDs []string
	for _, l := range listing {
		listedIDs = append(listedIDs, l.id)
	}
	var missing []string
	for id := range scenarios {
		if !slices.Contains(listedIDs, id) {
			missing = append(missing, id+" is not a demo scenario")
		}
	}
	results = append(results, result{"Go plays exactly the demo's scenarios", missing})
	var random [4]byte
	_, _ = rand.Read(random[:])
	run := "go" + hex.EncodeToString(random[:])
	for index, l := range listing {
		name := fmt.Sprintf("scenario %s -> %d %s", l.id, l.code, table[l.code].reason)
		s, ok := scenarios[l.id]
		switch {
		case !ok:
			results = append(results, result{name, []string{"no Go implementation"}})
			continue
		case s.code != l.code:
			results = append(results, result{name, []string{fmt.Sprintf("Go expects %d", s.code)}})
			continue
		}
		err := play(conn, fmt.Sprintf("%s-%02d", run, index), s)
		var setup setupFailed
		switch {
		case err == nil:
			results = append(results, result{name, []string{"the call succeeded"}})
		case errors.As(err, &setup):
			results = append(results, result{name, []string{setup.Error()}})
		default:
			results = append(results, result{name, problems(err, table[l.code], "ko-KR", table[l.code].english, l.detail)})
		}
	}
	for _, n := range []struct{ acceptLanguage, locale string }{
		{"ko-KR,ko;q=0.9,en;q=0.8", "ko-KR"}, {"en-US", "en-US"}, {"", "ko-KR"},
	} {
		d := &demo{conn: conn, prefix: run + "-negotiation"}
		expected := table[2003]
		message := expected.english
		pairs := []string{}
		if n.acceptLanguage != "" {
			pairs = []string{"accept-language", n.acceptLanguage}
			if n.locale == "ko-KR" {
				message = expected.korean
			}
		}
		name := fmt.Sprintf("accept-language %q -> %s", n.acceptLanguage, n.locale)
		err := func() (err error) {
			defer func() {
				if failed := recover(); failed != nil {
					err = failed.(setupFailed)
				}
			}()
			alice := d.user(fmt.Sprintf("alice-%d", len(results)))
			return d.invoke("GetChannel", &pb.GetChannelRequest{ChannelId: "no-such-channel"}, &pb.GetChannelResponse{}, append(alice.auth(), pairs...)...)
		}()
		results = append(results, result{name, problems(err, expected, n.locale, message, "-")})
	}
	failed := 0
	for _, r := range results {
		if len(r.problems) > 0 {
			failed++
			fmt.Printf("FAIL %s: %s\n", r.name, strings.Join(r.problems, "; "))
		} else {
			fmt.Printf("ok   %s\n", r.name)
		}
	}
	fmt.Printf("%d passed, %d failed\n", len(results)-failed, failed)
	if failed > 0 {
		os.Exit(1)
	}
}
