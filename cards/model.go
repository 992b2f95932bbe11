package cards

import (
	"strconv"
	"strings"
)

// Version15 is the Adaptive Card version of every card the bot sends in a
// message or an invoke response (botframework.md §5: Teams renders ≤ 1.5).
const Version15 = "1.5"

// Version13 is the highest Adaptive Card version link unfurling accepts
// (composeExtension/queryLink, botframework.md §4.6).
const Version13 = "1.3"

// ContentTypeAdaptiveCard is the attachment content type of an Adaptive Card.
const ContentTypeAdaptiveCard = "application/vnd.microsoft.card.adaptive"

// Element is a card body element: TextBlock, RichTextBlock, Image,
// Container, ColumnSet, FactSet, Table, ActionSet or an input.
type Element interface {
	isElement()
}

// Action is a card action: Action.Execute, Action.Submit, Action.OpenUrl,
// Action.ShowCard or Action.ToggleVisibility.
type Action interface {
	isAction()
}

// SelectAction is an action allowed as a selectAction (every action but
// Action.ShowCard).
type SelectAction interface {
	Action
	isSelectAction()
}

// Inline is an inline of a RichTextBlock (a TextRun).
type Inline interface {
	isInline()
}

// Spacing is the space between an element and the one before it.
type Spacing string

// Spacing values.
const (
	SpacingNone       Spacing = "none"
	SpacingSmall      Spacing = "small"
	SpacingDefault    Spacing = "default"
	SpacingMedium     Spacing = "medium"
	SpacingLarge      Spacing = "large"
	SpacingExtraLarge Spacing = "extraLarge"
	SpacingPadding    Spacing = "padding"
)

// FontSize is a text size.
type FontSize string

// Font sizes.
const (
	SizeSmall      FontSize = "small"
	SizeDefault    FontSize = "default"
	SizeMedium     FontSize = "medium"
	SizeLarge      FontSize = "large"
	SizeExtraLarge FontSize = "extraLarge"
)

// FontWeight is a text weight.
type FontWeight string

// Font weights.
const (
	WeightLighter FontWeight = "lighter"
	WeightDefault FontWeight = "default"
	WeightBolder  FontWeight = "bolder"
)

// FontType selects the font family.
type FontType string

// Font types.
const (
	FontDefault   FontType = "default"
	FontMonospace FontType = "monospace"
)

// Color is a text color from the host's palette.
type Color string

// Text colors.
const (
	ColorDefault   Color = "default"
	ColorDark      Color = "dark"
	ColorLight     Color = "light"
	ColorAccent    Color = "accent"
	ColorGood      Color = "good"
	ColorWarning   Color = "warning"
	ColorAttention Color = "attention"
)

// ContainerStyle is the style of a container, column, table row or cell.
type ContainerStyle string

// Container styles.
const (
	StyleDefault   ContainerStyle = "default"
	StyleEmphasis  ContainerStyle = "emphasis"
	StyleGood      ContainerStyle = "good"
	StyleAttention ContainerStyle = "attention"
	StyleWarning   ContainerStyle = "warning"
	StyleAccent    ContainerStyle = "accent"
)

// TextBlockStyle is the style of a TextBlock (1.5).
type TextBlockStyle string

// TextBlock styles.
const (
	TextStyleDefault TextBlockStyle = "default"
	TextStyleHeading TextBlockStyle = "heading"
)

// HorizontalAlignment aligns content horizontally.
type HorizontalAlignment string

// Horizontal alignments.
const (
	AlignLeft   HorizontalAlignment = "left"
	AlignCenter HorizontalAlignment = "center"
	AlignRight  HorizontalAlignment = "right"
)

// VerticalAlignment aligns content vertically.
type VerticalAlignment string

// Vertical alignments.
const (
	AlignTop    VerticalAlignment = "top"
	AlignMiddle VerticalAlignment = "center"
	AlignBottom VerticalAlignment = "bottom"
)

// ImageSize is the approximate size of an image.
type ImageSize string

// Image sizes.
const (
	ImageAuto    ImageSize = "auto"
	ImageStretch ImageSize = "stretch"
	ImageSmall   ImageSize = "small"
	ImageMedium  ImageSize = "medium"
	ImageLarge   ImageSize = "large"
)

// ImageStyle is the style of an image.
type ImageStyle string

