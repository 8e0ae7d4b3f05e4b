package main

import (
	_ "embed"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/chokepoint-sim/chokepoint/output"
	"github.com/chokepoint-sim/chokepoint/scenarios"
	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/dist"
	"github.com/chokepoint-sim/chokepoint/sim/suggest"
)

func newParamsCmd() *cobra.Command {
	var markdown bool
	c := &cobra.Command{
		Use:   "params [KEY]",
		Short: "List every parameter and lever with its unit and default, or one in full",
		Long: `List every uncertain parameter (its default as a 90% range) and every
policy lever, in tables that fit a 100-column terminal.

  chokepoint params KEY    one parameter or lever in full: meaning, unit,
                           bounds, default as a 90% range and its form,
                           source, and the outputs it moves most under
                           ` + scenarios.Default + ` (partial rank correlation at ` + movesAt + `,
                           ` + fmt.Sprint(movesRuns) + ` runs, seed ` + fmt.Sprint(movesSeed) + `)`,
		Example: "  chokepoint params fab.yield_ceiling",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			w := cmd.OutOrStdout()
			switch {
			case markdown && len(args) > 0:
				return usagef("params: --markdown lists every parameter; it takes no KEY (found %q)", args[0])
			case markdown:
				_, err := fmt.Fprint(w, output.ParamsMarkdown(registry()))
				return err
			case len(args) == 1:
				return paramEntry(w, args[0])
			}
			return paramsList(w)
		},
	}
	c.Flags().BoolVar(&markdown, "markdown", false, "print Markdown tables (as in docs/MODEL.md)")
	return c
}

// paramsList writes the parameter and lever tables.
func paramsList(w io.Writer) error {
	reg := registry()
	fmt.Fprintf(w, "Parameters: each default is the 90%% range of its draws (5th to 95th percentile).\n"+
		"'chokepoint params KEY' gives one in full, with its source.\n\n")
	rows := make([][]string, 0, len(reg.Params))
	for i := range reg.Params {
		p := &reg.Params[i]
		rows = append(rows, []string{p.Key, p.Unit, output.ParamRange(p), p.Description})
	}
	if err := writeTable(w, []string{"PARAMETER", "UNIT", "DEFAULT", "DESCRIPTION"}, rows); err != nil {
		return err
	}
	fmt.Fprintln(w)
	rows = rows[:0]
	for i := range reg.Levers {
		l := &reg.Levers[i]
		rows = append(rows, []string{l.Key, l.Unit, l.FormatValue(l.Default), output.LeverRange(l), l.Description})
	}
	return writeTable(w, []string{"LEVER", "UNIT", "DEFAULT", "RANGE", "DESCRIPTION"}, rows)
}

// paramEntry writes one parameter or lever in full; an unknown key is a
// usage error naming the close ones.
func paramEntry(w io.Writer, key string) error {
	reg := registry()
	if i, ok := reg.ParamIndex(key); ok {
		return writeParamEntry(w, i)
	}
	if i, ok := reg.LeverIndex(key); ok {
		return writeLeverEntry(w, &reg.Levers[i])
	}
	keys := append(reg.ParamKeys(), reg.LeverKeys()...)
	msg := fmt.Sprintf("params: unknown parameter or lever %q", key)
	if close := closeKeys(key, keys); len(close) > 0 {
		msg += fmt.Sprintf(" (did you mean %s?)", strings.Join(close, ", "))
	} else {
		msg += "; 'chokepoint params' lists them all"
	}
	return usagef("%s", msg)
}

// closeKeys returns up to three keys near key: within a few edits of it,
// or holding its last dotted part, nearest first.
func closeKeys(key string, keys []string) []string {
	type near struct {
		k string
		d int
	}
	var ns []near
	tail := key[strings.LastIndex(key, ".")+1:]
	for _, k := range keys {
		d := suggest.EditDistance(key, k)
		if d <= max(2, len(key)/4) || (len(tail) >= 4 && strings.Contains(k, tail)) {
			ns = append(ns, near{k, d})
		}
	}
	sort.SliceStable(ns, func(i, j int) bool { return ns[i].d < ns[j].d })
	var out []string
	for i := 0; i < len(ns) && i < 3; i++ {
		out = append(out, fmt.Sprintf("%q", ns[i].k))
	}
	return out
}

func writeParamEntry(w io.Writer, i int) error {
	p := &registry().Params[i]
	d := p.Dist()
	fields := [][2]string{
		{"meaning", p.Description},
		{"unit", p.Unit},
		{"bounds", fmt.Sprintf("%s to %s (every draw lies within)", sim.FormatNumber(p.Min), sim.FormatNumber(p.Max))},
	}
	switch lo, hi := d.Support(); {
	case len(p.Levels) > 0:
		fields = append(fields, [2]string{"default", p.Describe(d) + " of runs (a formulation drawn per run)"})
	case lo == hi:
		fields = append(fields, [2]string{"default", sim.FormatNumber(lo) + " (fixed)"})
	default:
		fields = append(fields,
			[2]string{"default", fmt.Sprintf("%s to %s (90%% range: 5th to 95th percentile), median %s",
				output.FormatRange(d.Quantile(0.05)), output.FormatRange(d.Quantile(0.95)), output.FormatRange(d.Quantile(0.5)))},
			[2]string{"form", dist.Form(d)})
	}
	fields = append(fields,
		[2]string{"as written", p.Default},
		[2]string{"source", p.Source},
		[2]string{"moves most", movesMost(p.Key)})
	fmt.Fprintf(w, "%s: %s (parameter, %s)\n", p.Key, paramLabel(p), p.Group)
	return writeEntry(w, fields)
}

