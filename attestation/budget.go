package attestation

import (
	"bytes"
	"time"
)

// Parse budgets. Every loop of the parser is linear in the page size; the
// budgets bound what one page may cost whatever it holds, so that one
// hostile or broken page can never stall a sync or an import. A page that
// exceeds a budget is read up to the limit and carries a warning that says
// so.
const (
	// MaxPageBytes is the largest page read whole; the real pages are
	// under 60 KB. Longer input is cut at the last line break before the
	// limit.
	MaxPageBytes = 2 << 20
	// maxRowLines bounds how many lines one table row may continue over.
	maxRowLines = 64
	// maxTableRows bounds the rows of one table (the largest real table
	// has about 620 rows: the teams index).
	maxTableRows = 5000
	// maxQuestionRows bounds the rows of one question section that are
	// aligned to keys (real sections have at most 41).
	maxQuestionRows = 400
	// budgetCheckEvery is how many lines the walk reads between two looks
	// at the clock.
	budgetCheckEvery = 256
)

// parseTimeBudget is the wall time one page may take; past it the rest of
// the page is not read. Real pages take well under a millisecond. Tests
// lower it to see the warning.
var parseTimeBudget = 2 * time.Second

// clampPage cuts data to MaxPageBytes at a line break and reports whether
// it did.
func clampPage(data []byte) ([]byte, bool) {
	if len(data) <= MaxPageBytes {
		return data, false
	}
	cut := data[:MaxPageBytes]
	if i := bytes.LastIndexByte(cut, '\n'); i > 0 {
		cut = cut[:i+1]
	}
	return cut, true
}

// overBudget reports whether the page has used up its time budget; it
// looks at the clock only every budgetCheckEvery calls and warns once.
func (p *pageParser) overBudget(lineNo int) bool {
	if p.stopped {
		return true
	}
	p.ticks++
	if p.ticks%budgetCheckEvery != 1 && parseTimeBudget > 0 {
		return false
	}
	if time.Since(p.start) <= parseTimeBudget {
		return false
	}
	p.stopped = true
	p.warn(lineNo, "page exceeds the parse time budget of %s: the rest of the page from this line on is not read", parseTimeBudget)
	return true
}
