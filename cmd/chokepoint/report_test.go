package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// externalURL matches what a browser would fetch from elsewhere: an
// attribute or CSS url() naming a URL, @import, or a tag that loads one.
var externalURL = regexp.MustCompile(`(?i)(\b(src|href|action|srcset|poster|data|xlink:href)\s*=\s*["']?\s*(https?:|//|ftp:))|url\(\s*["']?\s*(https?:|//)|@import|<base\b|<link\b|<script\b|<iframe\b|<object\b|<embed\b|https?://`)

// Acceptance 4 of the charts issue: a report of three scenarios is one
// HTML file under 5 MB that references nothing outside it, and the
// command it prints writes it again byte for byte.
func TestReportThreeScenarios(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	code, stdout, stderr := cli(t, "report", "current-policy", "no-controls", "escalation-2025",
		"--runs", "300", "--seed", "7", "--out", path)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "wrote ")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	html := string(b)
	assert.Less(t, len(b), 5_000_000, "the report is %d bytes", len(b))
	if m := externalURL.FindString(html); m != "" {
		i := strings.Index(html, m)
		t.Errorf("the report references something outside it: %q", html[max(0, i-80):min(len(html), i+80)])
	}
	for _, want := range []string{"<h2>Headline numbers</h2>", "<h2>What the scenarios change</h2>",
		"escalation-2025 extends current-policy", "<h2>Calibration</h2>", "observations of 2020–2025",
		"<h2>Assumptions</h2>", "fab.yield_ceiling", "<h2>Limitations</h2>",
		"chokepoint report current-policy no-controls escalation-2025 --runs 300 --seed 7 --out " + path} {
		assert.Contains(t, html, want)
	}
	// A comparison and two differences for each of the four headline
	// outputs, and the calibration chart.
	assert.Equal(t, 4*3+1, strings.Count(html, "<svg"))

	again := filepath.Join(dir, "again.html")
	code, _, stderr = cli(t, "report", "current-policy", "no-controls", "escalation-2025",
		"--runs", "300", "--seed", "7", "--workers", "1", "--out", again, "--quiet")
	require.Equal(t, 0, code, stderr)
	b2, _ := os.ReadFile(again)
	assert.Equal(t, strings.Replace(html, path, again, 1), string(b2), "the same command wrote different bytes")
}

// A title with markup from the user's own scenario file shows as text.
func TestReportEscapesScenarioText(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "mine.toml")
	require.NoError(t, os.WriteFile(file, []byte(`id = "mine"
title = "<script>alert('x')</script> & co"
description = "A <b>bold</b> idea"
extends = "no-controls"
`), 0o644))
	path := filepath.Join(dir, "r.html")
	code, _, stderr := cli(t, "report", file, "--runs", "50", "--out", path, "--quiet")
	require.Equal(t, 0, code, stderr)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	html := string(b)
	assert.NotContains(t, html, "<script")
	assert.NotContains(t, html, "<b>bold")
	assert.Contains(t, html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co")
	// current-policy did not run: its calibration was run on its own.
	assert.Contains(t, html, "current-policy scenario, 50 runs")
}

func TestReportBadInput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.html")
	code, _, stderr := cli(t, "report", "no-such-scenario", "--out", path)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "unknown scenario")
	assert.NoFileExists(t, path)
}

// report --out replaces a report chokepoint wrote, and no other file
// unless --force; a refusal comes before any run.
func TestReportReplacesOnlyItsOwn(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.html")
	code, _, stderr := cli(t, "report", "--runs", "20", "--out", path, "--quiet")
	require.Equal(t, 0, code, stderr)
	first, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(first), generatorMark)
	code, _, stderr = cli(t, "report", "--runs", "30", "--out", path, "--quiet")
	require.Equal(t, 0, code, stderr)
	again, _ := os.ReadFile(path)
	assert.NotEqual(t, first, again, "the report was not replaced")

	notes := filepath.Join(dir, "notes.html")
	precious := "<!DOCTYPE html>\n<title>my notes</title>"
	require.NoError(t, os.WriteFile(notes, []byte(precious), 0o644))
	code, _, stderr = cliStopped(t, "report", "--out", notes)
	assert.Equal(t, 2, code)
	assert.Equal(t, "chokepoint: --out "+notes+": exists and is not a chokepoint report; choose another --out or add --force to replace it\n", stderr)
	b, _ := os.ReadFile(notes)
	assert.Equal(t, precious, string(b))

	code, _, stderr = cli(t, "report", "--runs", "20", "--out", notes, "--force", "--quiet")
	require.Equal(t, 0, code, stderr)
	b, _ = os.ReadFile(notes)
	assert.Contains(t, string(b), generatorMark)

	// --force replaces a file, never a folder.
	code, _, stderr = cliStopped(t, "report", "--out", dir, "--force")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "is a folder")
}

// A report keeps current-policy's values for its calibration: more runs
// than fit are refused before any run (they used to panic after the batch).
func TestReportRunsAboveKeptLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.html")
	code, _, stderr := cliStopped(t, "report", "--runs", strconv.Itoa(keptRuns()+1), "--out", path)
	assert.Equal(t, 2, code)
	// sim.ExactLimit values / (model outputs · 64 quarters) runs.
	assert.Equal(t, fmt.Sprintf("chokepoint: --runs: a report's calibration keeps every run's values: at most %d runs of 1 scenario(s) over 64 quarters, found %d\n", keptRuns(), keptRuns()+1), stderr)
	assert.NoFileExists(t, path)
}

// A report whose batch is too large to keep every run (it is summarised by
// sketches) takes its calibration from a batch of current-policy alone,
// instead of panicking on values the batch did not keep.
func TestReportCalibratesFromSketchedBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 27,600 runs")
	}
	path := filepath.Join(t.TempDir(), "r.html")
	// 3 scenarios · 6900 runs · 19 outputs · 64 quarters = 25,171,200 values,
	// above sim.ExactLimit (25,000,000); one scenario's 8,390,400 fit.
	code, _, stderr := cli(t, "report", "current-policy", "no-controls", "escalation-2025",
		"--runs", "6900", "--out", path, "--quiet")
	require.Equal(t, 0, code, stderr)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(b), "current-policy scenario, 6,900 runs")
}

// The report's "When does it fail?" section: for a comparison, how many runs
// go against the median effect and what PRIM makes of them; none for a
// single scenario.
func TestReportWhenDoesItFail(t *testing.T) {
	dir := t.TempDir()
	two, one := filepath.Join(dir, "two.html"), filepath.Join(dir, "one.html")
	// 300 runs to 2030Q4: enough runs go against the median for a
	// sentence, cheap under -race
	code, _, stderr := cli(t, "report", "current-policy", "leaky-enforcement", "--runs", "300", "--to", "2030Q4", "--out", two, "--quiet")
	require.Equal(t, 0, code, stderr)
	b, err := os.ReadFile(two)
	require.NoError(t, err)
	page := string(b)
	require.Contains(t, page, "<h2>When does it fail?</h2>")
	assert.Regexp(t, `In the median run, leaky-enforcement leaves \w+ at 2030Q4 (higher|lower) than current-policy does\. In \d+ of 300 runs`, page)
	assert.Regexp(t, `<p>(No box|No run goes|[a-z_.]+ (above|below|from|=|in) )`, page[strings.Index(page, "When does it fail"):])

	code, _, stderr = cli(t, "report", "current-policy", "--runs", "50", "--to", "2030Q4", "--out", one, "--quiet")
	require.Equal(t, 0, code, stderr)
	b, err = os.ReadFile(one)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "When does it fail?")
}
