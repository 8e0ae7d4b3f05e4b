package models

import (
	"context"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/output"
	"github.com/chokepoint-sim/chokepoint/scenarios"
	"github.com/chokepoint-sim/chokepoint/sim"
)

// leverTableRuns is the paired runs per lever and variant of the tests
// below; the tests are deterministic (seed 1). Most signs asserted are of
// medians with at most 3% of runs on the wrong side at 2,000 runs
// (`chokepoint levers --format csv`, share_higher and share_lower), or
// exactly 0 in every run; with 200 runs the binomial standard error of a
// share is at most 3.5 points, so those medians cannot cross 0. The cases
// where a sign error would show first, at 2,000 runs with the induced
// responses off: lifting the HBM ban lowers the 2030Q4 stock in 44% of
// runs and raises it in 38% (median 0; the stockpile the ban rationed is
// drawn later), and the CXMT listing raises the 2030Q4 stock in 33% of
// runs (median −0.005%); both pass in the median at 200 and 2,000 runs.
// The smallest lever's largest move is 1.9 times its threshold at 200 runs
// and 2.2 at 2,000 (the fee: −2.2% on the 2027Q4 stock with the induced
// responses off), so 200 runs do not decide whether a lever is dead. 200 keeps the table at
// ~1.5 s (2 variants × 27 scenarios × 200 runs to 2030Q4).
const leverTableRuns = 200

// leverTable computes, once for the tests below, the lever table of the
// CLI's defaults: current-policy, from 2026Q1, at 2027Q4 and 2030Q4.
var leverTableOnce = sync.OnceValues(func() (*sim.LeverTableResult, error) {
	base, err := (&scenarios.Loader{Registry: Registry}).Load("current-policy")
	if err != nil {
		return nil, err
	}
	span := sim.Span{Start: base.Span.Start, End: sim.NewPeriod(2030, 4)}
	return sim.RunLeverTable(context.Background(), &sim.LeverTableRun{Model: China{}, Base: base, Span: span,
		From: sim.NewPeriod(2026, 1), Dates: []sim.Period{sim.NewPeriod(2027, 4), sim.NewPeriod(2030, 4)},
		Runs: leverTableRuns, Seed: 1})
})

func leverTableTest(t *testing.T) *sim.LeverTableResult {
	t.Helper()
	res, err := leverTableOnce()
	require.NoError(t, err)
	return res
}

// deadThreshold is the smallest median move that counts: 1% for a
// relative output (issue acceptance), and 0.1 month for the frontier gap,
// which is reported as a change in months since its zero is arbitrary.
// 0.1 month is the gap's equivalent of 1%: the US frontier grows 3.2-4.8×
// a year (us.compute_growth), so a largest run 1% larger closes
// ln(1.01)/ln(4)·12 ≈ 0.09 month (0.08-0.10 over that range).
func deadThreshold(o sim.TableOutput) float64 {
	if o.Absolute {
		return 0.1
	}
	return 0.01
}

// No dead lever: each lever's strong setting moves at least one of the
// table's outputs, at 2027Q4 or 2030Q4, in either variant, by the
// threshold in the median of paired runs. A lever the registry declares
// dominated (sim.Strong.Dominated) must instead stay below the threshold
// in the table's setting, so that its row's ~0 is the binding condition's
// doing, not chance; TestDominatedLeverMovesOnceUnbound checks that it
// moves an output once the condition is removed.
func TestLeverTableNoDeadLever(t *testing.T) {
	tab := leverTableTest(t)
	for _, row := range tab.Rows {
		l := &Registry.Levers[row.Lever]
		best, where := 0.0, ""
		for v := range row.Cells {
			for k, c := range row.Cells[v] {
				o := tab.Spec.Outputs[k/len(tab.Dates)]
				if m := math.Abs(c.Median) / deadThreshold(o); m > best {
					best, where = m, o.Key
				}
			}
		}
		t.Logf("%-26s largest move %.1f× the threshold (%s)", l.Key, best, where)
		if d := l.Strong.Dominated; d != nil {
			assert.Less(t, best, 1.0, "%s moves an output while %s: it is not dominated there", l.Key, d.While)
			continue
		}
		assert.GreaterOrEqual(t, best, 1.0, "%s moves no output by 1%% (0.1 month for the gap) in the median", l.Key)
	}
}

