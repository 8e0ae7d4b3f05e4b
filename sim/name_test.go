package sim

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Names read back from results folders become file names: anything that
// could leave the folder or overflow a file name is refused.
func TestCheckName(t *testing.T) {
	for _, ok := range []string{"current-policy", "a", "-2-3", strings.Repeat("x", MaxNameLen)} {
		assert.NoError(t, CheckName(ok), ok)
	}
	for _, bad := range []string{"", "..", "../x", "a/b", `a\b`, "A", "a b", "a.b", "a\x00", strings.Repeat("x", MaxNameLen+1)} {
		assert.Error(t, CheckName(bad), bad)
	}
}
