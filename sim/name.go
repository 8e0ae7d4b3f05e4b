package sim

import (
	"fmt"
	"regexp"
)

// MaxNameLen bounds a scenario id. Ids become file names (NAME-output.png,
// NAME.partial-N); 64 leaves room under the common 255-byte file-name limit
// for every suffix chokepoint adds.
const MaxNameLen = 64

var namePattern = regexp.MustCompile(`^[a-z0-9-]+$`)

// CheckName reports whether s may be a scenario id: 1 to MaxNameLen
// lowercase letters, digits and hyphens. Every name that reaches a file name
// passes here first, whether it came from a scenario file or was read back
// from a results folder, so no name can hold a path separator or "..".
func CheckName(s string) error {
	if len(s) == 0 || len(s) > MaxNameLen || !namePattern.MatchString(s) {
		shown := s
		if len(shown) > MaxNameLen+16 {
			shown = shown[:MaxNameLen+16] + "…"
		}
		return fmt.Errorf("expected 1 to %d lowercase letters, digits and hyphens, found %q", MaxNameLen, shown)
	}
	return nil
}

// InputError marks a failure caused by what a file the user gave holds (a
// tampered or truncated results folder, a corrupt state file, a FIFO where a
// file belongs): the CLI reports it as bad input, exit status 2.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// BadInputf formats an InputError.
func BadInputf(format string, args ...any) error {
	return &InputError{fmt.Errorf(format, args...)}
}

// ValidHash reports whether h is a scenario hash as results record it: a
// hex SHA-256, or empty (a scenario built in code, not loaded from text).
func ValidHash(h string) bool {
	if h == "" {
		return true
	}
	if len(h) != 64 {
		return false
	}
	for _, c := range []byte(h) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
