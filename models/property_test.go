package models

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/chokepoint-sim/chokepoint/scenarios"
	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/stretchr/testify/require"
)

// Property tests: parameters drawn uniformly over each one's whole registry
// range (not its default distribution) and random lever schedules, 10,000
// cases each. Whatever the draw, the model's invariants hold.

var propSpan = sim.Span{Start: sim.NewPeriod(2020, 1), End: sim.NewPeriod(2035, 4)}

// keyedDraw names the parameters randomCase draws from streams keyed by
// their key (the frontier's of docs/MODEL.md, "Model v2: frontier"), so that adding them did not
// change the cases the property tests had drawn before: a parameter added
// later should join this set.
var keyedDraw = map[string]bool{
	"frontier.cluster_share_backcast_growth": true, "frontier.max_cluster_share": true, "frontier.inference_chip_weight": true,
	// structural alternatives (docs/MODEL.md, "Structural alternatives")
	"structure.substitution": true, "substitution.threshold_trigger": true, "substitution.threshold_jump": true,
	"structure.diffusion": true, "efficiency.catchup_rate": true, "efficiency.lag_floor_months": true,
	"structure.yield_learning": true, "fab.yield_midpoint_year": true, "fab.yield_slope": true,
	"frontier.cloud_run_share": true,
}

// randomCase draws parameters across the registry's bounds (on a log scale
// where the range spans orders of magnitude) and a schedule of up to three
// dated changes per lever.
func randomCase(rng *rand.Rand) (params []float64, levers [][]float64) {
	for _, p := range Registry.Params {
		lo, hi := p.Min, p.Max
		u := 0.0
		if keyedDraw[p.Key] {
			// from a stream of its own, seeded by the case's first draw and
			// the key: the other parameters' draws and the lever schedules
			// stay those they were before the parameter was added
			h := fnv.New64a()
			h.Write([]byte(p.Key))
			u = rand.New(rand.NewPCG(math.Float64bits(params[0]), h.Sum64())).Float64()
		} else {
			u = rng.Float64()
		}
		var v float64
		if lo > 0 && hi/lo > 1000 {
			v = math.Exp(math.Log(lo) + u*(math.Log(hi)-math.Log(lo)))
		} else {
			v = lo + u*(hi-lo)
		}
		params = append(params, v)
	}
	T := propSpan.Len()
	for _, l := range Registry.Levers {
		series := make([]float64, T)
		val := l.Default
		changes := map[int]float64{}
		for k := rng.IntN(4); k > 0; k-- {
			changes[rng.IntN(T)] = randomLeverValue(rng, &l)
		}
		for t := range series {
			if v, ok := changes[t]; ok {
				val = v
			}
			series[t] = val
		}
		levers = append(levers, series)
	}
	return params, levers
}

func randomLeverValue(rng *rand.Rand, l *sim.Lever) float64 {
	switch l.Kind {
	case sim.LeverSwitch:
		return float64(rng.IntN(2))
	case sim.LeverSet:
		return float64(rng.Uint64N(uint64(l.Max) + 1))
	}
	if l.Max >= none && rng.IntN(3) == 0 {
		return l.Max // "no rule"
	}
	hi := math.Min(l.Max, 50000) // thresholds: the catalogue's range matters
	return l.Min + rng.Float64()*(hi-l.Min)
}

func noPending() [][]float64 {
	T := propSpan.Len()
	var pend [][]float64
	for range Registry.Levers {
		s := make([]float64, T)
		for t := range s {
			s[t] = math.NaN()
		}
		pend = append(pend, s)
	}
	return pend
}

func runCase(r sim.Runner, params []float64, levers, pending [][]float64, out []float64) {
	r.Run(&sim.RunInput{Span: propSpan, Params: params, Levers: levers, Pending: pending}, out)
}

func propertyCases(t *testing.T) int {
	if testing.Short() {
		return 500
	}
	return raceScale(10_000)
}

// raceScale is n, or n/5 under the race detector (raceDetector): the race
// detector slows the single-threaded model about tenfold and the full
// counts run without it (README's test command runs `go test ./models/`
// first).
func raceScale(n int) int {
	if raceDetector {
		return n / 5
	}
	return n
}

func TestPropertyOutputsFiniteAndInRange(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	r := China{}.NewRunner(propSpan)
	T := propSpan.Len()
	out := make([]float64, len(Registry.Outputs)*T)
	pend := noPending()
	for c := 0; c < propertyCases(t); c++ {
		params, levers := randomCase(rng)
		runCase(r, params, levers, pend, out)
		for i, v := range out {
			key := Registry.Outputs[i/T].Key
			if math.IsNaN(v) || math.IsInf(v, 0) {
				require.Failf(t, "not finite", "case %d: %s = %v at quarter %d; params %v", c, key, v, i%T, params)
			}
			switch kind(key) {
			case "share":
				if v < 0 || v > 1 {
					require.Failf(t, "outside [0, 1]", "case %d: %s = %v outside [0, 1]", c, key, v)
				}
			case "nonnegative":
				if v < 0 {
					require.Failf(t, "negative", "case %d: %s = %v is negative", c, key, v)
				}
			}
		}
	}
}

// setLever returns a copy of levers with lever key constant at v.
func setLever(levers [][]float64, key string, v float64) [][]float64 {
	i, _ := Registry.LeverIndex(key)
	out := append([][]float64(nil), levers...)
	s := make([]float64, len(levers[i]))
	for t := range s {
		s[t] = v
	}
	out[i] = s
	return out
}