// A dominated lever is dominated in the table's base: each setting that
// removes the binding condition changes a lever the base holds otherwise
// at the table's start; and with those settings in both runs of a pair
// from the table's start, the lever's row setting moves domestic output or
// the compute stock by at least 1% (the table's threshold) in the median
// of paired runs at 2027Q4 or 2030Q4. With the HBM ban lifted, lifting the
// foundry rule raises domestic output by ~46% at 2027Q4 in the median
// (`chokepoint levers --base` a current-policy with the ban lifted from
// 2026Q1, 400 runs), far above the threshold.
func TestDominatedLeverMovesOnceUnbound(t *testing.T) {
	tab := leverTableTest(t)
	cp, pend := scheduleOf(loadBuiltin(t, "current-policy"))
	T := propSpan.Len()
	dominated := 0
	for _, row := range tab.Rows {
		l := &Registry.Levers[row.Lever]
		d := l.Strong.Dominated
		if d == nil {
			continue
		}
		dominated++
		base := cp
		for _, s := range d.Unbind {
			i, ok := Registry.LeverIndex(s.Key)
			require.True(t, ok, s.Key)
			require.NotEqual(t, s.Value, tab.Rows[i].Was, "%s: %s=%g is already the base's: no condition to remove", l.Key, s.Key, s.Value)
			base = fromQuarter(base, s.Key, s.Value, tab.From)
		}
		other := fromQuarter(base, l.Key, row.Value, tab.From)
		outs := []int{oDomesticOutput, oComputeStock}
		changes := make([][]float64, len(outs)*len(tab.Dates))
		paired(t, leverTableRuns, base, other, pend, func(_ int, a, b []float64) {
			for o, out := range outs {
				for k, per := range tab.Dates {
					c := out*T + propSpan.Index(per)
					changes[o*len(tab.Dates)+k] = append(changes[o*len(tab.Dates)+k], sim.PairedChange(a[c], b[c], false))
				}
			}
		})
		best := 0.0
		for _, ch := range changes {
			best = max(best, math.Abs(sim.Summarize(ch).P50()))
		}
		t.Logf("%s (dominated while %s) with %v from %s: largest median move %.1f%%", l.Key, d.While, d.Unbind, tab.From, 100*best)
		assert.GreaterOrEqual(t, best, 0.01, "%s moves neither domestic output nor the stock by 1%% with its condition (%s) removed", l.Key, d.While)
	}
	require.Positive(t, dominated, "the registry declares a dominated lever (foundry.due_diligence)")
}

// The table says which rows are dominated and by what: each dominated
// lever's Markdown row names its binding condition, and no other row does.
func TestLeverTableNamesDominated(t *testing.T) {
	tab := leverTableTest(t)
	var b strings.Builder
	require.NoError(t, output.WriteLeverTableMarkdown(&b, tab))
	rows := 0
	for _, line := range strings.Split(b.String(), "\n") {
		for _, row := range tab.Rows {
			l := &Registry.Levers[row.Lever]
			if !strings.HasPrefix(line, "| `"+l.Key+"` |") {
				continue
			}
			rows++
			if d := l.Strong.Dominated; d != nil {
				assert.Contains(t, line, "dominated while "+d.While, l.Key)
			} else {
				assert.NotContains(t, line, "dominated", l.Key)
			}
		}
	}
	require.Equal(t, 2*len(tab.Rows), rows, "a row per lever in each of the two tables")
}

// leverKind sorts the US and allied levers by which outputs have a
// definite sign under a tightening with the induced responses off.
type leverKind int

const (
	// chipRule: a rule on legal imports. The stock and the largest run
	// cannot gain (the sign property of docs/MODEL.md); smuggled chips may
	// rise (money the legal market refuses goes to the network) and
	// domestic output does not depend on it with no induced investment.
	chipRule leverKind = iota
	// evasion: a rule on smuggling or rental. The stock and the largest
	// run cannot gain, and smuggled chips cannot rise.
	evasion
	// equipment: a rule on China's supply side. Domestic output cannot
	// rise; the stock should not either, in the median, since domestic
	// chips are the best value per dollar China can buy (a 910C at ~$25k
	// for 0.8 H100e against a smuggled H200 at 1.4-2.5× $32k for one), so
	// money they no longer take buys less abroad; smuggled chips may rise.
	equipment
)

