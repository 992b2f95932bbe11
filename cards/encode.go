package cards

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/attestbot/attestbot/internal/jsonw"
)

// cardWriter appends the JSON of a card's values, byte for byte what
// encoding/json writes with HTML escaping off (TestEncodeMatchesEncodingJSON
// and TestWriterMatchesEncodingJSON hold it to that), without reflection: the
// summary card of an app asked about for the first time is encoded on the
// reply path. Values of types it does not know go through encoding/json.
type cardWriter struct {
	b   []byte
	err error
}

// keep stores b, what an append to w.b returned, as w.b. While the
// collector marks, storing a pointer in w costs a write barrier, which
// would be paid for each member written: when the append left the buffer
// where it was, only the length is stored (the compiler skips the pointer
// of a slice resliced from itself).
func (w *cardWriter) keep(b []byte) {
	if cap(b) == cap(w.b) {
		w.b = w.b[:len(b)]
		return
	}
	w.b = b
}

func (w *cardWriter) str(name, v string)       { w.keep(jsonw.Field(w.b, name, v, true, false)) }
func (w *cardWriter) strReq(name, v string)    { w.keep(jsonw.Field(w.b, name, v, false, false)) }
func (w *cardWriter) flag(name string, v bool) { w.keep(jsonw.Bool(w.b, name, v)) }
func (w *cardWriter) flagPtr(name string, v *bool) {
	w.keep(jsonw.BoolPtr(w.b, name, v))
}
func (w *cardWriter) num(name string, v int) { w.keep(jsonw.Int(w.b, name, v)) }
func (w *cardWriter) key(name string)        { w.keep(jsonw.Key(w.b, name)) }
func (w *cardWriter) open()                  { w.b = append(w.b, '{') }
func (w *cardWriter) close()                 { w.b = append(w.b, '}') }

// begin opens an object whose first member is its type; end writes the
// members every element shares and closes it.
func (w *cardWriter) begin(typ string)   { w.open(); w.strReq("type", typ) }
func (w *cardWriter) end(e *elementBase) { w.elementBase(e); w.close() }
func (w *cardWriter) null()              { w.b = append(w.b, "null"...) }

// list appends items as a JSON array, each written by each; a nil slice
// is null, as encoding/json writes it.
func list[T any](w *cardWriter, items []T, each func(*cardWriter, T)) {
	if items == nil {
		w.null()
		return
	}
	w.b = append(w.b, '[')
	for i, x := range items {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		each(w, x)
	}
	w.b = append(w.b, ']')
}

