package output

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// ManifestName marks a folder as chokepoint results.
const ManifestName = "manifest.json"

// ChartsDir is the folder of charts inside a results folder.
const ChartsDir = "charts"

// ResultFiles are the names of the files chokepoint writes into a results
// folder, besides ChartsDir. A folder holding any other name is not
// replaced, and a results folder is not committed with any other name in it,
// so every verb can rewrite what it wrote.
var ResultFiles = []string{ManifestName, "summary.csv", "params.csv", "samples.csv", "samples.parquet",
	ParamsParquet, SummaryParquet,
	"diff.csv", "headline.csv", EventsName, "state.bin", "sensitivity.csv", "backtest.csv",
	LeversName, ChannelsName, ElicitPoolName, ElicitCSVName, DiscoverName, RegretName,
	WeightsName, PosteriorName, CalibrationName, DrawsName, DiscoverRowsName, RegretRunsName}

// The files of chokepoint elicit: the pool as a scenario's [params] table,
// and each expert's and the pool's quantiles.
const (
	ElicitPoolName = "pool.toml"
	ElicitCSVName  = "elicit.csv"
)

// ChartExts are the extensions of the files inside ChartsDir: the chart
// formats and the wide CSV beside each chart.
var ChartExts = []string{".png", ".svg", ".pdf", ".csv"}

// desktopFiles are left in any folder a desktop shows (Finder, Explorer);
// they do not make a results folder someone else's.
var desktopFiles = []string{".DS_Store", "Thumbs.db", "desktop.ini"}

// maxManifestBytes bounds the manifest.json read to recognise a results
// folder; chokepoint's own are a few kilobytes.
const maxManifestBytes = 1 << 20

// maxBaseLen bounds a results folder's name: the temporary names beside it
// (".NAME.partial-" and up to 10 digits, ".NAME.chokepoint-lock") must stay
// under the common 255-byte limit on a file name.
const maxBaseLen = 255 - len("..partial-4294967295")

// ErrNotResults is wrapped by the error for an output folder that exists, is
// not empty and is not a results folder chokepoint wrote: it is someone
// else's folder and is left alone.
var ErrNotResults = errors.New("does not look like chokepoint results")

// ErrBusy is wrapped by the error for an output folder that another
// chokepoint process is writing.
var ErrBusy = errors.New("another chokepoint process is writing it")

// howTo ends every refusal to replace a folder.
const howTo = "chokepoint replaces only a folder it wrote that holds nothing but its own files: choose another --out, or move the folder away"

// Folder writes a results folder atomically: files go to a temporary
// sibling, which replaces the target only when everything is written.
//
// The protocol, for a target NAME in folder DIR:
//
//  1. Begin takes DIR/.NAME.chokepoint-lock (flock), so one process at a
//     time writes NAME; the lock is released by Commit or Abort, and by the
//     kernel when the process dies.
//  2. Holding the lock, Begin recovers from an earlier run killed midway: if
//     NAME is missing and DIR/.NAME.chokepoint-old exists, that is the
//     previous results, renamed back; if both exist, the old copy is
//     discarded. Temporary folders DIR/.NAME.partial-DIGITS are stale (their
//     writer held the lock) and removed.
//  3. The run writes into a new DIR/.NAME.partial-DIGITS.
//  4. Commit renames NAME to .NAME.chokepoint-old, the temporary folder to
//     NAME, then discards the old copy (renamed to a temporary name first,
//     so a half-removed copy never sits under the recoverable name).
//
// A kill at any point leaves either the old or the new results at NAME, or
// the old ones at .NAME.chokepoint-old, where the next Begin restores them.
type Folder struct {
	Target string
	tmp    string
	parent string
	base   string
	lock   *os.File
	done   bool
}

// crashHook, when set (by tests only), is called with the name of each step
// of Begin and Commit once the step is done.
var crashHook func(step string)

// removeAll removes a folder; a variable so tests can make it fail.
var removeAll = os.RemoveAll

func step(name string) {
	if crashHook != nil {
		crashHook(name)
	}
}

