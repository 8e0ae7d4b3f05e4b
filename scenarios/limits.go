package scenarios

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what a scenario file may hold. Each is far above what a real
// scenario needs (the largest built-in is 12 KB with 31 events; the
// built-ins nest at most 4 levels deep and chain at most 3 files) and keeps
// the time and memory a hostile file can cost small.
const (
	// MaxFileSize bounds each scenario file read, on disk or built in.
	MaxFileSize = 1 << 20
	// MaxEvents bounds the [[events]] of one file.
	MaxEvents = 10_000
	// MaxChain bounds a chain of extends, counting the file loaded.
	MaxChain = 32
	// MaxLineLen bounds a one-line text field (title, an event's id,
	// label, note and source, extends) and a --set argument, in
	// characters.
	MaxLineLen = 1000
)

// isLineBreak reports the characters that end a line: the ASCII ones and
// Unicode's line and paragraph separators.
func isLineBreak(r rune) bool {
	return r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == 0x85 || r == 0x2028 || r == 0x2029
}

// isControl reports characters a terminal may act on rather than show.
func isControl(r rune) bool { return unicode.IsControl(r) || r == 0x2028 || r == 0x2029 }

// checkLine says what is wrong with s as one line of text shown to people,
// or "". Titles and labels end up on terminals, charts and web pages; a
// control character could move a terminal's cursor, retitle its window or
// clear it.
func checkLine(s string) string {
	n := 0
	for _, r := range s {
		n++
		switch {
		case isLineBreak(r):
			return fmt.Sprintf("must be one line of text without control characters, found a line break at character %d", n)
		case isControl(r):
			return fmt.Sprintf("must be one line of text without control characters, found U+%04X at character %d", r, n)
		}
	}
	if n > MaxLineLen {
		return fmt.Sprintf("is %d characters long; at most %d are allowed", n, MaxLineLen)
	}
	return ""
}

// checkText says what is wrong with s as several lines of text (a
// description), or "": it may hold line breaks (\n, or \r\n) and tabs, but
// no other control character.
func checkText(s string) string {
	line := 1
	for i, r := range s {
		switch {
		case r == '\n':
			line++
		case r == '\t' || r == '\r' && strings.HasPrefix(s[i+1:], "\n"):
		case isControl(r):
			return fmt.Sprintf("may hold line breaks and tabs but no other control characters, found U+%04X on line %d of the text", r, line)
		}
	}
	return ""
}

// escapeControl shows the control characters in s as Go escapes (\x1b,
// \n), leaving everything else as it is, so that a message is one line and
// cannot act on a terminal.
func escapeControl(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return isControl(r) || r == utf8.RuneError }) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case isControl(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// controlIn finds the first byte of src that is not text a TOML file may
// hold: a control character other than tab and line breaks, or bytes that
// are not UTF-8. It returns an *Error located at it, without a file, or nil.
func controlIn(src []byte) *Error {
	line, start := 1, 0
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		var msg string
		switch {
		case r == '\n':
			line, start = line+1, i+1
		case r == '\t' || r == '\r':
		case r == utf8.RuneError && size <= 1:
			msg = fmt.Sprintf("byte 0x%02x is not UTF-8 text", src[i])
		case unicode.IsControl(r):
			msg = fmt.Sprintf("control character U+%04X; a scenario file is text, with no control characters but tabs and line breaks", r)
		}
		if msg != "" {
			return &Error{Line: line, Col: utf8.RuneCount(src[start:i]) + 1, Msg: msg}
		}
		i += size
	}
	return nil
}
