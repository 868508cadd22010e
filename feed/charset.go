package feed

import (
	"bytes"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/unicode"
)

var xmlDeclEncoding = lazyRegexp(`(?i)^(\s*<\?xml[^>]*?encoding\s*=\s*["'])([A-Za-z0-9._:-]+)(["'])`)

// ToUTF8 returns a feed document as UTF-8 with its XML declaration saying
// so, whatever it was sent in: a UTF-16 or UTF-8 byte order mark wins;
// then bytes that are valid UTF-8 are taken as UTF-8 whatever the
// declaration says (a wrong declaration is the common mistake; text in a
// legacy charset is almost never valid UTF-8); then the XML declaration,
// then the Content-Type's charset; with neither, the charset is detected
// from the bytes (windows-1251, KOI8-R, ISO-8859-1 and the like).
// contentType may be empty.
func ToUTF8(data []byte, contentType string) []byte {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return declareUTF8(data[3:])
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}),
		len(data) > 1 && (data[0] == 0 && data[1] == '<' || data[0] == '<' && data[1] == 0):
		return declareUTF8(decodeUTF16(data))
	}
	if utf8.Valid(data) {
		return declareUTF8(data)
	}
	label := ""
	if m := xmlDeclEncoding().FindSubmatch(data[:min(len(data), 512)]); m != nil {
		label = string(m[2])
	}
	if label == "" || isUTF8Label(label) {
		if _, params, err := mime.ParseMediaType(contentType); err == nil && params["charset"] != "" && !isUTF8Label(params["charset"]) {
			label = params["charset"]
		} else {
			label = guessLegacy(data[:min(len(data), 64<<10)])
		}
	}
	enc, _ := charset.Lookup(label)
	if enc == nil {
		enc, _ = charset.Lookup("windows-1252") // what browsers assume
	}
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return data
	}
	return declareUTF8(out)
}

func isUTF8Label(label string) bool {
	l := strings.ToLower(strings.TrimSpace(label))
	return l == "utf-8" || l == "utf8"
}

func decodeUTF16(data []byte) []byte {
	order := unicode.LittleEndian
	if data[0] == 0xFE || data[0] == 0 {
		order = unicode.BigEndian
	}
	out, err := unicode.UTF16(order, unicode.ExpectBOM).NewDecoder().Bytes(data)
	if err != nil {
		out, err = unicode.UTF16(order, unicode.IgnoreBOM).NewDecoder().Bytes(data)
		if err != nil {
			return data
		}
	}
	return out
}

// declareUTF8 rewrites the XML declaration's encoding, if any, to UTF-8 so
// that the parser does not decode the bytes a second time.
func declareUTF8(data []byte) []byte {
	if loc := xmlDeclEncoding().FindSubmatchIndex(data[:min(len(data), 512)]); loc != nil && !isUTF8Label(string(data[loc[4]:loc[5]])) {
		out := make([]byte, 0, len(data))
		out = append(out, data[:loc[4]]...)
		out = append(out, "UTF-8"...)
		return append(out, data[loc[5]:]...)
	}
	return data
}

// guessLegacy names the single-byte charset of text that is not UTF-8 and
// does not say what it is. Outside markup, Cyrillic text is mostly high
// bytes while Western text has an accent here and there; Cyrillic text is
// mostly lower case, which windows-1251 puts at 0xE0-0xFF and KOI8-R at
// 0xC0-0xDF. (chardet-style detectors mistake short Russian feeds for
// ISO-8859-1.)
func guessLegacy(data []byte) string {
	var ascii, high, upperBlock, lowerBlock int
	inTag := false
	for _, b := range data {
		switch {
		case b == '<':
			inTag = true
		case b == '>':
			inTag = false
		case inTag:
		case b >= 0x80:
			high++
			if b >= 0xE0 {
				lowerBlock++
			} else if b >= 0xC0 {
				upperBlock++
			}
		case b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z':
			ascii++
		}
	}
	if high*10 < (high+ascii)*4 {
		return "windows-1252"
	}
	if lowerBlock >= upperBlock {
		return "windows-1251"
	}
	return "koi8-r"
}
