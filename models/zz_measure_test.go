package models

import (
	"math/rand/v2"
	"testing"
)

func TestZZMeasure(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 97))
	r := China{}.NewRunner(propSpan)
	T := propSpan.Len()
	a, b := make([]float64, len(Registry.Outputs)*T), make([]float64, len(Registry.Outputs)*T)
	pend := noPending()
	weight, _ := Registry.ParamIndex("demand.training_weight")
	var held []int
	for _, k := range []string{"sme.domestic_tool_substitutability", "design.software_penalty", "design.perf_per_die_growth"} {
		i, _ := Registry.ParamIndex(k)
		held = append(held, i)
	}
	levers := supplySideLevers()
	type st struct {
		n   int
		max float64
	}
	res := map[string]*st{}
	for c := 0; c < propertyCases(t); c++ {
		params, base := randomCase(rng)
		responsesOff(params)
		noCarry(params)
		params[weight] = 1
		for _, i := range held {
			params[i] = 0
		}
		base = closeImports(base)
		l := levers[rng.IntN(len(levers))]
		t0 := rng.IntN(T)
		runCase(r, params, base, pend, a)
		runCase(r, params, tighten(rng, base, l, t0), pend, b)
		for _, o := range []int{oComputeStock, oLargestRun, oInferenceStock} {
			bind := false
			worst, wb := 0.0, false
			for q := 0; q < T; q++ {
				bind = bind || budgetBinds(a, q) || budgetBinds(b, q)
				if i := o*T + q; b[i] > a[i]*(1+1e-9)+1e-9 {
					if d := b[i]/a[i] - 1; d > worst {
						worst, wb = d, bind
					}
				}
			}
			if worst > 0 {
				k := Registry.Outputs[o].Key
				if wb {
					k += " after budget binds"
				}
				if res[k] == nil {
					res[k] = &st{}
				}
				res[k].n++
				res[k].max = max(res[k].max, worst)
			}
		}
	}
	for k, v := range res {
		t.Logf("%s: %d cases, max %.3g%%", k, v.n, 100*v.max)
	}
}
