package web

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits of a class.
const (
	// MaxTeams is the most teams a class takes.
	MaxTeams = 60
	// maxTeamName is the longest team name, in characters.
	maxTeamName = 40
	// classCodeAlphabet leaves out 0, O, 1, I and L, which read alike on a
	// projector.
	classCodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
	// classCodeLen characters of 31 give 31^8 ≈ 8.5e11 codes (39.6
	// bits). Wrong codes are refused at most 20 a second in total (see
	// classFailures), so a whole day of guessing (1.7M tries) finds the
	// code with probability 2e-6; a 45-minute class, 54,000 tries, 6e-8.
	classCodeLen = 8
	// defaultClassAt is the quarter outcomes are read at unless a pushed
	// exercise names another.
	defaultClassAt = "2030Q4"
	// classFileLimit caps the class file read at start: 60 teams with
	// every lever set fit in a tenth of it.
	classFileLimit = 4 << 20
	// classSaveDelay folds the updates of many teams into one write.
	classSaveDelay = 300 * time.Millisecond
	classVersion   = 1
)

// Class is the state of one facilitated class (chokepoint serve --class):
// its join code, the teacher's token, the teams with their settings and
// outcomes, what the teacher pushed and whether changes are locked. It is
// saved to its file (when it has one) atomically: written to a temporary
// file in the same folder, synced, then renamed over the old one, so a
// crash leaves the old state or the new, never a mix. Join, push and lock
// are saved before they are answered; team updates within classSaveDelay.
type Class struct {
	path     string
	now      func() time.Time
	restored bool

	mu sync.Mutex
	st classState
	// version counts changes; wake is closed (and replaced) at each, for
	// the teacher's long poll.
	version uint64
	wake    chan struct{}
	byID    map[string]*team
	polls   map[string]*bucket // per team, not saved
	posts   map[string]*bucket
	// teacher limits the teacher's requests (a looping script, not a
	// guess: a wrong token counts as a failure).
	teacher bucket
	// failures counts wrong join codes, per client address (2 a second,
	// 10 at once) and in total (20 a second, 60 at once); when either is
	// spent, a join is refused before its code is compared. Teams that
	// joined never meet this limit.
	failures *keyedLimiter

	saveMu  sync.Mutex
	dirty   chan struct{}
	stop    chan struct{}
	stopped chan struct{}
	once    sync.Once
	saveErr error
}

// classState is what the class file holds.
type classState struct {
	Version int       `json:"version"`
	ID      string    `json:"id"`
	Code    string    `json:"code"`
	Token   string    `json:"teacher_token"`
	Created time.Time `json:"created"`
	Locked  bool      `json:"locked"`
	Push    classPush `json:"push"`
	Teams   []*team   `json:"teams"`
}

// classPush is what the teacher last sent to every team.
type classPush struct {
	Seq      int    `json:"seq"`
	Scenario string `json:"scenario,omitempty"`
	Exercise string `json:"exercise,omitempty"`
	// At is the quarter outcomes are read at.
	At string `json:"at"`
}

// team is one team: its name, its credentials and its last settings and
// outcomes.
type team struct {
	ID      string    `json:"id"`
	Secret  string    `json:"secret"`
	Name    string    `json:"name"`
	Joined  time.Time `json:"joined"`
	Updated time.Time `json:"updated,omitzero"`
	// Seen is the push the team's page had applied when it last sent its
	// settings.
	Seen     int                 `json:"seen"`
	Scenario string              `json:"scenario,omitempty"`
	Runs     int                 `json:"runs,omitempty"`
	Seed     uint64              `json:"seed,omitempty"`
	From     string              `json:"from,omitempty"`
	Settings []applied           `json:"settings,omitempty"`
	At       string              `json:"at,omitempty"`
	Outcomes map[string]*outcome `json:"outcomes,omitempty"`
}

// outcome is an output's median and 90% range at the class's quarter;
// nil where the runs give no value.
type outcome struct {
	Unit string   `json:"unit,omitempty"`
	P05  *float64 `json:"p05"`
	P50  *float64 `json:"p50"`
	P95  *float64 `json:"p95"`
}