// resolve checks that target can name a results folder and returns its
// absolute path, parent and base name.
func resolve(target string) (abs, parent, base string, err error) {
	if target == "" {
		return "", "", "", sim.BadInputf(`"": expected the name of a folder`)
	}
	if abs, err = filepath.Abs(target); err != nil {
		return "", "", "", err
	}
	parent, base = filepath.Dir(abs), filepath.Base(abs)
	if parent == abs {
		return "", "", "", sim.BadInputf("%s: a results folder cannot be the root of a file system; choose a folder below it", target)
	}
	if len(base) > maxBaseLen {
		return "", "", "", sim.BadInputf("%s: a results folder's name may be at most %d bytes long, found %d", target, maxBaseLen, len(base))
	}
	return abs, parent, base, nil
}

func notResults(dir, reason string) error {
	return &sim.InputError{Err: fmt.Errorf("%s: %w: %s; %s", dir, ErrNotResults, reason, howTo)}
}

// CheckTarget reports whether dir may be (re)written: it does not exist, is
// an empty folder, or is a results folder chokepoint wrote holding nothing
// but files chokepoint writes; and no other chokepoint process is writing
// it. Every refusal is a *sim.InputError.
func CheckTarget(dir string) error {
	abs, parent, base, err := resolve(dir)
	if err != nil {
		return err
	}
	if err := checkFolder(dir); err != nil {
		return err
	}
	return probeLock(lockPath(parent, base), abs)
}

// checkFolder is CheckTarget without the lock.
func checkFolder(dir string) error {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case errors.Is(err, syscall.ENOTDIR):
		return sim.BadInputf("%s: a part of the path is a file, not a folder", dir)
	case err != nil:
		return err
	case !fi.IsDir():
		return sim.BadInputf("%s: exists and is not a folder; choose another --out", dir)
	}
	reason, err := inspect(dir, true)
	if err != nil {
		return err
	}
	if reason != "" {
		return notResults(dir, reason)
	}
	return nil
}

// inspect says why folder dir is not a results folder chokepoint may
// replace, or "" when it is one (or is empty). Without needManifest, only
// the names inside are checked.
func inspect(dir string, needManifest bool) (reason string, err error) {
	empty, err := isEmpty(dir)
	if err != nil || empty {
		return "", err
	}
	if needManifest {
		if reason, err := checkManifest(filepath.Join(dir, ManifestName)); reason != "" || err != nil {
			return reason, err
		}
	}
	return checkEntries(dir, false)
}

func isEmpty(dir string) (bool, error) {
	f, err := os.Open(dir)
	if err != nil {
		return false, err
	}
	defer f.Close()
	_, err = f.Readdirnames(1)
	if err == io.EOF {
		return true, nil
	}
	return false, err
}

// checkManifest says why path is not a manifest.json chokepoint wrote: a
// regular file holding a JSON object whose "tool" is "chokepoint", with a
// version. Every manifest chokepoint has written carries both fields.
func checkManifest(path string) (reason string, err error) {
	fi, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return "it holds no " + ManifestName, nil
	}
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() {
		return ManifestName + " is not a file", nil
	}
	if fi.Size() > maxManifestBytes {
		return fmt.Sprintf("%s is %d bytes, more than chokepoint writes (%d)", ManifestName, fi.Size(), maxManifestBytes), nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	var m struct {
		Tool    string `json:"tool"`
		Version string `json:"version"`
	}
	if err := json.Unmarshal(b, &m); err != nil || m.Tool != ToolName || m.Version == "" {
		return ManifestName + ` was not written by chokepoint (expected "tool": "chokepoint" and a "version")`, nil
	}
	return "", nil
}

// checkEntries says which name in dir chokepoint does not write, reading
// the folder a few entries at a time. In ChartsDir (inCharts) only chart
// files are expected.
func checkEntries(dir string, inCharts bool) (reason string, err error) {
	f, err := os.Open(dir)
	if err != nil {
		return "", err
	}
	defer f.Close()
	for {
		entries, err := f.ReadDir(256)
		for _, e := range entries {
			if reason, err := checkEntry(dir, e, inCharts); reason != "" || err != nil {
				return reason, err
			}
		}
		if err == io.EOF {
			return "", nil
		}
		if err != nil {
			return "", err
		}
	}
}

