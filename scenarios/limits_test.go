package scenarios

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// within runs load and fails the test if it has not returned after a
// minute: a loader that blocks (on a named pipe, say) must not hang the
// suite. The minute is a bound on a hang, not a speed requirement.
func within(t *testing.T, load func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- load() }()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Minute):
		t.Fatal("the loader blocked")
		return nil
	}
}

// writeFile writes src into dir/name and returns its path.
func writeFile(t *testing.T, dir, name, src string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte(src), 0o644))
	return p
}

// A named pipe, a device or a folder is refused without being read: reading
// a pipe blocks until someone writes to it, and /dev/zero never ends.
func TestRegularFilesOnly(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.toml")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	l := testLoader()

	err := within(t, func() error { _, err := l.Load(fifo); return err })
	assert.EqualError(t, err, fifo+": expected a regular file, found a named pipe")
	err = within(t, func() error { _, err := l.Source(fifo); return err })
	assert.EqualError(t, err, fifo+": expected a regular file, found a named pipe")

	child := writeFile(t, dir, "child.toml", "id = \"c\"\ntitle = \"C\"\nextends = \"pipe.toml\"\n")
	err = within(t, func() error { _, err := l.Load(child); return err })
	assert.EqualError(t, err, child+`:3:1: extends: "pipe.toml": expected a regular file, found a named pipe`)

	_, err = l.Load(dir + "/")
	assert.EqualError(t, err, dir+"/: expected a regular file, found a directory")

	if _, statErr := os.Stat("/dev/zero"); statErr == nil {
		_, err = l.Source("/dev/zero")
		assert.EqualError(t, err, "/dev/zero: expected a regular file, found a device")
		zero := writeFile(t, dir, "zero.toml", "id = \"z\"\ntitle = \"Z\"\nextends = \"/dev/zero\"\n")
		_, err = l.Load(zero)
		assert.EqualError(t, err, zero+`:3:1: extends: "/dev/zero": expected a regular file, found a device`)
	}
}

// A file over MaxFileSize is refused, on disk and in the built-in library.
func TestFileSizeLimit(t *testing.T) {
	head := "id = \"big\"\ntitle = \"Big\"\n"
	pad := strings.Repeat("#", MaxFileSize-len(head)) // a comment filling the file to the limit
	dir := t.TempDir()
	l := testLoader()

	ok := writeFile(t, dir, "ok.toml", head+pad)
	_, err := l.Load(ok)
	require.NoError(t, err, "a file of exactly MaxFileSize bytes is allowed")

	big := writeFile(t, dir, "big.toml", head+pad+"\n")
	_, err = l.Load(big)
	assert.EqualError(t, err, big+": the file is larger than 1 MiB (1048576 bytes), the most a scenario file may be")

	fsl := &Loader{Registry: testRegistry(), FS: mapFS(map[string]string{"big.toml": head + pad + "\n"})}
	_, err = fsl.Load("big")
	assert.EqualError(t, err, "builtin:big.toml: the file is larger than 1 MiB (1048576 bytes), the most a scenario file may be")
}

// Every form of nesting counts towards MaxDepth, and text nested too deeply
// is refused at the place it goes too deep, however deep it goes.
func TestNestingDepth(t *testing.T) {
	head := "id = \"deep\"\ntitle = \"Deep\"\n"
	l := testLoader()
	// make(d) writes a key whose deepest path has d levels.
	for _, c := range []struct {
		name string
		make func(d int) string
		col  int // of the first level past MaxDepth
	}{
		// x is a level and so is each element: d brackets reach d levels,
		// and level 33 is the 33rd [, after "x = ".
		{"arrays", func(d int) string { return "x = " + strings.Repeat("[", d) + strings.Repeat("]", d) }, 4 + 33},
		// x and each a are levels: level 33 is the 32nd a, and the k-th a
		// is at column 5k+1 after "x = " and k-1 "{a = " (5 bytes each).
		{"inline tables", func(d int) string {
			return "x = " + strings.Repeat("{a = ", d-1) + "1" + strings.Repeat("}", d-1)
		}, 5*32 + 1},
		// Dotted keys and headers are located at their first part.
		{"dotted keys", func(d int) string { return strings.Repeat("a.", d-1) + "a = 1" }, 1},
		{"table header", func(d int) string { return "[" + strings.Repeat("a.", d-1) + "a]" }, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, d := range []int{MaxDepth, MaxDepth + 1, 10_000} {
				_, err := loadText(t, l, head+c.make(d)+"\n")
				var e *Error
				require.ErrorAs(t, err, &e)
				if d <= MaxDepth {
					// Within the limit the text is parsed: the error is
					// the unknown key x or a, not the depth.
					assert.Contains(t, e.Msg, "unknown key", "depth %d", d)
					continue
				}
				assert.Equal(t, 3, e.Line, "depth %d", d)
				assert.Equal(t, c.col, e.Col, "depth %d", d)
				assert.Equal(t, "nested more than 32 levels deep (table headers, dotted keys, arrays and inline tables together)", e.Msg)
			}
		})
	}
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// The key locator's memory grows in proportion to the file: a key n bytes
// long holding n array elements used to cost n paths of n bytes each.
func TestLocateLinear(t *testing.T) {
	text := func(n int) []byte {
		return []byte(strings.Repeat("k", n) + " = [" + strings.Repeat("1,", n) + "]\n")
	}
	small := allocated(func() { locate(text(10_000)) })
	large := allocated(func() { locate(text(100_000)) })
	// Ten times the text: ten times the memory if linear (a hundred if
	// quadratic); 20 leaves room for slices growing by doubling.
	assert.Less(t, float64(large)/float64(small), 20.0, "%d bytes, then %d", small, large)
}

