package scenarios

import (
	"strconv"
	"strings"
)

// Error is a mistake in a scenario file or a --set override, located as
// precisely as the loader can: File is the path as given (or
// "builtin:NAME.toml"), Line and Col count from 1 and are 0 when unknown,
// Key is the dotted key path ("events[1].lever", "params.fab.yield_ceiling").
type Error struct {
	File      string
	Line, Col int
	Key       string
	Msg       string

	// missing marks a required key that is absent; other errors in the
	// file are reported first, since a misspelt key also leaves its right
	// spelling missing ("titel" is the error, not the missing "title").
	missing bool
	// later composes Msg, for an error that may never be reported.
	later func() string
}

// Error formats e as "FILE:LINE:COL: KEY: MSG", leaving out the parts that
// are unknown. Control characters, which a file name, a key or a value
// quoted in the message may hold, are shown escaped (\x1b), so the message
// is one line and cannot act on a terminal.
func (e *Error) Error() string {
	msg := e.Msg
	if msg == "" && e.later != nil {
		msg = e.later()
	}
	var b strings.Builder
	if e.File != "" {
		b.WriteString(escapeControl(e.File))
		if e.Line > 0 {
			b.WriteString(":")
			b.WriteString(strconv.Itoa(e.Line))
			if e.Col > 0 {
				b.WriteString(":")
				b.WriteString(strconv.Itoa(e.Col))
			}
		}
		b.WriteString(": ")
	}
	if e.Key != "" {
		b.WriteString(escapeControl(e.Key))
		b.WriteString(": ")
	}
	b.WriteString(escapeControl(msg))
	return b.String()
}

// before orders errors by position in the file, unknown lines and missing
// keys last.
func (e *Error) before(o *Error) bool {
	if e.missing != o.missing {
		return !e.missing
	}
	if (e.Line == 0) != (o.Line == 0) {
		return e.Line != 0
	}
	if e.Line != o.Line {
		return e.Line < o.Line
	}
	return e.Col < o.Col
}
