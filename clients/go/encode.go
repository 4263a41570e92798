package chaterrors

import (
	"strconv"
	"strings"
	"sync"
	"time"

	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/anypb"
)

// MaxTrailerBytes is the most that grpc-message (percent-encoded) and
// grpc-status-details-bin (base64) may take together, as the Rust crate
// counts them. When a status would exceed it, these are dropped in this
// order until it fits, and ErrorInfo metadata "truncated" lists them (e.g.
// "fieldViolations:12,metadata:2"): field violations, last first; extra
// metadata entries, last added first; ResourceInfo; RequestInfo.
const MaxTrailerBytes = 7 * 1024

const typeURLPrefix = "type.googleapis.com/"

const (
	errorInfoURL        = typeURLPrefix + "google.rpc.ErrorInfo"
	localizedMessageURL = typeURLPrefix + "google.rpc.LocalizedMessage"
	retryInfoURL        = typeURLPrefix + "google.rpc.RetryInfo"
	badRequestURL       = typeURLPrefix + "google.rpc.BadRequest"
	resourceInfoURL     = typeURLPrefix + "google.rpc.ResourceInfo"
	requestInfoURL      = typeURLPrefix + "google.rpc.RequestInfo"
)

// Field numbers of the google.rpc messages, written and read by hand.
const (
	fieldStatusCode       = 1
	fieldStatusMessage    = 2
	fieldStatusDetails    = 3
	fieldAnyTypeURL       = 1
	fieldAnyValue         = 2
	fieldErrorInfoMeta    = 3
	fieldBadRequestViol   = 1
	fieldLocalizedLocale  = 1
	fieldLocalizedMessage = 2
)

// maxProtoDurationSeconds is protobuf Duration's largest number of seconds.
const maxProtoDurationSeconds = 315_576_000_000

// The writer below produces the bytes prost would for the same message, so
// that the size limit decides exactly as the Rust crate's does.

func varintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

func putVarint(buf []byte, v uint64) []byte {
	for v >= 0x80 {
		buf = append(buf, byte(v)|0x80)
		v >>= 7
	}
	return append(buf, byte(v))
}

func fieldLen(tag, n int) int { return varintLen(uint64(tag)<<3) + varintLen(uint64(n)) + n }

func stringFieldLen(tag int, s string) int {
	if s == "" {
		return 0
	}
	return fieldLen(tag, len(s))
}

func putFieldHeader(buf []byte, tag, n int) []byte {
	buf = putVarint(buf, uint64(tag)<<3|2)
	return putVarint(buf, uint64(n))
}

func putString(buf []byte, tag int, s string) []byte {
	if s == "" {
		return buf
	}
	return append(putFieldHeader(buf, tag, len(s)), s...)
}

func varintFieldLen(tag int, v uint64) int {
	if v == 0 {
		return 0
	}
	return varintLen(uint64(tag)<<3) + varintLen(v)
}

func putVarintField(buf []byte, tag int, v uint64) []byte {
	if v == 0 {
		return buf
	}
	return putVarint(putVarint(buf, uint64(tag)<<3), v)
}

func mapEntryLen(key, value string) int { return stringFieldLen(1, key) + stringFieldLen(2, value) }

func putMapEntry(buf []byte, tag int, key, value string) []byte {
	buf = putFieldHeader(buf, tag, mapEntryLen(key, value))
	return putString(putString(buf, 1, key), 2, value)
}

// detailLen is the length of one Status.details entry holding n bytes.
func detailLen(typeURL string, n int) int {
	return fieldLen(fieldStatusDetails, stringFieldLen(fieldAnyTypeURL, typeURL)+fieldLen(fieldAnyValue, n))
}

func localizedLen(m LocalizedMessage) int {
	return stringFieldLen(fieldLocalizedLocale, m.Locale) + stringFieldLen(fieldLocalizedMessage, m.Message)
}

func putLocalized(buf []byte, m LocalizedMessage) []byte {
	return putString(putString(buf, fieldLocalizedLocale, m.Locale), fieldLocalizedMessage, m.Message)
}

