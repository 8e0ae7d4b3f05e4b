//go:build !js

package scenarios

import (
	"os"
	"syscall"
)

// openFile opens a scenario file for reading. O_NONBLOCK: opening a named
// pipe must not wait for a writer; it has no effect on a regular file.
func openFile(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
