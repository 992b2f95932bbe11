package attestation

import (
	_ "embed"
	"encoding/json"
	"sync"
)

// question_labels.json maps locale → answer key → the question as
// Microsoft's localized pages word it. It is learned from the sample pages
// by TestLearnQuestionLabels (go test -run TestLearnQuestionLabels
// -update): the label a key's rows carry most often in that locale.
//
//go:embed question_labels.json
var questionLabelsJSON []byte

var (
	questionLabelsOnce sync.Once
	questionLabels     map[string]map[string]string
)

// QuestionLabel returns the wording of an answer key's question on the
// pages of a locale (such as fr-FR), so that a card quoting another
// locale's record can still label its rows in the admin's language. It
// reports false when the locale's pages never showed the key.
func QuestionLabel(locale, key string) (string, bool) {
	questionLabelsOnce.Do(func() {
		if err := json.Unmarshal(questionLabelsJSON, &questionLabels); err != nil {
			questionLabels = nil
		}
	})
	s, ok := questionLabels[locale][key]
	return s, ok && s != ""
}
