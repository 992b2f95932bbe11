package store

import (
	"syscall"

	"go.etcd.io/bbolt"
)

// releaseMapped tells the kernel that this process no longer needs the
// pages of the bbolt file it has read: a full scan (loading the catalog)
// touches every page, and they would stay in the process's resident set
// long after. The pages stay in the page cache; a later read maps them
// again. bbolt writes with pwrite, never through the map, so no page is
// dirty. Called inside a read transaction, which keeps bbolt from remapping
// the file meanwhile.
func releaseMapped(tx *bbolt.Tx) {
	info := tx.DB().Info()
	size := uintptr(tx.Size())
	if info == nil || info.Data == 0 || size == 0 {
		return
	}
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, info.Data, size, syscall.MADV_DONTNEED)
}
