package attestation

// ChangeKind says how a field changed between two revisions of a record.
type ChangeKind string

// Change kinds. Answers tell blank→value (answered), value→blank
// (withdrawn) and value→value (changed) apart.
const (
	ChangeChanged     ChangeKind = "changed"      // value to another value
	ChangeAnswered    ChangeKind = "answered"     // blank to value
	ChangeWithdrawn   ChangeKind = "withdrawn"    // value to blank
	ChangeAdded       ChangeKind = "added"        // a permission, link or page appeared
	ChangeRemoved     ChangeKind = "removed"      // a permission, link or page disappeared
	ChangeTypeChanged ChangeKind = "type_changed" // a permission changed type
)

// Change is one semantic difference between two revisions of the same
// app's record.
type Change struct {
	// App is the record's slug.
	App string `json:"app"`
	// Locale is the locale of the revisions compared.
	Locale string `json:"locale"`
	// Field names what changed: an answer key (comp.hipaa), permission:<scope>,
	// entra_app_id, certification, updated, link:<name>, publisher, page.
	Field string `json:"field"`
	// Kind is the kind of change.
	Kind ChangeKind `json:"kind"`
	// Old is the previous value ("" when added or answered).
	Old string `json:"old"`
	// New is the new value ("" when removed or withdrawn).
	New string `json:"new"`
	// Section is the record section the field belongs to, when it has one.
	Section Section `json:"section,omitempty"`
	// Label is the English label of the field, for display.
	Label string `json:"label,omitempty"`
}