// Image styles.
const (
	ImageStyleDefault ImageStyle = "default"
	ImageStylePerson  ImageStyle = "person"
)

// ActionStyle is the style of an action button.
type ActionStyle string

// Action styles. Teams ignores positive and destructive (botframework.md
// §5); they are kept for other hosts.
const (
	ActionDefault     ActionStyle = "default"
	ActionPositive    ActionStyle = "positive"
	ActionDestructive ActionStyle = "destructive"
)

// ActionMode tells whether an action is a button or in the overflow menu.
type ActionMode string

// Action modes (1.5).
const (
	ModePrimary   ActionMode = "primary"
	ModeSecondary ActionMode = "secondary"
)

// AssociatedInputs controls which inputs an Action.Execute or Action.Submit
// gathers.
type AssociatedInputs string

// Associated inputs values.
const (
	InputsAuto AssociatedInputs = "Auto"
	InputsNone AssociatedInputs = "None"
)

// TextInputStyle is the style hint of an Input.Text.
type TextInputStyle string

// Text input styles.
const (
	InputStyleText  TextInputStyle = "text"
	InputStyleURL   TextInputStyle = "url"
	InputStyleEmail TextInputStyle = "email"
)

// Width is a column width: "auto", "stretch", "<n>px" or a relative weight
// written as a bare number. It marshals weights as JSON numbers.
type Width string

// Column widths.
const (
	WidthAuto    Width = "auto"
	WidthStretch Width = "stretch"
)

// Weight returns a relative column weight.
func Weight(n int) Width { return Width(strconv.Itoa(n)) }

// MarshalJSON writes a weight as a number and anything else as a string.
func (w Width) MarshalJSON() ([]byte, error) {
	s := string(w)
	if s != "" && strings.Trim(s, "0123456789") == "" {
		return []byte(s), nil
	}
	return []byte(strconv.Quote(s)), nil
}

// MSTeams holds the Teams-specific card properties (cards-format.md).
type MSTeams struct {
	// Width is "Full" for a full-width card.
	Width string `json:"width,omitempty"`
}

// WidthFull is the msteams width of a full-width card.
const WidthFull = "Full"

// AdaptiveCard is the root of a card, or the card of an Action.ShowCard.
type AdaptiveCard struct {
	Type                     string            `json:"type"`
	Version                  string            `json:"version,omitempty"`
	Refresh                  *Refresh          `json:"refresh,omitempty"`
	Body                     []Element         `json:"body,omitempty"`
	Actions                  []Action          `json:"actions,omitempty"`
	SelectAction             SelectAction      `json:"selectAction,omitempty"`
	FallbackText             string            `json:"fallbackText,omitempty"`
	Speak                    string            `json:"speak,omitempty"`
	Lang                     string            `json:"lang,omitempty"`
	MinHeight                string            `json:"minHeight,omitempty"`
	VerticalContentAlignment VerticalAlignment `json:"verticalContentAlignment,omitempty"`
	MSTeams                  *MSTeams          `json:"msteams,omitempty"`
}

// NewCard returns a top-level card of version 1.5, full width in Teams.
func NewCard() *AdaptiveCard {
	return &AdaptiveCard{Type: "AdaptiveCard", Version: Version15, MSTeams: &MSTeams{Width: WidthFull}}
}

// NewSubCard returns a card for an Action.ShowCard: no version, no msteams.
func NewSubCard() *AdaptiveCard { return &AdaptiveCard{Type: "AdaptiveCard"} }

// ContentType implements AttachmentContent.
func (c *AdaptiveCard) ContentType() string { return ContentTypeAdaptiveCard }

// WithVersion sets the card version.
func (c *AdaptiveCard) WithVersion(v string) *AdaptiveCard { c.Version = v; return c }

// Add appends body elements.
func (c *AdaptiveCard) Add(e ...Element) *AdaptiveCard { c.Body = append(c.Body, e...); return c }

// AddActions appends card actions.
func (c *AdaptiveCard) AddActions(a ...Action) *AdaptiveCard {
	c.Actions = append(c.Actions, a...)
	return c
}

// WithFallbackText sets the text shown by clients that cannot render the card.
func (c *AdaptiveCard) WithFallbackText(s string) *AdaptiveCard { c.FallbackText = s; return c }

