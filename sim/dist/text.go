package dist

import (
	"errors"
	"fmt"
	"strings"

	"github.com/BurntSushi/toml"
)

// ParseText reads a distribution written as scenario-file text: a number,
// "a to b" (quoted or not), or an inline table such as
// {dist = "normal", mean = 0, sd = 1}. The registry declares defaults this
// way. The text is read by the same TOML decoder as scenario files, as the
// value of one key, and the value handed to Parse.
func ParseText(s string) (Dist, error) {
	t := strings.TrimSpace(s)
	var doc map[string]any
	if _, err := toml.Decode("v = "+t, &doc); err != nil {
		if !strings.ContainsAny(t[:min(len(t), 1)], `{["'`) {
			// Not written as a TOML value: the bare "a to b" of a
			// registry default, or a mistake Parse describes.
			return Parse(t)
		}
		return nil, fmt.Errorf("%s is not a TOML value: %s", quote(t), tomlMessage(err))
	}
	if len(doc) != 1 {
		return nil, fmt.Errorf("%s is not a single TOML value", quote(t))
	}
	return Parse(doc["v"])
}

// tomlMessage is the decoder's own description of a syntax error, without
// its position in the one-line document ParseText built or that document's
// key v.
func tomlMessage(err error) string {
	msg := err.Error()
	var pe toml.ParseError
	if errors.As(err, &pe) {
		msg = pe.Message
	}
	return strings.ReplaceAll(msg, "'v.", "'")
}