func violationLen(v *FieldViolation) int {
	n := stringFieldLen(1, v.Field) + stringFieldLen(2, v.Description) + stringFieldLen(3, v.Reason)
	if v.LocalizedMessage != nil {
		n += fieldLen(4, localizedLen(*v.LocalizedMessage))
	}
	return n
}

func putViolation(buf []byte, v *FieldViolation) []byte {
	buf = putString(putString(putString(buf, 1, v.Field), 2, v.Description), 3, v.Reason)
	if v.LocalizedMessage != nil {
		buf = putLocalized(putFieldHeader(buf, 4, localizedLen(*v.LocalizedMessage)), *v.LocalizedMessage)
	}
	return buf
}

func resourceLen(r *ResourceInfo) int {
	return stringFieldLen(1, r.ResourceType) + stringFieldLen(2, r.ResourceName) +
		stringFieldLen(3, r.Owner) + stringFieldLen(4, r.Description)
}

func putResource(buf []byte, r *ResourceInfo) []byte {
	buf = putString(putString(buf, 1, r.ResourceType), 2, r.ResourceName)
	return putString(putString(buf, 3, r.Owner), 4, r.Description)
}

func requestLen(r *RequestInfo) int {
	return stringFieldLen(1, r.RequestID) + stringFieldLen(2, r.ServingData)
}

func putRequest(buf []byte, r *RequestInfo) []byte {
	return putString(putString(buf, 1, r.RequestID), 2, r.ServingData)
}

// protoDuration is delay as google.protobuf.Duration's seconds and nanos.
func protoDuration(delay time.Duration) (uint64, uint64) {
	seconds := uint64(delay / time.Second)
	if seconds > maxProtoDurationSeconds {
		return maxProtoDurationSeconds, 999_999_999
	}
	return seconds, uint64(delay % time.Second)
}

func retryLen(delay time.Duration) int {
	seconds, nanos := protoDuration(delay)
	return fieldLen(1, varintFieldLen(1, seconds)+varintFieldLen(2, nanos))
}

func putRetry(buf []byte, delay time.Duration) []byte {
	seconds, nanos := protoDuration(delay)
	buf = putFieldHeader(buf, 1, varintFieldLen(1, seconds)+varintFieldLen(2, nanos))
	return putVarintField(putVarintField(buf, 1, seconds), 2, nanos)
}

// shape is a status as it may be sent: what the size limit may cut away
// from an error is a prefix of each list and the presence of two infos.
type shape struct {
	code       ErrorCode
	domain     string
	message    string
	locale     Locale
	metadata   []metadataEntry
	truncated  *string
	retryDelay *time.Duration
	violations []FieldViolation
	resource   *ResourceInfo
	request    *RequestInfo
}

func shapeOf(e *Error) shape {
	metadata := make([]metadataEntry, len(e.metadata))
	for i, entry := range e.metadata {
		metadata[i] = metadataEntry{entry.key, cleanText(entry.value)}
	}
	violations := make([]FieldViolation, len(e.violations))
	for i, v := range e.violations {
		v.Field, v.Description, v.Reason = cleanText(v.Field), cleanText(v.Description), cleanText(v.Reason)
		if v.LocalizedMessage != nil {
			v.LocalizedMessage = &LocalizedMessage{
				Locale: cleanText(v.LocalizedMessage.Locale), Message: cleanText(v.LocalizedMessage.Message),
			}
		}
		violations[i] = v
	}
	s := shape{
		code: e.code, domain: e.Domain(), message: e.Message(), locale: e.locale,
		metadata: metadata, retryDelay: e.retryDelay, violations: violations,
	}
	if e.resource != nil {
		r := ResourceInfo{cleanText(e.resource.ResourceType), cleanText(e.resource.ResourceName),
			cleanText(e.resource.Owner), cleanText(e.resource.Description)}
		s.resource = &r
	}
	if e.request != nil {
		r := RequestInfo{cleanText(e.request.RequestID), cleanText(e.request.ServingData)}
		s.request = &r
	}
	return s
}

func (s *shape) metadataEntries() []metadataEntry {
	entries := []metadataEntry{
		{metadataCodeKey, strconv.Itoa(int(s.code))},
		{metadataNameKey, s.code.OriginalName()},
	}
	entries = append(entries, s.metadata...)
	if s.truncated != nil {
		entries = append(entries, metadataEntry{metadataTruncatedKey, *s.truncated})
	}
	return entries
}