// reflect appends v through encoding/json.
func (w *cardWriter) reflect(v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		if w.err == nil {
			w.err = err
		}
		w.null()
		return
	}
	w.b = append(w.b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

func (w *cardWriter) elementBase(e *elementBase) {
	w.str("id", e.ID)
	w.flagPtr("isVisible", e.IsVisible)
	w.flag("separator", e.Separator)
	w.str("spacing", string(e.Spacing))
}

// actionBase appends the members every action shares, but the title when
// titled (the caller wrote it).
func (w *cardWriter) actionBase(a *actionBase, titled bool) {
	if !titled {
		w.str("title", a.Title)
	}
	w.str("id", a.ID)
	w.str("iconUrl", a.IconURL)
	w.str("style", string(a.Style))
	w.str("tooltip", a.Tooltip)
	w.str("mode", string(a.Mode))
	w.flagPtr("isEnabled", a.IsEnabled)
}

// card appends an AdaptiveCard (null for nil).
func (w *cardWriter) card(c *AdaptiveCard) {
	if c == nil {
		w.null()
		return
	}
	w.open()
	w.strReq("type", c.Type)
	w.str("version", c.Version)
	if c.Refresh != nil {
		w.key("refresh")
		w.open()
		w.key("action")
		w.action(c.Refresh.Action)
		if c.Refresh.UserIDs != nil { // omitzero
			w.key("userIds")
			list(w, c.Refresh.UserIDs, (*cardWriter).str1)
		}
		w.close()
	}
	if len(c.Body) > 0 {
		w.key("body")
		list(w, c.Body, (*cardWriter).element)
	}
	if len(c.Actions) > 0 {
		w.key("actions")
		list(w, c.Actions, (*cardWriter).action)
	}
	w.optAction("selectAction", c.SelectAction)
	w.str("fallbackText", c.FallbackText)
	w.str("speak", c.Speak)
	w.str("lang", c.Lang)
	w.str("minHeight", c.MinHeight)
	w.str("verticalContentAlignment", string(c.VerticalContentAlignment))
	if c.MSTeams != nil {
		w.key("msteams")
		w.open()
		w.str("width", c.MSTeams.Width)
		w.close()
	}
	w.close()
}

func (w *cardWriter) str1(v string) { w.keep(jsonw.String(w.b, v, false)) }

// optAction appends an omitempty action member: left out when the
// interface is nil (a typed nil pointer is written as null, as
// encoding/json does).
func (w *cardWriter) optAction(name string, a Action) {
	if a == nil {
		return
	}
	w.key(name)
	w.action(a)
}

// element appends a body element.
func (w *cardWriter) element(e Element) {
	switch e := e.(type) {
	case *TextBlock:
		nonNil(w, e, (*cardWriter).textBlock)
	case *FactSet:
		nonNil(w, e, (*cardWriter).factSet)
	case *ActionSet:
		nonNil(w, e, (*cardWriter).actionSet)
	case *ColumnSet:
		nonNil(w, e, (*cardWriter).columnSet)
	case *Container:
		nonNil(w, e, (*cardWriter).container)
	case *Image:
		nonNil(w, e, (*cardWriter).image)
	case *RichTextBlock:
		nonNil(w, e, (*cardWriter).richTextBlock)
	case *Table:
		nonNil(w, e, (*cardWriter).table)
	case *TextInput:
		nonNil(w, e, (*cardWriter).textInput)
	case nil:
		w.null()
	default:
		w.reflect(e)
	}
}

// nonNil writes v with write, or null for a nil pointer (as encoding/json
// writes a nil pointer held in an interface).
func nonNil[T any](w *cardWriter, v *T, write func(*cardWriter, *T)) {
	if v == nil {
		w.null()
		return
	}
	write(w, v)
}

func (w *cardWriter) textBlock(t *TextBlock) {
	w.begin(t.Type)
	w.strReq("text", t.Text)
	w.str("color", string(t.Color))
	w.str("fontType", string(t.FontType))
	w.str("horizontalAlignment", string(t.HorizontalAlignment))
	w.flag("isSubtle", t.IsSubtle)
	w.num("maxLines", t.MaxLines)
	w.str("size", string(t.Size))
	w.str("weight", string(t.Weight))
	w.flag("wrap", t.Wrap)
	w.str("style", string(t.Style))
	w.end(&t.elementBase)
}

func (w *cardWriter) factSet(f *FactSet) {
	w.begin(f.Type)
	w.key("facts")
	list(w, f.Facts, func(w *cardWriter, x Fact) {
		w.open()
		w.strReq("title", x.Title)
		w.strReq("value", x.Value)
		w.close()
	})
	w.end(&f.elementBase)
}

func (w *cardWriter) actionSet(s *ActionSet) {
	w.begin(s.Type)
	w.key("actions")
	list(w, s.Actions, (*cardWriter).action)
	w.end(&s.elementBase)
}

func (w *cardWriter) columnSet(s *ColumnSet) {
	w.begin(s.Type)
	w.key("columns")
	list(w, s.Columns, func(w *cardWriter, c *Column) { nonNil(w, c, (*cardWriter).column) })
	w.optAction("selectAction", s.SelectAction)
	w.str("style", string(s.Style))
	w.flag("bleed", s.Bleed)
	w.str("minHeight", s.MinHeight)
	w.str("horizontalAlignment", string(s.HorizontalAlignment))
	w.end(&s.elementBase)
}

func (w *cardWriter) column(c *Column) {
	w.begin(c.Type)
	w.key("items")
	list(w, c.Items, (*cardWriter).element)
	w.width("width", c.Width)
	w.str("style", string(c.Style))
	w.str("verticalContentAlignment", string(c.VerticalContentAlignment))
	w.optAction("selectAction", c.SelectAction)
	w.flag("bleed", c.Bleed)
	w.str("minHeight", c.MinHeight)
	w.end(&c.elementBase)
}

// width appends a Width member as its MarshalJSON writes it: a weight as
// a number, anything else as a string; left out when empty.
func (w *cardWriter) width(name string, v Width) {
	if v == "" {
		return
	}
	w.key(name)
	if weight(string(v)) {
		w.b = append(w.b, v...)
		return
	}
	if strings.Trim(string(v), "0123456789") == "" || !plainASCII(string(v)) {
		w.reflect(v) // not a JSON number, or text that strconv.Quote escapes
		return
	}
	w.b = append(w.b, '"')
	w.b = append(w.b, v...)
	w.b = append(w.b, '"')
}

// weight reports whether s is digits that make a JSON number (no leading
// zero).
func weight(s string) bool {
	if s == "" || (s[0] == '0' && len(s) > 1) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// plainASCII reports whether s is printable ASCII without quote or
// backslash: the same string to strconv.Quote and to encoding/json.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

func (w *cardWriter) container(c *Container) {
	w.begin(c.Type)
	w.key("items")
	list(w, c.Items, (*cardWriter).element)
	w.optAction("selectAction", c.SelectAction)
	w.str("style", string(c.Style))
	w.str("verticalContentAlignment", string(c.VerticalContentAlignment))
	w.flag("bleed", c.Bleed)
	w.str("minHeight", c.MinHeight)
	w.end(&c.elementBase)
}

func (w *cardWriter) image(m *Image) {
	w.begin(m.Type)
	w.strReq("url", m.URL)
	w.str("altText", m.AltText)
	w.str("backgroundColor", m.BackgroundColor)
	w.str("horizontalAlignment", string(m.HorizontalAlignment))
	w.optAction("selectAction", m.SelectAction)
	w.str("size", string(m.Size))
	w.str("style", string(m.Style))
	w.str("width", m.Width)
	w.str("height", m.Height)
	w.end(&m.elementBase)
}

func (w *cardWriter) richTextBlock(r *RichTextBlock) {
	w.begin(r.Type)
	w.key("inlines")
	list(w, r.Inlines, func(w *cardWriter, in Inline) {
		if t, ok := in.(*TextRun); ok && t != nil {
			w.textRun(t)
		} else {
			w.reflect(in)
		}
	})
	w.str("horizontalAlignment", string(r.HorizontalAlignment))
	w.end(&r.elementBase)
}

func (w *cardWriter) textRun(t *TextRun) {
	w.open()
	w.strReq("type", t.Type)
	w.strReq("text", t.Text)
	w.str("color", string(t.Color))
	w.str("fontType", string(t.FontType))
	w.flag("highlight", t.Highlight)
	w.flag("isSubtle", t.IsSubtle)
	w.flag("italic", t.Italic)
	w.optAction("selectAction", t.SelectAction)
	w.str("size", string(t.Size))
	w.flag("strikethrough", t.Strikethrough)
	w.flag("underline", t.Underline)
	w.str("weight", string(t.Weight))
	w.close()
}

func (w *cardWriter) table(t *Table) {
	w.begin(t.Type)
	w.key("columns")
	list(w, t.Columns, func(w *cardWriter, c TableColumnDefinition) {
		w.open()
		w.width("width", c.Width)
		w.str("horizontalCellContentAlignment", string(c.HorizontalCellContentAlignment))
		w.str("verticalCellContentAlignment", string(c.VerticalCellContentAlignment))
		w.close()
	})
	w.key("rows")
	list(w, t.Rows, func(w *cardWriter, r *TableRow) { nonNil(w, r, (*cardWriter).tableRow) })
	w.flagPtr("firstRowAsHeader", t.FirstRowAsHeader)
	w.flagPtr("showGridLines", t.ShowGridLines)
	w.str("gridStyle", string(t.GridStyle))
	w.str("horizontalCellContentAlignment", string(t.HorizontalCellContentAlignment))
	w.str("verticalCellContentAlignment", string(t.VerticalCellContentAlignment))
	w.end(&t.elementBase)
}

func (w *cardWriter) tableRow(r *TableRow) {
	w.begin(r.Type)
	w.key("cells")
	list(w, r.Cells, func(w *cardWriter, c *TableCell) { nonNil(w, c, (*cardWriter).tableCell) })
	w.str("style", string(r.Style))
	w.close()
}

func (w *cardWriter) tableCell(c *TableCell) {
	w.begin(c.Type)
	w.key("items")
	list(w, c.Items, (*cardWriter).element)
	w.str("style", string(c.Style))
	w.str("verticalContentAlignment", string(c.VerticalContentAlignment))
	w.optAction("selectAction", c.SelectAction)
	w.close()
}

func (w *cardWriter) textInput(t *TextInput) {
	w.begin(t.Type)
	w.str("placeholder", t.Placeholder)
	w.str("value", t.Value)
	w.flag("isMultiline", t.IsMultiline)
	w.num("maxLength", t.MaxLength)
	w.str("style", string(t.Style))
	w.optAction("inlineAction", t.InlineAction)
	w.strReq("id", t.ID)
	w.str("label", t.Label)
	w.flag("isRequired", t.IsRequired)
	w.str("errorMessage", t.ErrorMessage)
	w.flagPtr("isVisible", t.IsVisible)
	w.flag("separator", t.Separator)
	w.str("spacing", string(t.Spacing))
	w.close()
}

// action appends an action (null for a nil one).
func (w *cardWriter) action(a Action) {
	switch a := a.(type) {
	case *ExecuteAction:
		nonNil(w, a, (*cardWriter).execute)
	case *SubmitAction:
		nonNil(w, a, (*cardWriter).submit)
	case *OpenURLAction:
		nonNil(w, a, (*cardWriter).openURL)
	case *ShowCardAction:
		nonNil(w, a, (*cardWriter).showCard)
	case *ToggleVisibilityAction:
		nonNil(w, a, (*cardWriter).toggle)
	case *submitFallback:
		nonNil(w, a, (*cardWriter).submitFallback)
	case nil:
		w.null()
	default:
		w.reflect(a)
	}
}

// endAction writes the members every action shares and its fallback, and
// closes it.
func (w *cardWriter) endAction(a *actionBase, fallback Action) {
	w.actionBase(a, false)
	w.optAction("fallback", fallback)
	w.close()
}

func (w *cardWriter) execute(a *ExecuteAction) {
	w.begin(a.Type)
	w.str("verb", string(a.Verb))
	data := len(w.b)
	if a.Data != nil {
		w.key("data")
		w.open()
		w.actionData(a.Data)
		w.close()
	}
	w.str("associatedInputs", string(a.AssociatedInputs))
	title := len(w.b)
	w.str("title", a.Title)
	end := len(w.b)
	w.actionBase(&a.actionBase, true)
	if f, ok := a.Fallback.(*submitFallback); ok && f == (*submitFallback)(a) && a.Data != nil {
		// Its own Action.Submit (NewExecute's): the data, inputs and title
		// members just written, copied.
		w.key("fallback")
		w.b = append(w.b, `{"type":"Action.Submit"`...)
		w.b = append(w.b, w.b[data:title]...)
		w.b = append(w.b, w.b[title:end]...)
		w.close()
	} else {
		w.optAction("fallback", a.Fallback)
	}
	w.close()
}

// submitFallback appends f as the Action.Submit it stands for.
func (w *cardWriter) submitFallback(f *submitFallback) {
	w.begin("Action.Submit")
	w.key("data")
	w.open()
	if f.Data != nil {
		w.actionData(f.Data)
	}
	w.close()
	w.str("associatedInputs", string(f.AssociatedInputs))
	w.str("title", f.Title)
	w.close()
}

func (w *cardWriter) submit(a *SubmitAction) {
	w.begin(a.Type)
	if a.Data != nil {
		w.key("data")
		w.open()
		if a.Data.ActionData != nil {
			w.actionData(a.Data.ActionData)
		}
		if m := a.Data.MSTeams; m != nil {
			w.key("msteams")
			w.begin(m.Type)
			w.str("value", m.Value)
			w.str("text", m.Text)
			w.str("displayText", m.DisplayText)
			w.close()
		}
		w.close()
	}
	w.str("associatedInputs", string(a.AssociatedInputs))
	w.endAction(&a.actionBase, a.Fallback)
}

func (w *cardWriter) openURL(a *OpenURLAction) {
	w.begin(a.Type)
	w.strReq("url", a.URL)
	w.endAction(&a.actionBase, nil)
}

func (w *cardWriter) showCard(a *ShowCardAction) {
	w.begin(a.Type)
	w.key("card")
	w.card(a.Card)
	w.endAction(&a.actionBase, nil)
}

func (w *cardWriter) toggle(a *ToggleVisibilityAction) {
	w.begin(a.Type)
	w.key("targetElements")
	list(w, a.TargetElements, (*cardWriter).target)
	w.endAction(&a.actionBase, nil)
}

// actionData appends the members of d (inside an object already open).
func (w *cardWriter) actionData(d *ActionData) {
	w.str("verb", string(d.Verb))
	w.str("slug", d.Slug)
	w.str("kind", d.Kind)
	w.str("locale", d.Locale)
	w.str("section", string(d.Section))
	w.num("page", d.Page)
	w.str("query", d.Query)
	w.flag("original", d.Original)
	if len(d.Compare) > 0 {
		w.key("compare")
		list(w, d.Compare, (*cardWriter).str1)
	}
	w.str("compareWith", d.CompareWith)
	w.flag("force", d.Force)
}

// target appends a toggle target as TargetElement.MarshalJSON writes it:
// through json.Marshal, so with HTML escaping on.
func (w *cardWriter) target(t TargetElement) {
	if t.IsVisible == nil {
		w.keep(jsonw.String(w.b, t.ElementID, true))
		return
	}
	w.open()
	w.keep(jsonw.Field(w.b, "elementId", t.ElementID, false, true))
	w.flagPtr("isVisible", t.IsVisible)
	w.close()
}