func checkEntry(dir string, e os.DirEntry, inCharts bool) (string, error) {
	name, rel := e.Name(), e.Name()
	if inCharts {
		rel = ChartsDir + "/" + name
	}
	regular := e.Type().IsRegular()
	switch {
	case slices.Contains(desktopFiles, name) && regular:
		return "", nil
	case inCharts && regular && slices.Contains(ChartExts, filepath.Ext(name)):
		return "", nil
	case !inCharts && regular && slices.Contains(ResultFiles, name):
		return "", nil
	case !inCharts && name == ChartsDir && e.IsDir():
		return checkEntries(filepath.Join(dir, name), true)
	case !inCharts && e.IsDir() && isChartsTemp(name):
		return "", nil
	}
	return fmt.Sprintf("it holds %s, which chokepoint does not write", rel), nil
}

// Names beside the target.
func lockPath(parent, base string) string { return filepath.Join(parent, "."+base+".chokepoint-lock") }
func oldPath(parent, base string) string  { return filepath.Join(parent, "."+base+".chokepoint-old") }
func partialPrefix(base string) string    { return "." + base + ".partial-" }

// isPartial reports whether name is one of base's temporary folders:
// ".BASE.partial-" and the digits os.MkdirTemp adds, compared literally.
func isPartial(name, base string) bool {
	rest, ok := strings.CutPrefix(name, partialPrefix(base))
	return ok && allDigits(rest)
}

// isLegacyOld reports whether name is the previous results as versions
// before the lock left them when killed between their two renames.
func isLegacyOld(name, base string) bool {
	rest, ok := strings.CutSuffix(name, ".old")
	return ok && isPartial(rest, base)
}

// isChartsTemp reports whether name is a temporary folder that writing
// charts into a results folder's ChartsDir (chokepoint chart DIR) leaves
// when interrupted: ".charts.partial-DIGITS", or that and ".old-DIGITS".
func isChartsTemp(name string) bool {
	if i := strings.LastIndex(name, ".old-"); i >= 0 && allDigits(name[i+len(".old-"):]) {
		name = name[:i]
	}
	return isPartial(name, ChartsDir)
}

