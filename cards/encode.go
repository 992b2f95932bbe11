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

func (w *cardWriter) str(name, v string)       { w.b = jsonw.Field(w.b, name, v, true, false) }
func (w *cardWriter) strReq(name, v string)    { w.b = jsonw.Field(w.b, name, v, false, false) }
func (w *cardWriter) flag(name string, v bool) { w.b = jsonw.Bool(w.b, name, v) }
func (w *cardWriter) flagPtr(name string, v *bool) {
	w.b = jsonw.BoolPtr(w.b, name, v)
}
func (w *cardWriter) num(name string, v int) { w.b = jsonw.Int(w.b, name, v) }
func (w *cardWriter) key(name string)        { w.b = jsonw.Key(w.b, name) }
func (w *cardWriter) open()                  { w.b = append(w.b, '{') }
func (w *cardWriter) close()                 { w.b = append(w.b, '}') }

// reflect appends v through encoding/json.
func (w *cardWriter) reflect(v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		if w.err == nil {
			w.err = err
		}
		w.b = append(w.b, "null"...)
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

func (w *cardWriter) actionBase(a *actionBase) {
	w.str("title", a.Title)
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
		w.b = append(w.b, "null"...)
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
			w.strings(c.Refresh.UserIDs)
		}
		w.close()
	}
	if len(c.Body) > 0 {
		w.key("body")
		w.elements(c.Body)
	}
	if len(c.Actions) > 0 {
		w.key("actions")
		w.actions(c.Actions)
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

func (w *cardWriter) strings(list []string) {
	if list == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.b = append(w.b, '[')
	for i, s := range list {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.b = jsonw.String(w.b, s, false)
	}
	w.b = append(w.b, ']')
}

func (w *cardWriter) elements(list []Element) {
	if list == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.b = append(w.b, '[')
	for i, e := range list {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.element(e)
	}
	w.b = append(w.b, ']')
}

func (w *cardWriter) actions(list []Action) {
	if list == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.b = append(w.b, '[')
	for i, a := range list {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.action(a)
	}
	w.b = append(w.b, ']')
}

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
		w.textBlock(e)
	case *FactSet:
		w.factSet(e)
	case *ActionSet:
		w.actionSet(e)
	case *ColumnSet:
		w.columnSet(e)
	case *Container:
		w.container(e)
	case *Image:
		w.image(e)
	case *RichTextBlock:
		w.richTextBlock(e)
	case *Table:
		w.table(e)
	case *TextInput:
		w.textInput(e)
	default:
		w.reflect(e)
	}
}

func (w *cardWriter) textBlock(t *TextBlock) {
	if t == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.open()
	w.strReq("type", t.Type)
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
	w.elementBase(&t.elementBase)
	w.close()
}

func (w *cardWriter) factSet(f *FactSet) {
	if f == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.open()
	w.strReq("type", f.Type)
	w.key("facts")
	if f.Facts == nil {
		w.b = append(w.b, "null"...)
	} else {
		w.b = append(w.b, '[')
		for i, x := range f.Facts {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.open()
			w.strReq("title", x.Title)
			w.strReq("value", x.Value)
			w.close()
		}
		w.b = append(w.b, ']')
	}
	w.elementBase(&f.elementBase)
	w.close()
}

func (w *cardWriter) actionSet(s *ActionSet) {
	if s == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.open()
	w.strReq("type", s.Type)
	w.key("actions")
	w.actions(s.Actions)
	w.elementBase(&s.elementBase)
	w.close()
}

func (w *cardWriter) columnSet(s *ColumnSet) {
	if s == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.open()
	w.strReq("type", s.Type)
	w.key("columns")
	if s.Columns == nil {
		w.b = append(w.b, "null"...)
	} else {
		w.b = append(w.b, '[')
		for i, c := range s.Columns {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.column(c)
		}
		w.b = append(w.b, ']')
	}
	w.optAction("selectAction", s.SelectAction)
	w.str("style", string(s.Style))
	w.flag("bleed", s.Bleed)
	w.str("minHeight", s.MinHeight)
	w.str("horizontalAlignment", string(s.HorizontalAlignment))
	w.elementBase(&s.elementBase)
	w.close()
}

func (w *cardWriter) column(c *Column) {
	if c == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.open()
	w.strReq("type", c.Type)
	w.key("items")
	w.elements(c.Items)
	w.width("width", c.Width)
	w.str("style", string(c.Style))
	w.str("verticalContentAlignment", string(c.VerticalContentAlignment))
	w.optAction("selectAction", c.SelectAction)
	w.flag("bleed", c.Bleed)
	w.str("minHeight", c.MinHeight)
	w.elementBase(&c.elementBase)
	w.close()
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
	if c == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.open()
	w.strReq("type", c.Type)
	w.key("items")
	w.elements(c.Items)
	w.optAction("selectAction", c.SelectAction)
	w.str("style", string(c.Style))
	w.str("verticalContentAlignment", string(c.VerticalContentAlignment))
	w.flag("bleed", c.Bleed)
	w.str("minHeight", c.MinHeight)
	w.elementBase(&c.elementBase)
	w.close()
}

func (w *cardWriter) image(m *Image) {
	if m == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.open()
	w.strReq("type", m.Type)
	w.strReq("url", m.URL)
	w.str("altText", m.AltText)
	w.str("backgroundColor", m.BackgroundColor)
	w.str("horizontalAlignment", string(m.HorizontalAlignment))
	w.optAction("selectAction", m.SelectAction)
	w.str("size", string(m.Size))
	w.str("style", string(m.Style))
	w.str("width", m.Width)
	w.str("height", m.Height)
	w.elementBase(&m.elementBase)
	w.close()
}

