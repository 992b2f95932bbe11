package chat

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/attestbot/attestbot/cards"
)

func TestExplore(t *testing.T) {
	if os.Getenv("EXPLORE") == "" {
		t.Skip()
	}
	s := NewService(trapCatalog(t), cards.New(), WithSubscriptions(&memSubs{subs: map[string][]string{}}), WithAdmins([]string{"admin-1"}))
	data, _ := os.ReadFile("/tmp/utt.txt")
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		r := s.respond(context.Background(), User{TenantID: "t", ID: "u", Locale: "en-US"}, line, nil)
		fs := []string{}
		for _, f := range r.filters {
			fs = append(fs, f.String())
		}
		fmt.Printf("%-55q %-13s %-40s %-6s %v | %.80s\n", line, r.kind, r.app, r.conf, fs, r.card.FallbackText)
	}
}
