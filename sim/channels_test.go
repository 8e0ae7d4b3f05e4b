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