func (s *shape) errorInfoLen() int {
	n := stringFieldLen(1, s.code.Reason()) + stringFieldLen(2, s.domain)
	for _, entry := range s.metadataEntries() {
		n += fieldLen(fieldErrorInfoMeta, mapEntryLen(entry.key, entry.value))
	}
	return n
}

func (s *shape) localized(locale Locale) LocalizedMessage {
	return LocalizedMessage{Locale: locale.String(), Message: s.code.Description(locale)}
}

func (s *shape) badRequestLen() int {
	n := 0
	for i := range s.violations {
		n += fieldLen(fieldBadRequestViol, violationLen(&s.violations[i]))
	}
	return n
}

func (s *shape) encodedLen() int {
	n := varintFieldLen(fieldStatusCode, uint64(s.code.GRPCCode())) +
		stringFieldLen(fieldStatusMessage, s.message) +
		detailLen(errorInfoURL, s.errorInfoLen()) +
		detailLen(localizedMessageURL, localizedLen(s.localized(s.locale)))
	if s.retryDelay != nil {
		n += detailLen(retryInfoURL, retryLen(*s.retryDelay))
	}
	if len(s.violations) > 0 {
		n += detailLen(badRequestURL, s.badRequestLen())
	}
	if s.resource != nil {
		n += detailLen(resourceInfoURL, resourceLen(s.resource))
	}
	if s.request != nil {
		n += detailLen(requestInfoURL, requestLen(s.request))
	}
	return n
}

// localizedSlack is how much longer the status gets in its longest
// locale: the limit holds in every locale, so that relocalizing keeps it.
func (s *shape) localizedSlack() int {
	longest := 0
	for _, locale := range Locales() {
		longest = max(longest, detailLen(localizedMessageURL, localizedLen(s.localized(locale))))
	}
	return longest - detailLen(localizedMessageURL, localizedLen(s.localized(s.locale)))
}

// optionalPartLens are the lengths of what may be dropped, in keeping
// order: request info, resource info, metadata, violations.
func (s *shape) optionalPartLens() []int {
	var lens []int
	if s.request != nil {
		lens = append(lens, detailLen(requestInfoURL, requestLen(s.request)))
	}
	if s.resource != nil {
		lens = append(lens, detailLen(resourceInfoURL, resourceLen(s.resource)))
	}
	for _, entry := range s.metadata {
		lens = append(lens, fieldLen(fieldErrorInfoMeta, mapEntryLen(entry.key, entry.value)))
	}
	for i := range s.violations {
		lens = append(lens, fieldLen(fieldBadRequestViol, violationLen(&s.violations[i])))
	}
	return lens
}

// percentEncodedLen is the length of message as tonic percent-encodes it.
func percentEncodedLen(message string) int {
	n := 0
	for i := 0; i < len(message); i++ {
		switch b := message[i]; {
		case strings.IndexByte(" \"#%<>`?{}", b) >= 0:
			n += 3
		case b >= 0x21 && b <= 0x7e:
			n++
		default:
			n += 3
		}
	}
	return n
}

func base64Len(n int) int { return (n*4 + 2) / 3 }

func (s *shape) fits(messageLen int) bool {
	return messageLen+base64Len(s.encodedLen()+s.localizedSlack()) <= MaxTrailerBytes
}

// fit returns s whole when it fits, else with the longest run of optional
// parts, in keeping order, that fits. Keeping the last part of a kind also
// shortens the truncated marker, so every run that might fit is tried,
// longest first.
func fit(full shape) shape {
	messageLen := percentEncodedLen(full.message)
	if full.fits(messageLen) {
		return full
	}
	rawBudget := max(MaxTrailerBytes-messageLen, 0) / 4 * 3
	longestPossible, partsLen := 0, 0
	for _, n := range full.optionalPartLens() {
		partsLen += n
		if partsLen > rawBudget {
			break
		}
		longestPossible++
	}
	for kept := longestPossible; kept >= 0; kept-- {
		if candidate := keepFirst(full, kept); candidate.fits(messageLen) {
			return candidate
		}
	}
	return keepFirst(full, 0)
}

