package sim

import (
	"math"
	"slices"
)

// Channels declares how a paired comparison splits the difference of a
// total output by channel.
type Channels struct {
	// Total is the output split.
	Total string
	// Parts are outputs whose paired differences add up to Total's, run by
	// run (up to rounding).
	Parts []string
	// Within maps a part to an output it contains, shown under it (a part
	// of the part, such as what induced investment made of domestic chips).
	Within map[string]string
	// Across are outputs contained in Total that cut across the parts
	// (such as what one buyer bought through several channels).
	Across []string
	// Beside are outputs shown alongside that are not part of Total.
	Beside []string
}

// ChannelRole says how a row of a channel split relates to the total.
type ChannelRole string

// The roles of a channel split's rows.
const (
	RoleTotal  ChannelRole = "total"
	RolePart   ChannelRole = "part"
	RoleWithin ChannelRole = "within"
	RoleAcross ChannelRole = "across"
	RoleBeside ChannelRole = "beside"
)

// ChannelRow is one output of a channel split at one quarter: the
// distribution of its paired difference and the share of runs higher.
type ChannelRow struct {
	Key  string
	Role ChannelRole
	// Of names the part a RoleWithin row belongs to.
	Of          string
	Stats       Stats
	ShareHigher float64
}

// ChannelSplit returns the registry's channel split of difference d at
// quarter t of a span of T quarters: the total, each part (followed by
// what it contains), what cuts across the parts, then the outputs beside. nil when the registry
// declares no channels.
func (r *Registry) ChannelSplit(d Diff, T, t int) []ChannelRow {
	ch := r.Channels
	if ch == nil {
		return nil
	}
	row := func(key string, role ChannelRole, of string) ChannelRow {
		o, ok := r.OutputIndex(key)
		if !ok {
			panic("sim: channel output " + key + " is no output")
		}
		return ChannelRow{Key: key, Role: role, Of: of, Stats: d.Stats[o*T+t], ShareHigher: d.ShareHigher[o*T+t]}
	}
	rows := []ChannelRow{row(ch.Total, RoleTotal, "")}
	for _, p := range ch.Parts {
		rows = append(rows, row(p, RolePart, ""))
		if w, ok := ch.Within[p]; ok {
			rows = append(rows, row(w, RoleWithin, p))
		}
	}
	for _, a := range ch.Across {
		rows = append(rows, row(a, RoleAcross, ""))
	}
	for _, b := range ch.Beside {
		rows = append(rows, row(b, RoleBeside, ""))
	}
	return rows
}

// MainChannel returns the part whose median difference goes the way of
// the total's median and is the largest such, or "" when none does (or
// the total's median is 0).
func MainChannel(rows []ChannelRow) string {
	if len(rows) == 0 {
		return ""
	}
	total := rows[0].Stats.P50()
	best, key := 0.0, ""
	for _, r := range rows[1:] {
		if r.Role != RolePart {
			continue
		}
		if m := r.Stats.P50(); m*total > 0 && math.Abs(m) > best {
			best, key = math.Abs(m), r.Key
		}
	}
	return key
}

// AcrossCarries returns the first RoleAcross row whose median difference
// goes the way of the total's median and is at least half of it (what cut
// across the channels carried most of the change), or "" when none does.
func AcrossCarries(rows []ChannelRow) string {
	if len(rows) == 0 {
		return ""
	}
	total := rows[0].Stats.P50()
	for _, r := range rows[1:] {
		if m := r.Stats.P50(); r.Role == RoleAcross && m*total > 0 && math.Abs(m) >= math.Abs(total)/2 {
			return r.Key
		}
	}
	return ""
}

// PartOf is the output that the channel split shows key as a part of: the
// total for a part or an output across the parts, the part for what a part
// contains; "" for any other output.
func (r *Registry) PartOf(key string) string {
	ch := r.Channels
	if ch == nil {
		return ""
	}
	if slices.Contains(ch.Parts, key) || slices.Contains(ch.Across, key) {
		return ch.Total
	}
	for part, within := range ch.Within {
		if within == key {
			return part
		}
	}
	return ""
}
