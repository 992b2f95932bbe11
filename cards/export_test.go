package cards

// Options only the tests use.

// WithIconURL sets the bot icon shown in card headers and message-extension
// previews (an https PNG or JPEG of at most 1024×1024, not redirected).
func WithIconURL(url string) Option { return func(b *Builder) { b.iconURL = url } }

// WithSearchPageSize sets how many search results a page shows (default 8,
// at most 20).
func WithSearchPageSize(n int) Option {
	return func(b *Builder) {
		if n > 0 && n <= 20 {
			b.searchPageSize = n
		}
	}
}