// noCarry releases all unspent money each quarter (budget.release_share = 1). With
// a carry, money one setting leaves unspent buys more in a later quarter
// (docs/MODEL.md, "One budget, allocated across channels, conserved"), so
// comparisons quarter by quarter hold only without it.
func noCarry(params []float64) {
	i, _ := Registry.ParamIndex("budget.release_share")
	params[i] = 1
}

// More leakage never means fewer smuggled chips, all else equal (no carry,
// and a network that does not grow toward unmet demand: smuggling more can
// ease the volume cap on legal chips, lowering unmet demand and so the
// network's later capacity).
func TestPropertyLeakageMonotone(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	response, _ := Registry.ParamIndex("smuggling.demand_response")
	r := China{}.NewRunner(propSpan)
	T := propSpan.Len()
	a, b := make([]float64, len(Registry.Outputs)*T), make([]float64, len(Registry.Outputs)*T)
	pend := noPending()
	for c := 0; c < propertyCases(t); c++ {
		params, levers := randomCase(rng)
		noCarry(params)
		params[response] = 0
		lo := rng.Float64()
		hi := lo + rng.Float64()*(1-lo)
		runCase(r, params, setLever(levers, "enforcement.leakage", lo), pend, a)
		runCase(r, params, setLever(levers, "enforcement.leakage", hi), pend, b)
		for t0 := 0; t0 < T; t0++ {
			i := oSmuggled*T + t0
			// 1e-6 H100e absolute: floating-point residue of money spent to
			// the last cent, not a chip.
			if b[i] < a[i]*(1-1e-12)-1e-6 {
				require.Failf(t, "not monotone in leakage", "case %d quarter %d: leakage %v smuggles %v, leakage %v only %v", c, t0, lo, a[i], hi, b[i])
			}
		}
	}
}

// A higher TPP threshold never means fewer legal imports, all else equal.
// "All else" holds induced investment fixed (elasticity and state money at
// 0: through them a laxer rule shrinks domestic supply, which frees budget
// for imports) and has buyers value training throughput only: with two
// pools, a laxer rule can let the inference pool switch to a chip with more
// bandwidth but fewer FLOPs per dollar, lowering the training-basis count
// while raising the value bought. Restriction pressure, which weighs both
// pools on their own bases, never rises, with either weighting. Both are
// compared up to the first quarter in which either run's domestic
// purchases take all its money (budgetBinds): then a laxer rule, which
// lowers domestic prices to import parity (domesticPrice), buys more
// domestic chips with the money, and the packagers' choice among
// generations, all alike in value per dollar at parity, can move to ones
// cheaper at list price, so that domestic supply's share of demand, which
// pressure discounts, shrinks (2 of these 10,000 cases, by 1% of a small
// pressure), and the imports' share of the money can too (1 case, by
// 0.02%).
func TestPropertyThresholdMonotone(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	r := China{}.NewRunner(propSpan)
	T := propSpan.Len()
	a, b := make([]float64, len(Registry.Outputs)*T), make([]float64, len(Registry.Outputs)*T)
	pend := noPending()
	eps, _ := Registry.ParamIndex("substitution.elasticity")
	stateMoney, _ := Registry.ParamIndex("substitution.state_money_effect")
	weight, _ := Registry.ParamIndex("demand.training_weight")
	for c := 0; c < propertyCases(t); c++ {
		params, levers := randomCase(rng)
		params[eps], params[stateMoney] = 0, 0
		noCarry(params)
		trainingOnly := c%2 == 0
		if trainingOnly {
			params[weight] = 1
		}
		lo := rng.Float64() * 40000
		hi := lo + rng.Float64()*40000
		runCase(r, params, setLever(levers, "export.tpp_threshold", lo), pend, a)
		runCase(r, params, setLever(levers, "export.tpp_threshold", hi), pend, b)
		binds := false
		for t0 := 0; t0 < T; t0++ {
			binds = binds || budgetBinds(a, t0) || budgetBinds(b, t0)
			if i := oRestriction*T + t0; !binds && b[i] > a[i]+1e-9 { // 1e-9: floating-point noise of sums in another order
				require.Failf(t, "not monotone in the threshold", "case %d quarter %d: threshold %v gives pressure %v, the laxer %v gives %v", c, t0, lo, a[i], hi, b[i])
			}
			if i := oLegalImports*T + t0; !binds && trainingOnly && b[i] < a[i]*(1-1e-9)-1e-9 {
				require.Failf(t, "not monotone in the threshold", "case %d quarter %d: threshold %v imports %v, threshold %v only %v", c, t0, lo, a[i], hi, b[i])
			}
		}
	}
}

// Each built-in scenario, with every parameter at a random corner of its
// registry range (its minimum or its maximum): no output goes NaN or
// infinite, whatever the extremes.
func TestBuiltinScenariosAtExtremeDraws(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	out := make([]float64, len(Registry.Outputs)*propSpan.Len())
	r := China{}.NewRunner(propSpan)
	cases := 200
	if testing.Short() {
		cases = 20
	}
	for _, name := range scenarios.Names() {
		sc := loadBuiltin(t, name)
		levers, pending := scheduleOf(sc)
		for c := 0; c < cases; c++ {
			params := make([]float64, len(Registry.Params))
			for i, p := range Registry.Params {
				params[i] = p.Min
				if rng.IntN(2) == 1 {
					params[i] = p.Max
				}
			}
			runCase(r, params, levers, pending, out)
			for i, v := range out {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					require.Failf(t, "not finite", "%s case %d: %s = %v", name, c, Registry.Outputs[i/propSpan.Len()].Key, v)
				}
			}
		}
	}
}
