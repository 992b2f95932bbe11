package manifest

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/stretchr/testify/require"
)

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	require.NoError(t, err)
	return img
}

func TestColorIcon(t *testing.T) {
	b, err := ColorIcon("#0B5CAD")
	require.NoError(t, err)
	img := decode(t, b)
	require.Equal(t, image.Rect(0, 0, 192, 192), img.Bounds())

	at := func(x, y int) color.NRGBA { return color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA) }
	accent := color.NRGBA{0x0B, 0x5C, 0xAD, 255}
	white := color.NRGBA{255, 255, 255, 255}
	require.Equal(t, accent, at(2, 2), "background corner is the accent colour")
	require.Equal(t, accent, at(189, 189))
	require.Equal(t, white, at(96, 40), "shield body near the top is white")
	require.Equal(t, accent, at(86, 128), "the check mark is drawn in the accent colour")

	counts := map[color.NRGBA]int{}
	for y := 0; y < 192; y++ {
		for x := 0; x < 192; x++ {
			c := at(x, y)
			require.Equal(t, uint8(255), c.A, "the colour icon is opaque")
			counts[c]++
		}
	}
	require.Greater(t, counts[white], 192*192/5, "the shield covers a good part of the icon")
	require.Greater(t, counts[accent], 192*192/3)

	other, err := ColorIcon("#D13438")
	require.NoError(t, err)
	require.NotEqual(t, b, other, "the accent colour changes the icon")

	_, err = ColorIcon("red")
	require.ErrorContains(t, err, `colour "red" is not #RRGGBB`)
}

func TestOutlineIcon(t *testing.T) {
	b, err := OutlineIcon()
	require.NoError(t, err)
	img := decode(t, b)
	require.Equal(t, image.Rect(0, 0, 32, 32), img.Bounds())
	require.Empty(t, outlineProblem(img), "white on transparent only")
	white, clear := 0, 0
	for y := 0; y < 32; y++ {
		for x := 0; x < 32; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			switch c {
			case color.NRGBA{255, 255, 255, 255}:
				white++
			case color.NRGBA{}:
				clear++
			default:
				t.Fatalf("pixel %d,%d is %v", x, y, c)
			}
		}
	}
	require.Greater(t, white, 100, "the outline is visible")
	require.Greater(t, clear, 32*32/2, "the outline is mostly transparent")
}

func TestOutlineProblem(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 4, 4))
	require.Empty(t, outlineProblem(img), "all transparent is allowed")
	img.SetNRGBA(1, 2, color.NRGBA{255, 255, 255, 128})
	require.Empty(t, outlineProblem(img), "semi-transparent white is still white")
	img.SetNRGBA(3, 1, color.NRGBA{0, 0, 0, 255})
	require.Equal(t, "1 pixels are neither transparent nor white (first at 3,1: rgba(0,0,0,255)); the outline icon must be white on a transparent background", outlineProblem(img))
}

func TestParseColor(t *testing.T) {
	c, err := ParseColor("#a1B2c3")
	require.NoError(t, err)
	require.Equal(t, color.NRGBA{0xA1, 0xB2, 0xC3, 255}, c)
	for _, bad := range []string{"", "#fff", "a1b2c3", "#a1b2c3d4", "#ggg000"} {
		_, err := ParseColor(bad)
		require.Error(t, err, bad)
	}
}