// paramLabel is a parameter's few plain words, or its key's last part.
func paramLabel(p *sim.Param) string {
	if p.Label != "" {
		return p.Label
	}
	return strings.ReplaceAll(p.Key[strings.LastIndex(p.Key, ".")+1:], "_", " ")
}

func writeLeverEntry(w io.Writer, l *sim.Lever) error {
	label := l.Label
	if label == "" {
		label = l.Key
	}
	fields := [][2]string{
		{"meaning", l.Description},
		{"unit", l.Unit},
		{"range", output.LeverRange(l)},
		{"default", l.FormatValue(l.Default) + " (before any scenario event: no policy)"},
	}
	if l.None != nil {
		fields = append(fields, [2]string{"none", fmt.Sprintf("%s means %s", sim.FormatNumber(l.None.Value), l.None.Label)})
	}
	fields = append(fields,
		[2]string{"source", l.Source},
		[2]string{"effects", "'chokepoint levers' runs each lever's strong setting against " + scenarios.Default})
	fmt.Fprintf(w, "%s: %s (lever, %s)\n", l.Key, label, l.Group)
	return writeEntry(w, fields)
}

// The batch behind "moves most": the default scenario's PRCC, as
// `chokepoint sensitivity SCENARIO --output NAME --at 2030Q4` computes it
// with its default runs and seed. paramEffectsFile holds its result, so
// that `params KEY` answers at once; TestParamEffectsTable runs the batch
// again and fails when the file is out of date beyond rounding (-update
// rewrites it).
const (
	movesAt   = "2030Q4"
	movesRuns = 1000
	movesSeed = 1
	movesTop  = 3
	// movesClear is the size below which a partial rank correlation is
	// not called a clear effect (±0.1 is about twice its standard error
	// at 1,000 runs, 1/sqrt(1000 - k) for k ≈ 70 parameters).
	movesClear = 0.1
)

//go:embed param_effects.csv
var paramEffectsFile string

// paramEffects reads paramEffectsFile: for each parameter, its largest
// partial rank correlations with the outputs, largest first.
func paramEffects() map[string][]effect { return parseEffects(paramEffectsFile) }

// parseEffects reads a table of parameter, output and PRCC.
func parseEffects(text string) map[string][]effect {
	m := map[string][]effect{}
	for _, ln := range strings.Split(strings.TrimSpace(text), "\n")[1:] {
		f := strings.Split(ln, ",")
		if len(f) != 3 {
			continue
		}
		v, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			continue
		}
		m[f[0]] = append(m[f[0]], effect{f[1], v})
	}
	return m
}

// movesMost says which outputs parameter key moves most under the default
// scenario: its largest partial rank correlations at movesAt, with their
// signs.
func movesMost(key string) string {
	how := fmt.Sprintf("(partial rank correlation at %s under %s, %d runs, seed %d; "+
		"'chokepoint sensitivity %s --output NAME' for more)", movesAt, scenarios.Default, movesRuns, movesSeed, scenarios.Default)
	eff, ok := paramEffects()[key]
	if !ok {
		return fmt.Sprintf("not measured: %s fixes it, or the model is not the one the table was made for", scenarios.Default)
	}
	var parts []string
	for _, e := range eff {
		if len(parts) == movesTop || math.Abs(e.prcc) < movesClear {
			break
		}
		parts = append(parts, fmt.Sprintf("%s %+.2f", e.output, e.prcc))
	}
	if len(parts) == 0 {
		return fmt.Sprintf("no output clearly (every partial rank correlation within ±%g) %s", movesClear, how)
	}
	return strings.Join(parts, ", ") + " " + how
}

// effect is a parameter's partial rank correlation with one output.
type effect struct {
	output string
	prcc   float64
}

func newOutputsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "outputs",
		Short: "List every output with its unit and meaning",
		Long: `List every output the model computes, with its unit and meaning, and the
outputs derived from others after the runs. Output names are what
--output, summary.csv and the charts use.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			reg := registry()
			rows := make([][]string, 0, len(reg.Outputs)+len(reg.Derived))
			for _, o := range reg.Outputs {
				rows = append(rows, []string{o.Key, o.Unit, outputMeaning(&o)})
			}
			for _, o := range reg.Derived {
				m := outputMeaning(&o) + fmt.Sprintf(" (%s of %s, computed after the runs)", o.Derived.Kind, o.Derived.Of)
				rows = append(rows, []string{o.Key, o.Unit, m})
			}
			return writeTable(cmd.OutOrStdout(), []string{"OUTPUT", "UNIT", "MEANING"}, rows)
		},
	}
}

// outputMeaning is an output's description, led by its label when it has
// one.
func outputMeaning(o *sim.Output) string {
	if o.Label == "" {
		return o.Description
	}
	return o.Label + ": " + o.Description
}