func allDigits(s string) bool {
	if len(s) == 0 || len(s) > 10 {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Begin locks target, recovers from an interrupted earlier run and creates
// the temporary folder beside target. It touches nothing when target exists
// and is not a results folder chokepoint may replace.
func Begin(target string) (*Folder, error) {
	abs, parent, base, err := resolve(target)
	if err != nil {
		return nil, err
	}
	if err := checkFolder(abs); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	lock, err := acquireLock(lockPath(parent, base), abs)
	if err != nil {
		return nil, err
	}
	f := &Folder{Target: abs, parent: parent, base: base, lock: lock}
	step("locked")
	if err := f.begin(); err != nil {
		f.release()
		return nil, err
	}
	return f, nil
}

// begin is Begin under the lock.
func (f *Folder) begin() error {
	if err := f.recover(); err != nil {
		return err
	}
	step("recovered")
	// A restored folder is checked like any other.
	if err := checkFolder(f.Target); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(f.parent, partialPrefix(f.base))
	if err != nil {
		return err
	}
	// MkdirTemp makes the folder private; results are ordinary files.
	if err := os.Chmod(tmp, 0o755); err != nil {
		_ = os.RemoveAll(tmp)
		return err
	}
	f.tmp = tmp
	step("created")
	return nil
}

// recover restores or discards what a killed run left beside the target.
// Only this process writes the target now, so every temporary folder of it
// is stale.
func (f *Folder) recover() error {
	entries, err := os.ReadDir(f.parent)
	if err != nil {
		return err
	}
	var stale, olds []string
	for _, e := range entries {
		switch name := e.Name(); {
		case isPartial(name, f.base):
			stale = append(stale, filepath.Join(f.parent, name))
		case isLegacyOld(name, f.base):
			olds = append(olds, filepath.Join(f.parent, name))
		}
	}
	sort.Strings(olds)
	old := oldPath(f.parent, f.base)
	if _, err := os.Lstat(old); err == nil {
		olds = append([]string{old}, olds...)
	}
	for _, d := range stale {
		if err := removeAll(d); err != nil {
			return err
		}
	}
	return f.restore(olds, old)
}

// restore renames the first of olds back to the target when the target is
// missing, and discards the others that hold only chokepoint's files.
func (f *Folder) restore(olds []string, old string) error {
	for _, d := range olds {
		reason, err := inspect(d, d != old)
		if err != nil {
			return err
		}
		if reason != "" {
			if d == old {
				// It is in the way of the commit; never removed.
				return notResults(d, reason)
			}
			continue
		}
		if _, err := os.Lstat(f.Target); errors.Is(err, os.ErrNotExist) {
			if err := os.Rename(d, f.Target); err != nil {
				return err
			}
			continue
		}
		if err := f.discard(d); err != nil {
			return err
		}
	}
	return nil
}

// discard removes folder d: renamed to a temporary name first, so that a
// kill while removing leaves a stale temporary folder, never a half-removed
// copy under a name the next run would restore.
func (f *Folder) discard(d string) error {
	trash, err := os.MkdirTemp(f.parent, partialPrefix(f.base))
	if err != nil {
		return err
	}
	// Renaming a folder onto an empty one replaces it.
	if err := os.Rename(d, trash); err != nil {
		_ = os.Remove(trash)
		return removeAll(d)
	}
	step("discarding")
	return removeAll(trash)
}

// Path returns where to write name inside the folder being built.
func (f *Folder) Path(name string) string { return filepath.Join(f.tmp, name) }

// Finish ends a command's writing: it discards the folder when err is set
// or ctx was cancelled (the interrupted command leaves nothing), and
// commits it otherwise. It returns the error that ended it, if any.
func (f *Folder) Finish(ctx context.Context, err error) error {
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		f.Abort()
		return err
	}
	return f.Commit()
}

// Commit replaces the target with the finished folder. Once the new results
// are in place it succeeds: an old copy it could not remove is left for the
// next run into the same place to clear.
func (f *Folder) Commit() error {
	if f.done {
		return fmt.Errorf("%s: results folder already committed or aborted", f.Target)
	}
	if err := f.checkBuilt(); err != nil {
		f.Abort()
		return err
	}
	if err := checkFolder(f.Target); err != nil {
		f.Abort()
		return err
	}
	step("checked")
	old := oldPath(f.parent, f.base)
	hadOld := false
	if _, err := os.Lstat(f.Target); err == nil {
		if err := os.Rename(f.Target, old); err != nil {
			f.Abort()
			return err
		}
		hadOld = true
		step("old-moved")
	}
	if err := os.Rename(f.tmp, f.Target); err != nil {
		if hadOld {
			_ = os.Rename(old, f.Target)
		}
		f.Abort()
		return err
	}
	syncDir(f.parent)
	step("new-moved")
	if hadOld && f.discard(old) == nil {
		step("old-removed")
	}
	f.done = true
	f.release()
	step("released")
	return nil
}

// checkBuilt makes sure the folder about to be committed could be replaced
// by the next run: a manifest chokepoint wrote and only declared names.
func (f *Folder) checkBuilt() error {
	reason, err := inspect(f.tmp, true)
	if err != nil {
		return err
	}
	if reason != "" {
		return fmt.Errorf("%s: not committed, a later run could not replace it: %s (a name missing from output.ResultFiles?)", f.Target, reason)
	}
	return nil
}

// Abort removes the temporary folder and releases the lock.
func (f *Folder) Abort() {
	if f.done {
		return
	}
	f.done = true
	_ = os.RemoveAll(f.tmp)
	f.release()
}

func (f *Folder) release() {
	if f.lock != nil {
		releaseLock(f.lock)
		f.lock = nil
	}
}

// syncDir flushes a folder's entries (the renames) to disk.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

func busy(target, pid string) error {
	if pid != "" {
		pid = " (pid " + pid + ")"
	}
	return &sim.InputError{Err: fmt.Errorf("%s: %w%s; wait for it to finish, or choose another --out", target, ErrBusy, pid)}
}