// WithSelectAction sets the action run when the card is tapped.
func (c *AdaptiveCard) WithSelectAction(a SelectAction) *AdaptiveCard { c.SelectAction = a; return c }

// Refresh makes a card refreshable through an Action.Execute (1.4+).
type Refresh struct {
	Action *ExecuteAction `json:"action"`
	// UserIDs lists the user MRIs whose client refreshes automatically. A nil
	// slice is omitted (automatic refresh for everyone when the conversation
	// has ≤ 60 members); an empty slice is written as [] (manual refresh only).
	UserIDs []string `json:"userIds,omitzero"`
}

// NewManualRefresh returns a refresh that runs only when a user asks for it
// ("Refresh card"), never automatically.
func NewManualRefresh(a *ExecuteAction) *Refresh { return &Refresh{Action: a, UserIDs: []string{}} }

// elementBase holds the properties every element shares.
type elementBase struct {
	ID        string  `json:"id,omitempty"`
	IsVisible *bool   `json:"isVisible,omitempty"`
	Separator bool    `json:"separator,omitempty"`
	Spacing   Spacing `json:"spacing,omitempty"`
}

var falseValue = false

// TextBlock shows text, with a subset of markdown.
type TextBlock struct {
	Type                string              `json:"type"`
	Text                string              `json:"text"`
	Color               Color               `json:"color,omitempty"`
	FontType            FontType            `json:"fontType,omitempty"`
	HorizontalAlignment HorizontalAlignment `json:"horizontalAlignment,omitempty"`
	IsSubtle            bool                `json:"isSubtle,omitempty"`
	MaxLines            int                 `json:"maxLines,omitempty"`
	Size                FontSize            `json:"size,omitempty"`
	Weight              FontWeight          `json:"weight,omitempty"`
	Wrap                bool                `json:"wrap,omitempty"`
	Style               TextBlockStyle      `json:"style,omitempty"`
	elementBase
}

// NewTextBlock returns a wrapping TextBlock.
func NewTextBlock(text string) *TextBlock {
	return &TextBlock{Type: "TextBlock", Text: text, Wrap: true}
}

func (*TextBlock) isElement() {}

// WithSize sets the font size.
func (t *TextBlock) WithSize(s FontSize) *TextBlock { t.Size = s; return t }

// Bold sets the weight to bolder.
func (t *TextBlock) Bold() *TextBlock { t.Weight = WeightBolder; return t }

// WithColor sets the color.
func (t *TextBlock) WithColor(c Color) *TextBlock { t.Color = c; return t }

// Subtle tones the text down.
func (t *TextBlock) Subtle() *TextBlock { t.IsSubtle = true; return t }

// NoWrap keeps the text on one line.
func (t *TextBlock) NoWrap() *TextBlock { t.Wrap = false; return t }

// Heading marks the block as a heading (1.5).
func (t *TextBlock) Heading() *TextBlock { t.Style = TextStyleHeading; return t }

// WithStyle sets the TextBlock style.
func (t *TextBlock) WithStyle(s TextBlockStyle) *TextBlock { t.Style = s; return t }

// Monospace uses the monospace font.
func (t *TextBlock) Monospace() *TextBlock { t.FontType = FontMonospace; return t }

// WithAlignment aligns the text.
func (t *TextBlock) WithAlignment(a HorizontalAlignment) *TextBlock {
	t.HorizontalAlignment = a
	return t
}

// WithID sets the element ID.
func (t *TextBlock) WithID(id string) *TextBlock { t.ID = id; return t }

// WithSpacing sets the spacing before the element.
func (t *TextBlock) WithSpacing(s Spacing) *TextBlock { t.Spacing = s; return t }

// WithSeparator draws a line before the element.
func (t *TextBlock) WithSeparator() *TextBlock { t.Separator = true; return t }

// Hidden hides the element until an Action.ToggleVisibility shows it.
func (t *TextBlock) Hidden() *TextBlock { t.IsVisible = &falseValue; return t }

// RichTextBlock shows text runs; no markdown is interpreted, so it shows a
// publisher's text exactly as written.
type RichTextBlock struct {
	Type                string              `json:"type"`
	Inlines             []Inline            `json:"inlines"`
	HorizontalAlignment HorizontalAlignment `json:"horizontalAlignment,omitempty"`
	elementBase
}

