package manifest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"strconv"
)

// The icons are drawn in code: a shield with a check mark. Shapes are
// defined on the unit square (x right, y down) and sampled per pixel.

// shield reports whether (x, y) lies inside the shield scaled by inset
// around the shield's centre (inset 0 is the full shield).
func shield(x, y, inset float64) bool {
	const (
		top, shoulder, tip = 0.10, 0.52, 0.94
		halfWidth          = 0.38
	)
	cx := 0.5
	t, s, p, hw := top+inset, shoulder, tip-inset*1.4, halfWidth-inset
	if y < t || y > p || hw <= 0 {
		return false
	}
	w := hw
	if y > s {
		f := (y - s) / (p - s)
		w = hw * math.Sqrt(math.Max(0, 1-f*f))
	}
	return math.Abs(x-cx) <= w
}

// check reports whether (x, y) lies on the check mark of stroke width w.
func check(x, y, w float64) bool {
	a, b, c := [2]float64{0.31, 0.52}, [2]float64{0.45, 0.67}, [2]float64{0.70, 0.36}
	return segDist(x, y, a, b) <= w/2 || segDist(x, y, b, c) <= w/2
}

func segDist(x, y float64, a, b [2]float64) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := ((x-a[0])*dx + (y-a[1])*dy) / (dx*dx + dy*dy)
	t = math.Max(0, math.Min(1, t))
	px, py := a[0]+t*dx-x, a[1]+t*dy-y
	return math.Hypot(px, py)
}

// ParseColor parses #RRGGBB.
func ParseColor(s string) (color.NRGBA, error) {
	if !colorRe.MatchString(s) {
		return color.NRGBA{}, fmt.Errorf("colour %q is not #RRGGBB", s)
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return color.NRGBA{}, fmt.Errorf("colour %q: %w", s, err)
	}
	return color.NRGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 255}, nil
}

// ColorIcon draws the 192×192 colour icon: a white shield with a check
// mark in the accent colour, on an accent background. Edges are
// anti-aliased by 4×4 supersampling.
func ColorIcon(accent string) ([]byte, error) {
	bg, err := ParseColor(accent)
	if err != nil {
		return nil, err
	}
	const n, ss = ColorIconSize, 4
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	white := [3]float64{255, 255, 255}
	acc := [3]float64{float64(bg.R), float64(bg.G), float64(bg.B)}
	for py := 0; py < n; py++ {
		for px := 0; px < n; px++ {
			var sum [3]float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x := (float64(px) + (float64(sx)+0.5)/ss) / n
					y := (float64(py) + (float64(sy)+0.5)/ss) / n
					c := acc
					if shield(x, y, 0) && !check(x, y, 0.09) {
						c = white
					}
					for i := range sum {
						sum[i] += c[i]
					}
				}
			}
			img.SetNRGBA(px, py, color.NRGBA{
				R: uint8(math.Round(sum[0] / ss / ss)),
				G: uint8(math.Round(sum[1] / ss / ss)),
				B: uint8(math.Round(sum[2] / ss / ss)),
				A: 255,
			})
		}
	}
	return encodePNG(img)
}

// OutlineIcon draws the 32×32 outline icon: a white shield outline and
// check mark on a fully transparent background. Every pixel is either
// fully transparent or opaque white, as Teams requires.
func OutlineIcon() ([]byte, error) {
	const n = OutlineIconSize
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	for py := 0; py < n; py++ {
		for px := 0; px < n; px++ {
			x := (float64(px) + 0.5) / n
			y := (float64(py) + 0.5) / n
			on := (shield(x, y, 0) && !shield(x, y, 0.075)) || check(x, y, 0.10)
			if on {
				img.SetNRGBA(px, py, color.NRGBA{R: 255, G: 255, B: 255, A: 255})
			}
		}
	}
	return encodePNG(img)
}

func encodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode png: %w", err)
	}
	return buf.Bytes(), nil
}
