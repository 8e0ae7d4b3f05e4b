package scenarios

import (
	"strconv"
	"strings"
)

// MaxDepth bounds how deeply a scenario file may nest: table headers, dotted
// keys, arrays and inline tables together. A real scenario needs at most 5
// ([[correlations]] matrix = [[1, 0.5], ...] is correlations, its element,
// matrix, a row and a cell); the TOML parser's time grows faster than the
// depth, so deeper text is refused before it is parsed.
const MaxDepth = 32

// pos is where a key starts in a file; both count from 1.
type pos struct{ Line, Col int }

// node is one key path in a file: where its key occurs. Paths share their
// parents' nodes, so the tree takes memory in proportion to the file however
// deep or long its keys are.
type node struct {
	at     []pos
	items  []*node // elements of an array or an array of tables: [0], [1], ...
	tables int32   // [[x]] headers seen for this path
	depth  int32   // 1 for a top-level key
}

// item returns element i, making the elements up to it.
func (n *node) item(i int) *node {
	for len(n.items) <= i {
		n.items = append(n.items, &node{depth: n.depth + 1})
	}
	return n.items[i]
}

// edge names a child of a node.
type edge struct {
	parent *node
	name   string
}

// positions maps the key paths of a file to where their keys are: a tree of
// nodes, the named children of all of them in one map (most nodes have one
// child, and a map for each would cost more than the file).
type positions struct {
	root *node
	kids map[edge]*node
}

// kid returns n's child called name, making it when make is true (else nil
// when there is none).
func (p positions) kid(n *node, name string, make bool) *node {
	e := edge{n, name}
	if c := p.kids[e]; c != nil || !make {
		return c
	}
	c := &node{depth: n.depth + 1}
	p.kids[e] = c
	return c
}

// key walks down from n through a key part, whose dots (in a quoted
// "fab.yield_ceiling") separate parts like a dotted key's; it stops past
// MaxDepth.
func (p positions) key(n *node, part string) *node {
	for n.depth <= MaxDepth {
		name, rest, more := strings.Cut(part, ".")
		n = p.kid(n, name, true)
		if !more {
			break
		}
		part = rest
	}
	return n
}

// at returns the positions of a key path ("events[2].lever",
// "params.fab.yield_ceiling"), in file order, or nil.
func (p positions) at(path string) []pos {
	if n := p.find(path, false); n != nil {
		return n.at
	}
	return nil
}

// nearest returns the positions of path or, when it has none, of its nearest
// enclosing path that has.
func (p positions) nearest(path string) []pos {
	if n := p.find(path, true); n != nil {
		return n.at
	}
	return nil
}

// find walks path down the tree; with nearest, it returns the deepest node
// on the way that has a position, else only the node of the whole path.
func (p positions) find(path string, nearest bool) *node {
	n := p.root
	if n == nil {
		return nil
	}
	var best *node
	for n != nil && path != "" {
		seg, rest, _ := strings.Cut(path, ".")
		path = rest
		name, index := seg, ""
		if i := strings.IndexByte(seg, '['); i >= 0 && strings.HasSuffix(seg, "]") {
			name, index = seg[:i], seg[i:]
		}
		n = p.kid(n, name, false)
		for n != nil && index != "" {
			j := strings.IndexByte(index, ']')
			if j < 1 || index[0] != '[' {
				n = nil
				break
			}
			k, err := strconv.Atoi(index[1:j])
			if err != nil || k < 0 || k >= len(n.items) {
				n = nil
				break
			}
			n, index = n.items[k], index[j+1:]
			if nearest && len(n.at) > 0 {
				best = n
			}
		}
		if nearest && n != nil && len(n.at) > 0 {
			best = n
		}
	}
	if nearest {
		return best
	}
	return n
}

