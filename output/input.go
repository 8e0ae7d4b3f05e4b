package output

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/chokepoint-sim/chokepoint/sim"
)

// Limits on the files chokepoint reads back (results folders, shard
// folders): each a good deal above the largest such file chokepoint writes,
// so that a tampered file cannot make a reader hold more. Past a limit the
// file is refused as bad input.
const (
	// MaxManifestBytes bounds manifest.json: 1,000 scenarios with titles
	// of 200 characters make under 400 KB.
	MaxManifestBytes = 1 << 20
	// MaxEventsBytes bounds events.json: 1,000 scenarios of 100 events,
	// each about 100 bytes, make 10 MB.
	MaxEventsBytes = 16 << 20
	// MaxRecordBytes bounds one record of a CSV file (a row of
	// samples.csv is under 1 KB); CSV files stream, so their rows are
	// bounded by what they describe (maxCells, maxSensitivityRows,
	// sim.ExactLimit samples), not their size.
	MaxRecordBytes = 1 << 20
	// MaxStateBytes bounds a shard's state.bin: an exact shard holds at
	// most sim.ExactLimit values (200 MB) and each run's parameters and
	// event flags; a sketched one, at most a few KB per cell.
	MaxStateBytes = 4 << 30
)

// OpenInput opens a file that chokepoint reads back. Anything but a
// regular file (a FIFO, a device such as /dev/zero, a folder) is refused
// as bad input; a FIFO is opened without blocking, so that refusing it
// cannot hang. A missing file gives an error satisfying
// errors.Is(err, fs.ErrNotExist); every other failure is a sim.InputError.
func OpenInput(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err != nil {
		return nil, &sim.InputError{Err: err}
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, &sim.InputError{Err: err}
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, sim.BadInputf("%s: not a regular file (%s)", path, kind(info.Mode()))
	}
	return f, nil
}

func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeDevice != 0 || m&fs.ModeCharDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return m.Type().String()
}

// ReadInput reads a whole file that chokepoint reads back, of at most
// limit bytes (see OpenInput).
func ReadInput(path string, limit int64) ([]byte, error) {
	f, err := OpenInput(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, &sim.InputError{Err: err}
	}
	if int64(len(b)) > limit {
		return nil, sim.BadInputf("%s: larger than %d bytes, more than chokepoint writes", path, limit)
	}
	return b, nil
}

// recordReader bounds the bytes a CSV reader takes past the end of its
// last whole record, so that a record without end cannot grow in memory.
type recordReader struct {
	r          io.Reader
	read, mark int64 // bytes delivered; offset of the last record's end
}

var errLongRecord = fmt.Errorf("a record longer than %d bytes", MaxRecordBytes)

func (b *recordReader) Read(p []byte) (int, error) {
	if b.read-b.mark > MaxRecordBytes {
		return 0, errLongRecord
	}
	n, err := b.r.Read(p)
	b.read += int64(n)
	return n, err
}
