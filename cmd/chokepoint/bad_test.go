package main

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files")

// badCase is one bad input: the arguments after the verb, and the golden
// file holding the one expected line on stderr.
type badCase struct {
	name string
	args []string
}

func badCases(t *testing.T) []badCase {
	files, err := filepath.Glob("testdata/bad/*.toml")
	require.NoError(t, err)
	var cs []badCase
	for _, f := range files {
		if strings.HasSuffix(f, "cyclic-b.toml") {
			continue // reached through cyclic-a.toml
		}
		cs = append(cs, badCase{strings.TrimSuffix(filepath.Base(f), ".toml"), []string{f}})
	}
	return append(cs,
		badCase{"missing-file", []string{"testdata/bad/no-such-file.toml"}},
		badCase{"unknown-builtin", []string{"curent-policy"}},
	)
}

// Acceptance 4: every malformed scenario makes both validate and run exit 2
// with one message naming the file, line and key, and run writes nothing.
func TestBadScenarios(t *testing.T) {
	cases := badCases(t)
	require.GreaterOrEqual(t, len(cases), 15)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			golden := filepath.Join("testdata/bad", c.name+".golden")
			code, stdout, stderr := cli(t, append([]string{"validate"}, c.args...)...)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(stderr), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			assert.Equal(t, string(want), stderr)
			assert.Equal(t, 1, strings.Count(stderr, "\n"), "one message")
			if c.name != "missing-file" && c.name != "unknown-builtin" && c.name != "cyclic-a" {
				// file:line: key: message
				assert.Regexp(t, `^chokepoint: testdata/bad/[a-z0-9-]+\.toml:\d+(:\d+)?: `, stderr)
			}

			out := filepath.Join(t.TempDir(), "res")
			code, _, runErr := cli(t, append([]string{"run", "--out", out}, c.args...)...)
			assert.Equal(t, 2, code)
			assert.Equal(t, stderr, runErr, "run and validate say the same")
			_, err = os.Stat(out)
			assert.True(t, os.IsNotExist(err), "run wrote %s", out)
			entries, _ := os.ReadDir(filepath.Dir(out))
			assert.Empty(t, entries, "no partial folder is left")
		})
	}
}

// Bad command lines: each testdata/bad/NAME.args (one argument a line) makes
// the command exit 2 with the one message in NAME.golden, and write
// nothing. Commands that write get an --out in a fresh folder unless the
// case gives its own.
func TestBadArgs(t *testing.T) {
	files, err := filepath.Glob("testdata/bad/*.args")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 64)
	// The bound of --workers grows with the cores (maxWorkers); on 2 cores
	// it is its floor, 16, the number in workers-too-many.golden.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".args")
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(f)
			require.NoError(t, err)
			args := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
			dir := t.TempDir()
			if !slices.ContainsFunc(args, func(a string) bool { return strings.HasPrefix(a, "--out") }) {
				switch args[0] {
				case "run", "compare", "sensitivity", "merge", "backtest", "elicit", "discover", "calibrate":
					args = append(args, "--out", filepath.Join(dir, "res"))
				case "report":
					args = append(args, "--out", filepath.Join(dir, "report.html"))
				}
			}
			code, stdout, stderr := cli(t, args...)
			golden := filepath.Join("testdata/bad", name+".golden")
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(stderr), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			assert.Equal(t, string(want), stderr)
			assert.Equal(t, 1, strings.Count(stderr, "\n"), "one message")
			entries, _ := os.ReadDir(dir)
			assert.Empty(t, entries, "nothing written")
		})
	}
}

// The whole bad-input corpus: scenario files and command lines together.
func TestBadCorpusSize(t *testing.T) {
	toml, _ := filepath.Glob("testdata/bad/*.toml")
	args, _ := filepath.Glob("testdata/bad/*.args")
	assert.GreaterOrEqual(t, len(toml)+len(args), 80)
}

// arity reads how many arguments each of cobra's checks takes.
func TestArity(t *testing.T) {
	for _, c := range []struct {
		check cobra.PositionalArgs
		want  string
	}{
		{cobra.NoArgs, "no"},
		{cobra.ExactArgs(1), "exactly 1"},
		{cobra.MinimumNArgs(2), "at least 2"},
		{cobra.MaximumNArgs(2), "at most 2"},
		{cobra.RangeArgs(1, 3), "1 to 3"},
		{cobra.ExactArgs(maxProbe + 1), ""}, // beyond the probe: cobra's own words
		{func(_ *cobra.Command, a []string) error { // even counts: not a range
			if len(a)%2 == 1 {
				return errors.New("odd")
			}
			return nil
		}, ""},
	} {
		assert.Equal(t, c.want, arity(&cobra.Command{Use: "x"}, c.check))
	}
}
