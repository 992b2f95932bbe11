package sample

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCurrentPages(t *testing.T) {
	pages := CurrentPages()
	require.Len(t, pages, 72)
	for _, p := range pages {
		require.False(t, strings.HasPrefix(p, "history/"), p)
		data, err := fs.ReadFile(FS(), p)
		require.NoError(t, err)
		require.NotEmpty(t, data)
	}
}
