package attestation

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPageFiles_SymlinkRoot lists the pages of a directory named through
// a symbolic link (the sample is one in testdata): the link is followed,
// and the paths start with the name given.
func TestPageFiles_SymlinkRoot(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	require.NoError(t, os.MkdirAll(filepath.Join(real, "fr-FR", "teams"), 0o750))
	require.NoError(t, os.WriteFile(filepath.Join(real, "fr-FR", "teams", "a.md"), []byte("# a\n"), 0o600))
	link := filepath.Join(dir, "link")
	if err := os.Symlink(real, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	for _, root := range []string{real, link} {
		files, err := PageFiles(root)
		require.NoError(t, err)
		require.Equal(t, []string{filepath.Join(root, "fr-FR", "teams", "a.md")}, files)
	}
}
