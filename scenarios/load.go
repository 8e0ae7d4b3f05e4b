package scenarios

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/chokepoint-sim/chokepoint/sim"
	"github.com/chokepoint-sim/chokepoint/sim/dist"
)

// DefaultSpan is the span of a scenario that has no [time] table.
var DefaultSpan = sim.Span{Start: sim.NewPeriod(2020, 1), End: sim.NewPeriod(2035, 4)}

// MaxQuarters bounds a scenario's span: 100 years is past any question the
// model can answer, and a longer span is more likely a typo (2025Q1..2205Q1).
const MaxQuarters = 400

// Loader resolves scenario names and paths against a model's registry.
type Loader struct {
	Registry *sim.Registry
	// FS holds the built-in scenarios, one NAME.toml each at its top; nil
	// means Builtin().
	FS fs.FS
}

func (l *Loader) fsys() fs.FS {
	if l.FS != nil {
		return l.FS
	}
	return Builtin()
}

// Load reads, resolves, validates and compiles a scenario: a built-in name
// ("current-policy") or the path of a .toml file (anything containing a
// path separator or ending in .toml). Any mistake in the file, or in a file
// it extends, comes back as an *Error.
func (l *Loader) Load(nameOrPath string) (*sim.Scenario, error) {
	if l.Registry == nil {
		return nil, errors.New("scenarios: Loader has no Registry")
	}
	r, err := l.ref(nameOrPath)
	if err != nil {
		return nil, err
	}
	src, err := l.read(r)
	if err != nil {
		return nil, &Error{File: r.name, Msg: err.Error()}
	}
	res, err := l.resolve(r, src, nil)
	if err != nil {
		return nil, err
	}
	return l.compile(res)
}

// Source returns the text of a scenario file, named as Load takes it (for
// `chokepoint scenarios show`).
func (l *Loader) Source(nameOrPath string) ([]byte, error) {
	r, err := l.ref(nameOrPath)
	if err != nil {
		return nil, err
	}
	src, err := l.read(r)
	if err != nil {
		return nil, &Error{File: r.name, Msg: err.Error()}
	}
	// The text is printed as it is, so it must be text: TOML allows no
	// control character but tab and line breaks, even in a comment.
	if e := controlIn(src); e != nil {
		e.File = r.name
		return nil, e
	}
	return src, nil
}

// ref names a scenario file: a built-in one in the loader's FS or one on
// disk.
type ref struct {
	name    string // for messages: the path as given, or "builtin:NAME.toml"
	short   string // for cycle messages: NAME or the path
	builtin bool
	path    string // in the FS for built-ins, else on disk
	id      string // for built-ins at the top of the FS: the id the file must have
}

// same reports whether a and b are the same file.
func (a ref) same(b ref) bool {
	if a.builtin != b.builtin {
		return false
	}
	if a.builtin {
		return a.path == b.path
	}
	pa, errA := filepath.Abs(a.path)
	pb, errB := filepath.Abs(b.path)
	if errA != nil || errB != nil {
		return filepath.Clean(a.path) == filepath.Clean(b.path)
	}
	return pa == pb
}

