package main

import (
	"io"
	"strings"
	"unicode/utf8"
)

// termWidth is the width every table the CLI prints fits: a 100-column
// terminal.
const termWidth = 100

// minLast is the narrowest the last column of a table gets.
const minLast = 30

// writeTable writes rows under header as columns two spaces apart that fit
// termWidth: each column as wide as its widest cell, narrowed (see
// fitColumns) when they do not fit. A cell wider than its
// column wraps onto the row's following lines.
func writeTable(w io.Writer, header []string, rows [][]string) error {
	n := len(header)
	width := make([]int, n)
	for _, r := range append([][]string{header}, rows...) {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	fitColumns(width)
	var b strings.Builder
	for _, r := range append([][]string{header}, rows...) {
		writeRow(&b, r, width)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// fitColumns narrows the widest of the middle columns (never below
// minMiddle), then the first (a key, cut only as a last resort), one
// character at a time, until the last gets at least minLast of termWidth;
// then the last takes what is left, up to its own width.
func fitColumns(width []int) {
	n := len(width)
	budget := termWidth - minLast - 2*(n-1)
	for {
		sum, widest := 0, -1
		for i := range n - 1 {
			sum += width[i]
			if i > 0 && width[i] > minMiddle && (widest < 0 || width[i] > width[widest]) {
				widest = i
			}
		}
		switch {
		case sum <= budget:
			width[n-1] = min(width[n-1], termWidth-sum-2*(n-1))
			return
		case widest >= 0:
			width[widest]--
		case width[0] > minMiddle:
			width[0]--
		default:
			width[n-1] = minLast
			return
		}
	}
}

// minMiddle is the narrowest a column before the last gets.
const minMiddle = 8

// writeRow writes one row of cells wrapped to width, over as many lines as
// its tallest cell.
func writeRow(b *strings.Builder, row []string, width []int) {
	cells := make([][]string, len(row))
	lines := 1
	for i, c := range row {
		cells[i] = wrapText(c, width[i])
		lines = max(lines, len(cells[i]))
	}
	for l := range lines {
		var line strings.Builder
		for i, c := range cells {
			s := ""
			if l < len(c) {
				s = c[l]
			}
			line.WriteString(s)
			if i < len(cells)-1 {
				line.WriteString(strings.Repeat(" ", width[i]-utf8.RuneCountInString(s)+2))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
}

// wrapText breaks s into lines of at most width characters at spaces; a
// word longer than width is cut.
func wrapText(s string, width int) []string {
	var lines []string
	var cur []rune
	for _, word := range strings.Fields(s) {
		wr := []rune(word)
		for len(wr) > width {
			if len(cur) > 0 {
				lines = append(lines, string(cur))
				cur = nil
			}
			lines = append(lines, string(wr[:width]))
			wr = wr[width:]
		}
		switch {
		case len(cur) == 0:
			cur = wr
		case len(cur)+1+len(wr) <= width:
			cur = append(append(cur, ' '), wr...)
		default:
			lines = append(lines, string(cur))
			cur = wr
		}
	}
	if len(cur) > 0 || len(lines) == 0 {
		lines = append(lines, string(cur))
	}
	return lines
}

// writeEntry writes a label: value list, each value wrapped beside its
// label within termWidth.
func writeEntry(w io.Writer, fields [][2]string) error {
	lw := 0
	for _, f := range fields {
		lw = max(lw, utf8.RuneCountInString(f[0]))
	}
	var b strings.Builder
	for _, f := range fields {
		for i, ln := range wrapText(f[1], termWidth-lw-4) {
			label := ""
			if i == 0 {
				label = f[0]
			}
			b.WriteString(strings.TrimRight("  "+label+strings.Repeat(" ", lw-utf8.RuneCountInString(label)+2)+ln, " "))
			b.WriteByte('\n')
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// hangIndent is how much deeper than its first line a wrapped line's
// continuation lines start.
const hangIndent = 4

// wrapLines wraps each line of text longer than termWidth at spaces; its
// continuation lines start hangIndent deeper than the line did.
func wrapLines(text string) string {
	var b strings.Builder
	for _, ln := range strings.SplitAfter(text, "\n") {
		body := strings.TrimRight(ln, "\n")
		if utf8.RuneCountInString(body) <= termWidth {
			b.WriteString(ln)
			continue
		}
		indent := body[:len(body)-len(strings.TrimLeft(body, " "))]
		for i, part := range wrapText(body, termWidth-len(indent)-hangIndent) {
			if i == 0 {
				b.WriteString(indent)
			} else {
				b.WriteString("\n" + indent + strings.Repeat(" ", hangIndent))
			}
			b.WriteString(part)
		}
		b.WriteString(ln[len(body):])
	}
	return b.String()
}