// locate maps every key path in a TOML document to the position of its key.
// BurntSushi/toml's MetaData keeps one position per key string, so the
// elements of an array of tables ([[events]]) all share one; this scanner
// counts them instead. Paths join key parts with dots whatever the spelling:
// `"fab.yield_ceiling" = 1` under [params], `fab.yield_ceiling = 1` under
// [params] and `yield_ceiling = 1` under [params.fab] all give
// "params.fab.yield_ceiling". Array elements get an index: "events[2]" (at
// its [[events]] header or its "{"), "events[2].lever", "events[0].value[1]".
//
// It runs before the TOML parser, on any bytes: it reports no errors but
// the depth, and must neither panic nor loop on anything.
//
// A path can occur twice only when two spellings meet ("fab.yield_ceiling"
// and [params.fab] yield_ceiling); each occurrence is kept, in file order.
//
// It takes time and memory in proportion to the file. It stops at the first
// path nested deeper than MaxDepth, returning where that is (else a zero
// pos); the loader checks this before handing the text to the TOML parser.
func locate(src []byte) (positions, pos) {
	s := string(src)
	// Like the TOML parser, drop a byte-order mark: editors do not count it
	// as a column.
	s = strings.TrimPrefix(s, "\xef\xbb\xbf")
	l := &locator{s: s, line: 1, p: positions{root: &node{}, kids: map[edge]*node{}}}
	l.document()
	return l.p, l.deep
}

type locator struct {
	s         string
	i         int
	line      int
	lineStart int
	p         positions
	deep      pos // where the first path deeper than MaxDepth starts
}

// record adds p to n's positions, or stops the scan when n is too deep.
func (l *locator) record(n *node, p pos) {
	if n.depth > MaxDepth {
		if l.deep.Line == 0 {
			l.deep = p
		}
		l.i = len(l.s)
		return
	}
	n.at = append(n.at, p)
}

func (l *locator) eof() bool { return l.i >= len(l.s) }

func (l *locator) peek() byte {
	if l.eof() {
		return 0
	}
	return l.s[l.i]
}

func (l *locator) here() pos { return pos{l.line, l.i - l.lineStart + 1} }

func (l *locator) advance() {
	if l.eof() {
		return
	}
	if l.s[l.i] == '\n' {
		l.line++
		l.lineStart = l.i + 1
	}
	l.i++
}

func (l *locator) advanceN(n int) {
	for range n {
		l.advance()
	}
}

func (l *locator) has(prefix string) bool { return strings.HasPrefix(l.s[l.i:], prefix) }

// blank skips spaces and tabs and, when lines is true, also newlines and
// comments.
func (l *locator) blank(lines bool) {
	for !l.eof() {
		switch c := l.peek(); {
		case c == ' ' || c == '\t' || c == '\r':
			l.advance()
		case lines && c == '\n':
			l.advance()
		case lines && c == '#':
			l.toEOL()
		default:
			return
		}
	}
}

// toEOL skips to the next newline, leaving it unread.
func (l *locator) toEOL() {
	for !l.eof() && l.peek() != '\n' {
		l.advance()
	}
}

func (l *locator) document() {
	prefix := l.p.root
	for !l.eof() {
		l.blank(true)
		if l.eof() {
			return
		}
		start := l.i
		if l.peek() == '[' {
			p := l.here()
			array := l.has("[[")
			if array {
				l.advanceN(2)
			} else {
				l.advance()
			}
			parts := l.key()
			prefix = l.header(parts, array)
			l.record(prefix, p)
		} else {
			l.keyval(prefix)
		}
		// Whatever follows an item on its line is a comment (or, in text
		// the parser rejected, junk).
		l.toEOL()
		if l.i == start {
			l.advance()
		}
	}
}

// header turns the parts of a table header into a path, counting arrays of
// tables: [[events]] opens events[n], and a later [events.x] refers to the
// last element, events[n].x.
func (l *locator) header(parts []string, array bool) *node {
	cur := l.p.root
	for k, p := range parts {
		cur = l.p.key(cur, p)
		if cur.depth > MaxDepth {
			return cur
		}
		if k == len(parts)-1 && array {
			cur.tables++
			cur = cur.item(int(cur.tables) - 1)
		} else if cur.tables > 0 {
			cur = cur.item(int(cur.tables) - 1)
		}
	}
	return cur
}

// keyval reads `key = value` and records key paths under prefix.
func (l *locator) keyval(prefix *node) {
	p := l.here()
	parts := l.key()
	if len(parts) == 0 {
		return
	}
	n := prefix
	for _, part := range parts {
		if n = l.p.key(n, part); n.depth > MaxDepth {
			break
		}
	}
	l.record(n, p)
	if l.eof() {
		return
	}
	l.blank(false)
	if l.peek() != '=' {
		return
	}
	l.advance()
	l.blank(false)
	l.value(n)
}

