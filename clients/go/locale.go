package chaterrors

import "strings"

// Locale is one of the locales the catalogue declares, e.g. ko-KR.
type Locale int

// DefaultLocale is the first locale the catalogue declares (ko-KR, the
// platform's original text): the one a status carries when nobody chose.
const DefaultLocale Locale = 0

// Locales returns the catalogue's locales in declaration order.
func Locales() []Locale {
	locales := make([]Locale, len(catalogue.locales))
	for i := range locales {
		locales[i] = Locale(i)
	}
	return locales
}

// English returns en-US, the locale of the developer-facing status message.
func English() Locale { return catalogue.english }

// ParseLocale returns the catalogue locale whose tag is tag, ignoring case.
func ParseLocale(tag string) (Locale, bool) {
	for i, known := range catalogue.locales {
		if strings.EqualFold(known, tag) {
			return Locale(i), true
		}
	}
	return DefaultLocale, false
}

func (l Locale) valid() bool { return l >= 0 && int(l) < len(catalogue.locales) }

// String returns the BCP 47 tag, e.g. "ko-KR".
func (l Locale) String() string {
	if !l.valid() {
		return ""
	}
	return catalogue.locales[l]
}
