package output

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/output/chart"
	"github.com/chokepoint-sim/chokepoint/sim"
)

var ctx = context.Background()

// failing is a chart whose drawing fails, as a full disk or a bug would.
type failing struct{ *chart.Fan }

func (failing) Render(io.Writer, string, float64, float64, int) error {
	return errors.New("drawing failed")
}

// good is a chart that draws.
func good() chart.Chart {
	return &chart.Fan{Band: chart.Band{X: []float64{2020, 2021}, P05: []float64{1, 2}, P25: []float64{1, 2},
		P50: []float64{1, 2}, P75: []float64{1, 2}, P95: []float64{1, 2}}}
}

// listing returns every file under dir with its content, and whether a
// temporary folder is left beside it.
func listing(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			files[rel] = string(b)
		}
		return nil
	})
	return files
}

// noPartial asserts that nothing but want is left in parent.
func noPartial(t *testing.T, parent string, want ...string) {
	t.Helper()
	entries, err := os.ReadDir(parent)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.ElementsMatch(t, want, names, "only these in %s", parent)
}

// A chart that fails to draw leaves the previous charts as they were and
// no partial file or folder, even when others were drawn before it.
func TestDrawChartsFailureLeavesPreviousCharts(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "charts")
	require.NoError(t, os.Mkdir(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.png"), []byte("previous a"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("the user's"), 0o644))
	before := listing(t, dir)

	charts := []NamedChart{{Name: "a", Chart: good()}, {Name: "b", Chart: good()}, {Name: "c", Chart: failing{&chart.Fan{}}}}
	err := ChartSpec{}.drawCharts(ctx, dir, charts, []string{"png", "svg"})
	require.ErrorContains(t, err, "drawing failed")
	assert.Equal(t, before, listing(t, dir))
	noPartial(t, parent, "charts")

	// Into a folder that does not exist yet, under parents that do not:
	// none of them is left behind.
	deep := filepath.Join(parent, "x", "y", "charts")
	require.Error(t, ChartSpec{}.drawCharts(ctx, deep, charts, []string{"png"}))
	noPartial(t, parent, "charts")
}

// Charts drawn into a folder replace their namesakes and leave the
// folder's other files; into a new folder (and its parents) they arrive
// whole. No temporary folder is left either way.
func TestDrawChartsReplacesAndKeeps(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "charts")
	require.NoError(t, os.Mkdir(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.png"), []byte("previous a"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("the user's"), 0o644))
	charts := []NamedChart{{Name: "a", Chart: good()}, {Name: "b", Chart: good(), Wide: [][]string{{"x"}}}}
	require.NoError(t, ChartSpec{Wide: true}.drawCharts(ctx, dir, charts, []string{"png"}))
	got := listing(t, dir)
	assert.Len(t, got, 5) // a.png, a.csv, b.png, b.csv and the user's notes
	assert.NotEqual(t, "previous a", got["a.png"])
	assert.Equal(t, "the user's", got["notes.txt"])
	noPartial(t, parent, "charts")

	deep := filepath.Join(parent, "x", "y", "charts")
	require.NoError(t, ChartSpec{}.drawCharts(ctx, deep, charts, []string{"png"}))
	assert.Len(t, listing(t, deep), 2)
	noPartial(t, filepath.Join(parent, "x", "y"), "charts")
}

// Where charts cannot go is said before anything is drawn, as bad input:
// a file, a symbolic link, a folder under a file, a folder where a chart
// file goes, a chart name that is not a plain file name.
func TestDrawChartsRefusesPaths(t *testing.T) {
	parent := t.TempDir()
	file := filepath.Join(parent, "file")
	require.NoError(t, os.WriteFile(file, []byte("x"), 0o644))
	elsewhere := t.TempDir()
	link := filepath.Join(parent, "link")
	require.NoError(t, os.Symlink(elsewhere, link))
	dir := filepath.Join(parent, "charts")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "a.png"), 0o755))

	for name, tc := range map[string]struct {
		dir   string
		chart string
		want  string
	}{
		"a file":            {file, "a", "exists and is not a folder"},
		"a link":            {link, "a", "is a symbolic link"},
		"under a file":      {filepath.Join(file, "charts"), "a", "is not a folder"},
		"a folder in place": {dir, "a", "is a folder where a chart goes"},
		"up and out":        {dir, "../../escaped", "expected a plain file name"},
		"a dot file":        {dir, ".hidden", "expected a plain file name"},
	} {
		err := ChartSpec{}.drawCharts(ctx, tc.dir, []NamedChart{{Name: tc.chart, Chart: good()}}, []string{"png"})
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), tc.want, name)
		var ie *sim.InputError
		assert.ErrorAs(t, err, &ie, "%s: bad input, exit 2", name)
	}
	noPartial(t, parent, "file", "link", "charts")
	assert.Empty(t, listing(t, elsewhere), "nothing written through the link")
}

// Stopped (Ctrl-C, SIGTERM), drawing writes nothing and says so.
func TestDrawChartsStopped(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "charts")
	stopped, cancel := context.WithCancel(context.Background())
	cancel()
	charts := []NamedChart{{Name: "a", Chart: good()}, {Name: "b", Chart: good()}}
	err := ChartSpec{}.drawCharts(stopped, dir, charts, []string{"png"})
	require.ErrorIs(t, err, context.Canceled)
	noPartial(t, parent)
}
