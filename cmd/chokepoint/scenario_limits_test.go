package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/scenarios"
)

// badFile runs validate, run and scenarios show on path and checks each
// exits 2 with the one line want (run and validate say the same; show may
// refuse for its own reason) and writes nothing. A command that blocks
// fails the test after a minute instead of hanging the suite.
func badFile(t *testing.T, path, want string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "res")
	for _, args := range [][]string{{"validate", path}, {"run", "--out", out, path}, {"scenarios", "show", path}} {
		type result struct {
			code           int
			stdout, stderr string
		}
		done := make(chan result, 1)
		go func() {
			code, stdout, stderr := cli(t, args...)
			done <- result{code, stdout, stderr}
		}()
		var r result
		select {
		case r = <-done:
		case <-time.After(time.Minute):
			t.Fatalf("chokepoint %s blocked", strings.Join(args, " "))
		}
		assert.Equal(t, 2, r.code, "%v", args)
		assert.Empty(t, r.stdout, "%v", args)
		assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "%v: one message: %q", args, r.stderr)
		if args[0] != "scenarios" {
			assert.Equal(t, "chokepoint: "+want+"\n", r.stderr, "%v", args)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	assert.Empty(t, entries, "nothing written")
}

func TestScenarioNamedPipe(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe.toml")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	badFile(t, fifo, fifo+": expected a regular file, found a named pipe")

	child := filepath.Join(t.TempDir(), "child.toml")
	require.NoError(t, os.WriteFile(child, []byte("id = \"child\"\ntitle = \"C\"\nextends = \""+fifo+"\"\n"), 0o644))
	code, _, stderr := cli(t, "validate", child)
	assert.Equal(t, 2, code)
	assert.Equal(t, "chokepoint: "+child+`:3:1: extends: "`+fifo+`": expected a regular file, found a named pipe`+"\n", stderr)
}

func TestScenarioDevice(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	badFile(t, "/dev/zero", "/dev/zero: expected a regular file, found a device")
}

func TestScenarioTooLarge(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.toml")
	src := "id = \"big\"\ntitle = \"Big\"\n" + strings.Repeat("# padding\n", scenarios.MaxFileSize/10)
	require.NoError(t, os.WriteFile(p, []byte(src), 0o644))
	badFile(t, p, p+": the file is larger than 1 MiB (1048576 bytes), the most a scenario file may be")
}

func TestScenarioTooManyEvents(t *testing.T) {
	var b strings.Builder
	b.WriteString("id = \"many\"\ntitle = \"Many\"\n")
	for i := range scenarios.MaxEvents + 1 {
		fmt.Fprintf(&b, "[[events]]\nid = \"e%d\"\nlever = \"export.fee\"\nvalue = 0.1\neffective = \"2024Q1\"\n", i)
	}
	p := filepath.Join(t.TempDir(), "many.toml")
	require.NoError(t, os.WriteFile(p, []byte(b.String()), 0o644))
	// Two header lines, then five lines per event: event 10000 starts at
	// line 3+5*10000.
	want := fmt.Sprintf("%s:%d:1: events[10000]: a scenario file may have at most 10000 events", p, 3+5*scenarios.MaxEvents)
	code, stdout, stderr := cli(t, "validate", p)
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "chokepoint: "+want+"\n", stderr)
}

func TestScenarioExtendsChainTooLong(t *testing.T) {
	dir := t.TempDir()
	n := scenarios.MaxChain + 1
	for i := range n {
		src := fmt.Sprintf("id = \"s%d\"\ntitle = \"S\"\n", i)
		if i < n-1 {
			src += fmt.Sprintf("extends = \"s%d.toml\"\n", i+1)
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("s%d.toml", i)), []byte(src), 0o644))
	}
	// s31.toml, the 32nd file, would add a 33rd.
	want := filepath.Join(dir, "s31.toml") + `:3:1: extends: "s32.toml": a chain of extends may hold at most 32 files`
	code, _, stderr := cli(t, "validate", filepath.Join(dir, "s0.toml"))
	assert.Equal(t, 2, code)
	assert.Equal(t, "chokepoint: "+want+"\n", stderr)
}

// --set values pass the same checks as a scenario file's one-line text.
func TestSetControlCharacters(t *testing.T) {
	out := filepath.Join(t.TempDir(), "res")
	code, stdout, stderr := cli(t, "run", "--out", out, "--runs", "10", "--set", "export.fee=0.1\x1b[2J", "no-controls")
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "chokepoint: --set: must be one line of text without control characters, found U+001B at character 15\n", stderr)
	_, err := os.Stat(out)
	assert.True(t, os.IsNotExist(err))
}