// NewRichTextBlock returns a RichTextBlock with the given runs.
func NewRichTextBlock(runs ...Inline) *RichTextBlock {
	if runs == nil {
		runs = []Inline{}
	}
	return &RichTextBlock{Type: "RichTextBlock", Inlines: runs}
}

func (*RichTextBlock) isElement() {}

// Add appends runs.
func (r *RichTextBlock) Add(runs ...Inline) *RichTextBlock {
	r.Inlines = append(r.Inlines, runs...)
	return r
}

// WithID sets the element ID.
func (r *RichTextBlock) WithID(id string) *RichTextBlock { r.ID = id; return r }

// WithSpacing sets the spacing before the element.
func (r *RichTextBlock) WithSpacing(s Spacing) *RichTextBlock { r.Spacing = s; return r }

// WithSeparator draws a line before the element.
func (r *RichTextBlock) WithSeparator() *RichTextBlock { r.Separator = true; return r }

// Hidden hides the element until an Action.ToggleVisibility shows it.
func (r *RichTextBlock) Hidden() *RichTextBlock { r.IsVisible = &falseValue; return r }

// TextRun is a run of formatted text inside a RichTextBlock. Markdown is not
// interpreted.
type TextRun struct {
	Type          string       `json:"type"`
	Text          string       `json:"text"`
	Color         Color        `json:"color,omitempty"`
	FontType      FontType     `json:"fontType,omitempty"`
	Highlight     bool         `json:"highlight,omitempty"`
	IsSubtle      bool         `json:"isSubtle,omitempty"`
	Italic        bool         `json:"italic,omitempty"`
	SelectAction  SelectAction `json:"selectAction,omitempty"`
	Size          FontSize     `json:"size,omitempty"`
	Strikethrough bool         `json:"strikethrough,omitempty"`
	Underline     bool         `json:"underline,omitempty"`
	Weight        FontWeight   `json:"weight,omitempty"`
}

// NewTextRun returns a plain text run.
func NewTextRun(text string) *TextRun { return &TextRun{Type: "TextRun", Text: text} }

func (*TextRun) isInline() {}

// Bold sets the weight to bolder.
func (t *TextRun) Bold() *TextRun { t.Weight = WeightBolder; return t }

// WithColor sets the color.
func (t *TextRun) WithColor(c Color) *TextRun { t.Color = c; return t }

// WithSize sets the font size.
func (t *TextRun) WithSize(s FontSize) *TextRun { t.Size = s; return t }

// Subtle tones the run down.
func (t *TextRun) Subtle() *TextRun { t.IsSubtle = true; return t }

// Strike strikes the run through.
func (t *TextRun) Strike() *TextRun { t.Strikethrough = true; return t }

// Monospace uses the monospace font.
func (t *TextRun) Monospace() *TextRun { t.FontType = FontMonospace; return t }

// WithSelectAction makes the run a link to an action.
func (t *TextRun) WithSelectAction(a SelectAction) *TextRun { t.SelectAction = a; return t }

// Image shows an image by URL.
type Image struct {
	Type                string              `json:"type"`
	URL                 string              `json:"url"`
	AltText             string              `json:"altText,omitempty"`
	BackgroundColor     string              `json:"backgroundColor,omitempty"`
	HorizontalAlignment HorizontalAlignment `json:"horizontalAlignment,omitempty"`
	SelectAction        SelectAction        `json:"selectAction,omitempty"`
	Size                ImageSize           `json:"size,omitempty"`
	Style               ImageStyle          `json:"style,omitempty"`
	Width               string              `json:"width,omitempty"`
	Height              string              `json:"height,omitempty"`
	elementBase
}

// NewImage returns an image with its alternative text.
func NewImage(url, altText string) *Image { return &Image{Type: "Image", URL: url, AltText: altText} }

func (*Image) isElement() {}

// WithSize sets the image size.
func (i *Image) WithSize(s ImageSize) *Image { i.Size = s; return i }

// WithStyle sets the image style.
func (i *Image) WithStyle(s ImageStyle) *Image { i.Style = s; return i }

// WithSelectAction sets the action run when the image is tapped.
func (i *Image) WithSelectAction(a SelectAction) *Image { i.SelectAction = a; return i }

// WithID sets the element ID.
func (i *Image) WithID(id string) *Image { i.ID = id; return i }

// WithSpacing sets the spacing before the element.
func (i *Image) WithSpacing(s Spacing) *Image { i.Spacing = s; return i }

