package scenarios

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Loading time grows in proportion to the file: each benchmark below runs
// at two sizes ten times apart, and the larger should take about ten times
// as long (go test ./scenarios -run '^$' -bench . -benchmem).

func benchLoad(b *testing.B, src string, refused bool) {
	p := filepath.Join(b.TempDir(), "s.toml")
	require.NoError(b, os.WriteFile(p, []byte(src), 0o644))
	l := testLoader()
	_, err := l.Load(p)
	require.Equal(b, refused, err != nil, "refused: %v", err)
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	for b.Loop() {
		_, _ = l.Load(p) // the outcome checked above: the time to it is measured
	}
}

// Events that all load (one lever, 25 to a quarter, equal values): the
// conflict check and the replacement of events by id used to compare every
// pair.
func BenchmarkLoadEvents(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) { benchLoad(b, eventsFile(n), false) })
	}
}

// Unknown keys in the order that makes each the earliest error so far.
func BenchmarkLoadUnknownKeys(b *testing.B) {
	for _, n := range []int{5_000, 50_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			var s strings.Builder
			s.WriteString("id = \"x\"\ntitle = \"T\"\n[params]\n")
			for i := n; i > 0; i-- {
				fmt.Fprintf(&s, "k%06d = 1\n", i)
			}
			benchLoad(b, s.String(), true) // unknown keys
		})
	}
}

// A key as long as its array: the locator used to build one path of the
// key's length per element.
func BenchmarkLocateLongKeyArray(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			src := []byte(strings.Repeat("k", n) + " = [" + strings.Repeat("1,", n) + "]\n")
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				locate(src)
			}
		})
	}
}

// The most deeply nested text allowed, repeated to fill the file: the TOML
// parser's time grows faster than the depth, so this is its worst case
// within the limits.
func BenchmarkLoadDeepest(b *testing.B) {
	for _, n := range []int{500, 5_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			var s strings.Builder
			s.WriteString("id = \"x\"\ntitle = \"T\"\n")
			for i := range n {
				fmt.Fprintf(&s, "k%d = %s1%s\n", i, strings.Repeat("{a = ", MaxDepth-1), strings.Repeat("}", MaxDepth-1))
			}
			benchLoad(b, s.String(), true) // unknown keys, each a table
		})
	}
}

// A chain of extends as long as allowed, and a tenth of it.
func BenchmarkLoadExtendsChain(b *testing.B) {
	for _, n := range []int{MaxChain / 10, MaxChain} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			dir := b.TempDir()
			for i := range n {
				src := fmt.Sprintf("id = \"s%d\"\ntitle = \"S\"\n", i)
				if i < n-1 {
					src += fmt.Sprintf("extends = \"s%d.toml\"\n", i+1)
				}
				require.NoError(b, os.WriteFile(filepath.Join(dir, fmt.Sprintf("s%d.toml", i)), []byte(src), 0o644))
			}
			l := testLoader()
			first := filepath.Join(dir, "s0.toml")
			for b.Loop() {
				_, err := l.Load(first)
				require.NoError(b, err)
			}
		})
	}
}
