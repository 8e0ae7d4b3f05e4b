package main

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The parameter tables of the model card are generated from the registry;
// this fails when someone edits one without the other. Regenerate with
// `chokepoint params --markdown`.
func TestModelCardParamsMatchRegistry(t *testing.T) {
	b, err := os.ReadFile("../../docs/MODEL.md")
	require.NoError(t, err)
	doc := string(b)
	const begin, end = "<!-- BEGIN params (generated: chokepoint params --markdown) -->\n", "<!-- END params -->"
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	require.True(t, i >= 0 && j > i, "docs/MODEL.md lacks the generated-table markers")
	code, stdout, stderr := cli(t, "params", "--markdown")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, stdout, doc[i+len(begin):j], "docs/MODEL.md's tables differ from `chokepoint params --markdown`")
}
