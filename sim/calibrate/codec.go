package calibrate

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// drawsMagic opens a file of draws (a shard of a prior ensemble).
const drawsMagic = "chokepoint-draws-1\n"

// drawsHeader is the JSON line after the magic: what the numbers are.
type drawsHeader struct {
	Seed         uint64   `json:"seed"`
	Runs         int      `json:"runs"`
	Lo           int      `json:"lo"`
	Hi           int      `json:"hi"`
	Params       []string `json:"params"`
	Observations []string `json:"observations"`
	Discrete     []bool   `json:"discrete"`
}

// maxHeader bounds the header line.
const maxHeader = 1 << 20

// maxDrawRuns bounds the runs a file of draws may claim: a hundred times
// the most one command draws.
const maxDrawRuns = 100_000_000

// Write writes the draws: the magic, a JSON header line, then the
// parameters and measures as little-endian float64s.
func (d *Draws) Write(w io.Writer) error {
	h := drawsHeader{Seed: d.Seed, Runs: d.Runs, Lo: d.Lo, Hi: d.Hi, Discrete: d.Discrete}
	for _, p := range d.Registry.Params {
		h.Params = append(h.Params, p.Key)
	}
	for _, o := range d.Obs {
		h.Observations = append(h.Observations, o.ID)
	}
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	// A bufio.Writer keeps its first error and returns it from Flush.
	_, _ = bw.WriteString(drawsMagic)
	_, _ = bw.Write(append(b, '\n'))
	if err := writeFloats(bw, d.Params); err != nil {
		return err
	}
	if err := writeFloats(bw, d.Measures); err != nil {
		return err
	}
	return bw.Flush()
}

func writeFloats(w io.Writer, xs []float64) error {
	var buf [8]byte
	for _, x := range xs {
		binary.LittleEndian.PutUint64(buf[:], math.Float64bits(x))
		if _, err := w.Write(buf[:]); err != nil {
			return err
		}
	}
	return nil
}

// ReadDraws reads draws written by Write, checking that they were drawn
// from a model with the registry's parameters and measure the
// observations obs, in that order. Every fault is an error of the input.
func ReadDraws(r io.Reader, reg *sim.Registry, obs []sim.Observation) (*Draws, error) {
	br := bufio.NewReader(r)
	magic := make([]byte, len(drawsMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != drawsMagic {
		return nil, errors.New("not a file of calibration draws")
	}
	line, err := readLine(br)
	if err != nil {
		return nil, err
	}
	var h drawsHeader
	if err := json.Unmarshal(line, &h); err != nil {
		return nil, fmt.Errorf("header: %v", err)
	}
	keys := make([]string, len(reg.Params))
	for i, p := range reg.Params {
		keys[i] = p.Key
	}
	ids := make([]string, len(obs))
	for i, o := range obs {
		ids[i] = o.ID
	}
	switch {
	case !slices.Equal(h.Params, keys):
		return nil, errors.New("drawn by a model with other parameters; draw it again")
	case !slices.Equal(h.Observations, ids):
		return nil, errors.New("measures other observations; draw it again")
	case len(h.Discrete) != len(keys):
		return nil, errors.New("header: one discrete flag a parameter expected")
	case h.Runs < 1 || h.Runs > maxDrawRuns || h.Lo < 0 || h.Lo >= h.Hi || h.Hi > h.Runs:
		return nil, fmt.Errorf("header: bad run range [%d, %d) of %d", h.Lo, h.Hi, h.Runs)
	}
	n := h.Hi - h.Lo
	d := &Draws{Registry: reg, Obs: obs, Seed: h.Seed, Runs: h.Runs, Lo: h.Lo, Hi: h.Hi, Discrete: h.Discrete}
	if d.Params, err = readFloats(br, n*len(keys)); err != nil {
		return nil, err
	}
	if d.Measures, err = readFloats(br, n*len(ids)); err != nil {
		return nil, err
	}
	if _, err := br.ReadByte(); err != io.EOF {
		return nil, errors.New("data after the last run")
	}
	return d, nil
}

func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		part, isPrefix, err := br.ReadLine()
		if err != nil {
			return nil, errors.New("no header")
		}
		line = append(line, part...)
		if len(line) > maxHeader {
			return nil, errors.New("header too long")
		}
		if !isPrefix {
			return line, nil
		}
	}
}

// readFloats reads n numbers a chunk at a time, so that a length the
// header claims never allocates more than the file holds.
func readFloats(r io.Reader, n int) ([]float64, error) {
	const chunk = 1 << 16
	var out []float64
	buf := make([]byte, 8*chunk)
	for len(out) < n {
		k := min(chunk, n-len(out))
		if _, err := io.ReadFull(r, buf[:8*k]); err != nil {
			return nil, fmt.Errorf("truncated: fewer than the %d numbers the header promises", n)
		}
		for i := 0; i < k; i++ {
			out = append(out, math.Float64frombits(binary.LittleEndian.Uint64(buf[8*i:])))
		}
	}
	return out, nil
}

// Join joins the draws of shards into the draws of the whole ensemble; the
// shards must share seed and run count and cover every run once.
func Join(parts []*Draws) (*Draws, error) {
	if len(parts) == 0 {
		return nil, errors.New("no shard to join")
	}
	ps := slices.Clone(parts)
	slices.SortFunc(ps, func(a, b *Draws) int { return a.Lo - b.Lo })
	first := ps[0]
	out := &Draws{Registry: first.Registry, Obs: first.Obs, Seed: first.Seed, Runs: first.Runs, Lo: 0, Hi: first.Runs,
		Discrete: first.Discrete}
	next := 0
	for _, p := range ps {
		switch {
		case p.Seed != first.Seed || p.Runs != first.Runs:
			return nil, fmt.Errorf("shards of different ensembles (seed %d, %d runs; seed %d, %d runs)", first.Seed, first.Runs, p.Seed, p.Runs)
		case !slices.Equal(p.Discrete, first.Discrete):
			return nil, errors.New("shards of different scenarios")
		case p.Lo != next:
			return nil, fmt.Errorf("runs %d to %d are missing or given twice", min(next, p.Lo), max(next, p.Lo)-1)
		}
		out.Params = append(out.Params, p.Params...)
		out.Measures = append(out.Measures, p.Measures...)
		next = p.Hi
	}
	if next != first.Runs {
		return nil, fmt.Errorf("runs %d to %d are missing", next, first.Runs-1)
	}
	return out, nil
}
