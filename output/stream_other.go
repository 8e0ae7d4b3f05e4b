//go:build !linux

package output

// advise does nothing where sync_file_range does not exist.
func (s *streamFile) advise() error { s.kicked = s.off; return nil }
