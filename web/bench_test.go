package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chokepoint-sim/chokepoint/models"
)

// BenchmarkSimulatePage is one slider move of the classroom page: a POST
// /api/simulate at 500 runs (the published page's default) with a lever
// value not asked before (a cache miss) and the baseline, which the
// previous move has cached. Run it natively and, for the published page,
// compiled to WebAssembly (docs/performance.md).
func BenchmarkSimulatePage(b *testing.B) {
	s := &Server{Model: models.China{}, Log: quiet}
	h := s.Handler()
	outs := `["compute_stock_h100e","frontier_gap_months","domestic_output_h100e","restriction_pressure","foregone_us_revenue_usd","foregone_us_revenue_cumulative_usd"]`
	body := func(i int) string {
		return fmt.Sprintf(`{"scenario":"current-policy","runs":500,"seed":1,"from":"2026Q1","set":{"enforcement.leakage":%g},"outputs":%s,"baseline":true}`,
			0.5+float64(i)*1e-7, outs)
	}
	do := func(i int) {
		req := httptest.NewRequest(http.MethodPost, "http://localhost/api/simulate", strings.NewReader(body(i)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body.String())
		}
	}
	do(-1) // the baseline, cached as on the page
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		do(i)
	}
}