// Container groups elements.
type Container struct {
	Type                     string            `json:"type"`
	Items                    []Element         `json:"items"`
	SelectAction             SelectAction      `json:"selectAction,omitempty"`
	Style                    ContainerStyle    `json:"style,omitempty"`
	VerticalContentAlignment VerticalAlignment `json:"verticalContentAlignment,omitempty"`
	Bleed                    bool              `json:"bleed,omitempty"`
	MinHeight                string            `json:"minHeight,omitempty"`
	elementBase
}

// NewContainer returns a container of the given elements.
func NewContainer(items ...Element) *Container {
	if items == nil {
		items = []Element{}
	}
	return &Container{Type: "Container", Items: items}
}

func (*Container) isElement() {}

// Add appends elements.
func (c *Container) Add(items ...Element) *Container { c.Items = append(c.Items, items...); return c }

// WithStyle sets the container style.
func (c *Container) WithStyle(s ContainerStyle) *Container { c.Style = s; return c }

// WithSelectAction sets the action run when the container is tapped.
func (c *Container) WithSelectAction(a SelectAction) *Container { c.SelectAction = a; return c }

// WithBleed lets the container bleed through its parent's padding.
func (c *Container) WithBleed() *Container { c.Bleed = true; return c }

// WithID sets the element ID.
func (c *Container) WithID(id string) *Container { c.ID = id; return c }

// WithSpacing sets the spacing before the element.
func (c *Container) WithSpacing(s Spacing) *Container { c.Spacing = s; return c }

// WithSeparator draws a line before the element.
func (c *Container) WithSeparator() *Container { c.Separator = true; return c }

// Hidden hides the element until an Action.ToggleVisibility shows it.
func (c *Container) Hidden() *Container { c.IsVisible = &falseValue; return c }

// ColumnSet lays columns side by side.
type ColumnSet struct {
	Type                string              `json:"type"`
	Columns             []*Column           `json:"columns"`
	SelectAction        SelectAction        `json:"selectAction,omitempty"`
	Style               ContainerStyle      `json:"style,omitempty"`
	Bleed               bool                `json:"bleed,omitempty"`
	MinHeight           string              `json:"minHeight,omitempty"`
	HorizontalAlignment HorizontalAlignment `json:"horizontalAlignment,omitempty"`
	elementBase
}

// NewColumnSet returns a column set.
func NewColumnSet(cols ...*Column) *ColumnSet {
	if cols == nil {
		cols = []*Column{}
	}
	return &ColumnSet{Type: "ColumnSet", Columns: cols}
}

func (*ColumnSet) isElement() {}

// Add appends columns.
func (s *ColumnSet) Add(cols ...*Column) *ColumnSet { s.Columns = append(s.Columns, cols...); return s }

// WithStyle sets the style.
func (s *ColumnSet) WithStyle(st ContainerStyle) *ColumnSet { s.Style = st; return s }

// WithSelectAction sets the action run when the set is tapped.
func (s *ColumnSet) WithSelectAction(a SelectAction) *ColumnSet { s.SelectAction = a; return s }

// WithID sets the element ID.
func (s *ColumnSet) WithID(id string) *ColumnSet { s.ID = id; return s }

// WithSpacing sets the spacing before the element.
func (s *ColumnSet) WithSpacing(sp Spacing) *ColumnSet { s.Spacing = sp; return s }

// WithSeparator draws a line before the element.
func (s *ColumnSet) WithSeparator() *ColumnSet { s.Separator = true; return s }

// Hidden hides the element until an Action.ToggleVisibility shows it.
func (s *ColumnSet) Hidden() *ColumnSet { s.IsVisible = &falseValue; return s }

// Column is a column of a ColumnSet.
type Column struct {
	Type                     string            `json:"type"`
	Items                    []Element         `json:"items"`
	Width                    Width             `json:"width,omitempty"`
	Style                    ContainerStyle    `json:"style,omitempty"`
	VerticalContentAlignment VerticalAlignment `json:"verticalContentAlignment,omitempty"`
	SelectAction             SelectAction      `json:"selectAction,omitempty"`
	Bleed                    bool              `json:"bleed,omitempty"`
	MinHeight                string            `json:"minHeight,omitempty"`
	elementBase
}

