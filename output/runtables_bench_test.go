package output

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// BenchmarkSamplesWrite writes samples of a made-up model the size of the
// China model (39 outputs over 64 quarters, one scenario), a chunk of 64
// runs at a time, as CSV and as Parquet: the time a run and the bytes a
// row of each (B/row), for docs/performance.md. The values are random
// walks, about as compressible as the model's.
func BenchmarkSamplesWrite(b *testing.B) {
	var outs []sim.Output
	for o := range 39 {
		outs = append(outs, sim.Output{Key: fmt.Sprintf("output_%02d", o), Unit: "1"})
	}
	span := sim.Span{Start: sim.NewPeriod(2020, 1), End: sim.NewPeriod(2035, 4)}
	T := span.Len()
	C := len(outs) * T
	// Chunks of fresh values: a page holds several chunks, and repeated
	// ones would compress away.
	rnd := rand.New(rand.NewPCG(1, 2))
	chunks := make([]*runChunk, 16)
	for i := range chunks {
		ch := &runChunk{n: sim.ChunkRuns, values: make([]float64, sim.ChunkRuns*C)}
		for r := range sim.ChunkRuns {
			for o := range outs {
				v := math.Exp(10 * rnd.Float64())
				for t := range T {
					v *= math.Exp(0.05 * rnd.NormFloat64())
					ch.values[r*C+o*T+t] = v
				}
			}
		}
		chunks[i] = ch
	}
	for _, format := range []string{FormatCSV, FormatParquet} {
		b.Run(format, func(b *testing.B) {
			dir := b.TempDir()
			l := TableLayout{Registry: &sim.Registry{Outputs: outs}, Span: span, Scenarios: []string{"current-policy"},
				Runs: b.N * sim.ChunkRuns, Hi: b.N * sim.ChunkRuns, Version: "bench"}
			t := newRunTables(l)
			if err := t.openKind(format, func(n string) string { return filepath.Join(dir, n) }, true); err != nil {
				b.Fatal(err)
			}
			cpu0 := cpuTime()
			b.ResetTimer()
			for i := range b.N {
				ch := chunks[i%len(chunks)]
				ch.lo = i * sim.ChunkRuns
				if err := t.write(ch); err != nil {
					b.Fatal(err)
				}
			}
			t.next = t.chunks()
			if err := t.Close(true); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			cpu := cpuTime() - cpu0
			st, err := os.Stat(filepath.Join(dir, tableName(format, true)))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(st.Size())/float64(b.N*sim.ChunkRuns*T), "B/row")
			b.ReportMetric(cpu.Seconds()*1e6/float64(b.N*sim.ChunkRuns), "CPU-µs/run")
		})
	}
}
