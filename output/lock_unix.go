//go:build unix

package output

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// lockWait is how long Begin retries a lock held for an instant (by
// CheckTarget's probe in another process) before it reports the folder busy.
const lockWait = time.Second

// acquireLock takes the exclusive flock(2) on path, creating it, and writes
// this process's id into it. The kernel releases the lock when the process
// dies, so a lock file left by a killed run never blocks the next one.
func acquireLock(path, target string) (*os.File, error) {
	deadline := time.Now().Add(lockWait)
	for {
		f, err := tryLock(path)
		switch {
		case err == nil:
			return f, nil
		case !errors.Is(err, syscall.EWOULDBLOCK):
			return nil, err
		case time.Now().After(deadline):
			return nil, busy(target, readPid(path))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// tryLock takes the lock without waiting; EWOULDBLOCK when it is held.
func tryLock(path string) (*os.File, error) {
	for range 10 {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o644)
		if err != nil {
			return nil, err
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			return nil, err
		}
		// The holder before removes the file when it releases; a lock
		// taken on the removed file is no lock: open it again.
		held, err1 := f.Stat()
		named, err2 := os.Lstat(path)
		if err1 == nil && err2 == nil && os.SameFile(held, named) && held.Mode().IsRegular() {
			_ = f.Truncate(0)
			_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
			return f, nil
		}
		f.Close()
	}
	return nil, fmt.Errorf("%s: the lock file keeps changing", path)
}

// probeLock reports whether another process holds the lock on path, taking
// and dropping a shared lock; a missing lock file is a free lock.
func probeLock(path, target string) error {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return nil // none, or unreadable: Begin will say
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); errors.Is(err, syscall.EWOULDBLOCK) {
		return busy(target, readPid(path))
	}
	return nil
}

// releaseLock removes the lock file, then drops the lock.
func releaseLock(f *os.File) {
	_ = os.Remove(f.Name())
	f.Close()
}

func readPid(path string) string {
	b, err := os.ReadFile(path)
	if err != nil || len(b) > 32 {
		return ""
	}
	s := strings.TrimSpace(string(b))
	if _, err := strconv.Atoi(s); err != nil {
		return ""
	}
	return s
}
