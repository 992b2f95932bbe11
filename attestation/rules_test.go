package attestation

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestBroadScope(t *testing.T) {
	tests := []struct {
		name string
		typ  PermissionType
		want bool
	}{
		{"User.Read.All", Application, true},
		{"User.Read.All", Delegated, false},
		{"Mail.Read", Application, true},
		{"Mail.Send", Both, true},
		{"Files.ReadWrite.All", Application, true},
		{"Sites.FullControl.All", Application, true},
		{"TeamsAppInstallation.ReadWriteForUser.All", Application, true},
		{"TeamsActivity.Send", Application, false},
		{"User.Read", Application, false},
		{"Calendars.ReadWrite", PermissionUnknown, false},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+string(tt.typ), func(t *testing.T) {
			require.Equal(t, tt.want, BroadScope(Permission{Name: tt.name, Type: tt.typ}))
		})
	}
}

func TestMonthsSinceAndStale(t *testing.T) {
	now := time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		d      Date
		months int
		stale  bool
	}{
		{"unknown date", Date{}, 0, false},
		{"same day", Date{2026, 3, 15}, 0, false},
		{"a day short of a month", Date{2026, 2, 16}, 0, false},
		{"one month", Date{2026, 2, 15}, 1, false},
		{"a day short of two years", Date{2024, 3, 16}, 23, false},
		{"two years", Date{2024, 3, 15}, 24, true},
		{"after now", Date{2027, 1, 1}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.months, MonthsSince(tt.d, now))
			m, stale := Stale(&Record{Updated: tt.d}, now)
			require.Equal(t, tt.months, m)
			require.Equal(t, tt.stale, stale)
		})
	}
}

func TestUnanswered(t *testing.T) {
	answers := func(unanswered, answered, certFailed int) []Answer {
		var out []Answer
		for range unanswered {
			out = append(out, Answer{Section: SectionSecurity, Value: ValueUnanswered})
		}
		for range answered {
			out = append(out, Answer{Section: SectionSecurity, Value: ValueYes})
		}
		for range certFailed {
			out = append(out, Answer{Section: SectionCertification, Value: ValueUnanswered})
		}
		return out
	}
	tests := []struct {
		name     string
		answers  []Answer
		n, total int
		risk     bool
	}{
		{"none", nil, 0, 0, false},
		{"all answered", answers(0, 20, 0), 0, 20, false},
		{"under both thresholds", answers(2, 18, 0), 2, 20, false},
		{"share reached", answers(3, 7, 0), 3, 10, true},
		{"count reached", answers(10, 90, 0), 10, 100, true},
		{"certification controls left out", answers(1, 19, 30), 1, 20, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, total, risk := Unanswered(&Record{Answers: tt.answers})
			require.Equal(t, tt.n, n)
			require.Equal(t, tt.total, total)
			require.Equal(t, tt.risk, risk)
		})
	}
}
