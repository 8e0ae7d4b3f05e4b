package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/chokepoint-sim/chokepoint/sim/dist"
)

func levelParam() *Param {
	return &Param{Key: "structure.x", Min: 0, Max: 2, Levels: []string{"linear", "threshold", "none"}}
}

// Level names read both ways, a drawn value names the level the model
// rounds it to, and only a fixed value pins one.
func TestParamLevels(t *testing.T) {
	p := levelParam()
	assert.Equal(t, 1, p.Level("threshold"))
	assert.Equal(t, -1, p.Level("thresold"))
	assert.Equal(t, "none", p.LevelName(1.6))
	assert.Equal(t, "linear", p.LevelName(-3))
	fixed, _ := dist.Parse(2.0)
	assert.Equal(t, "none", p.Pinned(fixed))
	drawn, _ := dist.ParseText(`{dist = "discrete", values = [0, 1, 2], weights = [0.6, 0.3, 0.1]}`)
	assert.Equal(t, "", p.Pinned(drawn))
	assert.Equal(t, "2 (none)", p.Describe(fixed))
	assert.Equal(t, "linear (0) 60%, threshold (1) 30%, none (2) 10%", p.Describe(drawn))
	assert.Equal(t, "", (&Param{Key: "a.b"}).Pinned(fixed), "a parameter without levels pins nothing")
}

// A registry refuses levels that do not match the bounds or repeat.
func TestRegistryChecksLevels(t *testing.T) {
	for _, p := range []Param{
		{Key: "structure.x", Unit: "1", Default: "0", Min: 0, Max: 1, Levels: []string{"a", "b", "c"}},
		{Key: "structure.x", Unit: "1", Default: "0", Min: 0, Max: 1, Levels: []string{"a", "a"}},
		{Key: "structure.x", Unit: "1", Default: "0", Min: 0, Max: 1, Levels: []string{"a", "Not A Name"}},
	} {
		assert.Panics(t, func() { NewRegistry([]Param{p}, nil, nil) }, "%v", p.Levels)
	}
	assert.NotPanics(t, func() {
		NewRegistry([]Param{{Key: "structure.x", Unit: "1", Default: "0", Min: 0, Max: 1, Levels: []string{"a", "b"}}}, nil, nil)
	})
}