// tighteningKind is the kind of each US or allied lever; every lever the
// registry marks as a tightening must be here.
var tighteningKind = map[string]leverKind{
	"export.tpp_threshold": chipRule, "export.interconnect_gbs": chipRule, "export.pd_threshold": chipRule,
	"export.pd_tpp_floor": chipRule, "export.licence_approval": chipRule, "export.exceptions": chipRule,
	"export.named_licence": chipRule, "export.fee": chipRule, "export.china_volume_cap": chipRule,
	"enforcement.leakage": evasion, "enforcement.cloud_access": evasion, "enforcement.tier2_caps": evasion,
	"foundry.due_diligence": equipment, "hbm.export_ban": equipment, "sme.allied_alignment": equipment,
	"sme.servicing_ban": equipment, "entity.smic_cutoff": equipment, "entity.cxmt_listed": equipment,
}

// expected is the sign a tightening gives each table output (by key) with
// the induced responses off: −1 (must not rise), +1 (must not fall), 0 (no
// definite sign).
func expected(k leverKind) map[string]int {
	e := map[string]int{"compute_stock_h100e": -1, "frontier_gap_months": +1}
	switch k {
	case evasion:
		e["smuggled_h100e"] = -1
	case equipment:
		e["domestic_output_h100e"] = -1
	}
	return e
}

// signTolerance absorbs rounding in a median that is 0 in exact
// arithmetic: far below any effect the table reports.
const signTolerance = 1e-9

// With the induced responses off, no US or allied tightening moves a
// median the way that favours China: its compute stock, its largest run
// (the frontier gap closing) and, where definite, domestic output and
// smuggled chips. A lifted row (the base already holds the strong setting)
// reports the rule's removal, so its expected signs are reversed.
func TestLeverTableSigns(t *testing.T) {
	tab := leverTableTest(t)
	for _, row := range tab.Rows {
		l := &Registry.Levers[row.Lever]
		kind, ok := tighteningKind[l.Key]
		require.Equal(t, l.Strong.Tightening, ok, "%s: a tightening needs a kind here, and only a tightening", l.Key)
		if !ok {
			continue
		}
		flip := 1
		if row.Lifted {
			flip = -1
		}
		for o, out := range tab.Spec.Outputs {
			want := flip * expected(kind)[out.Key]
			for d, per := range tab.Dates {
				m := row.Cells[sim.InducedOff][o*len(tab.Dates)+d].Median
				assert.GreaterOrEqual(t, float64(want)*m, -signTolerance,
					"%s (lifted %v): %s at %s moves %g in the median, the way that favours China", l.Key, row.Lifted, out.Key, per, m)
			}
		}
	}
}

// Every lever has a strong setting within its bounds, its lift differs
// from it, and the lever table's keys name what they should.
func TestLeverTableDeclarations(t *testing.T) {
	for _, l := range Registry.Levers {
		s := l.Strong
		require.NotNil(t, s, "%s has no strong setting", l.Key)
		assert.NotEqual(t, s.Value, s.Lift, "%s: lifting must change something", l.Key)
		for _, v := range []float64{s.Value, s.Lift} {
			assert.True(t, l.Min <= v && v <= l.Max, "%s: %g outside [%g, %g]", l.Key, v, l.Min, l.Max)
		}
		assert.NotEmpty(t, s.Says, l.Key)
		for _, o := range s.Open {
			_, ok := Registry.LeverIndex(o.Key)
			assert.True(t, ok, "%s opens unknown lever %s", l.Key, o.Key)
		}
		if d := s.Dominated; d != nil {
			assert.NotEmpty(t, d.While, l.Key)
			assert.NotEmpty(t, d.Unbind, "%s: a dominated lever names how to remove the condition", l.Key)
		}
	}
	for _, k := range Registry.LeverTable.Induced {
		i, ok := Registry.ParamIndex(k)
		require.True(t, ok, "induced response %s is no parameter", k)
		assert.LessOrEqual(t, Registry.Params[i].Min, 0.0, "%s cannot be switched off", k)
	}
	for _, o := range Registry.LeverTable.Outputs {
		_, ok := Registry.OutputIndex(o.Key)
		assert.True(t, ok, o.Key)
	}
}
