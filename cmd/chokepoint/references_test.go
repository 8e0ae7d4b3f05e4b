package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// referenceFiles are the files whose cross-references a reader follows:
// the registry's sources and the model's comments, the data files, the
// built-in scenarios, the engine's comments and the documentation.
var referenceFiles = []string{
	"README.md", "docs/*.md", "models/*.go", "models/*/*.go", "models/data/*.csv",
	"scenarios/*.go", "scenarios/builtin/*.toml", "sim/*.go", "sim/*/*.go", "cmd/chokepoint/*.go",
}

// isReferenceFile leaves out this package's tests, whose made-up file
// names and examples of bad references are not references.
func isReferenceFile(rel string) bool {
	return !strings.HasPrefix(filepath.ToSlash(rel), "cmd/chokepoint/") || !strings.HasSuffix(rel, "_test.go")
}

var (
	// "MODEL.md 4.3", "MODEL.md section 9", "MODEL.md, 9.2": docs/MODEL.md
	// has no numbered sections.
	numberedRef = regexp.MustCompile(`MODEL\.md,?\s+(?:sections?\s+)?\d`)
	// "section 4.5" or "§3" with no outside work named before it.
	bareSection = regexp.MustCompile(`(?i)(?:\bsections?\s+|§\s*)\d`)
	// A document and quoted headings: docs/MODEL.md, "Model v2: frontier",
	// and "Structural alternatives" (quotes escaped inside Go strings).
	headingRef = regexp.MustCompile(`([\w./-]*\.md),\s*\\?"([^"\\]+)\\?"((?:(?:,|\s+and|\s+as revised by)\s*\\?"[^"\\]+\\?")*)`)
	// The headings after the first in a list.
	moreHeadings = regexp.MustCompile(`\\?"([^"\\]+)\\?"`)
	// A document and an unquoted heading-like phrase: MODEL.md, Lever table.
	unquotedRef = regexp.MustCompile(`([\w./-]*\.md),\s+([A-Z][\w ]*)`)
	// Any Markdown file named.
	mdName = regexp.MustCompile(`\b[\w./-]*\b[A-Za-z][\w-]*\.md\b`)
	// A Markdown link's target.
	mdLink = regexp.MustCompile(`\]\(([^()\s]+)\)`)
	// A source that was never identified.
	unknownSource = regexp.MustCompile(`(?i)seed article|the seed's (?:thesis|figures|package)|the seed proposed`)
	// An outside work cited just before a section number: a year or a
	// standard's name.
	outsideWork = regexp.MustCompile(`\b(1[89]|20)\d\d\b|RFC|ISO|LNCS|Primer`)
)

// Every cross-reference in the sources and the docs points at something
// that exists: no numbered section (docs/MODEL.md has none), every quoted
// heading is a heading of the document named, every Markdown link's file
// and anchor exist, no source is "the seed article".
func TestReferencesResolve(t *testing.T) {
	root := filepath.Join("..", "..")
	var files []string
	for _, g := range referenceFiles {
		m, err := filepath.Glob(filepath.Join(root, g))
		require.NoError(t, err)
		files = append(files, m...)
	}
	require.Greater(t, len(files), 50)
	headings := map[string][]string{} // document path → its headings
	for _, f := range files {
		rel, _ := filepath.Rel(root, f)
		if !isReferenceFile(rel) {
			continue
		}
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, p := range danglingRefs(root, rel, string(b), headings) {
			t.Error(p)
		}
	}
}

