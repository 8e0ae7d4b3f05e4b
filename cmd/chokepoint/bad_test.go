package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

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

// Bad flags get one message and exit 2, and nothing is written.
func TestBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--runs", "0"}, "--runs: expected a whole number from 1 to 1000000, found 0"},
		{[]string{"run", "--runs", "many"}, `invalid argument "many" for "--runs"`},
		{[]string{"run", "--seed", "-1"}, `invalid argument "-1" for "--seed"`},
		{[]string{"run", "--workers", "-3"}, "--workers: expected 0 (all cores) or more, found -3"},
		{[]string{"run", "--from", "2025Q5"}, `--from: period "2025Q5": quarter must be 1 to 4`},
		{[]string{"run", "--from", "2030Q1", "--to", "2025Q1"}, "--to 2025Q1 is before --from 2030Q1"},
		{[]string{"run", "--set", "fab.yeild_ceiling=0.7"}, `did you mean "fab.yield_ceiling"?`},
		{[]string{"run", "--set", "fab.yield_ceiling=2"}, "fab.yield_ceiling"},
		{[]string{"run", "--sampler", "magic"}, `--sampler: expected mc, lhs or qmc, found "magic"`},
		{[]string{"run", "--rnus", "5"}, "unknown flag: --rnus"},
		{[]string{"runn"}, `unknown command "runn"`},
		{[]string{"validate"}, "requires at least 1 arg"},
		{[]string{"scenarios", "shw", "x"}, `expected no argument or 'show NAME'`},
		{[]string{"run", "current-policy", "current-policy"}, `scenario "current-policy" is given twice`},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "res")
			code, _, stderr := cli(t, append(c.args, "--out", out)...)
			if c.args[0] != "run" {
				code, _, stderr = cli(t, c.args...)
			}
			assert.Equal(t, 2, code, stderr)
			assert.Contains(t, stderr, c.want)
			assert.Equal(t, 1, strings.Count(stderr, "\n"), "one message: %q", stderr)
			_, err := os.Stat(out)
			assert.True(t, os.IsNotExist(err))
		})
	}
}