// NewColumn returns a column of the given width.
func NewColumn(width Width, items ...Element) *Column {
	if items == nil {
		items = []Element{}
	}
	return &Column{Type: "Column", Width: width, Items: items}
}

// Add appends elements.
func (c *Column) Add(items ...Element) *Column { c.Items = append(c.Items, items...); return c }

// WithStyle sets the style.
func (c *Column) WithStyle(s ContainerStyle) *Column { c.Style = s; return c }

// WithVerticalAlignment aligns the column content vertically.
func (c *Column) WithVerticalAlignment(a VerticalAlignment) *Column {
	c.VerticalContentAlignment = a
	return c
}

// WithSelectAction sets the action run when the column is tapped.
func (c *Column) WithSelectAction(a SelectAction) *Column { c.SelectAction = a; return c }

// WithSpacing sets the spacing before the column.
func (c *Column) WithSpacing(s Spacing) *Column { c.Spacing = s; return c }

// FactSet shows title/value pairs.
type FactSet struct {
	Type  string `json:"type"`
	Facts []Fact `json:"facts"`
	elementBase
}

// Fact is one title/value pair of a FactSet.
type Fact struct {
	Title string `json:"title"`
	Value string `json:"value"`
}

// NewFactSet returns a fact set.
func NewFactSet(facts ...Fact) *FactSet {
	if facts == nil {
		facts = []Fact{}
	}
	return &FactSet{Type: "FactSet", Facts: facts}
}

func (*FactSet) isElement() {}

// Add appends a fact.
func (f *FactSet) Add(title, value string) *FactSet {
	f.Facts = append(f.Facts, Fact{Title: title, Value: value})
	return f
}

// WithID sets the element ID.
func (f *FactSet) WithID(id string) *FactSet { f.ID = id; return f }

// WithSpacing sets the spacing before the element.
func (f *FactSet) WithSpacing(s Spacing) *FactSet { f.Spacing = s; return f }

// WithSeparator draws a line before the element.
func (f *FactSet) WithSeparator() *FactSet { f.Separator = true; return f }

// Hidden hides the element until an Action.ToggleVisibility shows it.
func (f *FactSet) Hidden() *FactSet { f.IsVisible = &falseValue; return f }

// Table shows rows and columns (1.5).
type Table struct {
	Type                           string                  `json:"type"`
	Columns                        []TableColumnDefinition `json:"columns"`
	Rows                           []*TableRow             `json:"rows"`
	FirstRowAsHeader               *bool                   `json:"firstRowAsHeader,omitempty"`
	ShowGridLines                  *bool                   `json:"showGridLines,omitempty"`
	GridStyle                      ContainerStyle          `json:"gridStyle,omitempty"`
	HorizontalCellContentAlignment HorizontalAlignment     `json:"horizontalCellContentAlignment,omitempty"`
	VerticalCellContentAlignment   VerticalAlignment       `json:"verticalCellContentAlignment,omitempty"`
	elementBase
}

// NewTable returns a table with columns of the given relative widths. The
// first row is a header row (the 1.5 default).
func NewTable(widths ...int) *Table {
	cols := make([]TableColumnDefinition, len(widths))
	for i, w := range widths {
		cols[i] = TableColumnDefinition{Width: Weight(w)}
	}
	return &Table{Type: "Table", Columns: cols, Rows: []*TableRow{}}
}

func (*Table) isElement() {}

// AddRow appends a row.
func (t *Table) AddRow(r *TableRow) *Table { t.Rows = append(t.Rows, r); return t }

// WithVerticalAlignment aligns every cell's content vertically.
func (t *Table) WithVerticalAlignment(a VerticalAlignment) *Table {
	t.VerticalCellContentAlignment = a
	return t
}

// WithID sets the element ID.
func (t *Table) WithID(id string) *Table { t.ID = id; return t }

// WithSpacing sets the spacing before the element.
func (t *Table) WithSpacing(s Spacing) *Table { t.Spacing = s; return t }

// TableColumnDefinition sizes a table column. Its optional "type" is not
// written: the renderer drops it.
type TableColumnDefinition struct {
	Width                          Width               `json:"width,omitempty"`
	HorizontalCellContentAlignment HorizontalAlignment `json:"horizontalCellContentAlignment,omitempty"`
	VerticalCellContentAlignment   VerticalAlignment   `json:"verticalCellContentAlignment,omitempty"`
}

