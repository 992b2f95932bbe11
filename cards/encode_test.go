package cards

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"unicode/utf8"
	"unsafe"

	"github.com/stretchr/testify/require"
)

// stdEncode is Encode through encoding/json, the reference.
func stdEncode(t testing.TB, c any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(c))
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// TestEncodeMatchesEncodingJSON: every golden card encodes to the bytes
// encoding/json writes.
func TestEncodeMatchesEncodingJSON(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			var c AttachmentContent
			if tc.attachment != nil {
				c = tc.attachment(t).Content
			} else {
				c = tc.build(t)
			}
			got, err := Encode(c)
			require.NoError(t, err)
			require.Equal(t, string(stdEncode(t, c)), string(got))
		})
	}
}

// TestSizeCountsUTF16: Size is two bytes per UTF-16 code unit, an invalid
// byte counting as one.
func TestSizeCountsUTF16(t *testing.T) {
	for _, s := range []string{"", "abc", "é", "日本", "😀", "a\xffb", "\xf0\x9f", "x😀é日"} {
		want := 0
		for _, r := range s {
			if r >= 0x10000 {
				want += 4
			} else {
				want += 2
			}
		}
		require.Equal(t, want, Size([]byte(s)), "%q (%d runes)", s, utf8.RuneCountInString(s))
	}
}

// BenchmarkEncodeSummary encodes a built summary card: Encode against
// encoding/json.
func BenchmarkEncodeSummary(b *testing.B) {
	c := goldenBuilder().Summary(loadPage(b, "fr-FR/teams/plumm-health-ltd.md"))
	b.Run("Encode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Encode(c); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = stdEncode(b, c)
		}
	})
}

// sizeByRunes is the reference of Size: two bytes per rune, four for one
// outside the Basic Multilingual Plane, an invalid byte counting as one.
func sizeByRunes(b []byte) int {
	n := 0
	for _, r := range string(b) {
		if r >= 0x10000 {
			n += 4
		} else {
			n += 2
		}
	}
	return n
}

// TestSizeAtMostTwiceLength: Size never exceeds maxSize (twice the
// length), which lets Encode skip counting a card of at most half the
// budget; valid and invalid UTF-8, at the bound and below it.
func TestSizeAtMostTwiceLength(t *testing.T) {
	tests := []struct {
		name string
		give string
		want int // Size
	}{
		{"empty", "", 0},
		{"ASCII: at the bound", "abc", 6},
		{"two-byte runes", "éé", 4},
		{"three-byte runes", "日本", 4},
		{"four-byte rune", "😀", 4},
		{"invalid bytes: at the bound", "\xff\xfe", 4},
		{"a truncated rune", "\xf0\x9f", 4},
		{"a surrogate encoded", "\xed\xa0\x80", 6},
		{"mixed", "a\xffé日😀", 12},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := []byte(tc.give)
			require.Equal(t, tc.want, Size(b))
			require.LessOrEqual(t, Size(b), maxSize(b))
		})
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		b := make([]byte, rng.IntN(64))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		require.LessOrEqual(t, Size(b), maxSize(b), "%q", b)
	}
}

func FuzzSize(f *testing.F) {
	for _, s := range []string{"", "abc", "é日😀", "a\xffb", "\xf0\x9f", "\xed\xa0\x80", "abcdefghé日本😀abcdefgh1234567\xff8901234567"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		require.Equal(t, sizeByRunes(b), Size(b), "%q", b)
		require.LessOrEqual(t, Size(b), maxSize(b), "%q", b)
	})
}

// filler sets every field of a card value at random, following pointers,
// slices and interfaces to a bounded depth, so that the card writer meets
// each field of each type it knows, set and unset.
type filler struct{ rng *rand.Rand }

var (
	fillStrings  = []string{"", "x", "Plumm", "<a & b>", "é \u2028 \" \\ \n\t ✅", "bad \xff", "auto", "stretch", "3", "007", "12px"}
	elementTypes = []reflect.Type{reflect.TypeFor[*TextBlock](), reflect.TypeFor[*FactSet](), reflect.TypeFor[*ActionSet](),
		reflect.TypeFor[*ColumnSet](), reflect.TypeFor[*Container](), reflect.TypeFor[*Image](), reflect.TypeFor[*RichTextBlock](),
		reflect.TypeFor[*Table](), reflect.TypeFor[*TextInput]()}
	actionTypes = []reflect.Type{reflect.TypeFor[*ExecuteAction](), reflect.TypeFor[*SubmitAction](), reflect.TypeFor[*OpenURLAction](),
		reflect.TypeFor[*ShowCardAction](), reflect.TypeFor[*ToggleVisibilityAction]()}
)

func (f filler) fill(v reflect.Value, depth int) {
	if f.rng.IntN(4) == 0 && v.Kind() != reflect.Struct {
		return // leave it zero
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(fillStrings[f.rng.IntN(len(fillStrings))])
	case reflect.Bool:
		v.SetBool(f.rng.IntN(2) == 0)
	case reflect.Int:
		v.SetInt(int64(f.rng.IntN(5) - 1))
	case reflect.Pointer:
		if depth > 4 {
			return
		}
		p := reflect.New(v.Type().Elem())
		f.fill(p.Elem(), depth+1)
		v.Set(p)
	case reflect.Slice:
		if depth > 4 {
			return
		}
		n := f.rng.IntN(3)
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			f.fill(s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.Interface:
		if depth > 4 {
			return
		}
		var choices []reflect.Type
		for _, t := range append(append([]reflect.Type{}, elementTypes...), actionTypes...) {
			if t.Implements(v.Type()) {
				choices = append(choices, t)
			}
		}
		if v.Type() == reflect.TypeFor[Inline]() {
			choices = []reflect.Type{reflect.TypeFor[*TextRun]()}
		}
		t := choices[f.rng.IntN(len(choices))]
		p := reflect.New(t.Elem())
		if f.rng.IntN(8) > 0 { // sometimes a typed nil
			f.fill(p.Elem(), depth+1)
			v.Set(p)
		} else {
			v.Set(reflect.Zero(t))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			fv := v.Field(i)
			if !fv.CanSet() { // an embedded unexported base struct
				fv = reflect.NewAt(fv.Type(), unsafe.Pointer(fv.UnsafeAddr())).Elem()
			}
			f.fill(fv, depth)
		}
	}
}

// TestWriterMatchesEncodingJSON fills cards at random (every field of
// every type the writer knows, set, unset, nil and typed nil) and checks
// the writer against encoding/json: a field added to a type and not to the
// writer fails here.
func TestWriterMatchesEncodingJSON(t *testing.T) {
	f := filler{rng: rand.New(rand.NewPCG(1, 2))}
	for i := range 3000 {
		c := &AdaptiveCard{}
		f.fill(reflect.ValueOf(c).Elem(), 0)
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		wantErr := enc.Encode(c)
		w := cardWriter{}
		w.card(c)
		if wantErr != nil {
			require.Error(t, w.err, "card %d: encoding/json failed with %v", i, wantErr)
			continue
		}
		require.NoError(t, w.err, i)
		require.Equal(t, string(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))), string(w.b), "card %d", i)
	}
}
