package chaterrors

// accept-language (RFC 9110 §12.5.4) and RFC 4647 lookup among the
// catalogue's locales, with the Rust crate's rules, so that a Go server and
// a Rust one answer the same caller in the same locale.

// MaxAcceptLanguageBytes is the longest accept-language read, all values
// together; a longer one is ignored whole and the default applies.
const MaxAcceptLanguageBytes = 4096

// MaxLanguageRanges is the most elements read; a value with more is
// ignored whole and the default applies.
const MaxLanguageRanges = 64

const (
	maxSubtagLen = 8
	fullWeight   = 1000
)

type localeSet uint64

func (s localeSet) has(l Locale) bool { return s&(1<<uint(l)) != 0 }

// NegotiateLocale returns the locale for a caller that sent these
// accept-language values (every header line, as one list), and whether it
// asked for it. When no range finds a locale, it is fallback, or, if the
// caller ruled that out with q=0, the first locale it did not rule out.
func NegotiateLocale(fallback Locale, acceptLanguage ...string) (Locale, bool) {
	matched, found, excluded := negotiate(acceptLanguage)
	if found {
		return matched, true
	}
	if !excluded.has(fallback) {
		return fallback, false
	}
	for _, locale := range Locales() {
		if !excluded.has(locale) {
			return locale, false
		}
	}
	return fallback, false
}

func negotiate(values []string) (Locale, bool, localeSet) {
	total := 0
	for _, value := range values {
		total += len(value)
	}
	if total > MaxAcceptLanguageBytes || len(values) > MaxLanguageRanges {
		return 0, false, 0
	}
	count := 0
	var excluded localeSet
	forEachElement(values, func(languageRange string, weight int, isWeight bool) {
		count++
		if isWeight && weight == 0 && isLanguageRange(languageRange) {
			for _, locale := range Locales() {
				if filters(languageRange, locale.String()) {
					excluded |= 1 << uint(locale)
				}
			}
		}
	})
	if count > MaxLanguageRanges {
		return 0, false, 0
	}
	bestWeight, best, found := 0, Locale(0), false
	forEachElement(values, func(languageRange string, weight int, isWeight bool) {
		// `*` asks for nothing in particular: lookup skips it (RFC 4647 §3.4).
		if !isWeight || weight == 0 || (found && bestWeight >= weight) || languageRange == "*" {
			return
		}
		locale, ok := exactTag(languageRange, excluded)
		if !ok && isLanguageRange(languageRange) {
			locale, ok = lookup(languageRange, excluded)
		}
		if ok {
			bestWeight, best, found = weight, locale, true
		}
	})
	return best, found, excluded
}

// forEachElement calls visit with each non-empty element's range and
// weight; isWeight is false when its parameters are not a weight.
func forEachElement(values []string, visit func(languageRange string, weight int, isWeight bool)) {
	for _, value := range values {
		start := 0
		for start <= len(value) {
			end := start
			for end < len(value) && value[end] != ',' {
				end++
			}
			if element := trimOWS(value[start:end]); element != "" {
				languageRange, weight, isWeight := elementParts(element)
				visit(languageRange, weight, isWeight)
			}
			start = end + 1
		}
	}
}

// elementParts splits `language-range [ OWS ";" OWS "q=" qvalue ]`.
func elementParts(element string) (string, int, bool) {
	rangeLen := len(element)
	for i := 0; i < len(element); i++ {
		if b := element[i]; b == ';' || b == ' ' || b == '\t' {
			rangeLen = i
			break
		}
	}
	languageRange, parameter := element[:rangeLen], trimOWS(element[rangeLen:])
	if parameter == "" {
		return languageRange, fullWeight, true
	}
	if parameter[0] != ';' {
		return languageRange, 0, false
	}
	parameter = trimOWS(parameter[1:])
	if len(parameter) < 2 || (parameter[0] != 'q' && parameter[0] != 'Q') || parameter[1] != '=' {
		return languageRange, 0, false
	}
	weight, ok := qvalue(parameter[2:])
	return languageRange, weight, ok
}

func trimOWS(s string) string {
	start, end := 0, len(s)
	for start < end && (s[start] == ' ' || s[start] == '\t') {
		start++
	}
	for end > start && (s[end-1] == ' ' || s[end-1] == '\t') {
		end--
	}
	return s[start:end]
}

// qvalue reads RFC 9110 §12.4.2's `( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`
// in thousandths.
func qvalue(text string) (int, bool) {
	var fraction string
	switch {
	case len(text) == 1:
	case len(text) >= 2 && text[1] == '.' && len(text)-2 <= 3:
		fraction = text[2:]
	default:
		return 0, false
	}
	thousandths := 0
	for place := range 3 {
		digit := 0
		if place < len(fraction) {
			if fraction[place] < '0' || fraction[place] > '9' {
				return 0, false
			}
			digit = int(fraction[place] - '0')
		}
		thousandths = thousandths*10 + digit
	}
	switch {
	case text[0] == '0':
		return thousandths, true
	case text[0] == '1' && thousandths == 0:
		return fullWeight, true
	}
	return 0, false
}

// isLanguageRange checks RFC 4647 §2.1: subtags of 1 to 8 characters,
// letters in the first and letters or digits after it, or `*` alone.
func isLanguageRange(r string) bool {
	if r == "*" {
		return true
	}
	subtagLen, first := 0, true
	for i := 0; i < len(r); i++ {
		b := r[i]
		if b == '-' {
			if subtagLen == 0 {
				return false
			}
			subtagLen, first = 0, false
			continue
		}
		allowed := isASCIILetter(b) || (!first && b >= '0' && b <= '9')
		subtagLen++
		if !allowed || subtagLen > maxSubtagLen {
			return false
		}
	}
	return subtagLen > 0
}

func isASCIILetter(b byte) bool { return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') }

func filters(r, tag string) bool { return r == "*" || isTagOrPrefix(r, tag) }

func isTagOrPrefix(r, tag string) bool {
	return len(tag) >= len(r) && equalFoldASCII(tag[:len(r)], r) && (len(tag) == len(r) || tag[len(r)] == '-')
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

func exactTag(r string, excluded localeSet) (Locale, bool) {
	for _, locale := range Locales() {
		if !excluded.has(locale) && equalFoldASCII(locale.String(), r) {
			return locale, true
		}
	}
	return 0, false
}

// lookup is RFC 4647 §3.4 for one range: the range, then shorter and
// shorter truncations of it, each matching a locale whose tag it equals or,
// failing that, the first locale whose tag it is a prefix of.
func lookup(r string, excluded localeSet) (Locale, bool) {
	candidate := r
	for {
		if locale, ok := exactTag(candidate, excluded); ok {
			return locale, true
		}
		for _, locale := range Locales() {
			if !excluded.has(locale) && isTagOrPrefix(candidate, locale.String()) {
				return locale, true
			}
		}
		dash := lastIndexByte(candidate, '-')
		if dash < 0 {
			return 0, false
		}
		shorter := candidate[:dash]
		if inner := lastIndexByte(shorter, '-'); inner >= 0 && len(shorter)-inner == 2 {
			shorter = shorter[:inner]
		}
		candidate = shorter
	}
}

func lastIndexByte(s string, b byte) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == b {
			return i
		}
	}
	return -1
}
