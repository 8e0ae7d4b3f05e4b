package web

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Many requests at once, some identical and some not, each get the answer
// that request gets alone on a fresh server: concurrency, the queue and the
// cache change no number. Checked by the answers, not by time, so a busy
// machine only makes it slower. (TestLoad measures latency and memory
// under load, when asked.)
func TestConcurrentRequestsAnswerAsAlone(t *testing.T) {
	// 24 requests over 4 settings: 6 identical requests of each, which the
	// cache joins, and 4 different ones, which run side by side. 40 runs:
	// enough for distinct quantiles, few enough for -race.
	const clients, kinds, runs = 24, 4, 40
	bodies := make([]string, kinds)
	for k := range bodies {
		bodies[k] = fmt.Sprintf(`{"scenario": "current-policy", "runs": %d, "seed": %d, "from": "2026Q1", "baseline": true,
			"set": {"enforcement.leakage": %g}}`, runs, k+1, float64(k)/10) // leakage 0, 0.1, 0.2, 0.3: within the lever's range
	}

	ref := newTestServer(t, nil)
	want := make([]string, kinds)
	for k, b := range bodies {
		st, ans := post(t, ref.URL, b)
		require.Equal(t, http.StatusOK, st, string(ans))
		want[k] = string(ans)
	}
	for k := 1; k < kinds; k++ {
		require.NotEqual(t, want[0], want[k], "settings %d and 0 answer alike: the comparison below would prove nothing", k)
	}

	ts := newTestServer(t, nil)
	got := make([]string, clients)
	status := make([]int, clients)
	errs := make([]error, clients)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			<-start // all at once
			resp, err := http.Post(ts.URL+"/api/simulate", "application/json", strings.NewReader(bodies[c%kinds]))
			if err != nil {
				errs[c] = err
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			got[c], status[c], errs[c] = string(b), resp.StatusCode, err
		}(c)
	}
	close(start)
	wg.Wait()
	for c := 0; c < clients; c++ {
		require.NoError(t, errs[c], "request %d", c)
		assert.Equal(t, http.StatusOK, status[c], "request %d: %s", c, got[c])
		assert.Equal(t, want[c%kinds], got[c], "request %d (settings %d)", c, c%kinds)
	}
}
