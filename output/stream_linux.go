//go:build linux

package output

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// advise waits for the window written back last time and drops it from
// the page cache, then starts writing back the window just written. The
// advice itself is only advice (a file system without a page cache, such
// as tmpfs, keeps its pages; one without sync_file_range refuses it), but
// an error the write-back met is the data's: it is returned.
func (s *streamFile) advise() error {
	fd := int(s.f.Fd())
	if s.kicked > s.dropped {
		err := unix.SyncFileRange(fd, s.dropped, s.kicked-s.dropped,
			unix.SYNC_FILE_RANGE_WAIT_BEFORE|unix.SYNC_FILE_RANGE_WRITE|unix.SYNC_FILE_RANGE_WAIT_AFTER)
		if errors.Is(err, unix.EIO) || errors.Is(err, unix.ENOSPC) {
			return fmt.Errorf("%s: writing to disk: %w", s.f.Name(), err)
		}
		_ = unix.Fadvise(fd, s.dropped, s.kicked-s.dropped, unix.FADV_DONTNEED)
		s.dropped = s.kicked
	}
	_ = unix.SyncFileRange(fd, s.kicked, s.off-s.kicked, unix.SYNC_FILE_RANGE_WRITE)
	s.kicked = s.off
	return nil
}
