package attestation

import "hash/maphash"

// strTable is a frozen map from strings to lists of int32 (a group or
// token number, or a list of them) whose memory holds no pointers: the
// keys' bytes in one byte slice, the lists in one int32 slice and the
// entries found by a map from the key's hash. The collector does not scan
// it, where a map[string][]int32 of the same size holds two pointers an
// entry (the key's bytes, the list). Equal hashes are chained and every
// lookup compares the key's bytes, so a lookup answers what the map did.
type strTable struct {
	seed  maphash.Seed
	first map[uint64]uint32 // key hash → entry number + 1
	ents  []strEntry
	text  []byte
	vals  []int32
	// collide makes every key hash alike (tests of the chains).
	collide bool
}

type strEntry struct {
	key, keyLen uint32 // the key's bytes in text
	val, valLen uint32 // the list in vals
	next        uint32 // the next entry of the same hash + 1, or 0
}

// freezeRefs returns the table of m.
func freezeRefs(m map[string][]int32) strTable {
	t := newStrTable(len(m))
	n := 0
	for _, l := range m {
		n += len(l)
	}
	t.vals = make([]int32, 0, n)
	for k, l := range m {
		t.add(k, l)
	}
	return t
}

// freezeIDs returns the table of m, a list of one for each key.
func freezeIDs(m map[string]int32) strTable {
	t := newStrTable(len(m))
	t.vals = make([]int32, 0, len(m))
	for k, v := range m {
		t.add(k, []int32{v})
	}
	return t
}

func newStrTable(n int) strTable {
	return strTable{seed: maphash.MakeSeed(), first: make(map[uint64]uint32, n), ents: make([]strEntry, 0, n)}
}

func (t *strTable) add(k string, l []int32) {
	e := strEntry{key: uint32(len(t.text)), keyLen: uint32(len(k)), val: uint32(len(t.vals)), valLen: uint32(len(l))}
	t.text = append(t.text, k...)
	t.vals = append(t.vals, l...)
	h := t.hash(k)
	e.next = t.first[h]
	t.ents = append(t.ents, e)
	t.first[h] = uint32(len(t.ents))
}

func (t *strTable) hash(k string) uint64 {
	if t.collide {
		return 0
	}
	return maphash.String(t.seed, k)
}

// get returns the list of k, nil when k is not a key. The list is shared:
// do not modify it.
func (t *strTable) get(k string) []int32 {
	if len(t.ents) == 0 {
		return nil
	}
	for i := t.first[t.hash(k)]; i != 0; {
		e := &t.ents[i-1]
		if int(e.keyLen) == len(k) && string(t.text[e.key:e.key+e.keyLen]) == k {
			return t.vals[e.val : e.val+e.valLen : e.val+e.valLen]
		}
		i = e.next
	}
	return nil
}

// id returns the first number of k's list and whether k is a key.
func (t *strTable) id(k string) (int32, bool) {
	if l := t.get(k); len(l) > 0 {
		return l[0], true
	}
	return 0, false
}