// eventsFile returns a scenario with n events on the fee lever, each in its
// own quarter with its own id.
func eventsFile(n int) string {
	var b strings.Builder
	b.WriteString("id = \"many\"\ntitle = \"Many\"\n[time]\nstart = \"2020Q1\"\nend = \"2119Q4\"\n")
	for i := range n {
		fmt.Fprintf(&b, "[[events]]\nid = \"e%d\"\nlever = \"export.fee\"\nvalue = 0.1\neffective = \"%s\"\n",
			i, sim.NewPeriod(2020+i%400/4, i%4+1))
	}
	return b.String()
}

func TestEventLimit(t *testing.T) {
	l := testLoader()
	_, err := loadText(t, l, eventsFile(MaxEvents))
	require.NoError(t, err, "MaxEvents events are allowed")

	_, err = loadText(t, l, eventsFile(MaxEvents+1))
	var e *Error
	require.ErrorAs(t, err, &e)
	// Five header lines, then five lines per event: event MaxEvents starts
	// at line 6+5*MaxEvents.
	assert.Equal(t, 6+5*MaxEvents, e.Line)
	assert.Equal(t, fmt.Sprintf("events[%d]", MaxEvents), e.Key)
	assert.Equal(t, "a scenario file may have at most 10000 events", e.Msg)
}

// chain writes n files, each extending the next, and returns the first.
func chain(t *testing.T, n int) string {
	dir := t.TempDir()
	for i := range n {
		src := fmt.Sprintf("id = \"s%d\"\ntitle = \"S\"\n", i)
		if i < n-1 {
			src += fmt.Sprintf("extends = \"s%d.toml\"\n", i+1)
		}
		writeFile(t, dir, fmt.Sprintf("s%d.toml", i), src)
	}
	return filepath.Join(dir, "s0.toml")
}

func TestExtendsChainLimit(t *testing.T) {
	l := testLoader()
	_, err := l.Load(chain(t, MaxChain))
	require.NoError(t, err, "a chain of MaxChain files is allowed")

	first := chain(t, MaxChain+1)
	_, err = l.Load(first)
	// The file that would add the 33rd is the 32nd, s31.toml.
	want := filepath.Join(filepath.Dir(first), "s31.toml") +
		`:3:1: extends: "s32.toml": a chain of extends may hold at most 32 files`
	assert.EqualError(t, err, want)
}

func TestIDLength(t *testing.T) {
	l := testLoader()
	id := strings.Repeat("a", sim.MaxNameLen)
	_, err := loadText(t, l, "id = \""+id+"\"\ntitle = \"T\"\n")
	require.NoError(t, err, "an id of MaxNameLen characters is allowed")

	_, err = loadText(t, l, "id = \""+id+"b\"\ntitle = \"T\"\n")
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "id", e.Key)
	assert.Equal(t, sim.CheckName(id+"b").Error(), e.Msg)
}

