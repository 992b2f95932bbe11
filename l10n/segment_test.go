package l10n

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSegment(t *testing.T) {
	for in, want := range map[string]string{
		"is plumm hipaa compliant?":       "is plumm hipaa compliant?",
		"est-ce que Asana est conforme ?": "est-ce que Asana est conforme ?",
		"PlummはHIPAAに準拠していますか":            "Plumm は HIPAA に 準拠していますか",
		"Asana は SOC 2 に準拠していますか":         "Asana は SOC 2 に 準拠していますか",
		"Smartsheetに必要なアクセス許可は？":          "Smartsheet に 必要な アクセス許可 は?",
		"Plumm符合HIPAA吗":                   "Plumm 符合 HIPAA 吗",
		"Plumm需要哪些权限":                     "Plumm 需要哪些权限",
		"Plumm는 HIPAA를 준수합니까?":            "Plumm 는 HIPAA 를 준수합니까?",
		"ＰｌｕｍｍはＨＩＰＡＡ？":                    "Plumm は HIPAA?",
		"谁请求Mail.ReadWrite":               "谁请求 Mail.ReadWrite",
		"¿Plumm cumple HIPAA?":            " Plumm cumple HIPAA?",
		"すべてをフォロー":                        "すべて を フォロー",
		"ぜんぶをフォローして":                      "ぜんぶ を フォロー して",
		"すべての アプリ":                        "すべての アプリ",
		"すべてのアプリをフォロー":                    "すべての アプリ を フォロー",
	} {
		require.Equal(t, want, Segment(in), in)
	}
}
