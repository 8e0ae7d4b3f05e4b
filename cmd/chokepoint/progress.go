package main

import (
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progressDelay: batches shorter than this show no bar at all.
const progressDelay = time.Second

// progress draws a bar with runs per second and time left on stderr, for
// batches that last longer than a second, and only on a terminal.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	total   int
	start   time.Time
	bar     *progressbar.ProgressBar
	enabled bool
}

// newProgress returns a progress reporter, silent unless stderr is a
// terminal and quiet is false.
func newProgress(stderr io.Writer, total int, quiet bool, what string) *progress {
	p := &progress{w: stderr, total: total, start: time.Now()}
	if f, ok := stderr.(*os.File); ok && !quiet && term.IsTerminal(int(f.Fd())) {
		p.enabled = true
	}
	_ = what
	return p
}

// update reports done runs so far; safe from any goroutine.
func (p *progress) update(done int) {
	if !p.enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar == nil {
		if time.Since(p.start) < progressDelay {
			return
		}
		p.bar = progressbar.NewOptions(p.total,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription("runs"),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("runs"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetWidth(30),
			progressbar.OptionClearOnFinish(),
		)
	}
	_ = p.bar.Set(done)
}

// finish clears the bar.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Finish()
		_ = p.bar.Clear()
	}
}