// danglingRefs returns a line for each reference of file rel (text) that
// points at nothing.
func danglingRefs(root, rel, text string, headings map[string][]string) []string {
	flat := flatten(rel, text)
	var out []string
	bad := func(at int, format string, args ...any) {
		out = append(out, fmt.Sprintf("%s:%d: %s", rel, flat.line(at), fmt.Sprintf(format, args...)))
	}
	for _, m := range numberedRef.FindAllStringIndex(flat.s, -1) {
		bad(m[0], "%q: docs/MODEL.md has no numbered sections; name a heading (docs/MODEL.md, \"Heading\")", flat.s[m[0]:m[1]])
	}
	for _, m := range bareSection.FindAllStringIndex(flat.s, -1) {
		if !outsideWork.MatchString(flat.s[max(0, m[0]-60):m[0]]) && !numberedRef.MatchString(flat.s[max(0, m[0]-12):m[1]]) {
			bad(m[0], "%q: a numbered section of what? name a heading", flat.s[m[0]:m[1]])
		}
	}
	for _, m := range unknownSource.FindAllStringIndex(flat.s, -1) {
		bad(m[0], "%q: a source never identified; cite the work itself", flat.s[m[0]:m[1]])
	}
	for _, m := range headingRef.FindAllStringSubmatchIndex(flat.s, -1) {
		doc, h := flat.s[m[2]:m[3]], flat.s[m[4]:m[5]]
		path := resolveDoc(root, rel, doc)
		if path == "" {
			bad(m[0], "%s: no such document", doc)
			continue
		}
		hs := []string{h}
		for _, more := range moreHeadings.FindAllStringSubmatch(flat.s[m[6]:m[7]], -1) {
			hs = append(hs, more[1])
		}
		for _, h := range hs {
			if !hasHeading(headingsOf(root, path, headings), h) {
				bad(m[0], "%s has no heading %q", path, h)
			}
		}
	}
	for _, m := range unquotedRef.FindAllStringSubmatchIndex(flat.s, -1) {
		bad(m[0], "%q: quote the heading (%s, \"Heading\")", flat.s[m[0]:m[1]], flat.s[m[2]:m[3]])
	}
	for _, m := range mdName.FindAllStringIndex(flat.s, -1) {
		name := flat.s[m[0]:m[1]]
		if strings.Contains(name, "://") || strings.HasPrefix(name, "//") {
			continue
		}
		if resolveDoc(root, rel, name) == "" {
			bad(m[0], "%s: no such document in the repository", name)
		}
	}
	if strings.HasSuffix(rel, ".md") {
		out = append(out, danglingLinks(root, rel, text, headings)...)
	}
	return out
}

// danglingLinks checks the Markdown links of file rel: the file each
// names exists, and so does the heading its anchor names.
func danglingLinks(root, rel, text string, headings map[string][]string) []string {
	var out []string
	for i, ln := range strings.Split(text, "\n") {
		for _, m := range mdLink.FindAllStringSubmatch(ln, -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			file, anchor, _ := strings.Cut(target, "#")
			path := rel
			if file != "" {
				path = filepath.ToSlash(filepath.Join(filepath.Dir(rel), file))
				if _, err := os.Stat(filepath.Join(root, path)); err != nil {
					out = append(out, fmt.Sprintf("%s:%d: link to %s: no such file", rel, i+1, file))
					continue
				}
			}
			if anchor == "" || !strings.HasSuffix(path, ".md") {
				continue
			}
			if !slices.Contains(slugs(headingsOf(root, path, headings)), anchor) {
				out = append(out, fmt.Sprintf("%s:%d: link to %s#%s: no such heading", rel, i+1, path, anchor))
			}
		}
	}
	return out
}

// flatText is a file's text with comment markers and line breaks folded
// into spaces, so that a reference broken over lines reads whole; line
// maps an offset back to the line it came from.
type flatText struct {
	s     string
	lines []int // offset in s where each line starts
}

func flatten(rel, text string) flatText {
	var f flatText
	var b strings.Builder
	for _, ln := range strings.Split(text, "\n") {
		if strings.HasSuffix(rel, ".go") {
			ln = strings.TrimPrefix(strings.TrimSpace(ln), "//")
		}
		ln = strings.TrimSpace(ln)
		f.lines = append(f.lines, b.Len())
		b.WriteString(ln)
		b.WriteByte(' ')
	}
	f.s = b.String()
	return f
}

func (f flatText) line(at int) int {
	i, _ := slices.BinarySearch(f.lines, at+1)
	return i
}

