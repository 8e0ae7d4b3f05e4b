package sim

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseDistText reads a distribution written as scenario-file text: a
// number, "a to b", or an inline table such as
// {dist = "normal", mean = 0, sd = 1}. The registry declares defaults this
// way, and --set accepts it, without the engine importing a TOML reader.
func ParseDistText(s string) (Dist, error) {
	t := strings.TrimSpace(s)
	if !strings.HasPrefix(t, "{") {
		return ParseDist(strings.Trim(t, `"`))
	}
	p := &inlineParser{s: t}
	v, err := p.value()
	if err == nil {
		p.space()
		if p.i < len(p.s) {
			err = fmt.Errorf("unexpected %q after the table", p.s[p.i:])
		}
	}
	if err != nil {
		return nil, fmt.Errorf("table %s: %v", t, err)
	}
	return ParseDist(v)
}

// inlineParser reads the subset of TOML inline tables distributions use:
// bare or quoted keys; numbers, basic strings and arrays of them as values.
type inlineParser struct {
	s string
	i int
}

func (p *inlineParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

func (p *inlineParser) value() (any, error) {
	p.space()
	if p.i >= len(p.s) {
		return nil, fmt.Errorf("expected a value, found the end")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		p.i++
		m := map[string]any{}
		for {
			p.space()
			if p.i < len(p.s) && p.s[p.i] == '}' && len(m) == 0 {
				p.i++
				return m, nil
			}
			k, err := p.key()
			if err != nil {
				return nil, err
			}
			p.space()
			if p.i >= len(p.s) || p.s[p.i] != '=' {
				return nil, fmt.Errorf("expected = after key %q", k)
			}
			p.i++
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			if _, dup := m[k]; dup {
				return nil, fmt.Errorf("key %q given twice", k)
			}
			m[k] = v
			p.space()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == '}' {
				p.i++
				return m, nil
			}
			return nil, fmt.Errorf("expected , or } after key %q", k)
		}
	case c == '[':
		p.i++
		var arr []any
		for {
			p.space()
			if p.i < len(p.s) && p.s[p.i] == ']' {
				p.i++
				return arr, nil
			}
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
			p.space()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
			}
		}
	case c == '"':
		return p.quoted()
	default:
		j := p.i
		for j < len(p.s) && !strings.ContainsRune(",]} \t", rune(p.s[j])) {
			j++
		}
		word := p.s[p.i:j]
		f, err := strconv.ParseFloat(strings.ReplaceAll(word, "_", ""), 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", word)
		}
		p.i = j
		return f, nil
	}
}

func (p *inlineParser) key() (string, error) {
	if p.i < len(p.s) && p.s[p.i] == '"' {
		return p.quoted()
	}
	j := p.i
	for j < len(p.s) && (isAlnum(p.s[j]) || p.s[j] == '_' || p.s[j] == '-') {
		j++
	}
	if j == p.i {
		return "", fmt.Errorf("expected a key at %q", p.s[p.i:])
	}
	k := p.s[p.i:j]
	p.i = j
	return k, nil
}

func (p *inlineParser) quoted() (string, error) {
	j := strings.IndexByte(p.s[p.i+1:], '"')
	if j < 0 {
		return "", fmt.Errorf("unterminated string")
	}
	v := p.s[p.i+1 : p.i+1+j]
	p.i += j + 2
	return v, nil
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
