//go:build !unix

package output

// openFlags: no named pipes to guard against.
const openFlags = 0
