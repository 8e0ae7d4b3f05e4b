package suggest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestClosest(t *testing.T) {
	keys := []string{"dist", "mean", "sd", "fab.yield_ceiling", "compute_stock"}
	for _, c := range []struct{ in, want string }{
		{"dst", "dist"},                        // one deletion
		{"Mean", "mean"},                       // case is ignored
		{"yield_ceiling", "fab.yield_ceiling"}, // same last segment
		{"compute_stok", "compute_stock"},      // same beginning but for the end
		{"zzzzzz", ""},                         // six edits from everything: too far for a guess
	} {
		assert.Equal(t, c.want, Closest(c.in, keys), "Closest(%q)", c.in)
	}
	assert.Empty(t, Closest("x", nil))
}

func TestEditDistance(t *testing.T) {
	// The textbook example: kitten -> sitting is three edits.
	assert.Equal(t, 3, EditDistance("kitten", "sitting"))
	assert.Equal(t, 0, EditDistance("", ""))
	assert.Equal(t, 4, EditDistance("", "abcd"))
	// A swap of adjacent letters is one edit (Levenshtein counts two).
	assert.Equal(t, 1, EditDistance("titel", "title"))
	assert.Equal(t, 2, EditDistance("titel", "time"))
}

// The swap rule decides between candidates that plain edit distance ties:
// a misspelt scenario key and a misspelt --set key get the same answer.
func TestClosestPrefersASwap(t *testing.T) {
	assert.Equal(t, "title", Closest("titel", []string{"time", "title"}))
	assert.Equal(t, "title", Closest("titel", []string{"title", "time"}))
	long := string(make([]byte, maxWord+1))
	assert.Empty(t, Closest(long, []string{long}), "no guess for a word longer than %d bytes", maxWord)
}
