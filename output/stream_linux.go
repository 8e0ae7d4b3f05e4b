//go:build linux

package output

import "golang.org/x/sys/unix"

// advise waits for the window written back last time and drops it from
// the page cache, then starts writing back the window just written. The
// advice is only advice: errors are ignored (a file system that does not
// keep a page cache, such as tmpfs, keeps its pages).
func (s *streamFile) advise() {
	fd := int(s.f.Fd())
	if s.kicked > s.dropped {
		_ = unix.SyncFileRange(fd, s.dropped, s.kicked-s.dropped,
			unix.SYNC_FILE_RANGE_WAIT_BEFORE|unix.SYNC_FILE_RANGE_WRITE|unix.SYNC_FILE_RANGE_WAIT_AFTER)
		_ = unix.Fadvise(fd, s.dropped, s.kicked-s.dropped, unix.FADV_DONTNEED)
		s.dropped = s.kicked
	}
	_ = unix.SyncFileRange(fd, s.kicked, s.off-s.kicked, unix.SYNC_FILE_RANGE_WRITE)
	s.kicked = s.off
}
