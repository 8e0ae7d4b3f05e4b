package models

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jsString matches a string literal of the page's script: '...', "..." or
// `...`.
var jsString = regexp.MustCompile("'(?:[^'\\\\\\n]|\\\\.)*'|\"(?:[^\"\\\\\\n]|\\\\.)*\"|`(?:[^`\\\\]|\\\\.)*`")

// keyIn returns the first of keys that s names as a whole word (not as a
// part of a longer key such as "a.b_c" in "a.b_cd").
func keyIn(s string, keys []string) string {
	isKeyByte := func(b byte) bool {
		return b == '_' || b == '.' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
	}
	for _, k := range keys {
		for i := 0; ; {
			j := strings.Index(s[i:], k)
			if j < 0 {
				break
			}
			j += i
			end := j + len(k)
			// A trailing dot ends a sentence, not a key.
			before := j > 0 && isKeyByte(s[j-1])
			after := end < len(s) && isKeyByte(s[end]) && !(s[end] == '.' && (end+1 == len(s) || !isKeyByte(s[end+1])))
			if !before && !after {
				return k
			}
			i = j + 1
		}
	}
	return ""
}

// goLiterals returns the string literals of a Go file with their
// positions.
func goLiterals(t *testing.T, path string) map[string]string {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	require.NoError(t, err)
	lits := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		if bl, ok := n.(*ast.BasicLit); ok && bl.Kind == token.STRING {
			s, err := strconv.Unquote(bl.Value)
			require.NoError(t, err)
			lits[fset.Position(bl.Pos()).String()] = s
		}
		return true
	})
	return lits
}

// jsLiterals returns the string literals of a script with their lines.
func jsLiterals(t *testing.T, path string) map[string]string {
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	lits := map[string]string{}
	for _, loc := range jsString.FindAllIndex(b, -1) {
		line := 1 + strings.Count(string(b[:loc[0]]), "\n")
		lits[path+":"+strconv.Itoa(line)] = string(b[loc[0]+1 : loc[1]-1])
	}
	return lits
}

// No code outside this package names a lever or output of the model: the
// CLI, explain, the report and the page read every key, label and
// featured list from the registry, so that a lever or output added here
// reaches them all. Tests, test data, scenario files and the page's
// exercises (content, like scenarios) may name keys.
func TestNoModelKeyOutsideModels(t *testing.T) {
	keys := append(Registry.LeverKeys(), Registry.OutputKeys()...)
	for _, d := range Registry.Derived {
		keys = append(keys, d.Key)
	}
	root := ".."
	var found []string
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "models", "testdata", "docs", "node_modules":
				return filepath.SkipDir
			}
			if strings.HasPrefix(d.Name(), ".") && path != root {
				return filepath.SkipDir
			}
			return nil
		}
		var lits map[string]string
		switch {
		case strings.HasSuffix(path, "_test.go"):
			return nil
		case strings.HasSuffix(path, ".go"):
			lits = goLiterals(t, path)
		case strings.HasSuffix(path, ".js"):
			lits = jsLiterals(t, path)
		default:
			return nil
		}
		checked++
		for pos, s := range lits {
			if k := keyIn(s, keys); k != "" {
				found = append(found, pos+": "+strconv.Quote(k))
			}
		}
		return nil
	})
	require.NoError(t, err)
	assert.Greater(t, checked, 50, "the walk found too few files to check")
	assert.Empty(t, found, "model keys named outside models/; read them from the registry")
}

// The scan finds a key in a literal and in a script, and only whole keys.
func TestKeyScanFindsKeys(t *testing.T) {
	keys := []string{"export.fee", "fab_yield"}
	for s, want := range map[string]string{
		`{"set": {"export.fee": 0.1}}`:      "export.fee",
		"e.g. fab_yield":                    "fab_yield",
		"see fab_yield.":                    "fab_yield",
		"fab_yield_ceiling":                 "",
		"xexport.fee":                       "",
		"export.fees":                       "",
		"the export fee, not a key at all.": "",
	} {
		assert.Equal(t, want, keyIn(s, keys), s)
	}
	dir := t.TempDir()
	js := filepath.Join(dir, "a.js")
	require.NoError(t, os.WriteFile(js, []byte("const a = 'fab_yield';\nconst b = \"x\" + `export.fee`;\n"), 0o644))
	var got []string
	for _, s := range jsLiterals(t, js) {
		if k := keyIn(s, keys); k != "" {
			got = append(got, k)
		}
	}
	assert.ElementsMatch(t, []string{"fab_yield", "export.fee"}, got)
}