// OpenClass starts a class saved to path, or restores the one saved
// there; an empty path keeps the class in memory only. A file that
// exists but is not a class file is an error that names the file and
// what is wrong. Close the class to write its last updates.
func OpenClass(path string) (*Class, error) {
	c := &Class{path: path, now: time.Now, byID: map[string]*team{}, polls: map[string]*bucket{},
		posts: map[string]*bucket{}, wake: make(chan struct{}), failures: newKeyedLimiter(2, 10, 20, 60),
		dirty: make(chan struct{}, 1), stop: make(chan struct{}), stopped: make(chan struct{})}
	c.failures.now = func() time.Time { return c.now() }
	var err error
	if c.restored, err = c.load(); err != nil {
		return nil, err
	}
	if !c.restored {
		if err := c.fresh(); err != nil {
			return nil, err
		}
	}
	for _, t := range c.st.Teams {
		c.byID[t.ID] = t
	}
	if err := c.saveNow(); err != nil {
		return nil, err
	}
	go c.saver()
	return c, nil
}

// Restored says whether the class came from its file.
func (c *Class) Restored() bool { return c.restored }

// JoinCode is the code students type to join, as "ABCD-EFGH".
func (c *Class) JoinCode() string { return c.st.Code[:4] + "-" + c.st.Code[4:] }

// TeacherToken is the secret of the teacher's link; students never see it.
func (c *Class) TeacherToken() string { return c.st.Token }

// Teams is the number of teams that joined.
func (c *Class) Teams() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.st.Teams)
}

// EndWaits ends the teachers' long polls and stops the background saver,
// and writes nothing: a server calls it when shutdown begins (so a long
// poll does not hold the shutdown) and Close once every request is done.
func (c *Class) EndWaits() {
	c.once.Do(func() {
		close(c.stop)
		<-c.stopped
	})
}

// Close ends the waits, writes the last updates and returns the first
// error saving met, if any. Call it after the last request is answered:
// nothing writes the class file once it has returned.
func (c *Class) Close() error {
	c.EndWaits()
	if err := c.saveNow(); err != nil {
		return err
	}
	c.saveMu.Lock()
	defer c.saveMu.Unlock()
	return c.saveErr
}

func (c *Class) fresh() error {
	code, err := randomCode()
	if err != nil {
		return err
	}
	c.st = classState{Version: classVersion, ID: strings.ToLower(rand.Text()[:10]), Code: code, Token: rand.Text(),
		Created: c.now().UTC().Truncate(time.Second), Push: classPush{At: defaultClassAt}, Teams: []*team{}}
	return nil
}

// randomCode draws classCodeLen characters of classCodeAlphabet with
// crypto/rand.
func randomCode() (string, error) {
	var b strings.Builder
	n := big.NewInt(int64(len(classCodeAlphabet)))
	for range classCodeLen {
		i, err := rand.Int(rand.Reader, n)
		if err != nil {
			return "", fmt.Errorf("class: cannot draw a join code: %v", err)
		}
		b.WriteByte(classCodeAlphabet[i.Int64()])
	}
	return b.String(), nil
}

// normalCode is a typed code as stored: upper case, without spaces or
// dashes.
func normalCode(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
}

// teamName checks and tidies a team's name.
func teamName(s string) (string, error) {
	name := strings.Join(strings.Fields(s), " ")
	switch {
	case !utf8.ValidString(s):
		return "", badRequest("team: the name is not valid UTF-8")
	case name == "":
		return "", badRequest("team: expected a team name of 1 to %d characters, found an empty one", maxTeamName)
	case utf8.RuneCountInString(name) > maxTeamName:
		return "", badRequest("team: expected a team name of at most %d characters, found %d", maxTeamName, utf8.RuneCountInString(name))
	}
	for _, r := range name {
		if !unicode.IsPrint(r) {
			return "", badRequest("team: the name holds a control or invisible character (%U); use letters, digits and punctuation", r)
		}
	}
	return name, nil
}

// load reads the class file if there is one.
func (c *Class) load() (bool, error) {
	if c.path == "" {
		return false, nil
	}
	f, err := os.Open(c.path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("%s: cannot read the class file: %v", c.path, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, classFileLimit+1))
	if err != nil {
		return false, fmt.Errorf("%s: cannot read the class file: %v", c.path, err)
	}
	if len(b) > classFileLimit {
		return false, fmt.Errorf("%s: the class file is larger than %d MB; expected the file chokepoint serve --class writes", c.path, classFileLimit>>20)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c.st); err != nil {
		return false, fmt.Errorf("%s: %s", c.path, decodeMessage(b, err))
	}
	if err := c.st.check(); err != nil {
		return false, fmt.Errorf("%s: %v; expected the file chokepoint serve --class writes (delete it to start a new class)", c.path, err)
	}
	return true, nil
}

