package output

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// maxChartName bounds a chart's file name, its extension included, under
// the common 255-byte limit of file systems.
const maxChartName = 240

// checkChartName reports a chart file name that is not a plain name in
// its folder: empty, too long, a dot file, or holding a path separator,
// "..", a NUL or a control character. Names are built from scenario
// names and output keys, which are checked where they are read; this is
// the last line before a file is written.
func checkChartName(name string) error {
	bad := name == "" || len(name) > maxChartName || strings.HasPrefix(name, ".") ||
		strings.Contains(name, "..") || strings.ContainsAny(name, `/\:`) ||
		strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f })
	if bad {
		return sim.BadInputf("chart file name %q: expected a plain file name of at most %d bytes (letters, digits, hyphens, dots, underscores)",
			name, maxChartName)
	}
	return nil
}

// CheckChartDir reports whether charts may be written into dir: a folder,
// or a path that does not exist yet whose nearest existing parent is a
// folder. A symbolic link is refused, so that a results folder's charts/
// cannot send charts elsewhere. It writes nothing.
func CheckChartDir(dir string) error {
	fi, err := os.Lstat(dir)
	switch {
	case err == nil && fi.Mode()&fs.ModeSymlink != 0:
		return sim.BadInputf("%s: is a symbolic link; charts are written only into a folder (give the folder it points to)", dir)
	case err == nil && !fi.IsDir():
		return sim.BadInputf("%s: exists and is not a folder; choose another --out", dir)
	case err == nil:
		return nil
	case !missing(err):
		return err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	for p := filepath.Dir(abs); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		switch {
		case err == nil && !fi.IsDir():
			return sim.BadInputf("%s: %s is not a folder; choose another --out", dir, p)
		case err == nil:
			return nil
		case !missing(err):
			return err
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}

// missing reports whether err says a path does not exist, or cannot (a
// file stands where a folder on the way should be).
func missing(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}

// checkChartFiles reports a file about to be written into dir that cannot
// replace what is there: a folder of the same name.
func checkChartFiles(dir string, files []string) error {
	for _, f := range files {
		if fi, err := os.Lstat(filepath.Join(dir, f)); err == nil && fi.IsDir() {
			return sim.BadInputf("%s: is a folder where a chart goes; move it or choose another --out", filepath.Join(dir, f))
		}
	}
	return nil
}

// chartDir writes a set of charts as one: every file goes to a temporary
// folder beside the target, and only when all are written do they move
// into it. A failure (or an interruption) before then leaves the target
// as it was and no partial file in it.
type chartDir struct {
	target  string
	tmp     string
	created []string // parents made for the target, deepest last
}

// beginCharts makes the temporary folder beside target, and target's
// missing parents.
func beginCharts(target string) (*chartDir, error) {
	abs, err := filepath.Abs(target)
	if err != nil {
		return nil, err
	}
	d := &chartDir{target: abs}
	var missing []string
	for p := filepath.Dir(abs); ; p = filepath.Dir(p) {
		if _, err := os.Stat(p); err == nil || p == filepath.Dir(p) {
			break
		}
		missing = append(missing, p)
	}
	for _, p := range slices.Backward(missing) {
		if err := os.Mkdir(p, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			d.abort()
			return nil, err
		}
		d.created = append(d.created, p)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(abs), "."+filepath.Base(abs)+".partial-")
	if err != nil {
		d.abort()
		return nil, err
	}
	d.tmp = tmp
	// MkdirTemp makes the folder private; charts are ordinary files.
	if err := os.Chmod(tmp, 0o755); err != nil {
		d.abort()
		return nil, err
	}
	return d, nil
}

// path returns where to write name.
func (d *chartDir) path(name string) string { return filepath.Join(d.tmp, name) }

// abort removes the temporary folder and the parents beginCharts made
// (those only if still empty).
func (d *chartDir) abort() {
	if d.tmp != "" {
		_ = os.RemoveAll(d.tmp)
	}
	for i := len(d.created) - 1; i >= 0; i-- {
		_ = os.Remove(d.created[i]) // fails, harmlessly, unless empty
	}
}

// commit moves the charts into the target: the whole folder when there is
// none yet, else file by file, each replacing its namesake; the target's
// other files stay. Should a move fail, those done are undone.
func (d *chartDir) commit() error {
	if _, err := os.Lstat(d.target); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(d.tmp, d.target); err == nil {
			return nil
		}
	}
	defer d.abort()
	entries, err := os.ReadDir(d.tmp)
	if err != nil {
		return err
	}
	old, err := os.MkdirTemp(filepath.Dir(d.tmp), filepath.Base(d.tmp)+".old-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(old)
	var moved, replaced []string
	undo := func() {
		for _, n := range slices.Backward(moved) {
			_ = os.Rename(filepath.Join(d.target, n), filepath.Join(d.tmp, n))
		}
		for _, n := range slices.Backward(replaced) {
			_ = os.Rename(filepath.Join(old, n), filepath.Join(d.target, n))
		}
	}
	for _, e := range entries {
		n := e.Name()
		dst := filepath.Join(d.target, n)
		if _, err := os.Lstat(dst); err == nil {
			if err := os.Rename(dst, filepath.Join(old, n)); err != nil {
				undo()
				return err
			}
			replaced = append(replaced, n)
		}
		if err := os.Rename(filepath.Join(d.tmp, n), dst); err != nil {
			undo()
			return err
		}
		moved = append(moved, n)
	}
	return nil
}