// key reads a possibly dotted key: bare, "basic" or 'literal' parts.
func (l *locator) key() []string {
	var parts []string
	for {
		l.blank(false)
		var part string
		switch c := l.peek(); {
		case c == '"':
			part = l.basicString()
		case c == '\'':
			part = l.literalString()
		case isBare(c):
			start := l.i
			for !l.eof() && isBare(l.peek()) {
				l.advance()
			}
			part = l.s[start:l.i]
		default:
			return parts
		}
		parts = append(parts, part)
		l.blank(false)
		if l.peek() != '.' {
			return parts
		}
		l.advance()
	}
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// basicString reads a one-line "..." string and returns its value, or its
// raw text when Go's unquoting disagrees with TOML's escapes.
func (l *locator) basicString() string {
	start := l.i
	l.advance()
	for !l.eof() {
		switch l.peek() {
		case '\\':
			l.advanceN(2)
			continue
		case '"':
			l.advance()
			raw := l.s[start:l.i]
			if v, err := strconv.Unquote(raw); err == nil {
				return v
			}
			return raw[1 : len(raw)-1]
		case '\n':
			return l.s[start+1 : l.i]
		}
		l.advance()
	}
	return l.s[min(start+1, len(l.s)):]
}

// literalString reads a one-line '...' string.
func (l *locator) literalString() string {
	l.advance()
	start := l.i
	for !l.eof() && l.peek() != '\'' && l.peek() != '\n' {
		l.advance()
	}
	v := l.s[start:l.i]
	if l.peek() == '\'' {
		l.advance()
	}
	return v
}

// multiline skips a """...""" or ”'...”' string; delim is its quote.
func (l *locator) multiline(delim string, escapes bool) {
	l.advanceN(3)
	for !l.eof() {
		if escapes && l.peek() == '\\' {
			l.advanceN(2)
			continue
		}
		if l.has(delim) {
			l.advanceN(3)
			// Up to two more quotes belong to the content: """a""""".
			for k := 0; k < 2 && l.peek() == delim[0]; k++ {
				l.advance()
			}
			return
		}
		l.advance()
	}
}

// value skips one value, recording the keys of inline tables and the
// elements of arrays under n.
func (l *locator) value(n *node) {
	switch c := l.peek(); {
	case l.has(`"""`):
		l.multiline(`"""`, true)
	case l.has(`'''`):
		l.multiline(`'''`, false)
	case c == '"':
		l.basicString()
	case c == '\'':
		l.literalString()
	case c == '[':
		l.advance()
		for k := 0; ; k++ {
			l.blank(true)
			if l.eof() {
				return
			}
			if l.peek() == ']' {
				l.advance()
				return
			}
			start := l.i
			elem := n.item(k)
			l.record(elem, l.here())
			if l.eof() {
				return
			}
			l.value(elem)
			l.blank(true)
			if l.peek() == ',' {
				l.advance()
			} else if l.i == start {
				l.advance()
			}
		}
	case c == '{':
		l.advance()
		for {
			l.blank(true)
			if l.eof() {
				return
			}
			if l.peek() == '}' {
				l.advance()
				return
			}
			start := l.i
			l.keyval(n)
			l.blank(true)
			if l.peek() == ',' {
				l.advance()
			} else if l.i == start {
				l.advance()
			}
		}
	default:
		l.scalar()
	}
}

// scalar skips a number, boolean, date or time. A date and a time may be
// separated by one space (1979-05-27 07:32:00).
func (l *locator) scalar() {
	start := l.i
	for !l.eof() && !strings.ContainsRune(" \t\r\n,]}#", rune(l.peek())) {
		l.advance()
	}
	if isDate(l.s[start:l.i]) && l.peek() == ' ' && l.i+3 < len(l.s) &&
		isDigit(l.s[l.i+1]) && isDigit(l.s[l.i+2]) && l.s[l.i+3] == ':' {
		l.advance()
		for !l.eof() && !strings.ContainsRune(" \t\r\n,]}#", rune(l.peek())) {
			l.advance()
		}
	}
}

func isDate(s string) bool {
	return len(s) == 10 && s[4] == '-' && s[7] == '-'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// join appends key parts to a dotted path.
func join(prefix string, parts ...string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for _, p := range parts {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}
