package chart

import (
	"image/color"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// EventMarks draws dated events as thin dashed vertical lines with short
// labels at the top of the data area. Labels that would collide are stepped
// down a row, and a line stops at the top of its own label, so no line runs
// through another event's label.
type EventMarks struct {
	Events []Event
	Line   draw.LineStyle
	Label  text.Style
}

var _ plot.Plotter = (*EventMarks)(nil)

// newEventMarks returns marks in the house style: grey, dashed, 8 pt labels.
func newEventMarks(events []Event) *EventMarks {
	return &EventMarks{
		Events: events,
		Line: draw.LineStyle{
			Color:  eventColor,
			Width:  vg.Points(0.6),
			Dashes: []vg.Length{vg.Points(3), vg.Points(2)},
		},
		Label: sans(eventSize, eventColor, false),
	}
}

const (
	eventPad = 3 // points between a line and its label
	eventGap = 6 // points between two labels in a row
	eventTop = 2 // points between the top of the data area and the first row
)

// eventPlace is where one event is drawn, in canvas coordinates.
type eventPlace struct {
	Event
	x   vg.Length    // the line
	box vg.Rectangle // the label
	row int          // 0 is the top row
}

// rowHeight is the height of one row of labels.
func (m *EventMarks) rowHeight() vg.Length {
	return lineHeight(m.Label)
}

// layout places the events that fall within the x axis. Events are taken in
// date order; each goes in the highest row where its label overlaps no label
// already placed and lies below every label that spans its line. A label that
// would run past the right edge goes to the left of its line.
func (m *EventMarks) layout(c draw.Canvas, p *plot.Plot) []eventPlace {
	tx, _ := p.Transforms(&c)
	evs := make([]Event, 0, len(m.Events))
	for _, e := range m.Events {
		if finite(e.X) && e.X >= p.X.Min && e.X <= p.X.Max {
			evs = append(evs, e)
		}
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].X < evs[j].X })

	var (
		rh     = m.rowHeight()
		places = make([]eventPlace, 0, len(evs))
	)
	for _, e := range evs {
		x := tx(e.X)
		w := m.Label.Width(e.Label)
		x0 := x + eventPad
		if x0+w > c.Max.X {
			x0 = x - eventPad - w
		}
		x1 := x0 + w
		if e.Label == "" {
			x0, x1 = x, x
		}
		// Rows this label may not take: those of labels it overlaps; and it
		// must sit below any label spanning its line.
		taken := map[int]bool{}
		below := -1
		for _, q := range places {
			if e.Label != "" && x0 < q.box.Max.X+eventGap && q.box.Min.X < x1+eventGap {
				taken[q.row] = true
			}
			if q.Label != "" && q.box.Min.X-eventPad/2 <= x && x <= q.box.Max.X+eventPad/2 {
				below = max(below, q.row)
			}
		}
		row := below + 1
		for taken[row] {
			row++
		}
		top := c.Max.Y - eventTop - vg.Length(row)*rh
		places = append(places, eventPlace{
			Event: e,
			x:     x,
			row:   row,
			box: vg.Rectangle{
				Min: vg.Point{X: x0, Y: top - rh},
				Max: vg.Point{X: x1, Y: top},
			},
		})
	}
	return places
}

// Plot implements plot.Plotter.
func (m *EventMarks) Plot(c draw.Canvas, p *plot.Plot) {
	e := m.Label.FontExtents()
	for _, q := range m.layout(c, p) {
		c.StrokeLine2(m.Line, q.x, c.Min.Y, q.x, q.box.Max.Y)
		if q.Label == "" {
			continue
		}
		// A white ground keeps the label legible where a grid line passes.
		ground := q.box
		ground.Min.X -= 1
		ground.Max.X += 1
		c.SetColor(color.White)
		c.Fill(ground.Path())
		baseline := q.box.Max.Y - (q.box.Size().Y-e.Ascent-e.Descent)/2 - e.Ascent
		fillLine(c, m.Label, q.box.Min.X, baseline, q.Label)
	}
}
