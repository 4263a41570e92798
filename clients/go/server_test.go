package chaterrors

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// failingHealth answers each call with the failure its service name asks for.
type failingHealth struct {
	grpc_health_v1.UnimplementedHealthServer
}

func failure(ctx context.Context, service string) error {
	switch {
	case strings.HasPrefix(service, "code:"):
		n, _ := strconv.Atoi(strings.TrimPrefix(service, "code:"))
		return ErrorCode(n)
	case service == "built":
		return New(TooManyRequests).WithRetryDelay(2 * time.Second).WithCause(errors.New("limiter state: 41 of 40"))
	case service == "panic":
		panic("nil map in handler")
	case service == "internal":
		return errors.New("db password=hunter2 refused")
	case service == "other-domain":
		return New(ChannelNotFound).WithDomain("other.example")
	case service == "canceled":
		return status.Error(codes.Canceled, "caller went away")
	case service == "upstream":
		st, _ := status.New(codes.NotFound, "The channel does not exist.").WithDetails(
			&errdetails.ErrorInfo{Reason: "CHANNEL_NOT_FOUND", Domain: DefaultDomain,
				Metadata: map[string]string{"code": "2003", "message": "ChannelNotFound"}},
			&errdetails.LocalizedMessage{Locale: "ko-KR", Message: "존재하지 않는 채널"})
		return st.Err()
	case service == "locale":
		locale, _ := LocaleFromContext(ctx)
		return status.Error(codes.Canceled, locale.String())
	}
	return nil
}

func (failingHealth) Check(ctx context.Context, req *grpc_health_v1.HealthCheckRequest) (*grpc_health_v1.HealthCheckResponse, error) {
	if err := failure(ctx, req.GetService()); err != nil {
		return nil, err
	}
	return &grpc_health_v1.HealthCheckResponse{Status: grpc_health_v1.HealthCheckResponse_SERVING}, nil
}

