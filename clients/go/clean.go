package chaterrors

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxMessageBytes is the longest text sent, in UTF-8 bytes. A longer one is
// cut at a character boundary and ends with "…".
const MaxMessageBytes = 1024

const ellipsis = "…"

// isUnsafeInText reports characters that would let a text forge or disguise
// lines in a client's logs or UI: control characters, the line and
// paragraph separators, and every Unicode Bidi_Control character.
func isUnsafeInText(r rune) bool {
	return unicode.IsControl(r) ||
		r == '\u2028' || r == '\u2029' || r == '\u061C' || r == '\u200E' || r == '\u200F' ||
		(r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}

// cleanText is the Rust crate's rule for every text sent to a peer: unsafe
// characters become spaces, and a text over MaxMessageBytes is cut short.
// Bytes that are not UTF-8 become U+FFFD, which protobuf strings require.
func cleanText(text string) string {
	needsCut := len(text) > MaxMessageBytes
	if !needsCut && utf8.ValidString(text) && strings.IndexFunc(text, isUnsafeInText) < 0 {
		return text
	}
	budget := MaxMessageBytes
	if needsCut {
		budget -= len(ellipsis)
	}
	var cleaned strings.Builder
	cleaned.Grow(min(len(text), MaxMessageBytes))
	for _, r := range text {
		if cleaned.Len()+utf8.RuneLen(r) > budget {
			break
		}
		if isUnsafeInText(r) {
			r = ' '
		}
		cleaned.WriteRune(r)
	}
	if needsCut {
		cleaned.WriteString(ellipsis)
	}
	return cleaned.String()
}

// isBlank reports a text that says nothing: empty or only white space.
func isBlank(text string) bool {
	return strings.TrimFunc(text, unicode.IsSpace) == ""
}
