package output

import (
	"fmt"
	"strings"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// LeverRange describes the values a lever takes.
func LeverRange(l *sim.Lever) string {
	switch l.Kind {
	case sim.LeverSwitch:
		return "on/off"
	case sim.LeverSet:
		return "any of " + strings.Join(l.Items, ", ")
	}
	return fmt.Sprintf("[%s, %s]", sim.FormatNumber(l.Min), sim.FormatNumber(l.Max))
}

// ParamRange is a parameter's default as people read it (params, the
// report's assumptions): a structural switch's formulations with their
// shares, a fixed value, or the 90% range of its draws ("0.32 to 0.68",
// never the distribution's scenario syntax).
func ParamRange(p *sim.Param) string {
	d := p.Dist()
	if len(p.Levels) > 0 {
		return p.Describe(d)
	}
	lo, hi := d.Support()
	if lo == hi {
		return sim.FormatNumber(lo)
	}
	return fmt.Sprintf("%s to %s", FormatRange(d.Quantile(0.05)), FormatRange(d.Quantile(0.95)))
}

// FormatRange writes a percentile to three significant figures: 0.315,
// 40k, 2B.
func FormatRange(v float64) string {
	return sim.FormatShort(v, sim.TableStyle)
}

// ParamsMarkdown renders the registry as the Markdown tables of the model
// card; a test keeps docs/MODEL.md equal to it.
func ParamsMarkdown(reg *sim.Registry) string {
	var b strings.Builder
	esc := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	b.WriteString("| parameter | unit | default | bounds | description | source |\n|---|---|---|---|---|---|\n")
	for _, p := range reg.Params {
		fmt.Fprintf(&b, "| `%s` | %s | `%s` | [%s, %s] | %s | %s |\n", p.Key, esc(p.Unit), esc(p.Default),
			sim.FormatNumber(p.Min), sim.FormatNumber(p.Max), esc(p.Description), esc(p.Source))
	}
	b.WriteString("\n| lever | unit | default | range | description | source |\n|---|---|---|---|---|---|\n")
	for _, l := range reg.Levers {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n", l.Key, esc(l.Unit), esc(l.FormatValue(l.Default)),
			esc(LeverRange(&l)), esc(l.Description), esc(l.Source))
	}
	b.WriteString("\n| output | unit | description |\n|---|---|---|\n")
	for _, o := range reg.Outputs {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", o.Key, esc(o.Unit), esc(o.Description))
	}
	return b.String()
}
