package chaterrors

import (
	"strings"
	"unicode/utf8"
)

// A protobuf reader for the few messages a client looks into, with prost's
// rules, so that strict decoding refuses exactly what the Rust crate
// refuses: unknown fields are skipped, a repeated singular field keeps its
// last value, each occurrence of a string is checked for UTF-8, and a key
// past 32 bits, field number 0, wire types 6 and 7, an unmatched end-group,
// a known field of the wrong wire type or a length past the end is an error.
// Every length is checked against the bytes left, so no input panics.

// WireError says why bytes are not the protobuf message they should be.
type WireError int

const (
	// WireTruncated: the bytes end inside a field.
	WireTruncated WireError = iota + 1
	// WireVarintTooLong: a varint runs past ten bytes.
	WireVarintTooLong
	// WireInvalidKey: a field key is past 32 bits, or has field number 0 or an unknown wire type.
	WireInvalidKey
	// WireWrongWireType: a known field has a wire type other than its declared one.
	WireWrongWireType
	// WireNotUTF8: a string field is not UTF-8.
	WireNotUTF8
	// WireBadGroup: groups are nested too deeply or do not close.
	WireBadGroup
)

func (e WireError) Error() string {
	switch e {
	case WireTruncated:
		return "the bytes end inside a field"
	case WireVarintTooLong:
		return "a varint is longer than ten bytes"
	case WireInvalidKey:
		return "a field key is invalid"
	case WireWrongWireType:
		return "a field has the wrong wire type"
	case WireNotUTF8:
		return "a string field is not UTF-8"
	case WireBadGroup:
		return "a group is unterminated or nested too deeply"
	}
	return "malformed protobuf"
}

// maxRecursion is prost's recursion limit, spent by nested messages and groups.
const maxRecursion = 100

const (
	wireVarint = 0
	wireBytes  = 2
)

type field struct {
	tag      uint32
	wireType uint8
	varint   uint64
	bytes    []byte
}

type reader struct {
	rest []byte
	// depth is how much of maxRecursion the enclosing messages used.
	depth int
}

func (r *reader) varint() (uint64, error) {
	var value uint64
	for i := 0; i < 10 && i < len(r.rest); i++ {
		b := r.rest[i]
		if i == 9 && b > 1 {
			return 0, WireVarintTooLong
		}
		value |= uint64(b&0x7f) << (7 * i)
		if b < 0x80 {
			r.rest = r.rest[i+1:]
			return value, nil
		}
	}
	if len(r.rest) < 10 {
		return 0, WireTruncated
	}
	return 0, WireVarintTooLong
}

func (r *reader) take(n uint64) ([]byte, error) {
	if n > uint64(len(r.rest)) {
		return nil, WireTruncated
	}
	taken := r.rest[:n:n]
	r.rest = r.rest[n:]
	return taken, nil
}

func (r *reader) key() (uint32, uint8, error) {
	v, err := r.varint()
	if err != nil {
		return 0, 0, err
	}
	if v > 0xffffffff {
		return 0, 0, WireInvalidKey
	}
	tag, wireType := uint32(v>>3), uint8(v&7)
	if tag == 0 || wireType > 5 {
		return 0, 0, WireInvalidKey
	}
	return tag, wireType, nil
}

func (r *reader) value(f *field) error {
	var err error
	switch f.wireType {
	case wireVarint:
		f.varint, err = r.varint()
	case 1:
		_, err = r.take(8)
	case wireBytes:
		var n uint64
		if n, err = r.varint(); err == nil {
			f.bytes, err = r.take(n)
		}
	case 3:
		err = r.skipGroup(f.tag)
	case 5:
		_, err = r.take(4)
	default:
		err = WireBadGroup // an end-group key with no group open
	}
	return err
}

// skipGroup skips to the group's end key, iteratively.
func (r *reader) skipGroup(tag uint32) error {
	open := []uint32{tag}
	for len(open) > 0 {
		innerTag, wireType, err := r.key()
		if err != nil {
			return err
		}
		switch {
		case wireType == 3 && r.depth+len(open) >= maxRecursion:
			return WireBadGroup
		case wireType == 3:
			open = append(open, innerTag)
		case wireType == 4 && innerTag == open[len(open)-1]:
			open = open[:len(open)-1]
		case wireType == 4:
			return WireBadGroup
		default:
			inner := field{tag: innerTag, wireType: wireType}
			if err := r.value(&inner); err != nil {
				return err
			}
		}
	}
	return nil
}

// next reads one field; ok is false at the end. An error ends the reading.
func (r *reader) next() (f field, ok bool, err error) {
	if len(r.rest) == 0 {
		return field{}, false, nil
	}
	if f.tag, f.wireType, err = r.key(); err == nil {
		err = r.value(&f)
	}
	if err != nil {
		r.rest = nil
		return field{}, false, err
	}
	return f, true, nil
}

// eachField calls visit for every field of bytes, stopping at the first error.
func eachField(bytes []byte, depth int, visit func(f *field) error) error {
	r := reader{rest: bytes, depth: depth}
	for {
		f, ok, err := r.next()
		if err != nil || !ok {
			return err
		}
		if err := visit(&f); err != nil {
			return err
		}
	}
}

func (f *field) lengthDelimited() ([]byte, error) {
	if f.wireType != wireBytes {
		return nil, WireWrongWireType
	}
	return f.bytes, nil
}

func (f *field) number() (uint64, error) {
	if f.wireType != wireVarint {
		return 0, WireWrongWireType
	}
	return f.varint, nil
}

// text reads a string field as prost does: each occurrence must be UTF-8.
func (f *field) text() (string, error) {
	b, err := f.lengthDelimited()
	if err != nil {
		return "", err
	}
	if !utf8.Valid(b) {
		return "", WireNotUTF8
	}
	return string(b), nil
}

// lossy is Rust's String::from_utf8_lossy: each maximal ill-formed subpart
// becomes one U+FFFD.
func lossy(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var out strings.Builder
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r != utf8.RuneError || size > 1 {
			out.Write(b[:size])
			b = b[size:]
			continue
		}
		out.WriteRune(utf8.RuneError)
		b = b[illFormedPrefixLen(b):]
	}
	return out.String()
}

// illFormedPrefixLen is the length of the maximal subpart at the start of
// b, which does not begin a well-formed UTF-8 sequence.
func illFormedPrefixLen(b []byte) int {
	lead := b[0]
	var need int
	low, high := byte(0x80), byte(0xbf)
	switch {
	case lead >= 0xc2 && lead <= 0xdf:
		need = 1
	case lead == 0xe0:
		need, low = 2, 0xa0
	case lead >= 0xe1 && lead <= 0xec, lead == 0xee, lead == 0xef:
		need = 2
	case lead == 0xed:
		need, high = 2, 0x9f
	case lead == 0xf0:
		need, low = 3, 0x90
	case lead >= 0xf1 && lead <= 0xf3:
		need = 3
	case lead == 0xf4:
		need, high = 3, 0x8f
	default:
		return 1
	}
	n := 1
	for ; n <= need && n < len(b); n++ {
		if b[n] < low || b[n] > high {
			break
		}
		low, high = 0x80, 0xbf
	}
	return n
}
