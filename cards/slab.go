package cards

// slab allocates the nodes of one card in a few blocks, one per node type,
// instead of one heap object each. The summary card of an app asked about
// for the first time (about 60 nodes and 20 buttons, each an Action.Execute
// with its Action.Submit fallback) is built on the reply path, where 150
// small allocations cost more than building it. A node lives as long as
// the card it is in, so the nodes of one card may share blocks; a slab is
// never shared between cards.
//
// A nil *slab allocates each node on its own, as the New functions do: the
// helpers that several cards share build through b.slab whether or not
// the card has one.
type slab struct {
	texts    []TextBlock
	execs    []executeBundle
	sets     []ActionSet
	factSets []FactSet
	columns  []Column
	colSets  []ColumnSet
	elements []Element
	actions  []Action
	facts    []Fact
	colPtrs  []*Column
	// spills counts the blocks started after the first of their type: a
	// card its size undercounts (TestSummarySlabFits).
	spills int
}

// slabSize is how many nodes of each type a slab holds in its first
// blocks; a card that needs more gets further blocks.
type slabSize struct {
	texts, execs, sets, factSets, columns, colSets int
	// elements, actions, facts and colPtrs are the lengths of all the
	// Body and Items, Actions, Facts and Columns slices of the card.
	elements, actions, facts, colPtrs int
	// body is the length of the card's Body (counted in elements).
	body int
}

func newSlab(n slabSize) *slab {
	return &slab{
		texts:    make([]TextBlock, 0, n.texts),
		execs:    make([]executeBundle, 0, n.execs),
		sets:     make([]ActionSet, 0, n.sets),
		factSets: make([]FactSet, 0, n.factSets),
		columns:  make([]Column, 0, n.columns),
		colSets:  make([]ColumnSet, 0, n.colSets),
		elements: make([]Element, 0, n.elements),
		actions:  make([]Action, 0, n.actions),
		facts:    make([]Fact, 0, n.facts),
		colPtrs:  make([]*Column, 0, n.colPtrs),
	}
}

// take returns the next node of a block, starting a block of chunk nodes
// when it is full.
func take[T any](block *[]T, chunk int, spills *int) *T {
	if len(*block) == cap(*block) {
		*block = make([]T, 0, chunk)
		*spills++
	}
	*block = (*block)[:len(*block)+1]
	return &(*block)[len(*block)-1]
}

// carve returns an empty slice of capacity n cut from a block (a fresh
// block when the rest is too short). Its capacity is exactly n, so that an
// append past it moves the slice rather than writing over the next one.
func carve[T any](block *[]T, n int, spills *int) []T {
	if *block == nil || cap(*block)-len(*block) < n {
		*block = make([]T, 0, max(n, 16))
		*spills++
	}
	i := len(*block)
	*block = (*block)[:i+n]
	return (*block)[i : i : i+n]
}

// text returns NewTextBlock(s).
func (sl *slab) text(s string) *TextBlock {
	if sl == nil {
		return NewTextBlock(s)
	}
	t := take(&sl.texts, 8, &sl.spills)
	*t = TextBlock{Type: "TextBlock", Text: s, Wrap: true}
	return t
}

// execute returns NewExecute(title, d).
func (sl *slab) execute(title string, d ActionData) *ExecuteAction {
	if sl == nil {
		return NewExecute(title, d)
	}
	return take(&sl.execs, 8, &sl.spills).init(title, d)
}

// actionSet returns NewActionSet(), with room for n actions.
func (sl *slab) actionSet(n int) *ActionSet {
	if sl == nil {
		return NewActionSet()
	}
	s := take(&sl.sets, 4, &sl.spills)
	*s = ActionSet{Type: "ActionSet", Actions: carve(&sl.actions, n, &sl.spills)}
	return s
}

// factSet returns NewFactSet(), with room for n facts.
func (sl *slab) factSet(n int) *FactSet {
	if sl == nil {
		return NewFactSet()
	}
	f := take(&sl.factSets, 4, &sl.spills)
	*f = FactSet{Type: "FactSet", Facts: carve(&sl.facts, n, &sl.spills)}
	return f
}

// column returns NewColumn(width, items...).
func (sl *slab) column(width Width, items ...Element) *Column {
	if sl == nil {
		// Add copies items, so that they do not escape: a caller's list
		// stays on its stack.
		return NewColumn(width).Add(items...)
	}
	c := take(&sl.columns, 4, &sl.spills)
	*c = Column{Type: "Column", Width: width, Items: append(carve(&sl.elements, len(items), &sl.spills), items...)}
	return c
}

// columnSet returns NewColumnSet(), with room for n columns.
func (sl *slab) columnSet(n int) *ColumnSet {
	if sl == nil {
		return NewColumnSet()
	}
	s := take(&sl.colSets, 2, &sl.spills)
	*s = ColumnSet{Type: "ColumnSet", Columns: carve(&sl.colPtrs, n, &sl.spills)}
	return s
}

// body returns an empty card body with room for n elements.
func (sl *slab) body(n int) []Element {
	if sl == nil {
		return nil
	}
	return carve(&sl.elements, n, &sl.spills)
}

// actionList returns an empty list of card actions with room for n.
func (sl *slab) actionList(n int) []Action {
	if sl == nil {
		return nil
	}
	return carve(&sl.actions, n, &sl.spills)
}
