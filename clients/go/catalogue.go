package chaterrors

import (
	"fmt"
	"strconv"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/chat-errors/chat-errors/clients/go/chaterrorspb"
)

// ErrorCode is one of the catalogue's numbered errors, e.g. [ChannelNotFound]
// (2003). Its number is the platform's numeric error code.
//
// An ErrorCode is itself an error whose GRPCStatus is the code's default
// status, so a handler may return it as is:
//
//	return nil, chaterrors.ChannelNotFound
//
// and errors.Is(err, chaterrors.ChannelNotFound) holds for any error this
// package builds or decodes with that code.
type ErrorCode int32

// entry is what the proto's options say about one code.
type entry struct {
	reason       string
	originalName string
	grpcCode     codes.Code
	retryable    bool
	descriptions []string // indexed by Locale
}

// catalogue is read once from the descriptor protoc-gen-go embeds, so the
// table lives only in chat_errors.proto.
var catalogue = loadCatalogue()

type catalogueTables struct {
	locales  []string
	codes    []ErrorCode // in proto order
	byNumber map[ErrorCode]*entry
	byReason map[string]ErrorCode
	english  Locale
}

const enumValuePrefix = "ERROR_CODE_"

func loadCatalogue() *catalogueTables {
	enum := chaterrorspb.ErrorCode(0).Descriptor()
	tables := &catalogueTables{
		byNumber: make(map[ErrorCode]*entry),
		byReason: make(map[string]ErrorCode),
		english:  -1,
	}
	tables.locales = proto.GetExtension(enum.Options(), chaterrorspb.E_Locales).([]string)
	if len(tables.locales) == 0 {
		panic("chat_errors.proto: enum ErrorCode declares no (locales)")
	}
	for index, tag := range tables.locales {
		if tag == "en-US" {
			tables.english = Locale(index)
		}
	}
	if tables.english < 0 {
		panic("chat_errors.proto: en-US is not among the (locales) of enum ErrorCode")
	}
	values := enum.Values()
	for i := range values.Len() {
		value := values.Get(i)
		if value.Number() == 0 {
			continue
		}
		code := ErrorCode(value.Number())
		tables.codes = append(tables.codes, code)
		tables.byNumber[code] = readEntry(value, tables.locales)
		tables.byReason[tables.byNumber[code].reason] = code
	}
	return tables
}

func readEntry(value protoreflect.EnumValueDescriptor, locales []string) *entry {
	options := value.Options()
	fail := func(what string) {
		panic(fmt.Sprintf("chat_errors.proto: %s %s", value.Name(), what))
	}
	name := string(value.Name())
	if !strings.HasPrefix(name, enumValuePrefix) {
		fail("does not start with " + enumValuePrefix)
	}
	grpcCode := proto.GetExtension(options, chaterrorspb.E_GrpcCode).(chaterrorspb.GrpcCode)
	if grpcCode == chaterrorspb.GrpcCode_GRPC_CODE_UNSPECIFIED {
		fail("has no (grpc_code)")
	}
	if !proto.HasExtension(options, chaterrorspb.E_Retryable) {
		fail("has no (retryable)")
	}
	e := &entry{
		reason:       strings.TrimPrefix(name, enumValuePrefix),
		originalName: proto.GetExtension(options, chaterrorspb.E_OriginalName).(string),
		grpcCode:     codes.Code(grpcCode),
		retryable:    proto.GetExtension(options, chaterrorspb.E_Retryable).(bool),
		descriptions: make([]string, len(locales)),
	}
	if e.originalName == "" {
		fail("has no (original_name)")
	}
	for _, description := range proto.GetExtension(options, chaterrorspb.E_Description).([]*chaterrorspb.LocalizedDescription) {
		for index, tag := range locales {
			if tag == description.GetLocale() {
				e.descriptions[index] = description.GetText()
			}
		}
	}
	for index, text := range e.descriptions {
		if text == "" {
			fail("has no (description) for " + locales[index])
		}
	}
	return e
}

// Codes returns every code of the catalogue, in the proto's order.
func Codes() []ErrorCode {
	return append([]ErrorCode(nil), catalogue.codes...)
}

// LookupCode returns the catalogue's code numbered n, if the catalogue has one.
func LookupCode(n int32) (ErrorCode, bool) {
	code := ErrorCode(n)
	_, known := catalogue.byNumber[code]
	return code, known
}

// LookupReason returns the code whose ErrorInfo reason is reason, e.g.
// "CHANNEL_NOT_FOUND".
func LookupReason(reason string) (ErrorCode, bool) {
	code, known := catalogue.byReason[reason]
	return code, known
}

// Known reports whether this build's catalogue has the code: a peer with a
// newer catalogue can send numbers it lacks.
func (c ErrorCode) Known() bool {
	_, known := catalogue.byNumber[c]
	return known
}

func (c ErrorCode) entry() *entry {
	if e, known := catalogue.byNumber[c]; known {
		return e
	}
	return &entry{grpcCode: codes.Unknown}
}

// Number returns the numeric code, e.g. 2003.
func (c ErrorCode) Number() int32 { return int32(c) }

// Reason returns the google.rpc.ErrorInfo reason, e.g. "CHANNEL_NOT_FOUND".
func (c ErrorCode) Reason() string { return c.entry().reason }

// OriginalName returns the error's name in the platform's original
// document, e.g. "ChannelNotFound", sent as ErrorInfo metadata "message".
// It is not unique: "InternalServerError" names 1003, 1004, 1005 and 3000.
func (c ErrorCode) OriginalName() string { return c.entry().originalName }

// GRPCCode returns the gRPC status code the error is sent with.
func (c ErrorCode) GRPCCode() codes.Code { return c.entry().grpcCode }

// Retryable reports whether a client may retry the same request unchanged.
func (c ErrorCode) Retryable() bool { return c.entry().retryable }

// Description returns the user-facing text in locale.
func (c ErrorCode) Description(locale Locale) string {
	e := c.entry()
	if !locale.valid() || e.descriptions == nil {
		return ""
	}
	return e.descriptions[locale]
}

// EnglishDescription returns the en-US text, which is also the
// developer-facing status message.
func (c ErrorCode) EnglishDescription() string { return c.Description(catalogue.english) }

// Proto returns the generated enum value of the code.
func (c ErrorCode) Proto() chaterrorspb.ErrorCode { return chaterrorspb.ErrorCode(c) }

// String returns "2003 ChannelNotFound", or the bare number for a code the
// catalogue lacks.
func (c ErrorCode) String() string {
	if !c.Known() {
		return strconv.Itoa(int(c))
	}
	return strconv.Itoa(int(c)) + " " + c.OriginalName()
}

// Error returns "2003 ChannelNotFound: The channel does not exist.".
func (c ErrorCode) Error() string {
	return c.String() + ": " + c.EnglishDescription()
}
