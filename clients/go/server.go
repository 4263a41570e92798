package chaterrors

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"

	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/anypb"
)

// Server is the one setting of a service's error stack: the interceptors
// it gives send every catalogue error under Domain in the caller's locale,
// and mask everything else.
//
//	grpc.NewServer(chaterrors.Server{}.ServerOptions()...)
type Server struct {
	// Domain is the ErrorInfo domain of the service's errors: errors built
	// without WithDomain are sent under it. Empty means DefaultDomain.
	Domain string
	// DefaultLocale is the locale of callers whose accept-language names
	// none of the catalogue's. The zero value is DefaultLocale (ko-KR).
	DefaultLocale Locale
	// Logger receives what is never sent: causes and panics. Nil means slog.Default().
	Logger *slog.Logger
}

// RequestIDHeader is the request header whose value, when it is a plain
// token, is reused as the request id of a masked error.
const RequestIDHeader = "x-request-id"

const maxRequestIDLen = 128

// passingCodes go out as they are: they tell the caller about its call,
// not about the service.
var passingCodes = map[codes.Code]bool{codes.Canceled: true, codes.DeadlineExceeded: true, codes.Unimplemented: true}

func (s Server) domain() string {
	if s.Domain == "" {
		return DefaultDomain
	}
	return s.Domain
}

func (s Server) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.Default()
	}
	return s.Logger
}

// ServerOptions returns the unary and stream interceptors as server options.
func (s Server) ServerOptions() []grpc.ServerOption {
	return []grpc.ServerOption{
		grpc.ChainUnaryInterceptor(s.UnaryInterceptor()),
		grpc.ChainStreamInterceptor(s.StreamInterceptor()),
	}
}

type localeKey struct{}

// LocaleFromContext returns the locale the [Server] interceptors negotiated
// for the call, and whether the caller asked for it.
func LocaleFromContext(ctx context.Context) (Locale, bool) {
	negotiated, ok := ctx.Value(localeKey{}).(negotiatedLocale)
	return negotiated.locale, ok && negotiated.requested
}

type negotiatedLocale struct {
	locale    Locale
	requested bool
}

type call struct {
	server    Server
	method    string
	locale    Locale
	requestID string // as the caller sent it
}

func (s Server) begin(ctx context.Context, method string) (context.Context, *call) {
	md, _ := metadata.FromIncomingContext(ctx)
	locale, requested := NegotiateLocale(s.DefaultLocale, md.Get("accept-language")...)
	c := &call{server: s, method: method, locale: locale}
	if ids := md.Get(RequestIDHeader); len(ids) == 1 {
		c.requestID = ids[0]
	}
	return context.WithValue(ctx, localeKey{}, negotiatedLocale{locale, requested}), c
}

// UnaryInterceptor returns the unary server interceptor.
func (s Server) UnaryInterceptor() grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (resp any, err error) {
		ctx, c := s.begin(ctx, info.FullMethod)
		defer func() {
			if panicked := recover(); panicked != nil {
				resp, err = nil, c.panicked(panicked)
			}
		}()
		resp, err = handler(ctx, req)
		if err != nil {
			return resp, c.outgoing(err)
		}
		return resp, nil
	}
}

// StreamInterceptor returns the stream server interceptor.
func (s Server) StreamInterceptor() grpc.StreamServerInterceptor {
	return func(srv any, stream grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) (err error) {
		ctx, c := s.begin(stream.Context(), info.FullMethod)
		defer func() {
			if panicked := recover(); panicked != nil {
				err = c.panicked(panicked)
			}
		}()
		if err = handler(srv, &localizedStream{stream, ctx}); err != nil {
			return c.outgoing(err)
		}
		return nil
	}
}

type localizedStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (l *localizedStream) Context() context.Context { return l.ctx }

// outgoing is what the caller gets instead of err.
func (c *call) outgoing(err error) error {
	domain := c.server.domain()
	var built *Error
	if errors.As(err, &built) && (built.domain == "" || built.domain == domain) {
		if built.cause != nil {
			c.server.logger().Warn("chat error sent; its cause stays on the server",
				"method", c.method, "code", built.code.Number(), "cause", built.cause.Error())
		}
		sent := built.clone()
		sent.domain, sent.locale, sent.localeSet = domain, c.locale, true
		return sent
	}
	var code ErrorCode
	if errors.As(err, &code) && code.Known() {
		return New(code).WithDomain(domain).WithLocale(c.locale)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return status.FromContextError(err).Err()
	}
	st, _ := status.FromError(err)
	if passingCodes[st.Code()] {
		return err
	}
	if decoded, ok := (Decoder{Domain: domain}).FromError(err); ok {
		return relocalize(st, decoded, c.locale)
	}
	requestID := c.freshRequestID()
	c.server.logger().Error("unmapped error answered with 1003 InternalServerError",
		"request_id", requestID, "method", c.method, "code", st.Code().String(), "cause", err.Error())
	return c.internalError(requestID)
}

func (c *call) panicked(value any) error {
	requestID := c.freshRequestID()
	c.server.logger().Error("handler panicked; answered with 1003 InternalServerError",
		"request_id", requestID, "method", c.method, "panic", fmt.Sprint(value), "stack", string(debug.Stack()))
	return c.internalError(requestID)
}

func (c *call) internalError(requestID string) error {
	return New(InternalServerError1003).WithDomain(c.server.domain()).WithLocale(c.locale).
		WithRequestInfo(RequestInfo{RequestID: requestID})
}

// freshRequestID is the caller's x-request-id when it is a plain token
// that is safe to echo into logs and details, or else 32 random hex digits.
func (c *call) freshRequestID() string {
	if id := c.requestID; id != "" && len(id) <= maxRequestIDLen && isPlainToken(id) {
		return id
	}
	var random [16]byte
	_, _ = rand.Read(random[:])
	return hex.EncodeToString(random[:])
}

func isPlainToken(id string) bool {
	for i := 0; i < len(id); i++ {
		b := id[i]
		if !isASCIILetter(b) && (b < '0' || b > '9') && b != '.' && b != '_' && b != ':' && b != '-' {
			return false
		}
	}
	return true
}

// relocalize sends a chat error that arrived as a status (from an upstream
// call, say) with its LocalizedMessage in locale.
func relocalize(st *status.Status, decoded *Decoded, locale Locale) error {
	code, known := decoded.Code()
	if localized, ok := decoded.LocalizedMessage(); !known || (ok && localized.Locale == locale.String() && len(decoded.localized) == 1) {
		return st.Err()
	}
	p := st.Proto()
	replacement := &anypb.Any{TypeUrl: localizedMessageURL,
		Value: putLocalized(nil, LocalizedMessage{Locale: locale.String(), Message: code.Description(locale)})}
	details := make([]*anypb.Any, 0, len(p.GetDetails())+1)
	placed := false
	for _, detail := range p.GetDetails() {
		isLocalized := string((&anyView{typeURL: []byte(detail.GetTypeUrl())}).typeName()) == localizedMessageName
		switch {
		case isLocalized && !placed:
			details, placed = append(details, replacement), true
		case isLocalized:
		default:
			details = append(details, detail)
			if !placed && string((&anyView{typeURL: []byte(detail.GetTypeUrl())}).typeName()) == errorInfoName {
				details, placed = append(details, replacement), true
			}
		}
	}
	return status.FromProto(&spb.Status{Code: p.GetCode(), Message: p.GetMessage(), Details: details}).Err()
}
