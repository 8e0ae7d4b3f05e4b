package output

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"strconv"

	"github.com/chokepoint-sim/chokepoint/output/chart"
	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/calibrate"
	"github.com/chokepoint-sim/chokepoint/sim/suggest"
)

// Names of the files of a calibration folder.
const (
	WeightsName     = "weights.csv"
	PosteriorName   = "posterior.csv"
	CalibrationName = "calibration.csv"
	DrawsName       = "draws.bin" // a calibrate shard's draws, for merge
)

// MaxPosteriorBytes bounds a posterior.csv read back: 100,000 draws of
// 150 parameters at 25 bytes a number are 375 MB.
const MaxPosteriorBytes = 512 << 20

// WriteWeights writes weights.csv: each run's log-likelihood and
// normalised weight, in run order.
func WriteWeights(w io.Writer, d *calibrate.Draws, post *calibrate.Posterior) error {
	cw := newCSV(w)
	if err := cw.Write([]string{"run", "log_likelihood", "weight"}); err != nil {
		return err
	}
	for r, ll := range post.LogLik {
		if err := cw.Write([]string{strconv.Itoa(d.Lo + r), num(ll), num(post.Weights[r])}); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// WritePosterior writes posterior.csv: the resampled draws (held-run
// indices rows), one column per registry parameter.
func WritePosterior(w io.Writer, d *calibrate.Draws, rows []int) error {
	cw := newCSV(w)
	P := d.P()
	head := []string{"draw", "run"}
	for _, p := range d.Registry.Params {
		head = append(head, p.Key)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	row := make([]string, 0, P+2)
	for i, r := range rows {
		row = append(row[:0], strconv.Itoa(i), strconv.Itoa(d.Lo+r))
		for _, v := range d.Params[r*P : (r+1)*P] {
			row = append(row, num(v))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// CalibrationHeader is the column list of calibration.csv. kind is
// summary, observation, parameter, structure or correlation; the columns
// a kind has no use for are empty.
var CalibrationHeader = []string{"kind", "name", "detail", "observed",
	"prior_p05", "prior_p50", "prior_p95", "posterior_p05", "posterior_p50", "posterior_p95",
	"prior_inside", "posterior_inside", "narrowing", "prior", "posterior", "ess_alone", "ess_without"}

// WriteCalibration writes calibration.csv: the summary (runs, ESS), each
// observation's prior and posterior intervals (detail "used" or "held
// out"; prior and posterior hold the CRPS), each varying parameter's with
// the narrowing, each structural formulation's prior share and posterior
// weight (detail: the value), and the correlations the data induce
// (detail: the second parameter; prior and posterior hold r). An
// observation's ess_alone is the effective sample size of its likelihood
// alone, ess_without that of the others used.
func WriteCalibration(w io.Writer, rep *calibrate.Report) error {
	cw := newCSV(w)
	rows := [][]string{CalibrationHeader,
		row("summary", "runs", "", "", nil, nil, "", "", "", "", strconv.Itoa(rep.Runs)),
		row("summary", "ess", "", "", nil, nil, "", "", "", "", num(rep.ESS))}
	for _, o := range rep.Observations {
		detail := "used"
		if !o.Used {
			detail = "held out"
		}
		rows = append(rows, row("observation", o.Obs.ID, detail, num(o.Obs.Central), &o.Prior, &o.Post,
			strconv.FormatBool(o.PriorInside), strconv.FormatBool(o.PostInside), "", num(o.PriorCRPS), num(o.PostCRPS),
			num(o.ESSAlone), num(o.ESSWithout)))
	}
	for _, p := range rep.Params {
		rows = append(rows, row("parameter", p.Key, "", "", &p.Prior, &p.Post, "", "", num(p.Narrowing), "", ""))
	}
	for _, f := range rep.Structure {
		rows = append(rows, row("structure", f.Key, f.Name(), "", nil, nil, "", "", "", num(f.Prior), num(f.Post)))
	}
	for _, c := range rep.Correlations {
		rows = append(rows, row("correlation", c.A, c.B, "", nil, nil, "", "", "", num(c.Prior), num(c.Post)))
	}
	for _, r := range rows {
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	return cw.Flush()
}

func row(kind, name, detail, observed string, prior, post *calibrate.Interval, pin, qin, narrowing, a, b string, more ...string) []string {
	iv := func(v *calibrate.Interval) []string {
		if v == nil {
			return []string{"", "", ""}
		}
		return []string{num(v.P05), num(v.P50), num(v.P95)}
	}
	out := []string{kind, name, detail, observed}
	out = append(out, iv(prior)...)
	out = append(out, iv(post)...)
	out = append(out, pin, qin, narrowing, a, b)
	out = append(out, more...)
	for len(out) < len(CalibrationHeader) {
		out = append(out, "")
	}
	return out
}

// ReadPosterior reads a posterior.csv written by calibrate, as untrusted
// input: it must hold a column for every parameter of reg (and no other),
// finite numbers within each parameter's bounds. It returns the ensemble
// and the SHA-256 of the file.
func ReadPosterior(path string, reg *sim.Registry) (*sim.Ensemble, string, error) {
	f, err := OpenInput(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, "", sim.BadInputf("%s: no such file (run chokepoint calibrate to make one)", path)
	}
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	h := sha256.New()
	lr := &io.LimitedReader{R: f, N: MaxPosteriorBytes + 1}
	cr := csv.NewReader(io.TeeReader(lr, h))
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, "", sim.BadInputf("%s: line 1: expected a header of draw, run and every parameter: %v", path, err)
	}
	cols, err := posteriorColumns(path, head, reg)
	if err != nil {
		return nil, "", err
	}
	P := len(reg.Params)
	var values []float64
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if lr.N <= 0 {
			return nil, "", sim.BadInputf("%s: larger than %d MB; a posterior is a few MB", path, MaxPosteriorBytes>>20)
		}
		if err != nil {
			return nil, "", sim.BadInputf("%s: line %d: %v", path, line, err)
		}
		row := make([]float64, P)
		for i, p := range cols {
			v, err := strconv.ParseFloat(rec[i+2], 64)
			par := &reg.Params[p]
			if err != nil || math.IsNaN(v) || v < par.Min || v > par.Max {
				return nil, "", sim.BadInputf("%s: line %d: %s: expected a number from %g to %g, found %q",
					path, line, par.Key, par.Min, par.Max, rec[i+2])
			}
			row[p] = v
		}
		values = append(values, row...)
	}
	if len(values) == 0 {
		return nil, "", sim.BadInputf("%s: no draws below the header", path)
	}
	ens, err := sim.NewEnsemble(P, values)
	if err != nil {
		return nil, "", sim.BadInputf("%s: %v", path, err)
	}
	return ens, hex.EncodeToString(h.Sum(nil)), nil
}

// posteriorColumns maps the columns after draw and run to registry
// parameters.
func posteriorColumns(path string, head []string, reg *sim.Registry) ([]int, error) {
	if len(head) < 2 || head[0] != "draw" || head[1] != "run" {
		return nil, sim.BadInputf("%s: line 1: expected columns draw, run and then every parameter; not a posterior.csv", path)
	}
	keys := make([]string, len(reg.Params))
	index := map[string]int{}
	for i, p := range reg.Params {
		keys[i] = p.Key
		index[p.Key] = i
	}
	seen := make([]bool, len(keys))
	var cols []int
	for _, k := range head[2:] {
		p, ok := index[k]
		switch {
		case !ok:
			hint := ""
			if s := suggest.Closest(k, keys); s != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", s)
			}
			return nil, sim.BadInputf("%s: line 1: %q is no parameter of this model%s; calibrate again with this version", path, k, hint)
		case seen[p]:
			return nil, sim.BadInputf("%s: line 1: column %s given twice", path, k)
		}
		seen[p] = true
		cols = append(cols, p)
	}
	for p, ok := range seen {
		if !ok {
			return nil, sim.BadInputf("%s: line 1: no column for parameter %s; calibrate again with this version of the model", path, keys[p])
		}
	}
	return cols, nil
}

// marginalBins is the number of bars of each marginal.
const marginalBins = 30

// MarginalsChart draws charts/marginals.png in dir: the prior and
// posterior marginals of the (at most) panels continuous parameters the
// data narrowed most.
func MarginalsChart(dir, version, scenario string, d *calibrate.Draws, post *calibrate.Posterior, rep *calibrate.Report, panels int, o DrawOpts) error {
	m := chart.Marginals{
		Title: "What the observations rule out",
		Source: fmt.Sprintf("chokepoint %s · calibrate %s · %d runs · seed %d · effective sample size %.0f",
			version, scenario, d.Runs, d.Seed, post.ESS),
	}
	for _, pc := range rep.Params {
		if len(m.Panels) == panels {
			break
		}
		if d.Discrete[pc.Index] {
			continue // a structural switch: its formulations' weights are in calibration.csv
		}
		m.Panels = append(m.Panels, marginal(d, post, pc))
	}
	if len(m.Panels) == 0 {
		return nil
	}
	m.Subtitle = fmt.Sprintf("The %s parameters the data narrowed most: prior and posterior (bars scaled to their peaks)",
		numberWord(len(m.Panels)))
	return WriteCharts(dir, o, NamedChart{Name: "marginals", Chart: &m})
}

func numberWord(n int) string {
	words := []string{"", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
	if n < len(words) {
		return words[n]
	}
	return strconv.Itoa(n)
}

// marginal bins one parameter over its prior 90% interval widened by a
// quarter of its width each side (within the parameter's bounds), evenly
// in log when the interval spans more than a factor of ten.
func marginal(d *calibrate.Draws, post *calibrate.Posterior, pc calibrate.ParamCheck) chart.MarginalPanel {
	par := &d.Registry.Params[pc.Index]
	lo, hi := pc.Prior.P05, pc.Prior.P95
	log := lo > 0 && hi/lo > 10
	if log {
		lo, hi = math.Log(lo), math.Log(hi)
	}
	pad := (hi - lo) / 4
	lo, hi = lo-pad, hi+pad
	if log {
		lo, hi = math.Max(lo, math.Log(math.Max(par.Min, math.SmallestNonzeroFloat64))), math.Min(hi, math.Log(par.Max))
	} else {
		lo, hi = math.Max(lo, par.Min), math.Min(hi, par.Max)
	}
	p := chart.MarginalPanel{Label: par.Key, Log: log,
		Note:  fmt.Sprintf("90%% interval × %.2f", pc.Narrowing),
		Edges: make([]float64, marginalBins+1), Prior: make([]float64, marginalBins), Post: make([]float64, marginalBins)}
	step := (hi - lo) / marginalBins
	for i := range p.Edges {
		p.Edges[i] = lo + float64(i)*step
		if log {
			p.Edges[i] = math.Exp(p.Edges[i])
		}
	}
	P := d.P()
	for r := 0; r < d.N(); r++ {
		v := d.Params[r*P+pc.Index]
		if log {
			v = math.Log(v)
		}
		b := int((v - lo) / step)
		if !(step > 0) || b < 0 || b >= marginalBins {
			continue
		}
		p.Prior[b]++
		p.Post[b] += post.Weights[r]
	}
	return p
}