func (w *cardWriter) richTextBlock(r *RichTextBlock) {
	if r == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.open()
	w.strReq("type", r.Type)
	w.key("inlines")
	if r.Inlines == nil {
		w.b = append(w.b, "null"...)
	} else {
		w.b = append(w.b, '[')
		for i, in := range r.Inlines {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			if t, ok := in.(*TextRun); ok && t != nil {
				w.textRun(t)
			} else {
				w.reflect(in)
			}
		}
		w.b = append(w.b, ']')
	}
	w.str("horizontalAlignment", string(r.HorizontalAlignment))
	w.elementBase(&r.elementBase)
	w.close()
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
	if t == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.open()
	w.strReq("type", t.Type)
	w.key("columns")
	if t.Columns == nil {
		w.b = append(w.b, "null"...)
	} else {
		w.b = append(w.b, '[')
		for i, c := range t.Columns {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.open()
			w.width("width", c.Width)
			w.str("horizontalCellContentAlignment", string(c.HorizontalCellContentAlignment))
			w.str("verticalCellContentAlignment", string(c.VerticalCellContentAlignment))
			w.close()
		}
		w.b = append(w.b, ']')
	}
	w.key("rows")
	if t.Rows == nil {
		w.b = append(w.b, "null"...)
	} else {
		w.b = append(w.b, '[')
		for i, r := range t.Rows {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.tableRow(r)
		}
		w.b = append(w.b, ']')
	}
	w.flagPtr("firstRowAsHeader", t.FirstRowAsHeader)
	w.flagPtr("showGridLines", t.ShowGridLines)
	w.str("gridStyle", string(t.GridStyle))
	w.str("horizontalCellContentAlignment", string(t.HorizontalCellContentAlignment))
	w.str("verticalCellContentAlignment", string(t.VerticalCellContentAlignment))
	w.elementBase(&t.elementBase)
	w.close()
}

func (w *cardWriter) tableRow(r *TableRow) {
	if r == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.open()
	w.strReq("type", r.Type)
	w.key("cells")
	if r.Cells == nil {
		w.b = append(w.b, "null"...)
	} else {
		w.b = append(w.b, '[')
		for i, c := range r.Cells {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			if c == nil {
				w.b = append(w.b, "null"...)
				continue
			}
			w.open()
			w.strReq("type", c.Type)
			w.key("items")
			w.elements(c.Items)
			w.str("style", string(c.Style))
			w.str("verticalContentAlignment", string(c.VerticalContentAlignment))
			w.optAction("selectAction", c.SelectAction)
			w.close()
		}
		w.b = append(w.b, ']')
	}
	w.str("style", string(r.Style))
	w.close()
}

func (w *cardWriter) textInput(t *TextInput) {
	if t == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.open()
	w.strReq("type", t.Type)
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
		if a == nil {
			break
		}
		w.open()
		w.strReq("type", a.Type)
		w.str("verb", string(a.Verb))
		if a.Data != nil {
			w.key("data")
			w.open()
			w.actionData(a.Data)
			w.close()
		}
		w.str("associatedInputs", string(a.AssociatedInputs))
		w.actionBase(&a.actionBase)
		w.optAction("fallback", a.Fallback)
		w.close()
		return
	case *SubmitAction:
		if a == nil {
			break
		}
		w.open()
		w.strReq("type", a.Type)
		if a.Data != nil {
			w.key("data")
			w.open()
			if a.Data.ActionData != nil {
				w.actionData(a.Data.ActionData)
			}
			if m := a.Data.MSTeams; m != nil {
				w.key("msteams")
				w.open()
				w.strReq("type", m.Type)
				w.str("value", m.Value)
				w.str("text", m.Text)
				w.str("displayText", m.DisplayText)
				w.close()
			}
			w.close()
		}
		w.str("associatedInputs", string(a.AssociatedInputs))
		w.actionBase(&a.actionBase)
		w.optAction("fallback", a.Fallback)
		w.close()
		return
	case *OpenURLAction:
		if a == nil {
			break
		}
		w.open()
		w.strReq("type", a.Type)
		w.strReq("url", a.URL)
		w.actionBase(&a.actionBase)
		w.close()
		return
	case *ShowCardAction:
		if a == nil {
			break
		}
		w.open()
		w.strReq("type", a.Type)
		w.key("card")
		w.card(a.Card)
		w.actionBase(&a.actionBase)
		w.close()
		return
	case *ToggleVisibilityAction:
		if a == nil {
			break
		}
		w.open()
		w.strReq("type", a.Type)
		w.key("targetElements")
		w.targets(a.TargetElements)
		w.actionBase(&a.actionBase)
		w.close()
		return
	case nil:
	default:
		w.reflect(a)
		return
	}
	w.b = append(w.b, "null"...)
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
		w.strings(d.Compare)
	}
	w.str("compareWith", d.CompareWith)
	w.flag("force", d.Force)
}

// targets appends toggle targets as TargetElement.MarshalJSON writes them:
// through json.Marshal, so with HTML escaping on.
func (w *cardWriter) targets(list []TargetElement) {
	if list == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.b = append(w.b, '[')
	for i, t := range list {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		if t.IsVisible == nil {
			w.b = jsonw.String(w.b, t.ElementID, true)
			continue
		}
		w.open()
		w.b = jsonw.Field(w.b, "elementId", t.ElementID, false, true)
		w.flagPtr("isVisible", t.IsVisible)
		w.close()
	}
	w.b = append(w.b, ']')
}
