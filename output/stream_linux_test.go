//go:build linux

package output

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// Most of a streamed file is out of the page cache by the end, and the
// file holds what was written (a run's samples do not evict the user's files).
func TestStreamFileLeavesPageCache(t *testing.T) {
	dir := t.TempDir()
	var st unix.Statfs_t
	require.NoError(t, unix.Statfs(dir, &st))
	if st.Type == unix.TMPFS_MAGIC {
		t.Skip("tmpfs keeps its pages: nothing to drop")
	}
	path := filepath.Join(dir, "samples.parquet")
	f, err := os.Create(path)
	require.NoError(t, err)
	s := newStreamFile(f)
	block := bytes.Repeat([]byte("chokepoint"), 100_000) // 1 MB
	const blocks = 6 * streamWindow >> 20                // six windows
	for range blocks {
		n, err := s.Write(block)
		require.NoError(t, err)
		require.Equal(t, len(block), n)
	}
	require.NoError(t, f.Close())
	size := blocks * len(block)

	// Count the resident pages without reading them: mincore on a mapping.
	f, err = os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	m, err := unix.Mmap(int(f.Fd()), 0, size, unix.PROT_READ, unix.MAP_SHARED)
	require.NoError(t, err)
	defer func() { _ = unix.Munmap(m) }()
	page := os.Getpagesize()
	vec := make([]byte, (len(m)+page-1)/page)
	if _, _, errno := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&m[0])), uintptr(len(m)), uintptr(unsafe.Pointer(&vec[0]))); errno != 0 {
		t.Fatalf("mincore: %v", errno)
	}
	resident := 0
	for _, v := range vec {
		resident += int(v & 1)
	}
	// Four of the six windows are dropped (the last two are being
	// written back or still dirty): at most half the pages stay.
	assert.Less(t, resident, len(vec)/2, "%d of %d pages still in the page cache", resident, len(vec))

	// Read last: reading puts the pages back.
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Len(t, b, size)
	assert.True(t, bytes.Equal(block, b[size-len(block):]))
}
