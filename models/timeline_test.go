package models

import (
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/scenarios"
	"github.com/chokepoint-sim/chokepoint/sim"
)

// publishers are the authorities, outlets and firms the built-in timeline
// cites. A source names a publisher when one of these appears in it; a
// scenario that cites a new one adds it here.
var publishers = []string{
	"BIS", "Reuters", "FT", "Bloomberg", "MOFCOM", "Nvidia", "AMD", "Alibaba", "Dutch government",
	"METI", "Malaysia MITI", "CNAS", "CSIS", "SemiAnalysis", "Epoch AI", "The Information",
	"TechInsights", "CPC", "Chip Security Act",
}

// sourceDate is a calendar month or day (2025-04 or 2025-04-09): a year
// alone does not date a report.
var sourceDate = regexp.MustCompile(`\b(19|20)\d\d-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?\b`)

// citesPublisherAndDate reports whether one of the source's citations (the
// parts between semicolons) names a publisher and a date.
func citesPublisherAndDate(src string) bool {
	for _, part := range strings.Split(src, ";") {
		if !sourceDate.MatchString(part) {
			continue
		}
		for _, p := range publishers {
			if strings.Contains(part, p) {
				return true
			}
		}
	}
	return false
}

func TestCitesPublisherAndDate(t *testing.T) {
	for src, want := range map[string]bool{
		"Reuters 2024-11-08":           true,
		"BIS, 90 FR 4612 (2025-01-16)": true,
		"Reuters 2026-01":              true,
		"Reuters":                      false, // no date
		"2025-04-09":                   false, // no publisher
		"Counterfactual (a 2025 proposal, not enacted)": false,
		"Reuters; 2025-04-09":                           false, // publisher and date in different citations
		"":                                              false,
	} {
		assert.Equal(t, want, citesPublisherAndDate(src), "%q", src)
	}
}

// Every built-in scenario loads against the model's registry, and every
// event in it, inherited or its own, cites a publisher and a date.
func TestBuiltinEventsCiteAPublisherAndADate(t *testing.T) {
	for _, name := range scenarios.Names() {
		sc := loadBuiltin(t, name)
		require.NotEmpty(t, sc.Events, name)
		for _, e := range sc.Events {
			assert.True(t, citesPublisherAndDate(e.Source), "%s: event %s cites no publisher with a date: %q", name, e.ID, e.Source)
			assert.NotEmpty(t, strings.TrimSpace(e.Note), "%s: event %s has no note", name, e.ID)
		}
	}
}

// reticleMM2 is the largest die a lithography exposure field allows,
// 26 mm × 33 mm (ASML scanner field): a die cannot be larger, which bounds
// TPP / PD / dies for every catalogue chip with a published density.
const reticleMM2 = 26 * 33

// The catalogue's TPP is the highest of a chip's precisions, so it is at
// least its dense 16-bit TFLOPS × 16; its density implies a die that fits
// in a reticle.
func TestCatalogueTPPAndDensityArePhysical(t *testing.T) {
	for _, c := range Catalogue {
		if c.TPP > 0 {
			assert.GreaterOrEqual(t, c.TPP, 16*c.BF16TFLOPS*(1-0.005), "%s: TPP below its 16-bit TFLOPS × 16", c.Name)
		}
		if c.PD > 0 {
			perDie := c.TPP / c.PD / c.Dies
			assert.LessOrEqual(t, perDie, reticleMM2*1.01, "%s: %.0f mm² a die", c.Name, perDie)
			assert.Greater(t, perDie, 100.0, "%s: %.0f mm² a die", c.Name, perDie)
		}
	}
}

