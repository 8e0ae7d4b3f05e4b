package web

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"runtime/metrics"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var loadRuns = flag.Int("load-runs", 300, "runs per request in TestLoad (the page's default is 500)")

// loadTestEnv asks for TestLoad: it measures time and memory on the
// machine it runs on, so it runs only when asked
// (CHOKEPOINT_LOAD_TEST=1 go test ./web -run TestLoad).
// TestConcurrentRequestsAnswerAsAlone checks concurrent answers always.
const loadTestEnv = "CHOKEPOINT_LOAD_TEST"

// Acceptance 3: 50 clients each send 20 simulate requests shaped as the
// page's (its outputs, the baseline), every request with settings of its
// own so that the cache cannot answer it: no error, none over 5 s, and
// memory bounded while they queue. Runs per request are modest by default
// so that the test keeps its margin when other packages' tests share the
// cores; -load-runs 500 measures the page's default.
func TestLoad(t *testing.T) {
	if os.Getenv(loadTestEnv) != "1" {
		t.Skip("load test: 1,000 simulations, timed; set " + loadTestEnv + "=1 to run it")
	}
	if testing.Short() || raceDetector {
		t.Skip("load test: 1,000 simulations; run without -short or -race")
	}
	const clients, perClient = 50, 20
	runs := *loadRuns
	ts := newTestServer(t, nil)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}, Timeout: 30 * time.Second}

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		// runtime/metrics, unlike ReadMemStats, does not stop the world,
		// so sampling does not slow the batches it measures. Objects plus
		// unused bytes in spans is MemStats.HeapInuse.
		defer close(sampled)
		m := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
		for {
			metrics.Read(m)
			if v := m[0].Value.Uint64() + m[1].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()

	lat := make([]time.Duration, clients*perClient)
	var errs []string
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := 0; i < perClient; i++ {
				n := c*perClient + i
				body := fmt.Sprintf(`{"scenario": "current-policy", "runs": %d, "seed": 1, "from": "2026Q1", "baseline": true,
					"outputs": ["compute_stock_h100e", "domestic_output_h100e", "self_sufficiency", "frontier_gap_months",
					"foregone_us_revenue_usd", "foregone_us_revenue_cumulative_usd"],
					"set": {"enforcement.leakage": %g, "sme.allied_alignment": %g}}`, runs, float64(n%100)/100, float64(n/100)/10)
				t0 := time.Now()
				resp, err := client.Post(ts.URL+"/api/simulate", "application/json", strings.NewReader(body))
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
				}
				lat[n] = time.Since(t0)
				if err != nil {
					mu.Lock()
					errs = append(errs, err.Error())
					mu.Unlock()
				}
			}
		}(c)
	}
	wg.Wait()
	wall := time.Since(start)
	close(stop)
	<-sampled
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)

	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))] }
	t.Logf("load: %d clients × %d requests at %d runs on %d cores in %v (%.0f requests/s)",
		clients, perClient, runs, runtime.GOMAXPROCS(0), wall.Round(time.Millisecond), float64(len(lat))/wall.Seconds())
	t.Logf("latency: median %v, p95 %v, p99 %v, max %v", pct(0.5).Round(time.Millisecond),
		pct(0.95).Round(time.Millisecond), pct(0.99).Round(time.Millisecond), lat[len(lat)-1].Round(time.Millisecond))
	t.Logf("heap in use: before %.1f MB, peak %.1f MB, after %.1f MB (GC'd)",
		mb(before.HeapInuse), mb(peak.Load()), mb(after.HeapInuse))

	require.Empty(t, errs, "failed requests")
	assert.Less(t, lat[len(lat)-1], 5*time.Second, "slowest request")
	// Two batches of 500 runs hold ~10 MB of raw values and the cache
	// holds ~2 MB; queued requests hold only their small bodies.
	assert.Less(t, mb(peak.Load()), 150.0, "peak heap")
}

func mb(b uint64) float64 { return float64(b) / (1 << 20) }