// One-line fields refuse control characters and line breaks; a description
// keeps its line breaks and tabs but nothing else below a space.
func TestControlCharacters(t *testing.T) {
	l := testLoader()
	event := "[[events]]\nlever = \"export.fee\"\nvalue = 0.1\neffective = \"2023Q1\"\n"
	for _, c := range []struct {
		name, src, key, msg string
	}{
		{"title escape", "id = \"x\"\ntitle = \"\\u001b]0;pwned\\u0007\\u001b[2J\"\n", "title",
			`must be one line of text without control characters, found U+001B at character 1`},
		{"title newline", "id = \"x\"\ntitle = \"\"\"two\nlines\"\"\"\n", "title",
			`must be one line of text without control characters, found a line break at character 4`},
		{"title line separator", "id = \"x\"\ntitle = \"a\\u2028b\"\n", "title",
			`must be one line of text without control characters, found a line break at character 2`},
		{"label bell", "id = \"x\"\ntitle = \"T\"\n" + event + "label = \"ding\\u0007\"\n", "events[0].label",
			`must be one line of text without control characters, found U+0007 at character 5`},
		{"note tab", "id = \"x\"\ntitle = \"T\"\n" + event + "note = \"a\\tb\"\n", "events[0].note",
			`must be one line of text without control characters, found U+0009 at character 2`},
		{"source", "id = \"x\"\ntitle = \"T\"\n" + event + "source = \"\\u009b2J\"\n", "events[0].source",
			`must be one line of text without control characters, found U+009B at character 1`},
		{"event id", "id = \"x\"\ntitle = \"T\"\n" + event + "id = \"e\\u001b\"\n", "events[0].id",
			`must be one line of text without control characters, found U+001B at character 2`},
		{"extends", "id = \"x\"\ntitle = \"T\"\nextends = \"a\\u001b.toml\"\n", "extends",
			`must be one line of text without control characters, found U+001B at character 2`},
		{"description escape", "id = \"x\"\ntitle = \"T\"\ndescription = \"\"\"ok\n\tstill ok\n\\u001b[2J\"\"\"\n", "description",
			`may hold line breaks and tabs but no other control characters, found U+001B on line 3 of the text`},
		{"title too long", "id = \"x\"\ntitle = \"" + strings.Repeat("é", MaxLineLen+1) + "\"\n", "title",
			`is 1001 characters long; at most 1000 are allowed`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadText(t, l, c.src)
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, c.key, e.Key)
			assert.Equal(t, c.msg, e.Msg)
		})
	}
	sc, err := loadText(t, l, "id = \"x\"\ntitle = \"Zoë's \\\"title\\\"\"\ndescription = \"\"\"a\r\n\tb\"\"\"\n")
	require.NoError(t, err, "printable text, and a description's line breaks and tabs, are allowed")
	assert.Equal(t, "a\r\n\tb", sc.Description)
}

// Whatever reaches an error message, control characters are shown escaped,
// never sent to the terminal.
func TestErrorEscapesControlCharacters(t *testing.T) {
	e := &Error{File: "a\x1b.toml", Line: 2, Key: "k\x07", Msg: "m\u009b\n"}
	assert.Equal(t, `a\x1b.toml:2: k\a: m\u009b\n`, e.Error())

	_, err := loadText(t, testLoader(), "id = \"x\"\ntitle = \"T\"\n\"\\u001b[2J\" = 1\n")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "\x1b")
	assert.Contains(t, err.Error(), `\x1b[2J: unknown key`)
}

func TestOverrideRefusesControlAndLength(t *testing.T) {
	l := testLoader()
	base := load(t, l, "testdata/good/base.toml")
	for _, c := range []struct{ set, want string }{
		{"export.fee\x1b=0.1", `--set: must be one line of text without control characters, found U+001B at character 11`},
		{"export.exceptions=H20,\x07", `--set: must be one line of text without control characters, found U+0007 at character 23`},
		{"fab.yield_ceiling=" + strings.Repeat("1", MaxLineLen), `--set: is 1018 characters long; at most 1000 are allowed`},
	} {
		_, err := l.Override(base, []string{c.set})
		assert.EqualError(t, err, c.want)
	}
}

// Errors for many unknown keys are found without composing a message (with
// its "did you mean" search) for each: the earliest is reported.
func TestManyUnknownKeys(t *testing.T) {
	var b strings.Builder
	b.WriteString("id = \"x\"\ntitle = \"T\"\n[params]\nfab.yeild_ceiling = 0.5\n")
	// In descending order, so each key sorts before the one above it.
	for i := 20_000; i > 0; i-- {
		fmt.Fprintf(&b, "k%06d = 1\n", i)
	}
	_, err := loadText(t, testLoader(), b.String())
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 4, e.Line, "the first unknown key is on line 4")
	assert.Equal(t, "params.fab.yeild_ceiling", e.Key)
	assert.Equal(t, `unknown parameter (did you mean "fab.yield_ceiling"?)`, e.Msg)
}

// `scenarios show` prints a file as it is, so it prints only text.
func TestSourceIsText(t *testing.T) {
	dir := t.TempDir()
	l := testLoader()
	ok := writeFile(t, dir, "ok.toml", "id = \"x\" # tab\there, CRLF and Zoë\r\ntitle = \"T\"\n")
	_, err := l.Source(ok)
	require.NoError(t, err)

	esc := writeFile(t, dir, "esc.toml", "id = \"x\"\n# é \x1b]0;pwned\x07\n")
	_, err = l.Source(esc)
	// Line 2, column 5: after "#", a space, "é" (one character) and a space.
	assert.EqualError(t, err, esc+`:2:5: control character U+001B; a scenario file is text, with no control characters but tabs and line breaks`)

	bin := writeFile(t, dir, "bin.toml", "id = \"x\"\xff\n")
	_, err = l.Source(bin)
	assert.EqualError(t, err, bin+`:1:9: byte 0xff is not UTF-8 text`)
}
