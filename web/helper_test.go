package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/models"
)

// A Server whose Helper runs half of each batch (as the published page's
// second worker does, through another Server's RunPart) answers every
// simulate request with the bytes a Server alone gives; so does one whose
// helper fails (it runs the half itself) or returns values of the wrong
// size.
func TestHelperSplitsBatchesWithoutChangingAnswers(t *testing.T) {
	other := &Server{Model: models.China{}}
	var asked atomic.Int64
	viaOther := func(body []byte, baseline bool, lo, hi int) func(context.Context) ([]float64, error) {
		asked.Add(1)
		type answer struct {
			vals []float64
			err  error
		}
		done := make(chan answer, 1)
		go func() {
			v, err := other.RunPart(context.Background(), body, baseline, lo, hi)
			done <- answer{v, err}
		}()
		return func(context.Context) ([]float64, error) { a := <-done; return a.vals, a.err }
	}
	failing := func([]byte, bool, int, int) func(context.Context) ([]float64, error) {
		return func(context.Context) ([]float64, error) { return nil, errors.New("the second worker is gone") }
	}
	short := func(body []byte, baseline bool, lo, hi int) func(context.Context) ([]float64, error) {
		return func(ctx context.Context) ([]float64, error) {
			v, err := other.RunPart(ctx, body, baseline, lo, hi)
			return v[:len(v)-1], err
		}
	}
	alone := newTestServer(t, nil)
	split := newTestServer(t, &Server{Model: models.China{}, Helper: viaOther})
	broken := newTestServer(t, &Server{Model: models.China{}, Helper: failing})
	cut := newTestServer(t, &Server{Model: models.China{}, Helper: short})
	bodies := []string{
		// the page's request: levers, a parameter, the baseline, a running total (its outputs from the registry)
		strings.Replace(pageBody(`"entity.cxmt_listed": true`), `"runs": 100`, `"runs": 500`, 1),
		`{"scenario": "no-controls", "runs": 300, "seed": 4}`,                      // every output
		`{"scenario": "current-policy", "runs": 129, "seed": 2, "baseline": true}`, // an odd split
		`{"scenario": "current-policy", "runs": 100, "seed": 2}`,                   // too small to split
	}
	for _, body := range bodies {
		st, want := post(t, alone.URL, body)
		require.Equal(t, http.StatusOK, st, string(want))
		for _, ts := range []string{split.URL, broken.URL, cut.URL} {
			st, got := post(t, ts, body)
			require.Equal(t, http.StatusOK, st, string(got))
			assert.Equal(t, string(want), string(got), "body %s", body)
		}
	}
	// The page's request splits its batch and its baseline's; the 300- and
	// 129-run ones once each (the baseline of the third is the same job).
	assert.Equal(t, int64(4), asked.Load())
}

// RunPart refuses what is not a part of a batch that keeps its runs.
func TestRunPartRefusesBadRanges(t *testing.T) {
	s := &Server{Model: models.China{}}
	body := []byte(`{"scenario": "current-policy", "runs": 200}`)
	for _, r := range [][2]int{{-1, 10}, {10, 10}, {150, 201}} {
		_, err := s.RunPart(context.Background(), body, false, r[0], r[1])
		assert.Error(t, err, "%v", r)
	}
	_, err := s.RunPart(context.Background(), []byte(`{"scenario": "nowhere"}`), false, 0, 10)
	assert.ErrorContains(t, err, "unknown scenario")
}
