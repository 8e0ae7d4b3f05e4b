package main

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/chokepoint-sim/chokepoint/output"
	"github.com/chokepoint-sim/chokepoint/output/chart"
	"github.com/chokepoint-sim/chokepoint/scenarios"
	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/elicit"
)

// elicitProbs are the pool's quantiles printed and written.
var elicitProbs = []float64{0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95}

func newElicitCmd() *cobra.Command {
	var out string
	var quiet bool
	var cf drawFlags
	c := &cobra.Command{
		Use:   "elicit FILE",
		Short: "Pool experts' quantiles for one parameter into one distribution",
		Long: `Read an elicitation file (docs/elicitation.md): several experts' quantiles
for one registry parameter, and optionally seed questions with known answers.
Fit each expert's quantiles with a piecewise-linear CDF, pool them by a
weighted linear opinion pool (equal weights; the file's weights; or, with
seed questions, Cooke's classical model), and print the pool's quantiles and
a distribution a scenario can paste. Write pool.toml, elicit.csv and
charts/elicit.png (each expert's CDF and the pool) to --out.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkElicitFlags(&cf, out); err != nil {
				return err
			}
			el, err := (&scenarios.Loader{Registry: registry()}).LoadElicitation(args[0])
			if err != nil {
				return err
			}
			res, err := elicit.Pool(el.Input)
			if err != nil {
				return usagef("%s: %v", args[0], err)
			}
			src, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			dir, err := output.Begin(out)
			if err != nil {
				return err
			}
			if err := writeElicit(dir, el, res, &cf, src); err != nil {
				dir.Abort()
				return err
			}
			if err := dir.Commit(); err != nil {
				return err
			}
			if !quiet {
				printElicit(cmd.OutOrStdout(), el, res)
				fmt.Fprintf(cmd.OutOrStdout(), "\nwrote %s\n", relPath(dir.Target))
			}
			return nil
		},
	}
	fl := c.Flags()
	fl.StringVar(&out, "out", "out-elicit", "results folder (replaced whole when the command succeeds)")
	fl.BoolVar(&quiet, "quiet", false, "print nothing on success")
	cf.register(c)
	return c
}

// checkElicitFlags checks the chart flags and the results folder before
// anything is read.
func checkElicitFlags(cf *drawFlags, out string) error {
	if err := cf.check(1); err != nil {
		return err
	}
	return checkOutDir(out)
}

// elicitManifest says what an elicit results folder was made from.
type elicitManifest struct {
	Tool          string    `json:"tool"`
	Version       string    `json:"version"`
	GoVersion     string    `json:"go_version"`
	File          string    `json:"file"`
	SHA256        string    `json:"sha256"`
	Parameter     string    `json:"parameter"`
	Method        string    `json:"method"`
	Experts       []string  `json:"experts"`
	Weights       []float64 `json:"weights"`
	SeedQuestions []string  `json:"seed_questions,omitempty"`
	Cutoff        *float64  `json:"cutoff,omitempty"`
}

func writeElicit(dir *output.Folder, el *scenarios.Elicitation, res *elicit.Result, cf *drawFlags, src []byte) error {
	sum := sha256.Sum256(src)
	m := elicitManifest{Tool: output.ToolName, Version: version, GoVersion: runtime.Version(),
		File: filepath.Base(el.File), SHA256: hex.EncodeToString(sum[:]), Parameter: el.Param.Key,
		Method: string(res.Method), Experts: el.Experts, Weights: res.Weights, SeedQuestions: el.Seeds}
	if res.Method == elicit.Classical {
		m.Cutoff = &res.Cutoff
	}
	if err := os.WriteFile(dir.Path(output.ElicitPoolName), []byte(poolTOML(el, res)), 0o644); err != nil {
		return err
	}
	if err := writeCSV(dir.Path(output.ElicitCSVName), func(w io.Writer) error { return writeElicitCSV(w, el, res) }); err != nil {
		return err
	}
	if err := output.WriteCharts(dir.Path(output.ChartsDir), cf.opts(), output.NamedChart{Name: "elicit", Chart: elicitChart(el, res)}); err != nil {
		return err
	}
	return output.WriteJSON(dir.Path(output.ManifestName), m)
}

// poolTOML is the pool as a [params] table a scenario can paste, and the
// simpler approximation, commented out.
func poolTOML(el *scenarios.Elicitation, res *elicit.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: %d experts pooled by a linear opinion pool, %s weights (chokepoint elicit %s).\n",
		el.Param.Key, len(el.Experts), res.Method, filepath.Base(el.File))
	b.WriteString("# Exact: a mixture of each expert's fitted distribution with the pool's weights.\n")
	fmt.Fprintf(&b, "[params.%q]\n", el.Param.Key)
	b.WriteString(res.Text(el.Experts, ""))
	fmt.Fprintf(&b, "\n# Simpler approximation, matching the pool's 5th and 95th percentiles only\n"+
		"# (its median differs from the pool's); use it instead of the table above:\n# %q = %s\n",
		el.Param.Key, res.Approximation())
	return b.String()
}

func writeElicitCSV(w io.Writer, el *scenarios.Elicitation, res *elicit.Result) error {
	cw := csv.NewWriter(w)
	head := []string{"expert", "weight", "calibration", "information"}
	for _, p := range elicitProbs {
		head = append(head, fmt.Sprintf("p%02.0f", 100*p))
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	row := func(name string, weight float64, sc *elicit.Score, q func(float64) float64) error {
		r := []string{output.Cell(name), num(weight), "", ""}
		if sc != nil {
			r[2], r[3] = num(sc.Calibration), num(sc.Information)
		}
		for _, p := range elicitProbs {
			r = append(r, num(q(p)))
		}
		return cw.Write(r)
	}
	for i, f := range res.Fits {
		var sc *elicit.Score
		if res.Scores != nil {
			sc = &res.Scores[i]
		}
		if err := row(el.Experts[i], res.Weights[i], sc, f.Quantile); err != nil {
			return err
		}
	}
	var dm *elicit.Score
	if res.Method == elicit.Classical {
		dm = &res.DM
	}
	if err := row("pool", 1, dm, res.Quantile); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// num writes x with the fewest digits that read back to the same float64.
func num(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// elicitChart draws each expert's fitted CDF, the quantiles they gave, and
// the pool.
func elicitChart(el *scenarios.Elicitation, res *elicit.Result) *chart.Elicitation {
	p := el.Param
	title := el.Title
	if title == "" {
		title = "Experts' judgements: " + p.Key
	}
	ch := &chart.Elicitation{Title: title,
		Subtitle: fmt.Sprintf("%s (%s): each expert's judgement, fitted, and their pool", p.Key, p.Unit),
		Unit:     p.Unit,
		Source: fmt.Sprintf("chokepoint %s · %s · linear opinion pool, %s weights · dots: the quantiles each expert gave",
			version, filepath.Base(el.File), res.Method)}
	var knots []float64
	for i, f := range res.Fits {
		in := el.Input.Experts[i].Target
		label := fmt.Sprintf("%s (%s)", el.Experts[i], sim.FormatShort(100*res.Weights[i], sim.TableStyle)+"%")
		ch.Experts = append(ch.Experts, chart.CDFCurve{Label: label, X: f.X, P: f.P, QX: in.Values, QP: in.Probs})
		knots = append(knots, f.X...)
	}
	slices.Sort(knots)
	knots = slices.Compact(knots)
	pool := chart.CDFCurve{Label: "pool", X: knots}
	for _, x := range knots {
		pool.P = append(pool.P, res.CDF(x))
	}
	ch.Pool = pool
	return ch
}

// printElicit prints each expert's fitted quantiles and weight, the pool's
// quantiles, and the scenario text.
func printElicit(w io.Writer, el *scenarios.Elicitation, res *elicit.Result) {
	p := el.Param
	fmt.Fprintf(w, "%s (%s): %s\n", p.Key, p.Unit, p.Description)
	fmt.Fprintf(w, "%d experts, linear opinion pool with %s weights", len(el.Experts), res.Method)
	if res.Method == elicit.Classical {
		fmt.Fprintf(w, " from %d seed questions (calibration cut-off %s)", len(el.Seeds), sim.FormatShort(res.Cutoff, sim.TableStyle))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "\tweight\t"
	if res.Method == elicit.Classical {
		head += "calibration\tinformation\t"
	}
	for _, q := range elicitProbs {
		head += fmt.Sprintf("p%02.0f\t", 100*q)
	}
	fmt.Fprintln(tw, head)
	line := func(name string, weight string, sc *elicit.Score, q func(float64) float64) {
		s := name + "\t" + weight + "\t"
		if sc != nil {
			s += sim.FormatShort(sc.Calibration, sim.TableStyle) + "\t" + sim.FormatShort(sc.Information, sim.TableStyle) + "\t"
		} else if res.Method == elicit.Classical {
			s += "\t\t"
		}
		for _, pr := range elicitProbs {
			s += short(q(pr)) + "\t"
		}
		fmt.Fprintln(tw, s)
	}
	for i, f := range res.Fits {
		var sc *elicit.Score
		if res.Scores != nil {
			sc = &res.Scores[i]
		}
		line(el.Experts[i], short(100*res.Weights[i])+"%", sc, f.Quantile)
	}
	var dm *elicit.Score
	if res.Method == elicit.Classical {
		dm = &res.DM
	}
	line("pool", "", dm, res.Quantile)
	tw.Flush()
	fmt.Fprintln(w, "\nPaste into a scenario file (exact):")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "[params.%q]\n%s", p.Key, res.Text(el.Experts, ""))
	fmt.Fprintf(w, "\nor, simpler and approximate (the pool's 5th and 95th percentiles only):\n\n  %q = %s\n",
		p.Key, res.Approximation())
}
