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
	if len(s) > maxWord {
		return "" // not a misspelling; and keep the work small
	}
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

// maxWord bounds the words Closest looks at: a longer one is no
// misspelling, and the distance costs len(s)·len(candidate).
const maxWord = 100

// EditDistance is the optimal string alignment distance between a and b, in
// bytes: Levenshtein's, with a swap of adjacent letters counted as one edit,
// so that "titel" is one edit from "title" and two from "time".
func EditDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
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
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
