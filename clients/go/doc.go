// Package chaterrors raises and reads the chat platform's catalogue errors
// over gRPC, with the wire contract of the chat-errors Rust crate.
//
// A server returns an [ErrorCode], or an [*Error] built with [New], from a
// handler; [Server] gives the interceptors that send it in the caller's
// locale and mask every other error as 1003 with a request id. A client
// reads any error back with [FromError] (lenient) or [Parse] (strict), or
// asks [Is].
//
// The catalogue comes from chat_errors.proto: the constants are generated
// from its enum, and every code's gRPC code, reason, names and descriptions
// are read from the enum values' options when the package loads.
package chaterrors
