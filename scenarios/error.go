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
}

// Error formats e as "FILE:LINE:COL: KEY: MSG", leaving out the parts that
// are unknown.
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
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
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
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
