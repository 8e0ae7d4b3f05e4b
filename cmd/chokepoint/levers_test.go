package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The lever table depends only on the seed: the same numbers, byte for
// byte, whatever the workers.
func TestLeversSameWhateverWorkers(t *testing.T) {
	var outs []string
	for _, w := range []string{"1", "3"} {
		code, stdout, stderr := cli(t, "levers", "--runs", "20", "--seed", "5", "--workers", w, "--format", "csv")
		require.Equal(t, 0, code, stderr)
		outs = append(outs, stdout)
	}
	assert.Equal(t, outs[0], outs[1])
	rows := strings.Count(outs[0], "\n") - 1
	// one row per lever, variant (2), output of the table and date (2)
	assert.Equal(t, len(registry().Levers)*2*len(registry().LeverTable.Outputs)*2, rows)
}

// levers --doc replaces only what stands between the markers, and --out
// writes a results folder a later run may replace.
func TestLeversDocAndFolder(t *testing.T) {
	tmp := t.TempDir()
	doc := filepath.Join(tmp, "doc.md")
	require.NoError(t, os.WriteFile(doc, []byte("intro\n"+leversBegin+"old\n"+leversEnd+"\nrest\n"), 0o644))
	code, _, stderr := cli(t, "levers", "--runs", "8", "--doc", doc, "--quiet")
	require.Equal(t, 0, code, stderr)
	b, err := os.ReadFile(doc)
	require.NoError(t, err)
	s := string(b)
	assert.True(t, strings.HasPrefix(s, "intro\n"+leversBegin+"**Induced responses as drawn.**"), s)
	assert.True(t, strings.HasSuffix(s, leversEnd+"\nrest\n"), s)
	assert.NotContains(t, s, "old\n")
	out := filepath.Join(tmp, "res")
	for range 2 {
		code, _, stderr = cli(t, "levers", "--runs", "8", "--out", out, "--quiet")
		require.Equal(t, 0, code, stderr)
	}
	rows := readCSV(t, filepath.Join(out, "levers.csv"))
	assert.Len(t, rows, 1+len(registry().Levers)*2*len(registry().LeverTable.Outputs)*2)
}

// docs/MODEL.md's lever table has a row for every lever of the registry in
// both its tables, and the section names the command that regenerates it.
func TestModelCardLeverTable(t *testing.T) {
	b, err := os.ReadFile("../../docs/MODEL.md")
	require.NoError(t, err)
	doc := string(b)
	i, j := strings.Index(doc, leversBegin), strings.Index(doc, leversEnd)
	require.True(t, i >= 0 && j > i, "docs/MODEL.md lacks the lever table markers")
	assert.Contains(t, doc, "Regenerate with `"+leversDocCommand+"`")
	table := doc[i+len(leversBegin) : j]
	for _, l := range registry().Levers {
		assert.Equal(t, 2, strings.Count(table, "| `"+l.Key+"` |"), "%s: a row in each of the two tables", l.Key)
	}
}
