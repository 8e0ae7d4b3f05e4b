package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/output"
	"github.com/chokepoint-sim/chokepoint/scenarios"
	"github.com/chokepoint-sim/chokepoint/sim"
)

var (
	resolvedBlock = regexp.MustCompile(`(?s)<pre class="resolved" data-scenario="([^"]+)"><code>(.*?)</code></pre>`)
	shownHash     = regexp.MustCompile(`<code class="sha256" data-scenario="([^"]+)">([0-9a-f]{64})</code>`)
	manifestBlock = regexp.MustCompile(`(?s)<pre class="manifest"><code>(.*?)</code></pre>`)
	heading       = regexp.MustCompile(`<h2>(.*?)</h2>`)
)

// Issue 16, acceptance 4: a report embeds each scenario's resolved text;
// hashed, it matches the hash the report shows, its embedded manifest and
// manifest.json of a results folder of the same scenarios. The report has
// the cost table (the registry's ReportCost outputs), its sections in
// order, and "Limitations" before the assumptions it points to.
func TestReportEmbedsScenariosWithTheirHashes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	code, _, stderr := cli(t, "report", "current-policy", "no-controls", "--runs", "200", "--seed", "3", "--out", path)
	require.Equal(t, 0, code, stderr)
	folder := filepath.Join(dir, "cmp")
	code, _, stderr = cli(t, "compare", "current-policy", "no-controls", "--runs", "200", "--seed", "3", "--no-charts", "--quiet", "--out", folder)
	require.Equal(t, 0, code, stderr)
	m, err := output.ReadManifest(filepath.Join(folder, output.ManifestName))
	require.NoError(t, err)
	want := map[string]string{}
	for _, s := range m.Scenarios {
		want[s.Name] = s.SHA256
	}

	b, err := os.ReadFile(path)
	require.NoError(t, err)
	page := string(b)
	blocks := resolvedBlock.FindAllStringSubmatch(page, -1)
	require.Len(t, blocks, 2)
	shown := map[string]string{}
	for _, h := range shownHash.FindAllStringSubmatch(page, -1) {
		shown[h[1]] = h[2]
	}
	for _, blk := range blocks {
		name, text := blk[1], html.UnescapeString(blk[2])
		sum := sha256.Sum256([]byte(text))
		got := hex.EncodeToString(sum[:])
		assert.Equal(t, want[name], got, "%s: the embedded text does not hash to manifest.json's sha256", name)
		assert.Equal(t, shown[name], got, "%s: the hash shown", name)
		var doc struct {
			ID string `toml:"id"`
		}
		_, err := toml.Decode(text, &doc)
		require.NoError(t, err, "%s: the embedded text is TOML", name)
		assert.Equal(t, name, doc.ID)
	}
	mb := manifestBlock.FindStringSubmatch(page)
	require.NotNil(t, mb, "the report embeds the manifest")
	var embedded output.Manifest
	require.NoError(t, json.Unmarshal([]byte(html.UnescapeString(mb[1])), &embedded))
	assert.Equal(t, m.Scenarios, embedded.Scenarios)
	assert.Equal(t, m.Seed, embedded.Seed)
	assert.Equal(t, m.Runs, embedded.Runs)

	var sections []string
	for _, h := range heading.FindAllStringSubmatch(page, -1) {
		sections = append(sections, h[1])
	}
	assert.Equal(t, []string{"In short", "Headline numbers", "Costs to US vendors", "Charts", "What the scenarios change",
		"When does it fail?", "Calibration", "Limitations", "Assumptions", "The scenarios as they ran", "Manifest", "Reproduce"}, sections)
	// "In short": compare's sentences, with intervals and shares.
	short := html.UnescapeString(page[strings.Index(page, "<h2>In short</h2>"):strings.Index(page, "<h2>Headline numbers</h2>")])
	assert.Regexp(t, `By 2030Q4, “No controls after September 2022” leaves China's AI compute stock at [0-9.]+ times \(90% interval [0-9.]+–[0-9.]+\) its level under “Current policy”; higher in [0-9]+% of runs\.`, short)
	limits := page[strings.Index(page, "<h2>Limitations</h2>"):strings.Index(page, "<h2>Assumptions</h2>")]
	assert.Contains(t, limits, "listed under Assumptions")
	assert.NotContains(t, limits, "above")

	costs := page[strings.Index(page, "<h2>Costs to US vendors</h2>"):strings.Index(page, "<h2>Charts</h2>")]
	keys := registry().Featured(sim.ReportCost)
	require.Len(t, keys, 3, "Model v2's costs to US vendors: barred sales, fees, sales China refused")
	for _, k := range keys {
		o, _ := registry().OutputIndex(k)
		d := registry().Outputs[o].Description
		assert.Contains(t, costs, html.EscapeString(strings.ToUpper(d[:1])+d[1:]), k)
	}
	// A row per scenario and one comparison, each with four quarters'
	// medians and the total over the span (every run's values are kept).
	assert.Equal(t, 3*3*5, strings.Count(costs, `<span class="main">`))
	assert.Contains(t, costs, "total 2020Q1–2035Q4")
	assert.Contains(t, costs, "No controls after September 2022 minus Current policy")
}

// Every built-in scenario's resolved text is TOML naming every parameter
// and event, and hashes to the scenario's hash.
func TestResolvedScenariosHashToTheirHash(t *testing.T) {
	l := &scenarios.Loader{Registry: registry()}
	for _, name := range scenarios.Names() {
		sc, err := l.Load(name)
		require.NoError(t, err, name)
		text := scenarios.Resolved(registry(), sc)
		var doc struct {
			ID     string         `toml:"id"`
			Params map[string]any `toml:"params"`
			Events []map[string]any
		}
		_, err = toml.Decode(text, &doc)
		require.NoError(t, err, "%s:\n%s", name, text)
		assert.Equal(t, sc.Name, doc.ID)
		assert.Len(t, doc.Params, len(registry().Params), name)
		assert.Len(t, doc.Events, len(sc.Events), name)
		sum := sha256.Sum256([]byte(text))
		assert.Equal(t, sc.Hash, hex.EncodeToString(sum[:]), name)
	}
}
