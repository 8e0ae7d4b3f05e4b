package web

import (
	"math"
	"strings"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// What GET /api/scenarios and GET /api/levers answer. Both are built from
// the scenarios and the registry once, when the server starts, so a lever
// added to the registry appears on the page without editing the page.

type scenariosAnswer struct {
	Default   string         `json:"default"`
	Scenarios []scenarioInfo `json:"scenarios"`
}

type scenarioInfo struct {
	Name        string      `json:"name"`
	Title       string      `json:"title"`
	Description string      `json:"description"`
	Start       string      `json:"start"`
	End         string      `json:"end"`
	Events      []eventInfo `json:"events"`
}

type eventInfo struct {
	ID          string  `json:"id"`
	Lever       string  `json:"lever"`
	Value       any     `json:"value"`
	Effective   string  `json:"effective"`
	Announced   string  `json:"announced,omitempty"`
	Probability float64 `json:"probability"`
	// Delayed marks an event whose date is drawn per run.
	Delayed bool   `json:"delayed,omitempty"`
	Note    string `json:"note,omitempty"`
	Source  string `json:"source,omitempty"`
}

func (s *Server) scenariosAnswer() scenariosAnswer {
	a := scenariosAnswer{Default: s.defaultScenario(), Scenarios: []scenarioInfo{}}
	for _, n := range s.names {
		sc := s.presets[n]
		info := scenarioInfo{Name: n, Title: sc.Title, Description: strings.TrimSpace(sc.Description),
			Start: sc.Span.Start.String(), End: sc.Span.End.String(), Events: []eventInfo{}}
		for _, e := range sc.Events {
			l := &s.reg.Levers[e.Lever]
			ei := eventInfo{ID: e.ID, Lever: l.Key, Value: leverValueJSON(l, e.Value),
				Effective: e.Effective.String(), Probability: e.Probability, Delayed: e.Delay != nil,
				Note: e.Note, Source: e.Source}
			if e.Announced != e.Effective {
				ei.Announced = e.Announced.String()
			}
			info.Events = append(info.Events, ei)
		}
		a.Scenarios = append(a.Scenarios, info)
	}
	return a
}

func (s *Server) defaultScenario() string {
	if _, ok := s.presets[defaultScenario]; ok || len(s.names) == 0 {
		return defaultScenario
	}
	return s.names[0]
}

// leverValueJSON writes a lever value as the API takes it: a number, true or
// false, or a list of names.
func leverValueJSON(l *sim.Lever, v float64) any {
	switch l.Kind {
	case sim.LeverSwitch:
		return v != 0
	case sim.LeverSet:
		items := l.SetItems(v)
		if items == nil {
			items = []string{}
		}
		return items
	}
	return v
}

type leversAnswer struct {
	Groups      []string     `json:"groups"`
	Levers      []leverInfo  `json:"levers"`
	Assumptions []paramInfo  `json:"assumptions"`
	Params      []paramInfo  `json:"params"`
	Outputs     []outputInfo `json:"outputs"`
	Limits      limitsInfo   `json:"limits"`
	Defaults    defaultsInfo `json:"defaults"`
	Version     string       `json:"version"`
}

type leverInfo struct {
	Key         string   `json:"key"`
	Label       string   `json:"label"`
	Group       string   `json:"group"`
	Unit        string   `json:"unit"`
	Kind        string   `json:"kind"` // number, switch or set
	Min         float64  `json:"min"`
	Max         float64  `json:"max"`
	Default     any      `json:"default"`
	Items       []string `json:"items,omitempty"`
	Description string   `json:"description"`
	Source      string   `json:"source"`
	Slider      *slider  `json:"slider,omitempty"`
	None        *none    `json:"none,omitempty"`
}

// slider is the range a classroom slider offers: narrower than the
// lever's bounds where those run to a "no rule" value of 1e6.
type slider struct {
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
	Step float64 `json:"step"`
}

// none is the value of a lever that means "no such rule", offered as a
// checkbox beside the slider.
type none struct {
	Value float64 `json:"value"`
	Label string  `json:"label"`
}

type paramInfo struct {
	Key         string  `json:"key"`
	Label       string  `json:"label"`
	Group       string  `json:"group"`
	Unit        string  `json:"unit"`
	Min         float64 `json:"min"`
	Max         float64 `json:"max"`
	Default     string  `json:"default"`
	P05         float64 `json:"p05"`
	P50         float64 `json:"p50"`
	P95         float64 `json:"p95"`
	Description string  `json:"description"`
	Source      string  `json:"source"`
	Slider      *slider `json:"slider,omitempty"`
}

type outputInfo struct {
	Key         string `json:"key"`
	Unit        string `json:"unit"`
	Description string `json:"description"`
	Log         bool   `json:"log,omitempty"`
	Derived     bool   `json:"derived,omitempty"`
}

type limitsInfo struct {
	MaxRuns        int     `json:"maxRuns"`
	MaxBodyBytes   int64   `json:"maxBodyBytes"`
	TimeoutSeconds float64 `json:"timeoutSeconds"`
}

type defaultsInfo struct {
	Scenario string `json:"scenario"`
	Runs     int    `json:"runs"`
	Seed     uint64 `json:"seed"`
	From     string `json:"from"`
}

// groupOrder is the order of lever groups on the page (MODEL.md section 5
// and the classroom issue); groups not listed follow in registry order.
var groupOrder = []string{"US chip rules", "Allied equipment controls", "Enforcement", "China's response"}

// classroomLever holds what the registry does not say about a lever but a
// classroom needs: a short label, a slider range a student can handle, and
// the value that means "no rule".
type classroomLever struct {
	label          string
	min, max, step float64
	none           float64
	noneLabel      string
}

var classroomLevers = map[string]classroomLever{
	"export.tpp_threshold":     {label: "Licence threshold", min: 0, max: 40000, step: 100, none: 1e6, noneLabel: "no threshold"},
	"export.interconnect_gbs":  {label: "Interconnect test", min: 0, max: 1200, step: 50},
	"export.pd_threshold":      {label: "Density rule", min: 0, max: 25, step: 0.1, none: 1e6, noneLabel: "no density rule"},
	"export.pd_tpp_floor":      {label: "Density rule's TPP floor", min: 0, max: 10000, step: 100},
	"export.licence_approval":  {label: "Licences approved", min: 0, max: 1, step: 0.05},
	"export.exceptions":        {label: "Chips allowed anyway"},
	"export.named_licence":     {label: "Chips needing a licence by name"},
	"export.fee":               {label: "Fee on allowed sales", min: 0, max: 1, step: 0.05},
	"export.china_volume_cap":  {label: "China volume cap", min: 0, max: 2e6, step: 1e4, none: 1e9, noneLabel: "no cap"},
	"enforcement.leakage":      {label: "Smuggling of blocked demand", min: 0, max: 1, step: 0.01},
	"enforcement.cloud_access": {label: "Training in overseas clouds", min: 0, max: 1, step: 0.01},
	"enforcement.tier2_caps":   {label: "Diffusion-rule Tier-2 caps"},
	"foundry.due_diligence":    {label: "Foundry due-diligence rule"},
	"hbm.export_ban":           {label: "HBM export ban"},
	"sme.allied_alignment":     {label: "Allied equipment alignment", min: 0, max: 1, step: 0.05},
	"sme.servicing_ban":        {label: "Tool servicing ban", min: 0, max: 1, step: 0.05},
	"entity.smic_cutoff":       {label: "SMIC cut off"},
	"entity.cxmt_listed":       {label: "CXMT entity-listed"},
	"china.domestic_mandate":   {label: "Domestic-chip mandate", min: 0, max: 0.99, step: 0.01},
	"china.import_block":       {label: "China blocks US chips", min: 0, max: 1, step: 0.05},
	"china.mineral_controls":   {label: "Mineral counter-controls", min: 0, max: 1, step: 0.05},
	"china.state_investment":   {label: "Extra state chip money", min: 0, max: 1e11, step: 1e9},
	"demand.capex_pledges":     {label: "Firms' AI capex pledges", min: 0, max: 1e11, step: 1e9},
}

// classroomParams are the uncertain assumptions the page offers, in order.
var classroomParams = []struct {
	key, label     string
	min, max, step float64
}{
	{"efficiency.halving_months", "Algorithmic progress", 3, 24, 0.5},
	{"substitution.elasticity", "Substitution elasticity ε", 0, 3, 0.05},
	{"fab.yield_ceiling", "Yield ceiling", 0.3, 0.95, 0.01},
	{"efficiency.scarcity_bonus", "Scarcity bonus σ", 0, 2, 0.05},
	{"us.compute_growth", "US frontier growth", 1.5, 6, 0.1},
}

// labelOf makes a label from a key the tables above do not know:
// "fab.yield_ceiling" → "Yield ceiling".
func labelOf(key string) string {
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		key = key[i+1:]
	}
	key = strings.ReplaceAll(key, "_", " ")
	if key == "" {
		return key
	}
	return strings.ToUpper(key[:1]) + key[1:]
}

