//go:build !unix

package output

import (
	"errors"
	"os"
	"strconv"
	"strings"
)

// acquireLock creates path exclusively, holding this process's id. Without
// flock(2) a killed run's lock file stays: the message says to remove it.
func acquireLock(path, target string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil, busy(target, readPid(path)+"; if no chokepoint is running, remove "+path)
	}
	if err != nil {
		return nil, err
	}
	_, _ = f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
	return f, nil
}

func probeLock(path, target string) error {
	if _, err := os.Lstat(path); err == nil {
		return busy(target, readPid(path)+"; if no chokepoint is running, remove "+path)
	}
	return nil
}

func releaseLock(f *os.File) {
	f.Close()
	_ = os.Remove(f.Name())
}

func readPid(path string) string {
	b, err := os.ReadFile(path)
	if err != nil || len(b) > 32 {
		return "?"
	}
	return strings.TrimSpace(string(b))
}
