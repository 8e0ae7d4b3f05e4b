package chart

import (
	"fmt"
	"math"
)

// Limits of a chart's size, checked before anything is drawn. A PNG is
// drawn in memory at 4 bytes a pixel before it is encoded, so MaxPixels
// bounds one chart's raster at 400 MB (and its drawing at a few seconds
// a core); 100 inches is a poster, within what PDF readers open (200
// inches); 2,400 dpi is a print shop's finest.
const (
	MinInches = 0.1
	MaxInches = 100
	MaxDPI    = 2400
	MaxPixels = 100_000_000
)

// CheckSize reports a width or height in inches (0: the chart's default)
// or a dpi (0: DefaultDPI) outside the limits: not a number, infinite,
// negative, below MinInches, above MaxInches or MaxDPI.
func CheckSize(width, height float64, dpi int) error {
	for _, d := range []struct {
		name string
		v    float64
	}{{"width", width}, {"height", height}} {
		if d.v != 0 && !(d.v >= MinInches && d.v <= MaxInches) {
			return fmt.Errorf("chart: %s %g inches: want %g to %d", d.name, d.v, MinInches, MaxInches)
		}
	}
	if dpi != 0 && (dpi < 1 || dpi > MaxDPI) {
		return fmt.Errorf("chart: dpi %d: want 1 to %d", dpi, MaxDPI)
	}
	return nil
}

// CheckDrawable reports why c cannot be drawn in format at width × height
// inches (0: its default) and dpi (0: DefaultDPI): a size outside the
// limits, or, for PNG, a raster of more than MaxPixels pixels or of less
// than one pixel either way. It draws nothing.
func CheckDrawable(c Chart, format string, width, height float64, dpi int) error {
	if err := CheckSize(width, height, dpi); err != nil {
		return err
	}
	width, height = c.Size(width, height)
	return CheckRaster(format, width, height, dpi)
}

// CheckRaster checks the final size of a chart (both sides set): within
// the limits, and for PNG at most MaxPixels pixels and at least one
// pixel either way.
func CheckRaster(format string, width, height float64, dpi int) error {
	if err := CheckSize(width, height, dpi); err != nil {
		return err
	}
	if !(width > 0 && height > 0) {
		return fmt.Errorf("chart: size %g × %g inches: want positive numbers", width, height)
	}
	if formatName(format) != "png" {
		return nil
	}
	if dpi == 0 {
		dpi = DefaultDPI
	}
	w, h := width*float64(dpi), height*float64(dpi)
	if px := w * h; px > MaxPixels {
		return fmt.Errorf("chart: %g × %g inches at %d dpi is %.0f million pixels; at most %d million (lower --dpi, --width or --height)",
			width, height, dpi, math.Ceil(px/1e6), MaxPixels/1_000_000)
	}
	if w < 1 || h < 1 {
		return fmt.Errorf("chart: %g × %g inches at %d dpi is less than a pixel", width, height, dpi)
	}
	return nil
}

// defaultSize fills in a zero width (DefaultWidth) or height (h).
func defaultSize(width, height, h float64) (float64, float64) {
	if width == 0 {
		width = DefaultWidth
	}
	if height == 0 {
		height = h
	}
	return width, height
}
