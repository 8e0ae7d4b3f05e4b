// Package suggest finds the likely intended word for a misspelt one: the
// "did you mean" of every error message about an unknown key or name.
package suggest

import (
	"math"
	"strings"
)

// Closest returns the candidate closest to s by edit distance, or "" when
// none is close enough to be a likely misspelling.
func Closest(s string, candidates []string) string {
	best, bestD := "", math.MaxInt
	ls := strings.ToLower(s)
	for _, c := range candidates {
		d := distance(s, ls, c)
		if d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	if best == "" || bestD > max(2, len(s)/3) {
		return ""
	}
	return best
}

// distance scores candidate c for s (ls is s in lower case).
func distance(s, ls, c string) int {
	lc := strings.ToLower(c)
	d := EditDistance(ls, lc)
	// A key that ends with the same last segment is a likely intent even
	// when its prefix is wrong ("yield_ceiling" for "fab.yield_ceiling").
	if i := strings.LastIndexByte(c, '.'); i >= 0 && strings.EqualFold(c[i+1:], s) {
		d = 1
	}
	// A key that begins like s, but for its last couple of letters, is a
	// likely abbreviation or slip ("compute_stok").
	if len(ls) >= 5 && commonPrefix(ls, lc) >= max(5, len(ls)-2) {
		d = min(d, 2)
	}
	return d
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// EditDistance is the Levenshtein distance between a and b, in bytes.
func EditDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
