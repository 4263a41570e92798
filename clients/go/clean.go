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
// characters become spaces first, and then a text over MaxMessageBytes is
// cut at a character boundary, so the cut counts what is sent. Bytes that
// are not UTF-8 become U+FFFD, which protobuf strings require.
func cleanText(text string) string {
	cleaned := text
	if !utf8.ValidString(text) || strings.IndexFunc(text, isUnsafeInText) >= 0 {
		var replaced strings.Builder
		replaced.Grow(len(text))
		for _, r := range text {
			if isUnsafeInText(r) {
				r = ' '
			}
			replaced.WriteRune(r)
		}
		cleaned = replaced.String()
	}
	if len(cleaned) <= MaxMessageBytes {
		return cleaned
	}
	end := MaxMessageBytes - len(ellipsis)
	for !utf8.RuneStart(cleaned[end]) {
		end--
	}
	return cleaned[:end] + ellipsis
}

// isBlank reports a text that says nothing: empty or only white space.
func isBlank(text string) bool {
	return strings.TrimFunc(text, unicode.IsSpace) == ""
}