// niceStep is a round step near span/100.
func niceStep(span float64) float64 {
	if !(span > 0) || math.IsInf(span, 0) {
		return 1
	}
	raw := span / 100
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func kindName(k sim.LeverKind) string {
	switch k {
	case sim.LeverSwitch:
		return "switch"
	case sim.LeverSet:
		return "set"
	}
	return "number"
}

func (s *Server) leversAnswer() leversAnswer {
	reg := s.reg
	a := leversAnswer{
		Levers: []leverInfo{}, Assumptions: []paramInfo{}, Params: []paramInfo{}, Outputs: []outputInfo{},
		Limits:   limitsInfo{MaxRuns: s.MaxRuns, MaxBodyBytes: s.MaxBody, TimeoutSeconds: s.Timeout.Seconds()},
		Defaults: defaultsInfo{Scenario: s.defaultScenario(), Runs: s.DefaultRuns, Seed: 1, From: defaultFromQuarter},
		Version:  s.Version,
	}
	seen := map[string]bool{}
	for _, g := range groupOrder {
		for _, l := range reg.Levers {
			if l.Group == g && !seen[g] {
				seen[g] = true
				a.Groups = append(a.Groups, g)
			}
		}
	}
	for _, l := range reg.Levers {
		if !seen[l.Group] {
			seen[l.Group] = true
			a.Groups = append(a.Groups, l.Group)
		}
	}
	for i := range reg.Levers {
		l := &reg.Levers[i]
		c, known := classroomLevers[l.Key]
		info := leverInfo{Key: l.Key, Label: c.label, Group: l.Group, Unit: l.Unit, Kind: kindName(l.Kind),
			Min: l.Min, Max: l.Max, Default: leverValueJSON(l, l.Default), Items: l.Items,
			Description: l.Description, Source: l.Source}
		if info.Label == "" {
			info.Label = labelOf(l.Key)
		}
		if l.Kind == sim.LeverNumber {
			switch {
			case known && c.max > c.min:
				info.Slider = &slider{Min: c.min, Max: c.max, Step: c.step}
			default:
				info.Slider = &slider{Min: l.Min, Max: l.Max, Step: niceStep(l.Max - l.Min)}
			}
			if known && c.noneLabel != "" {
				info.None = &none{Value: c.none, Label: c.noneLabel}
			}
		}
		a.Levers = append(a.Levers, info)
	}
	for _, cp := range classroomParams {
		i, ok := reg.ParamIndex(cp.key)
		if !ok {
			continue
		}
		info := paramOf(&reg.Params[i])
		info.Label = cp.label
		info.Slider = &slider{Min: math.Max(cp.min, reg.Params[i].Min), Max: math.Min(cp.max, reg.Params[i].Max), Step: cp.step}
		a.Assumptions = append(a.Assumptions, info)
	}
	for i := range reg.Params {
		a.Params = append(a.Params, paramOf(&reg.Params[i]))
	}
	for _, o := range reg.Outputs {
		a.Outputs = append(a.Outputs, outputInfo{Key: o.Key, Unit: o.Unit, Description: o.Description, Log: o.Log})
	}
	if _, ok := reg.OutputIndex(revenueOutput); ok {
		a.Outputs = append(a.Outputs, outputInfo{Key: cumulativeRevenue, Unit: "USD", Derived: true,
			Description: "foregone US revenue summed from the request's from quarter (else the span's start) to each quarter"})
	}
	return a
}

func paramOf(p *sim.Param) paramInfo {
	d := p.Dist()
	clip := func(v float64) float64 { return math.Min(math.Max(v, p.Min), p.Max) }
	return paramInfo{Key: p.Key, Label: labelOf(p.Key), Group: p.Group, Unit: p.Unit, Min: p.Min, Max: p.Max,
		Default: p.Default, P05: clip(d.Quantile(0.05)), P50: clip(d.Quantile(0.5)), P95: clip(d.Quantile(0.95)),
		Description: p.Description, Source: p.Source}
}
