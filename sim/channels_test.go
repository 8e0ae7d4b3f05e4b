package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func med(role ChannelRole, key string, m float64) ChannelRow {
	var s Stats
	s.Q[3] = m
	return ChannelRow{Key: key, Role: role, Stats: s}
}

// The main channel is the largest part moving the way the total moves;
// what a part contains and what stands beside never count.
func TestMainChannel(t *testing.T) {
	rows := []ChannelRow{med(RoleTotal, "total", 10), med(RolePart, "legal", -50), med(RolePart, "smuggled", 5),
		med(RolePart, "domestic", 40), med(RoleWithin, "induced", 90), med(RoleBeside, "cloud", 100)}
	assert.Equal(t, "domestic", MainChannel(rows))
	rows[0] = med(RoleTotal, "total", -1)
	assert.Equal(t, "legal", MainChannel(rows))
	rows[0] = med(RoleTotal, "total", 0)
	assert.Empty(t, MainChannel(rows))
	assert.Empty(t, MainChannel(nil))
}

// An across row carries the change when it goes the total's way and is at
// least half of it; parts and outputs beside never do.
func TestAcrossCarries(t *testing.T) {
	rows := []ChannelRow{med(RoleTotal, "total", 10), med(RolePart, "legal", 8), med(RoleAcross, "inference buyers", 6),
		med(RoleBeside, "cloud", 100)}
	assert.Equal(t, "inference buyers", AcrossCarries(rows))
	rows[2] = med(RoleAcross, "inference buyers", 4.9)
	assert.Empty(t, AcrossCarries(rows), "under half")
	rows[2] = med(RoleAcross, "inference buyers", -6)
	assert.Empty(t, AcrossCarries(rows), "the other way")
	rows[0] = med(RoleTotal, "total", -10)
	assert.Equal(t, "inference buyers", AcrossCarries(rows), "a fall carried by it")
	assert.Empty(t, AcrossCarries(nil))
}

// PartOf reads the channel split: a part and an output across the parts
// belong to the total, what a part contains to the part.
func TestPartOf(t *testing.T) {
	r := &Registry{Channels: &Channels{Total: "stock", Parts: []string{"legal", "domestic"},
		Within: map[string]string{"domestic": "induced"}, Across: []string{"inference buyers"}, Beside: []string{"cloud"}}}
	for key, want := range map[string]string{"legal": "stock", "inference buyers": "stock", "induced": "domestic", "cloud": "", "stock": "", "other": ""} {
		assert.Equal(t, want, r.PartOf(key), key)
	}
	assert.Empty(t, (&Registry{}).PartOf("legal"))
}
