package output

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ManifestName marks a folder as chokepoint results.
const ManifestName = "manifest.json"

// ErrNotResults is returned when the output folder exists, is not empty and
// holds no manifest.json: it is someone else's folder and is left alone.
var ErrNotResults = errors.New("exists and does not look like chokepoint results (no manifest.json); choose another --out or remove it")

// Folder writes a results folder atomically: files go to a temporary
// sibling, which replaces the target only when everything is written. An
// interrupted run leaves the previous results intact and no partial folder.
type Folder struct {
	Target string
	tmp    string
}

// CheckTarget reports whether dir may be (re)written.
func CheckTarget(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		if fi, serr := os.Stat(dir); serr == nil && !fi.IsDir() {
			return fmt.Errorf("%s: exists and is not a folder", dir)
		}
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, ManifestName)); err != nil {
		return fmt.Errorf("%s: %w", dir, ErrNotResults)
	}
	return nil
}

// Begin creates the temporary folder beside target.
func Begin(target string) (*Folder, error) {
	if err := CheckTarget(target); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(target)
	if err != nil {
		return nil, err
	}
	parent := filepath.Dir(abs)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	// A run killed (SIGKILL, power loss) while writing can leave its
	// temporary folder behind; the next run into the same place clears it.
	stale, _ := filepath.Glob(filepath.Join(parent, "."+filepath.Base(abs)+".partial-*"))
	for _, d := range stale {
		_ = os.RemoveAll(d)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(abs)+".partial-")
	if err != nil {
		return nil, err
	}
	// MkdirTemp makes the folder private; results are ordinary files.
	if err := os.Chmod(tmp, 0o755); err != nil {
		_ = os.RemoveAll(tmp)
		return nil, err
	}
	return &Folder{Target: abs, tmp: tmp}, nil
}

// Path returns where to write name inside the folder being built.
func (f *Folder) Path(name string) string { return filepath.Join(f.tmp, name) }

// Commit replaces the target with the finished folder.
func (f *Folder) Commit() error {
	if err := CheckTarget(f.Target); err != nil {
		f.Abort()
		return err
	}
	old := ""
	if _, err := os.Stat(f.Target); err == nil {
		old = f.tmp + ".old"
		if err := os.Rename(f.Target, old); err != nil {
			f.Abort()
			return err
		}
	}
	if err := os.Rename(f.tmp, f.Target); err != nil {
		if old != "" {
			_ = os.Rename(old, f.Target)
		}
		f.Abort()
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// Abort removes the temporary folder.
func (f *Folder) Abort() { _ = os.RemoveAll(f.tmp) }
