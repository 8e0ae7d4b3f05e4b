package output

import "os"

// streamFile is a file written once, front to back, that is not read
// again by this process: samples and params of a large batch (14 GB of
// Parquet at a million runs). Its writes go to the file as they come;
// on Linux, every streamWindow bytes it starts writing the last window
// back to disk and drops the window before it from the page cache
// (sync_file_range, then posix_fadvise DONTNEED: the pattern for
// streaming writes). Without it a file larger than free memory fills the
// page cache and every further write pays for reclaiming it: at a million
// runs the kernel time rose from 0.9 s to 3.3 s a GB written
// (docs/performance.md), and the user's other files were evicted.
type streamFile struct {
	f *os.File
	// off is the bytes written; kicked the end of the range whose
	// write-back has started; dropped the end of the range dropped.
	off, kicked, dropped int64
	// err is a write-back error the kernel reported while waiting for a
	// window (a full disk, an I/O error): the next Write returns it.
	err error
}

// streamWindow is the bytes between two pieces of advice.
const streamWindow = 32 << 20

func newStreamFile(f *os.File) *streamFile { return &streamFile{f: f} }

func (s *streamFile) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.f.Write(p)
	s.off += int64(n)
	if err == nil && s.off-s.kicked >= streamWindow {
		s.err = s.advise()
	}
	return n, err
}
