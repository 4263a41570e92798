package chaterrors

import (
	"strconv"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/status"
)

// The benchmarks scripts/bench.sh turns into go_decode_vs_status_details
// and go_encode_speedup_vs_with_details: each iteration handles every code
// once, beside grpc-go's own way of doing the same job.

// received is every code as a client gets it: a status from the wire.
func received(b *testing.B) []error {
	var errs []error
	for _, code := range Codes() {
		errs = append(errs, status.FromProto(status.Convert(New(code)).Proto()).Err())
	}
	return errs
}

func BenchmarkDecodeCode(b *testing.B) {
	errs := received(b)
	b.Run("chaterrors", func(b *testing.B) {
		for b.Loop() {
			for _, err := range errs {
				if _, known := CodeOf(err); !known {
					b.Fatal("no code")
				}
			}
		}
	})
	b.Run("status_details", func(b *testing.B) {
		for b.Loop() {
			for _, err := range errs {
				st, _ := status.FromError(err)
				number := 0
				for _, detail := range st.Details() {
					if info, ok := detail.(*errdetails.ErrorInfo); ok && info.GetDomain() == DefaultDomain {
						number, _ = strconv.Atoi(info.GetMetadata()["code"])
						break
					}
				}
				if number == 0 {
					b.Fatal("no code")
				}
			}
		}
	})
}

func BenchmarkEncodeDefault(b *testing.B) {
	codes, locale := Codes(), English()
	b.Run("chaterrors", func(b *testing.B) {
		for b.Loop() {
			for _, code := range codes {
				if New(code).WithLocale(locale).GRPCStatus() == nil {
					b.Fatal("no status")
				}
			}
		}
	})
	b.Run("with_details", func(b *testing.B) {
		for b.Loop() {
			for _, code := range codes {
				_, err := status.New(code.GRPCCode(), code.EnglishDescription()).WithDetails(
					&errdetails.ErrorInfo{Reason: code.Reason(), Domain: DefaultDomain,
						Metadata: map[string]string{"code": strconv.Itoa(int(code)), "message": code.OriginalName()}},
					&errdetails.LocalizedMessage{Locale: locale.String(), Message: code.Description(locale)})
				if err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
