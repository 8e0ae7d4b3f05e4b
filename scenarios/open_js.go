//go:build js

package scenarios

import "os"

// openFile opens a scenario file for reading. In the browser (the page
// chokepoint publish writes) there is no file system: only the built-in
// library is read, so this is never reached with a real path.
func openFile(path string) (*os.File, error) {
	return os.Open(path)
}