func (failingHealth) Watch(req *grpc_health_v1.HealthCheckRequest, stream grpc.ServerStreamingServer[grpc_health_v1.HealthCheckResponse]) error {
	return failure(stream.Context(), req.GetService())
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func startServer(t *testing.T, setting Server) (grpc_health_v1.HealthClient, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	setting.Logger = slog.New(slog.NewTextHandler(logs, nil))
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	server := grpc.NewServer(setting.ServerOptions()...)
	grpc_health_v1.RegisterHealthServer(server, failingHealth{})
	go func() { _ = server.Serve(listener) }()
	t.Cleanup(server.Stop)
	conn, err := grpc.NewClient(listener.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return grpc_health_v1.NewHealthClient(conn), logs
}

type caller func(ctx context.Context, client grpc_health_v1.HealthClient, service string) error

var unaryAndStream = map[string]caller{
	"unary": func(ctx context.Context, client grpc_health_v1.HealthClient, service string) error {
		_, err := client.Check(ctx, &grpc_health_v1.HealthCheckRequest{Service: service})
		return err
	},
	"stream": func(ctx context.Context, client grpc_health_v1.HealthClient, service string) error {
		stream, err := client.Watch(ctx, &grpc_health_v1.HealthCheckRequest{Service: service})
		if err != nil {
			return err
		}
		_, err = stream.Recv()
		return err
	},
}

func withLanguage(value string) context.Context {
	return metadata.AppendToOutgoingContext(context.Background(), "accept-language", value)
}

func TestEveryCodeGoesOutInTheNegotiatedLocale(t *testing.T) {
	client, _ := startServer(t, Server{})
	rows := loadFixture(t)
	for kind, call := range unaryAndStream {
		for _, row := range rows {
			for language, want := range map[string]string{"en-GB,en;q=0.8": row.english, "ko": row.korean, "fr": row.korean} {
				err := call(withLanguage(language), client, "code:"+strconv.Itoa(int(row.number)))
				decoded, parseErr := Parse(err)
				if parseErr != nil {
					t.Fatalf("%s %d: %v", kind, row.number, parseErr)
				}
				localized, _ := decoded.LocalizedMessage()
				if number, _ := decoded.Number(); number != row.number || localized.Message != want || status.Code(err) != row.grpcCode {
					t.Errorf("%s %d %s: %v in %v", kind, row.number, language, decoded, localized)
				}
			}
		}
	}
}

func TestPanicsAndForeignErrorsBecome1003WithARequestID(t *testing.T) {
	client, logs := startServer(t, Server{})
	for kind, call := range unaryAndStream {
		for _, service := range []string{"panic", "internal", "other-domain"} {
			err := call(withLanguage("en-US"), client, service)
			decoded, parseErr := Parse(err)
			if parseErr != nil {
				t.Fatalf("%s %s: %v (%v)", kind, service, parseErr, err)
			}
			request, ok := decoded.RequestInfo()
			if !Is(err, InternalServerError1003) || !ok || len(request.RequestID) != 32 {
				t.Errorf("%s %s: %v, request %v", kind, service, decoded, request)
			}
			if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "nil map") {
				t.Errorf("%s %s: the cause reached the caller: %v", kind, service, err)
			}
			if !strings.Contains(logs.String(), request.RequestID) {
				t.Errorf("%s %s: request id %s not logged", kind, service, request.RequestID)
			}
		}
	}
	for _, cause := range []string{"hunter2", "nil map in handler"} {
		if !strings.Contains(logs.String(), cause) {
			t.Errorf("%q not logged", cause)
		}
	}
	ctx := metadata.AppendToOutgoingContext(context.Background(), "x-request-id", "req-42.a_b:c")
	decoded, _ := Parse(unaryAndStream["unary"](ctx, client, "internal"))
	if request, _ := decoded.RequestInfo(); request.RequestID != "req-42.a_b:c" {
		t.Errorf("the caller's request id was not reused: %v", request)
	}
}

func TestBuiltErrorsCancellationAndUpstreamStatuses(t *testing.T) {
	client, logs := startServer(t, Server{})
	call := unaryAndStream["unary"]
	decoded, err := Parse(call(withLanguage("en"), client, "built"))
	if delay, _ := decoded.RetryDelay(); err != nil || delay != 2*time.Second {
		t.Errorf("built: %v %v", decoded, err)
	}
	if !strings.Contains(logs.String(), "41 of 40") {
		t.Error("the cause of a sent error was not logged")
	}
	if err := call(withLanguage("en"), client, "canceled"); status.Code(err) != codes.Canceled {
		t.Errorf("canceled: %v", err)
	}
	decoded, err = Parse(call(withLanguage("en-US"), client, "upstream"))
	if localized, _ := decoded.LocalizedMessage(); err != nil || localized.Locale != "en-US" || len(decoded.LocalizedMessages()) != 1 {
		t.Errorf("upstream: %v %v", decoded, err)
	}
	if err := call(withLanguage("fr, en;q=0.5"), client, "locale"); status.Convert(err).Message() != "en-US" {
		t.Errorf("the handler's context has locale %q", status.Convert(err).Message())
	}
}

func TestAServiceDomainIsOneSetting(t *testing.T) {
	client, _ := startServer(t, Server{Domain: "chat.example.com", DefaultLocale: localeOf(t, "en-US")})
	err := unaryAndStream["unary"](context.Background(), client, "code:2003")
	decoded, parseErr := Decoder{Domain: "chat.example.com"}.Parse(err)
	if parseErr != nil {
		t.Fatal(parseErr)
	}
	if localized, _ := decoded.LocalizedMessage(); !Is(decoded, ChannelNotFound) || localized.Locale != "en-US" {
		t.Errorf("%v %v", decoded, localized)
	}
	if _, ok := FromError(err); ok {
		t.Error("read under the default domain")
	}
}