func keepFirst(full shape, kept int) shape {
	take := func(present bool) bool {
		keep := present && kept > 0
		if keep {
			kept--
		}
		return keep
	}
	keepRequest := take(full.request != nil)
	keepResource := take(full.resource != nil)
	metadata := min(kept, len(full.metadata))
	kept -= metadata
	violations := min(kept, len(full.violations))

	var dropped []string
	count := func(name string, n int) {
		if n > 0 {
			dropped = append(dropped, name+":"+strconv.Itoa(n))
		}
	}
	count("fieldViolations", len(full.violations)-violations)
	count("metadata", len(full.metadata)-metadata)
	if full.resource != nil && !keepResource {
		count("resourceInfo", 1)
	}
	if full.request != nil && !keepRequest {
		count("requestInfo", 1)
	}
	marker := strings.Join(dropped, ",")
	candidate := full
	candidate.metadata = full.metadata[:metadata]
	candidate.violations = full.violations[:violations]
	if !keepResource {
		candidate.resource = nil
	}
	if !keepRequest {
		candidate.request = nil
	}
	candidate.truncated = &marker
	return candidate
}

func (s *shape) toProto() *spb.Status {
	errorInfo := make([]byte, 0, s.errorInfoLen())
	errorInfo = putString(putString(errorInfo, 1, s.code.Reason()), 2, s.domain)
	for _, entry := range s.metadataEntries() {
		errorInfo = putMapEntry(errorInfo, fieldErrorInfoMeta, entry.key, entry.value)
	}
	details := []*anypb.Any{
		{TypeUrl: errorInfoURL, Value: errorInfo},
		{TypeUrl: localizedMessageURL, Value: putLocalized(nil, s.localized(s.locale))},
	}
	if s.retryDelay != nil {
		details = append(details, &anypb.Any{TypeUrl: retryInfoURL, Value: putRetry(nil, *s.retryDelay)})
	}
	if len(s.violations) > 0 {
		var bad []byte
		for i := range s.violations {
			bad = putFieldHeader(bad, fieldBadRequestViol, violationLen(&s.violations[i]))
			bad = putViolation(bad, &s.violations[i])
		}
		details = append(details, &anypb.Any{TypeUrl: badRequestURL, Value: bad})
	}
	if s.resource != nil {
		details = append(details, &anypb.Any{TypeUrl: resourceInfoURL, Value: putResource(nil, s.resource)})
	}
	if s.request != nil {
		details = append(details, &anypb.Any{TypeUrl: requestInfoURL, Value: putRequest(nil, s.request)})
	}
	return &spb.Status{Code: int32(s.code.GRPCCode()), Message: s.message, Details: details}
}

func encodeStatus(e *Error) *spb.Status {
	s := fit(shapeOf(e))
	return s.toProto()
}

// defaultStatuses holds, per domain, every code's default status in every
// locale, encoded on first use and shared from then on.
var defaultStatuses sync.Map // domain -> func() map[ErrorCode][]*status.Status

func defaultStatus(domain string, code ErrorCode, locale Locale) *status.Status {
	if !locale.valid() {
		locale = DefaultLocale
	}
	table, ok := defaultStatuses.Load(domain)
	if !ok {
		table, _ = defaultStatuses.LoadOrStore(domain, sync.OnceValue(func() map[ErrorCode][]*status.Status {
			return encodeDefaults(domain)
		}))
	}
	if byLocale, known := table.(func() map[ErrorCode][]*status.Status)()[code]; known {
		return byLocale[locale]
	}
	s := shape{code: code, domain: domain, message: code.EnglishDescription(), locale: locale}
	return status.FromProto(s.toProto())
}

func encodeDefaults(domain string) map[ErrorCode][]*status.Status {
	table := make(map[ErrorCode][]*status.Status, len(catalogue.codes))
	for _, code := range catalogue.codes {
		byLocale := make([]*status.Status, len(catalogue.locales))
		for _, locale := range Locales() {
			s := shape{code: code, domain: domain, message: code.EnglishDescription(), locale: locale}
			byLocale[locale] = status.FromProto(s.toProto())
		}
		table[code] = byLocale
	}
	return table
}