// resolveDoc finds the document a reference names: a path from the
// repository's root or from the referring file's folder, or a bare name
// in docs/ (how sources name docs/MODEL.md). "" when there is none.
func resolveDoc(root, rel, doc string) string {
	for _, p := range []string{doc, filepath.Join(filepath.Dir(rel), doc), filepath.Join("docs", doc)} {
		if st, err := os.Stat(filepath.Join(root, p)); err == nil && !st.IsDir() {
			return filepath.ToSlash(filepath.Clean(p))
		}
	}
	return ""
}

// headingsOf returns the headings of a Markdown file, cached in seen.
func headingsOf(root, path string, seen map[string][]string) []string {
	if hs, ok := seen[path]; ok {
		return hs
	}
	b, _ := os.ReadFile(filepath.Join(root, path))
	var hs []string
	fence := false
	for _, ln := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(ln, "```") {
			fence = !fence
		}
		if !fence && strings.HasPrefix(ln, "#") {
			hs = append(hs, strings.TrimSpace(strings.TrimLeft(ln, "#")))
		}
	}
	seen[path] = hs
	return hs
}

// hasHeading reports whether ref names one of hs: the heading's text
// without its code marks, or that text before a closing parenthesis
// ("Demand" for "Demand (`models/demand.go`)").
func hasHeading(hs []string, ref string) bool {
	for _, h := range hs {
		h = strings.ReplaceAll(h, "`", "")
		if h == ref || strings.HasPrefix(h, ref+" (") {
			return true
		}
	}
	return false
}

// slugs are the anchors GitHub gives headings: lower case, letters,
// digits, hyphens and underscores kept, spaces made hyphens, a repeat
// suffixed -1, -2.
func slugs(hs []string) []string {
	count := map[string]int{}
	var out []string
	for _, h := range hs {
		var b strings.Builder
		for _, r := range strings.ToLower(h) {
			switch {
			case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
				b.WriteRune(r)
			case r == ' ':
				b.WriteByte('-')
			}
		}
		s := b.String()
		if n := count[s]; n > 0 {
			out = append(out, fmt.Sprintf("%s-%d", s, n))
		} else {
			out = append(out, s)
		}
		count[s]++
	}
	return out
}

// The checker finds each kind of dangling reference, and passes the ones
// that resolve.
func TestReferenceCheckerCatches(t *testing.T) {
	root := filepath.Join("..", "..")
	hs := map[string][]string{}
	for text, want := range map[string]string{
		`// see MODEL.md 9.3 for why`:                             "no numbered sections",
		`// (MODEL.md section 7)`:                                 "no numbered sections",
		`// chip's age (section 4.5)`:                             "a numbered section of what",
		`// docs/MODEL.md, "Model v2: nowhere"`:                   `has no heading "Model v2: nowhere"`,
		`// docs/MODEL.md, Lever table`:                           "quote the heading",
		`// Source: "Proposed in the seed article (2025)"`:        "never identified",
		`// see DESIGN.md`:                                        "DESIGN.md: no such document",
		"// docs/MODEL.md, \"Model v2:\n// frontier\"":            "",
		`// MODEL.md, "Demand"`:                                   "",
		`// (Golub & Van Loan 2013, Matrix Computations, §5.2.8)`: "",
	} {
		got := strings.Join(danglingRefs(root, "models/x.go", text, hs), "\n")
		if want == "" {
			assert.Empty(t, got, text)
		} else {
			assert.Contains(t, got, want, text)
		}
	}
	md := "[a](MODEL.md#structural-alternatives) [b](#nowhere) [c](nofile.md) [d](MODEL.md#induced-substitution-modelssubstitutiongo)\n"
	got := strings.Join(danglingRefs(root, "docs/x.md", md, hs), "\n")
	assert.Contains(t, got, "docs/x.md#nowhere: no such heading")
	assert.Contains(t, got, "link to nofile.md: no such file")
	assert.NotContains(t, got, "structural-alternatives")
	assert.NotContains(t, got, "induced-substitution")
}