// The post-B200 chips' TPP and PD recomputed from their datasheet (or
// reported) figures: TPP = dense TFLOPS × bit length at the precision that
// gives the most, PD = TPP / total die area.
func TestNewChipsMatchTheirDatasheets(t *testing.T) {
	for _, c := range []struct {
		name         string
		tflops       float64 // dense, at bits
		bits         float64
		bf16         float64 // dense BF16 TFLOPS
		areaMM2      float64 // all logic dies
		memTBs       float64
		stacks, dies float64
	}{
		// NVIDIA HGX B300 datasheet (2025), per GPU: 13.5 PFLOPS dense FP4,
		// 2.25 PFLOPS dense BF16, 288 GB HBM3e in 8 stacks at 8 TB/s; two
		// dies of the B200's size (B200 TPP 36,000 / PD 22.1 ≈ 1,630 mm²).
		{"B300", 13500, 4, 2250, 1630, 8, 8, 2},
		// Reuters 2025-08-19: a single-die Blackwell with about half the
		// B300's compute; taken as half a B300 (one 815 mm² die, 4 stacks).
		{"B30A", 6750, 4, 1125, 815, 4, 4, 1},
		// NVIDIA B200 datasheet (2024): 9 PFLOPS dense FP4, 2.25 dense BF16.
		{"B200", 9000, 4, 2250, 1630, 8, 8, 2},
		// NVIDIA H20 (2024): 148 TFLOPS dense BF16, 4.0 TB/s, one die of
		// the H100's 814 mm².
		{"H20", 148, 16, 148, 814, 4.0, 6, 1},
		// Reported, no datasheet: FP4 limited to about 581 dense TFLOPS
		// (The Register 2025-09-17), 1,398 GB/s of GDDR7 (SCMP/FT
		// 2025-09), one GB202 die of 750 mm² (NVIDIA RTX Blackwell
		// architecture, 2025), no HBM.
		{"RTX Pro 6000D", 581, 4, 581.0 / 4, 750, 1.398, 0, 1},
	} {
		ch := chipNamed(c.name)
		tpp := c.tflops * c.bits
		assert.InDelta(t, tpp, ch.TPP, 0.01*tpp, "%s TPP", c.name)
		assert.InDelta(t, tpp/c.areaMM2, ch.PD, 0.015*ch.PD, "%s PD", c.name)
		assert.InDelta(t, c.bf16, ch.BF16TFLOPS, 0.01*c.bf16, "%s BF16", c.name)
		assert.InDelta(t, c.memTBs, ch.MemTBs, 0.01*c.memTBs, "%s bandwidth", c.name)
		assert.Equal(t, c.stacks, ch.HBMStacks, "%s stacks", c.name)
		assert.Equal(t, c.dies, ch.Dies, "%s dies", c.name)
	}
}

// The RTX Pro 6000D passes every line of current-policy by its numbers
// (TPP 2,324, PD 3.1), and is caught only where the licence-free TPP line
// drops below it: escalation-2025's 1,600 from 2025Q4. If its figures
// put it above 4,800 or its PD above 5.92, the first check fails.
func TestRTXPro6000DCaughtOnlyByALowerLine(t *testing.T) {
	cp, esc := loadBuiltin(t, "current-policy"), loadBuiltin(t, "escalation-2025")
	p := sim.NewPeriod(2026, 1)
	assert.Equal(t, allowed, statusAt(cp, "RTX Pro 6000D", p))
	assert.Equal(t, licensed, statusAt(esc, "RTX Pro 6000D", p))
	assert.Equal(t, allowed, statusAt(esc, "RTX Pro 6000D", sim.NewPeriod(2025, 3)))
}

// The H20's production halt (The Information / Reuters 2025-08-22) ends its
// sale after 2025Q3.
func TestH20EndOfSale(t *testing.T) {
	h20 := chipNamed("H20")
	assert.True(t, h20.OnSale(sim.NewPeriod(2025, 3)))
	assert.False(t, h20.OnSale(sim.NewPeriod(2025, 4)))
}

// leversAt returns the value of every lever in quarter p under the
// scenario's certain events (no probability, no delay), as the engine
// resolves them: registry defaults, then events in order.
func leversAt(sc *sim.Scenario, p sim.Period) []float64 {
	v := make([]float64, len(Registry.Levers))
	for i := range Registry.Levers {
		v[i] = Registry.Levers[i].Default
	}
	for _, e := range sc.Events {
		if !e.Uncertain() && e.Effective <= p {
			v[e.Lever] = e.Value
		}
	}
	return v
}

// statusAt is a foreign chip's status in quarter p under the scenario's
// export rule: unavailable off sale, else the rule's verdict.
func statusAt(sc *sim.Scenario, name string, p sim.Period) chipStatus {
	bit := 0
	for i := range Catalogue {
		c := &Catalogue[i]
		if c.Domestic {
			continue
		}
		if c.Name == name {
			if !c.OnSale(p) {
				return unavailable
			}
			v := leversAt(sc, p)
			ru := ruleAt(nil, func(i int) float64 { return v[i] })
			return ru.status(&foreignChip{Chip: c, bit: uint64(1) << bit})
		}
		bit++
	}
	panic("no foreign chip " + name)
}