// decodeMessage places a JSON error on its line.
func decodeMessage(b []byte, err error) string {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
		err = fmt.Errorf("key %q: expected %s, found a JSON %s", te.Field, jsonKind(te.Type), te.Value)
	}
	if off < 0 || off > int64(len(b)) {
		return "not a class file: " + err.Error()
	}
	return fmt.Sprintf("line %d: not a class file: %v", bytes.Count(b[:off], []byte("\n"))+1, err)
}

// jsonKind names the JSON a Go type reads, as a message says it.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		if t == reflect.TypeFor[time.Time]() {
			return "a time such as \"2026-03-02T09:00:00Z\""
		}
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	}
	return "a number"
}

// check validates a class read from its file.
func (st *classState) check() error {
	switch {
	case st.Version != classVersion:
		return fmt.Errorf("key \"version\": expected %d, found %d", classVersion, st.Version)
	case len(st.Code) != classCodeLen || strings.Trim(st.Code, classCodeAlphabet) != "":
		return fmt.Errorf("key \"code\": expected %d characters of %s", classCodeLen, classCodeAlphabet)
	case len(st.Token) < 20:
		return fmt.Errorf("key \"teacher_token\": expected a random token of at least 20 characters")
	case len(st.Teams) > MaxTeams:
		return fmt.Errorf("key \"teams\": at most %d teams, found %d", MaxTeams, len(st.Teams))
	case st.Push.At == "":
		st.Push.At = defaultClassAt
	}
	ids, names := map[string]bool{}, map[string]bool{}
	for i, t := range st.Teams {
		if t == nil || t.ID == "" || len(t.Secret) < 20 {
			return fmt.Errorf("teams[%d]: expected an id and a secret of at least 20 characters", i)
		}
		name, err := teamName(t.Name)
		if err != nil {
			return fmt.Errorf("teams[%d]: %v", i, err)
		}
		if ids[t.ID] || names[strings.ToLower(name)] {
			return fmt.Errorf("teams[%d]: team %q appears twice", i, t.Name)
		}
		ids[t.ID], names[strings.ToLower(name)] = true, true
	}
	if st.Teams == nil {
		st.Teams = []*team{}
	}
	return nil
}

// bump marks a change for the teacher's view; c.mu is held.
func (c *Class) bump() {
	c.version++
	close(c.wake)
	c.wake = make(chan struct{})
}

// changed asks the saver to write soon.
func (c *Class) changed() {
	select {
	case c.dirty <- struct{}{}:
	default:
	}
}

// saver writes the class at most every classSaveDelay while teams update.
func (c *Class) saver() {
	defer close(c.stopped)
	for {
		select {
		case <-c.stop:
			return
		case <-c.dirty:
		}
		select {
		case <-c.stop:
			return
		case <-time.After(classSaveDelay):
		}
		if err := c.saveNow(); err != nil {
			c.saveMu.Lock()
			if c.saveErr == nil {
				c.saveErr = err
			}
			c.saveMu.Unlock()
		}
	}
}

// saveNow writes the class to its file: temporary file, sync, rename,
// sync of the folder. The file holds the teacher's token: only its owner
// may read it.
func (c *Class) saveNow() error {
	if c.path == "" {
		return nil
	}
	c.saveMu.Lock()
	defer c.saveMu.Unlock()
	c.mu.Lock()
	b, err := json.MarshalIndent(&c.st, "", "  ")
	c.mu.Unlock()
	if err != nil {
		return fmt.Errorf("class: %v", err)
	}
	dir := filepath.Dir(c.path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(c.path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("%s: cannot save the class: %v", c.path, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after the rename there is nothing to remove
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Chmod(0o600)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, c.path)
	}
	if err != nil {
		return fmt.Errorf("%s: cannot save the class: %v", c.path, err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // the rename itself survives a power cut
		d.Close()
	}
	return nil
}
