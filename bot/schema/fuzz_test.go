package schema

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzDecodeActivity checks that decoding never panics, that every accessor
// copes with whatever decoded, and that encoding a decoded activity is
// stable: decode(encode(a)) encodes to the same bytes.
func FuzzDecodeActivity(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(fixtureDir, "*.json"))
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		var c inboundCapture
		if json.Unmarshal(data, &c) == nil && len(c.Body) > 0 {
			f.Add([]byte(c.Body))
		}
	}
	f.Add([]byte(`{"type":"message","Type":"x","text":"<at>b</at> hi","entities":[{"type":"mention","mentioned":{"id":"b"},"text":"<at>b</at>"}]}`))
	f.Add([]byte(`{"type":"invoke","name":"adaptiveCard/action","value":{"action":{"type":"Action.Execute","verb":1}}}`))
	f.Add([]byte(`{"channelData":null,"from":null,"entities":[null],"value":"x","extra":[]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var a Activity
		if err := json.Unmarshal(data, &a); err != nil {
			return
		}
		_, _ = a.TeamsChannelData()
		_ = a.TextWithoutMentionOf("b")
		_, _ = a.AdaptiveCardInvokeValue()
		_, _ = a.MessagingExtensionQuery()
		_, _ = a.AppBasedLinkQuery()
		_ = a.ConversationReference()
		_ = a.NewReply("x")
		_ = a.Conversation.IsPersonal()
		_ = a.From.EntraObjectID()

		var all map[string]json.RawMessage
		if json.Unmarshal(data, &all) == nil {
			n := 0
			for k, v := range all {
				if activityKnown.has(k) {
					continue
				}
				n++
				require.Equal(t, string(v), string(a.Extra[k]), "extra field %q", k)
			}
			require.Len(t, a.Extra, n)
		}

		first, err := json.Marshal(a)
		require.NoError(t, err)
		var b Activity
		require.NoError(t, json.Unmarshal(first, &b))
		second, err := json.Marshal(b)
		require.NoError(t, err)
		require.Equal(t, string(first), string(second))
	})
}
