package web

import (
	"math"
	"sort"
	"strings"

	"github.com/chokepoint-sim/chokepoint/scenarios"
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

// defaultScenario is the library's default scenario, or the first the
// server has when its library lacks that one.
func (s *Server) defaultScenario() string {
	if _, ok := s.presets[scenarios.Default]; ok || len(s.names) == 0 {
		return scenarios.Default
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
	// Plain is what the page shows a student: the lever in plain words,
	// no keys; Description and Key go to the researchers' details.
	Plain  string  `json:"plain"`
	Source string  `json:"source"`
	Slider *slider `json:"slider,omitempty"`
	None   *none   `json:"none,omitempty"`
}

// slider is the range a classroom slider offers: narrower than the
// lever's bounds where those run to a "no rule" value of 1e6.
type slider struct {
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
	Step float64 `json:"step"`
	// MinLabel is what the page writes at Min, when that value has a
	// meaning of its own.
	MinLabel string `json:"minLabel,omitempty"`
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
	Plain       string  `json:"plain"`
	Source      string  `json:"source"`
	Slider      *slider `json:"slider,omitempty"`
}

type outputInfo struct {
	Key         string `json:"key"`
	Label       string `json:"label,omitempty"`
	Subtitle    string `json:"subtitle,omitempty"`
	Unit        string `json:"unit"`
	Description string `json:"description"`
	Log         bool   `json:"log,omitempty"`
	// Featured names the surfaces that show the output unasked
	// (sim.Surface.Names): the page draws "page-charts" and "page-cost",
	// and lists "page-changes" in its table of what changed.
	Featured []string `json:"featured,omitempty"`
	// PartOf is the output whose channel split shows this one as a part
	// (sim.Registry.PartOf): the page lists a "page-changes" output under it.
	PartOf string `json:"part_of,omitempty"`
	// Derived outputs are computed by the server from output Of.
	Derived bool   `json:"derived,omitempty"`
	Of      string `json:"of,omitempty"`
	Kind    string `json:"kind,omitempty"` // how: "cumulative"
}

// outputsAnswer is what GET /api/outputs answers: every output, the
// model's then the derived ones, in registry order.
type outputsAnswer struct {
	Outputs []outputInfo `json:"outputs"`
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
		Groups: reg.LeverGroups(), Levers: []leverInfo{}, Assumptions: []paramInfo{}, Params: []paramInfo{},
		Outputs:  s.outputsAnswer().Outputs,
		Limits:   limitsInfo{MaxRuns: s.MaxRuns, MaxBodyBytes: s.MaxBody, TimeoutSeconds: s.Timeout.Seconds()},
		Defaults: defaultsInfo{Scenario: s.defaultScenario(), Runs: s.DefaultRuns, Seed: 1, From: defaultFromQuarter},
		Version:  s.Version,
	}
	for i := range reg.Levers {
		a.Levers = append(a.Levers, leverOf(&reg.Levers[i]))
	}
	var offered []*sim.Param
	for i := range reg.Params {
		p := &reg.Params[i]
		a.Params = append(a.Params, paramOf(p))
		if p.Classroom > 0 {
			offered = append(offered, p)
		}
	}
	sort.SliceStable(offered, func(i, j int) bool { return offered[i].Classroom < offered[j].Classroom })
	for _, p := range offered {
		info := paramOf(p)
		info.Label = p.ShortLabel()
		info.Slider = &slider{Min: p.Slider.Min, Max: p.Slider.Max, Step: p.Slider.Step, MinLabel: p.Slider.MinLabel}
		a.Assumptions = append(a.Assumptions, info)
	}
	return a
}

// leverOf is what the page shows of a lever: a number lever gets its
// registry slider, else one over its bounds with a round step.
func leverOf(l *sim.Lever) leverInfo {
	info := leverInfo{Key: l.Key, Label: l.ShortLabel(), Group: l.Group, Unit: l.Unit, Kind: kindName(l.Kind),
		Min: l.Min, Max: l.Max, Default: leverValueJSON(l, l.Default), Items: l.Items,
		Description: l.Description, Plain: l.PlainText(), Source: l.Source}
	if l.Kind != sim.LeverNumber {
		return info
	}
	if sl := l.Slider; sl != nil {
		info.Slider = &slider{Min: sl.Min, Max: sl.Max, Step: sl.Step, MinLabel: sl.MinLabel}
	} else {
		info.Slider = &slider{Min: l.Min, Max: l.Max, Step: niceStep(l.Max - l.Min)}
	}
	if l.None != nil {
		info.None = &none{Value: l.None.Value, Label: l.None.Label}
	}
	return info
}

func (s *Server) outputsAnswer() outputsAnswer {
	a := outputsAnswer{Outputs: []outputInfo{}}
	for _, os := range [][]sim.Output{s.reg.Outputs, s.reg.Derived} {
		for _, o := range os {
			info := outputInfo{Key: o.Key, Label: o.Label, Subtitle: o.Subtitle, Unit: o.Unit,
				Description: o.Description, Log: o.Log, Featured: o.Featured.Names(), PartOf: s.reg.PartOf(o.Key)}
			if d := o.Derived; d != nil {
				info.Derived, info.Of, info.Kind = true, d.Of, d.Kind.String()
			}
			a.Outputs = append(a.Outputs, info)
		}
	}
	return a
}

func paramOf(p *sim.Param) paramInfo {
	d := p.Dist()
	clip := func(v float64) float64 { return math.Min(math.Max(v, p.Min), p.Max) }
	return paramInfo{Key: p.Key, Label: sim.LabelOf(p.Key), Group: p.Group, Unit: p.Unit, Min: p.Min, Max: p.Max,
		Default: p.Default, P05: clip(d.Quantile(0.05)), P50: clip(d.Quantile(0.5)), P95: clip(d.Quantile(0.95)),
		Description: p.Description, Plain: p.PlainText(), Source: p.Source}
}
