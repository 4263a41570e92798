// Command peer is a Go ChatService for the Rust client
// chat-demo-interop-client to decode: every call fails with an error built
// by the chaterrors package and sent through its Server interceptors. It
// has the interface of interop/peer_server.py:
//
//   - GetChannel with metadata interop-error-code: N fails with catalogue
//     error N; with "panic" the handler panics and with "internal" it returns
//     a plain error, both of which reach the caller as 1003 with a request
//     id; without it, CHANNEL_NOT_FOUND with a ResourceInfo;
//   - SendMessage fails with TOO_MANY_REQUESTS, a RetryInfo and a limit;
//   - SignUp without a user id fails with INVALID_PARAMS and a BadRequest;
//   - UploadFile fails with FILE_SIZE_LIMIT_EXCEEDED and a Korean message;
//   - every other call is UNIMPLEMENTED.
//
// Every error's LocalizedMessage is in the locale negotiated from the
// caller's accept-language. It binds 127.0.0.1 on a free port, prints
// "peer listening on 127.0.0.1:PORT" and serves until SIGTERM or SIGINT.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	chaterrors "github.com/chat-errors/chat-errors/clients/go"
	"github.com/chat-errors/chat-errors/clients/go/interop/demopb"
)

// What the Rust client expects; interop/peer_server.py sends the same.
const (
	errorCodeKey    = "interop-error-code"
	retryDelay      = 2500 * time.Millisecond
	rateLimit       = "5 messages per 10 seconds"
	koreanMessage   = "파일이 너무 큽니다: 16 MiB (최대 15 MiB)"
	channelResource = "chat.demo.v1.Channel"
)

type peer struct{}

func (peer) getChannel(ctx context.Context, request *demopb.GetChannelRequest) (*demopb.GetChannelResponse, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	if asked := md.Get(errorCodeKey); len(asked) > 0 {
		switch asked[0] {
		case "panic":
			panic("the interop peer was asked to panic")
		case "internal":
			return nil, errors.New("the interop peer's storage is unreachable")
		}
		number, err := strconv.Atoi(asked[0])
		if err != nil {
			return nil, status.Errorf(codes.InvalidArgument, "%s must be a number, panic or internal", errorCodeKey)
		}
		return nil, chaterrors.ErrorCode(number)
	}
	return nil, chaterrors.New(chaterrors.ChannelNotFound).WithResourceInfo(chaterrors.ResourceInfo{
		ResourceType: channelResource, ResourceName: request.GetChannelId()})
}

func (peer) sendMessage(context.Context, *demopb.SendMessageRequest) (*demopb.SendMessageResponse, error) {
	return nil, chaterrors.New(chaterrors.TooManyRequests).WithRetryDelay(retryDelay).WithMetadata("limit", rateLimit)
}

func (peer) signUp(_ context.Context, request *demopb.SignUpRequest) (*demopb.SignUpResponse, error) {
	if request.GetUserId() == "" {
		return nil, chaterrors.New(chaterrors.InvalidParams).WithFieldViolation("user_id", "is required")
	}
	return nil, status.Error(codes.Unimplemented, "the interop peer signs nobody up")
}

func (peer) uploadFile(context.Context, *demopb.UploadFileRequest) (*demopb.UploadFileResponse, error) {
	return nil, chaterrors.New(chaterrors.FileSizeLimitExceeded).WithMessage(koreanMessage)
}

// unary adapts a typed handler to grpc-go's generic method handler, the
// job protoc-gen-go-grpc's generated code does.
func unary[Req any, Resp any, PReq interface {
	*Req
	any
}](name string, handle func(peer, context.Context, PReq) (Resp, error)) grpc.MethodDesc {
	return grpc.MethodDesc{
		MethodName: name,
		Handler: func(srv any, ctx context.Context, decode func(any) error, interceptor grpc.UnaryServerInterceptor) (any, error) {
			request := PReq(new(Req))
			if err := decode(request); err != nil {
				return nil, err
			}
			call := func(ctx context.Context, request any) (any, error) {
				return handle(srv.(peer), ctx, request.(PReq))
			}
			if interceptor == nil {
				return call(ctx, request)
			}
			return interceptor(ctx, request, &grpc.UnaryServerInfo{Server: srv, FullMethod: "/chat.demo.v1.ChatService/" + name}, call)
		},
	}
}

var chatService = grpc.ServiceDesc{
	ServiceName: "chat.demo.v1.ChatService",
	HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{
		unary("GetChannel", peer.getChannel),
		unary("SendMessage", peer.sendMessage),
		unary("SignUp", peer.signUp),
		unary("UploadFile", peer.uploadFile),
	},
	Metadata: "chat/demo/v1/chat_service.proto",
}

func main() {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatalf("peer: could not bind 127.0.0.1:0: %v", err)
	}
	server := grpc.NewServer(chaterrors.Server{}.ServerOptions()...)
	server.RegisterService(&chatService, peer{})
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-stop
		server.GracefulStop()
	}()
	fmt.Printf("peer listening on %s\n", listener.Addr())
	if err := server.Serve(listener); err != nil {
		log.Fatalf("peer: %v", err)
	}
}