// What current-policy's rules say of a few chips, quarter by quarter
// (licensed: needs a licence, which is denied; the sources are the events
// of scenarios/builtin/current-policy.toml).
func TestChipStatusUnderCurrentPolicy(t *testing.T) {
	sc := loadBuiltin(t, "current-policy")
	names := map[chipStatus]string{unavailable: "unavailable", allowed: "allowed", excepted: "excepted", licensed: "licensed"}
	for _, c := range []struct {
		chip string
		p    sim.Period
		want chipStatus
	}{
		{"A800", sim.NewPeriod(2023, 3), allowed},              // 400 GB/s passes the 2022 I/O test
		{"A800", sim.NewPeriod(2023, 4), licensed},             // the 2023-10-17 rule drops the I/O test
		{"H800", sim.NewPeriod(2023, 3), allowed},              // likewise
		{"H800", sim.NewPeriod(2023, 4), licensed},             //
		{"H100", sim.NewPeriod(2023, 1), licensed},             // TPP 15,832 ≥ 4,800 with 900 GB/s
		{"H20", sim.NewPeriod(2024, 2), allowed},               // PD 2.91 < 5.92, TPP 2,368 < 4,800
		{"H20", sim.NewPeriod(2025, 1), allowed},               // no rule announced before 2025-04-09
		{"H20", sim.NewPeriod(2025, 2), licensed},              // named licence, notified 2025-04-09
		{"H20", sim.NewPeriod(2025, 3), excepted},              // licences with a 15% share, 2025-08-11
		{"H20", sim.NewPeriod(2025, 4), unavailable},           // production halted, 2025-08
		{"H200", sim.NewPeriod(2025, 3), licensed},             // TPP above the threshold
		{"H200", sim.NewPeriod(2026, 1), excepted},             // approved 2025-12-08 with a 25% share
		{"B200", sim.NewPeriod(2025, 2), licensed},             // Blackwell stays barred
		{"B300", sim.NewPeriod(2025, 4), licensed},             //
		{"B300", sim.NewPeriod(2030, 4), licensed},             // held where it stands
		{"B30A", sim.NewPeriod(2025, 4), unavailable},          // not yet sold
		{"B30A", sim.NewPeriod(2026, 2), licensed},             // reported, never approved
		{"RTX Pro 6000D", sim.NewPeriod(2025, 2), unavailable}, // launched 2025-07
		{"RTX Pro 6000D", sim.NewPeriod(2025, 3), allowed},     // TPP 2,324 < 4,800, PD 3.1 < 5.92
		{"RTX Pro 6000D", sim.NewPeriod(2030, 4), allowed},     // only China's own block stops it
		{"MI308", sim.NewPeriod(2025, 1), unavailable},         // first sale taken as 2025Q2
		{"MI308", sim.NewPeriod(2025, 2), licensed},            // named with the H20, AMD 8-K 2025-04-16
		{"MI308", sim.NewPeriod(2025, 3), excepted},            // licensed with a 15% share, 2025-08
		{"MI308", sim.NewPeriod(2026, 1), excepted},            // kept in the December 2025 exceptions
		{"MI308", sim.NewPeriod(2026, 3), unavailable},         // no new wafers after 2025-09: sold out by 2026Q2
	} {
		got := statusAt(sc, c.chip, c.p)
		assert.Equal(t, names[c.want], names[got], "%s in %s", c.chip, c.p)
	}
}

// The die channel closes when TSMC halts, in 2024Q4: under current-policy
// the foundry lever is off until 2024Q3 and on from 2024Q4.
func TestDieChannelClosesWithTSMCHalt(t *testing.T) {
	sc := loadBuiltin(t, "current-policy")
	i := leverIdx.dueDiligence
	assert.Zero(t, leversAt(sc, sim.NewPeriod(2024, 3))[i])
	assert.Equal(t, 1.0, leversAt(sc, sim.NewPeriod(2024, 4))[i])
	// bankOpenQuarters counts the quarters the lever leaves open from
	// bankFillStart, so current-policy's bank holds exactly diebank.dies.
	open := 0
	for p := sim.NewPeriod(2023, 3); p.Decimal() < bankFillEnd; p++ {
		if leversAt(sc, p)[i] == 0 {
			open++
		}
	}
	assert.Equal(t, bankOpenQuarters, float64(open))
	assert.False(t, math.IsNaN(bankOpenQuarters))
}