// TableRow is a row of a Table.
type TableRow struct {
	Type  string         `json:"type"`
	Cells []*TableCell   `json:"cells"`
	Style ContainerStyle `json:"style,omitempty"`
}

// NewTableRow returns a row of the given cells.
func NewTableRow(cells ...*TableCell) *TableRow {
	if cells == nil {
		cells = []*TableCell{}
	}
	return &TableRow{Type: "TableRow", Cells: cells}
}

// WithStyle sets the row style.
func (r *TableRow) WithStyle(s ContainerStyle) *TableRow { r.Style = s; return r }

// TableCell is a cell of a TableRow.
type TableCell struct {
	Type                     string            `json:"type"`
	Items                    []Element         `json:"items"`
	Style                    ContainerStyle    `json:"style,omitempty"`
	VerticalContentAlignment VerticalAlignment `json:"verticalContentAlignment,omitempty"`
	SelectAction             SelectAction      `json:"selectAction,omitempty"`
}

// NewTableCell returns a cell of the given elements.
func NewTableCell(items ...Element) *TableCell {
	if items == nil {
		items = []Element{}
	}
	return &TableCell{Type: "TableCell", Items: items}
}

// WithStyle sets the cell style.
func (c *TableCell) WithStyle(s ContainerStyle) *TableCell { c.Style = s; return c }

// WithSelectAction sets the action run when the cell is tapped.
func (c *TableCell) WithSelectAction(a SelectAction) *TableCell { c.SelectAction = a; return c }

// ActionSet shows actions inside the body.
type ActionSet struct {
	Type    string   `json:"type"`
	Actions []Action `json:"actions"`
	elementBase
}

// NewActionSet returns an action set.
func NewActionSet(actions ...Action) *ActionSet {
	if actions == nil {
		actions = []Action{}
	}
	return &ActionSet{Type: "ActionSet", Actions: actions}
}

func (*ActionSet) isElement() {}

// Add appends actions.
func (s *ActionSet) Add(a ...Action) *ActionSet { s.Actions = append(s.Actions, a...); return s }

// WithID sets the element ID.
func (s *ActionSet) WithID(id string) *ActionSet { s.ID = id; return s }

// WithSpacing sets the spacing before the element.
func (s *ActionSet) WithSpacing(sp Spacing) *ActionSet { s.Spacing = sp; return s }

// WithSeparator draws a line before the element.
func (s *ActionSet) WithSeparator() *ActionSet { s.Separator = true; return s }

// inputBase holds the properties every input shares.
type inputBase struct {
	ID           string  `json:"id"`
	Label        string  `json:"label,omitempty"`
	IsRequired   bool    `json:"isRequired,omitempty"`
	ErrorMessage string  `json:"errorMessage,omitempty"`
	IsVisible    *bool   `json:"isVisible,omitempty"`
	Separator    bool    `json:"separator,omitempty"`
	Spacing      Spacing `json:"spacing,omitempty"`
}

// TextInput is an Input.Text.
type TextInput struct {
	Type         string         `json:"type"`
	Placeholder  string         `json:"placeholder,omitempty"`
	Value        string         `json:"value,omitempty"`
	IsMultiline  bool           `json:"isMultiline,omitempty"`
	MaxLength    int            `json:"maxLength,omitempty"`
	Style        TextInputStyle `json:"style,omitempty"`
	InlineAction SelectAction   `json:"inlineAction,omitempty"`
	inputBase
}

// NewTextInput returns an Input.Text whose value is sent under id.
func NewTextInput(id string) *TextInput {
	return &TextInput{Type: "Input.Text", inputBase: inputBase{ID: id}}
}

func (*TextInput) isElement() {}

// WithLabel sets the label.
func (i *TextInput) WithLabel(s string) *TextInput { i.Label = s; return i }

// WithPlaceholder sets the placeholder.
func (i *TextInput) WithPlaceholder(s string) *TextInput { i.Placeholder = s; return i }

// WithValue sets the initial value.
func (i *TextInput) WithValue(s string) *TextInput { i.Value = s; return i }

// WithMaxLength caps the input length.
func (i *TextInput) WithMaxLength(n int) *TextInput { i.MaxLength = n; return i }

// Required makes the input required, with the message shown when empty.
func (i *TextInput) Required(msg string) *TextInput {
	i.IsRequired = true
	i.ErrorMessage = msg
	return i
}
