package bot

import (
	"errors"
	"strconv"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the bot's Prometheus series.
type metrics struct {
	requests       *prometheus.CounterVec
	activities     *prometheus.CounterVec
	turnLatency    *prometheus.HistogramVec
	authFailures   *prometheus.CounterVec
	connectorCalls *prometheus.CounterVec
	dropped        *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "attestbot", Name: "http_requests_total",
			Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		activities: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "attestbot", Name: "activities_total",
			Help: "Authenticated inbound activities by type.",
		}, []string{"type"}),
		turnLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "attestbot", Name: "turn_duration_seconds",
			Help:    "Time to handle a turn, by activity type.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 4.5, 10, 30},
		}, []string{"type"}),
		authFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "attestbot", Name: "auth_failures_total",
			Help: "Inbound requests refused with 401, by reason.",
		}, []string{"reason"}),
		connectorCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "attestbot", Name: "connector_calls_total",
			Help: "Bot Connector HTTP attempts by operation and outcome (status code, error, untrusted).",
		}, []string{"operation", "code"}),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "attestbot", Name: "turns_rejected_total",
			Help: "Activities not processed, by reason (shutting_down, client_gone, invoke_timeout).",
		}, []string{"reason"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.activities, m.turnLatency, m.authFailures, m.connectorCalls, m.dropped} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// ObserveCall implements connector.Observer.
func (m *metrics) ObserveCall(operation, outcome string) {
	m.connectorCalls.WithLabelValues(operation, outcome).Inc()
}

// knownTypes bounds the activity type label.
var knownTypes = map[string]bool{
	"message": true, "conversationUpdate": true, "installationUpdate": true, "invoke": true,
	"typing": true, "messageReaction": true, "messageUpdate": true, "messageDelete": true,
	"event": true, "endOfConversation": true,
}

func typeLabel(t string) string {
	if knownTypes[t] {
		return t
	}
	return "other"
}

func codeLabel(code int) string { return strconv.Itoa(code) }

// authReason returns a bounded metric label for an authentication error: the
// error's Reason() (or AuthFailureReason()) in snake_case, else "invalid".
func authReason(authHeader string, err error) string {
	var r1 interface{ Reason() string }
	var r2 interface{ AuthFailureReason() string }
	reason := ""
	switch {
	case errors.As(err, &r2):
		reason = r2.AuthFailureReason()
	case errors.As(err, &r1):
		reason = r1.Reason()
	}
	if reason == "" {
		if strings.TrimSpace(authHeader) == "" {
			return "missing_header"
		}
		return "invalid"
	}
	return sanitizeLabel(reason)
}

// sanitizeLabel maps s to [a-z0-9_], at most 40 bytes.
func sanitizeLabel(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if b.Len() >= 40 {
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "invalid"
	}
	return b.String()
}