// isPath tells a path from a built-in name.
func isPath(s string) bool {
	return strings.ContainsAny(s, `/\`) || strings.ContainsRune(s, os.PathSeparator) ||
		strings.HasSuffix(s, ".toml")
}

func builtinRef(name string) ref {
	return ref{name: "builtin:" + name + ".toml", short: name, builtin: true, path: name + ".toml", id: name}
}

// ref resolves a name given on the command line.
func (l *Loader) ref(nameOrPath string) (ref, error) {
	if isPath(nameOrPath) {
		return ref{name: nameOrPath, short: nameOrPath, path: nameOrPath}, nil
	}
	ns := names(l.fsys())
	for _, n := range ns {
		if n == nameOrPath {
			return builtinRef(n), nil
		}
	}
	return ref{}, &Error{Msg: unknownScenario(nameOrPath, ns)}
}

func unknownScenario(name string, builtins []string) string {
	msg := fmt.Sprintf("unknown scenario %q", name)
	if s := suggest(name, builtins); s != "" {
		return msg + fmt.Sprintf(" (did you mean %q?)", s)
	}
	if len(builtins) == 0 {
		return msg + " (there are no built-in scenarios; give a path to a .toml file)"
	}
	return msg + "; the built-in scenarios are " + strings.Join(builtins, ", ") +
		", or give a path to a .toml file"
}

// read returns a file's bytes, or an error saying plainly why not. Only a
// regular file of at most MaxFileSize bytes is read: a named pipe would block
// until someone writes to it, and a device such as /dev/zero never ends.
func (l *Loader) read(r ref) ([]byte, error) {
	var (
		b   []byte
		err error
	)
	if r.builtin {
		if !fs.ValidPath(r.path) {
			return nil, errors.New("cannot read: not a path inside the built-in library")
		}
		b, err = readLimited(l.fsys().Open(r.path))
	} else {
		b, err = readLimited(openFile(r.path))
	}
	var le *limitError
	switch {
	case err == nil:
		return b, nil
	case errors.As(err, &le):
		return nil, le
	case errors.Is(err, fs.ErrNotExist):
		return nil, errors.New("cannot read: no such file")
	case errors.Is(err, fs.ErrPermission):
		return nil, errors.New("cannot read: permission denied")
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return nil, fmt.Errorf("cannot read: %v", err)
}

// limitError says why a file was not read: its kind or its size.
type limitError struct{ msg string }

func (e *limitError) Error() string { return e.msg }

// readLimited reads the file f opened, if it is a regular file of at most
// MaxFileSize bytes, and closes it.
func readLimited(f fs.File, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &limitError{"expected a regular file, found " + fileKind(st.Mode())}
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxFileSize {
		return nil, &limitError{fmt.Sprintf("the file is larger than %d MiB (%d bytes), the most a scenario file may be",
			MaxFileSize>>20, MaxFileSize)}
	}
	return b, nil
}

// fileKind names what a file that is not a regular file is.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "a special file"
}

// parentRef resolves f's extends: a built-in name, or a path relative to f.
func (l *Loader) parentRef(f *file) (ref, *Error) {
	ext := f.extends
	if !isPath(ext) {
		ns := names(l.fsys())
		for _, n := range ns {
			if n == ext {
				return builtinRef(n), nil
			}
		}
		return ref{}, f.err("extends", "%s", unknownScenario(ext, ns))
	}
	if f.ref.builtin {
		p := path.Join(path.Dir(f.ref.path), ext)
		return ref{name: "builtin:" + p, short: p, builtin: true, path: p}, nil
	}
	p := ext
	if !filepath.IsAbs(p) {
		p = filepath.Join(filepath.Dir(f.ref.path), filepath.FromSlash(ext))
	}
	return ref{name: p, short: p, path: p}, nil
}

// origin says which file and key set a value.
type origin struct {
	f   *file
	key string
}

// resolved is a scenario with its extends chain applied, before compiling.
type resolved struct {
	f                      *file // the file that was loaded (the last child)
	id, title, description string
	start, end             sim.Period
	startAt, endAt         *origin // nil: the default
	params                 map[int]*paramValue
	events                 []*event
	eventAt                map[string]int // index in events, by id
	corrs                  []*corrGroup
}

// resolve parses the file r and everything it extends; stack holds the files
// whose extends led here, for finding cycles.
func (l *Loader) resolve(r ref, src []byte, stack []ref) (*resolved, error) {
	f := l.parse(r, src)
	if err := f.first(); err != nil {
		return nil, err
	}
	res := &resolved{start: DefaultSpan.Start, end: DefaultSpan.End, params: map[int]*paramValue{},
		eventAt: map[string]int{}}
	if f.extends != "" {
		pr, perr := l.parentRef(f)
		if perr != nil {
			return nil, perr
		}
		chain := append(append([]ref(nil), stack...), r)
		for i, s := range chain {
			if s.same(pr) {
				var names []string
				for _, c := range chain[i:] {
					names = append(names, c.short)
				}
				names = append(names, pr.short)
				return nil, f.err("extends", "cycle: %s", strings.Join(names, " → "))
			}
		}
		if len(chain) >= MaxChain {
			return nil, f.err("extends", "%q: a chain of extends may hold at most %d files", f.extends, MaxChain)
		}
		psrc, err := l.read(pr)
		if err != nil {
			return nil, f.err("extends", "%q: %v", f.extends, err)
		}
		parent, err := l.resolve(pr, psrc, chain)
		if err != nil {
			return nil, err
		}
		res = parent
	}
	res.f = f
	res.id, res.title = f.id, f.title
	if f.description != nil {
		res.description = *f.description
	}
	if f.start != nil {
		res.start, res.startAt = *f.start, &origin{f, "time.start"}
	}
	if f.end != nil {
		res.end, res.endAt = *f.end, &origin{f, "time.end"}
	}
	for i, p := range f.params {
		res.params[i] = p
	}
	res.corrs = append(res.corrs, f.corrs...)
	for _, e := range f.events {
		if i, ok := res.eventAt[e.ev.ID]; ok {
			res.events[i] = e
			continue
		}
		res.eventAt[e.ev.ID] = len(res.events)
		res.events = append(res.events, e)
	}
	return res, nil
}

// compile checks what only the resolved scenario shows (its span, conflicting
// events) and builds the sim.Scenario.
func (l *Loader) compile(res *resolved) (*sim.Scenario, error) {
	reg := l.Registry
	if res.end < res.start || int(res.end-res.start) >= MaxQuarters {
		// Report at the key the last file in the chain set, since that is
		// the one the user is editing.
		at := res.endAt
		if at == nil || (res.startAt != nil && res.startAt.f == res.f && res.endAt.f != res.f) {
			at = res.startAt
		}
		if at == nil {
			at = &origin{res.f, "time"}
		}
		if res.end < res.start {
			if at.key == "time.end" {
				return nil, at.f.err(at.key, "%s is before time.start %s", res.end, res.start)
			}
			return nil, at.f.err(at.key, "%s is after time.end %s", res.start, res.end)
		}
		return nil, at.f.err(at.key, "the span %s to %s is %d quarters; at most %d are allowed",
			res.start, res.end, int(res.end-res.start)+1, MaxQuarters)
	}
	if err := conflicts(reg, res.events); err != nil {
		return nil, err
	}

	sc := &sim.Scenario{
		Name:        res.id,
		Title:       res.title,
		Description: res.description,
		Span:        sim.Span{Start: res.start, End: res.end},
		Params:      make([]dist.Dist, len(reg.Params)),
	}
	for i := range reg.Params {
		sc.Params[i] = reg.Params[i].Dist()
		if p, ok := res.params[i]; ok {
			sc.Params[i] = p.dist
		}
	}
	for _, e := range res.events {
		sc.Events = append(sc.Events, e.ev)
	}
	sortEvents(sc.Events)
	corrs, err := compileCorrelations(res.corrs)
	if err != nil {
		return nil, err
	}
	sc.Correlations = corrs
	sc.Hash = hash(reg, sc)
	return sc, nil
}

func sortEvents(evs []sim.Event) {
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].Effective < evs[j].Effective })
}

// conflicts finds two events certain to set one lever to different values
// in the same quarter: the scenario would then depend on the order the
// events were written in, which is rarely what was meant.
//
// Events are taken in order, and each certain one is compared with the
// first certain event on its lever and quarter: until a conflict is found,
// all before it there agree with that first one.
func conflicts(reg *sim.Registry, evs []*event) error {
	type slot struct {
		lever int
		at    sim.Period
	}
	first := map[slot]*event{}
	for _, b := range evs {
		if b.ev.Uncertain() {
			continue
		}
		k := slot{b.ev.Lever, b.ev.Effective}
		a, seen := first[k]
		if !seen {
			first[k] = b
			continue
		}
		if a.ev.Value != b.ev.Value {
			lv := &reg.Levers[b.ev.Lever]
			where := a.key
			if a.f != b.f {
				where += " in " + a.f.ref.name
			}
			if p := a.f.lookup(a.key); p.Line > 0 {
				where += fmt.Sprintf(", line %d", p.Line)
			}
			return b.f.err(b.key, "conflicts with event %q (%s): both set %s in %s for certain, to %s and %s",
				a.ev.ID, where, lv.Key, b.ev.Effective, lv.FormatValue(a.ev.Value), lv.FormatValue(b.ev.Value))
		}
	}
	return nil
}
