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
