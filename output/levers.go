package output

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// LeversName is the lever table's file in a results folder.
const LeversName = "levers.csv"

// LeversHeader is the column list of levers.csv.
var LeversHeader = []string{"lever", "group", "tightening", "setting", "lifted", "was", "value", "open", "variant",
	"output", "change", "period", "median", "share_higher", "share_lower", "runs", "base", "from"}

// variantNames name the lever table's variants in files.
var variantNames = [...]string{sim.AsDrawn: "as-drawn", sim.InducedOff: "induced-off"}

// WriteLeverTableCSV writes levers.csv: one row per lever, variant, output
// and date, with the median paired change (relative, or in the output's
// unit for an absolute output) and the share of runs higher.
func WriteLeverTableCSV(w io.Writer, t *sim.LeverTableResult) error {
	cw := newCSV(w)
	if err := cw.Write(LeversHeader); err != nil {
		return err
	}
	reg := t.Registry
	for _, row := range t.Rows {
		l := &reg.Levers[row.Lever]
		for v, cells := range row.Cells {
			for o, out := range t.Spec.Outputs {
				change := "relative"
				if out.Absolute {
					change = "difference"
				}
				for d, per := range t.Dates {
					c := cells[o*len(t.Dates)+d]
					rec := []string{l.Key, l.Group, strconv.FormatBool(l.Strong.Tightening), l.Strong.Says,
						strconv.FormatBool(row.Lifted), num(row.Was), num(row.Value), openText(reg, l.Strong.Open, ""),
						variantNames[v], out.Key, change, per.String(), num(c.Median), num(c.ShareHigher), num(c.ShareLower),
						strconv.Itoa(t.Runs), t.Base, t.From.String()}
					if err := cw.Write(rec); err != nil {
						return err
					}
				}
			}
		}
	}
	return cw.Flush()
}

// WriteLeverTableMarkdown writes the lever table as two Markdown tables
// (induced responses as drawn, then off): one row per lever, one column
// per output and date, each cell the median paired change with the share
// of runs higher in brackets.
func WriteLeverTableMarkdown(w io.Writer, t *sim.LeverTableResult) error {
	var b strings.Builder
	titles := [...]string{sim.AsDrawn: "Induced responses as drawn", sim.InducedOff: "Induced responses off (" + codeList(t.Spec.Induced) + " = 0)"}
	for v := range titles {
		if v > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "**%s.** %s from %s against %s, %d paired runs, seed %d: median paired change (share of runs higher).\n\n",
			titles[v], "Each lever's strong setting", t.From, t.Base, t.Runs, t.Seed)
		b.WriteString("| lever | setting |")
		sep := "|---|---|"
		for _, out := range t.Spec.Outputs {
			for _, per := range t.Dates {
				fmt.Fprintf(&b, " %s %s |", outputLabel(t.Registry, out.Key), per)
				sep += "---|"
			}
		}
		b.WriteString("\n" + sep + "\n")
		for _, row := range t.Rows {
			writeLeverRow(&b, t, row, v)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeLeverRow writes one Markdown row of variant v.
func writeLeverRow(b *strings.Builder, t *sim.LeverTableResult, row sim.LeverRow, v int) {
	reg := t.Registry
	l := &reg.Levers[row.Lever]
	setting := l.Strong.Says
	if row.Lifted {
		setting = "lifted (" + leverValue(l, row.Was) + " → " + leverValue(l, row.Value) + ")"
	}
	if !l.Strong.Tightening {
		setting += "; China's own"
	}
	setting += openText(reg, l.Strong.Open, "; with ")
	if d := l.Strong.Dominated; d != nil {
		setting += "; dominated while " + d.While
	}
	fmt.Fprintf(b, "| `%s` | %s |", l.Key, setting)
	for o, out := range t.Spec.Outputs {
		for d := range t.Dates {
			c := row.Cells[v][o*len(t.Dates)+d]
			fmt.Fprintf(b, " %s (%.0f%%) |", formatChange(c.Median, out.Absolute), 100*c.ShareHigher)
		}
	}
	b.WriteString("\n")
}

// formatChange writes a median change: months with one decimal for an
// absolute output, else a percentage.
func formatChange(m float64, absolute bool) string {
	switch {
	case math.IsInf(m, 0) || math.IsNaN(m):
		return fmt.Sprint(m)
	case absolute:
		return fmt.Sprintf("%+.2f mo", m)
	case m == 0:
		return "0%"
	case math.Abs(m) < 0.001:
		return fmt.Sprintf("%+.2f%%", 100*m)
	}
	return fmt.Sprintf("%+.1f%%", 100*m)
}

// openText lists the settings a row opens, after prefix; "" when none.
func openText(reg *sim.Registry, open []sim.Setting, prefix string) string {
	if len(open) == 0 {
		return ""
	}
	var parts []string
	for _, s := range open {
		v := num(s.Value)
		if i, ok := reg.LeverIndex(s.Key); ok {
			l := &reg.Levers[i]
			v = leverValue(l, s.Value)
			if l.Kind == sim.LeverSet && s.Value == 0 {
				v = "none"
			}
		}
		parts = append(parts, s.Key+" "+v)
	}
	return prefix + strings.Join(parts, ", ")
}

// codeList writes keys as Markdown code, comma separated.
func codeList(keys []string) string {
	var cs []string
	for _, k := range keys {
		cs = append(cs, "`"+k+"`")
	}
	return strings.Join(cs, ", ")
}

// outputLabel is an output's label, or one made from its key.
func outputLabel(reg *sim.Registry, key string) string {
	if o, ok := reg.OutputIndex(key); ok && reg.Outputs[o].Label != "" {
		return reg.Outputs[o].Label
	}
	return "`" + key + "`"
}

// leverValue writes a lever's value for a person: its "none" label, a
// chip set's size, a switch as on/off, else a short number.
func leverValue(l *sim.Lever, v float64) string {
	switch {
	case l.None != nil && l.None.Value == v:
		return l.None.Label
	case l.Kind == sim.LeverSwitch && v == 1:
		return "on"
	case l.Kind == sim.LeverSwitch:
		return "off"
	}
	return sim.FormatShort(v, sim.TableStyle)
}
