package config

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/attestbot/attestbot/bot/auth"
)

// FileSuffix turns a secret's name into the name of a variable holding the
// path of a file that contains it (MicrosoftAppPassword_FILE,
// ATTESTBOT_STORE_FILE).
const FileSuffix = "_FILE"

// envReader reads settings through getenv and collects every problem, so
// that one start names them all. It is attestbot's only reader of the
// environment, with one rule for secrets: a value or a _FILE, not both.
type envReader struct {
	getenv func(string) string
	errs   []error
}

// value returns the trimmed value of the first set name among a name and
// its aliases (MicrosoftAppId, BOT_ID); two set to different values is an
// error naming both.
func (r *envReader) value(names ...string) string {
	var val, from string
	for _, n := range names {
		v := strings.TrimSpace(r.getenv(n))
		if v == "" {
			continue
		}
		if from == "" {
			val, from = v, n
			continue
		}
		if v != val {
			r.errs = append(r.errs, fmt.Errorf("%s and %s are both set, to different values", from, n))
			return val
		}
	}
	return val
}

// secret is value where each name may instead be NAME_FILE, the path of a
// file holding the secret (surrounding whitespace trimmed). Setting both
// NAME and NAME_FILE is an error naming both, whatever their values; so is
// an unreadable or empty file. Errors never contain the secret.
func (r *envReader) secret(names ...string) string {
	var val, from string
	for _, n := range names {
		v, name, err := r.secretOf(n)
		if err != nil {
			r.errs = append(r.errs, err)
			return ""
		}
		if name == "" {
			continue
		}
		if from == "" {
			val, from = v, name
			continue
		}
		if v != val {
			r.errs = append(r.errs, fmt.Errorf("%s and %s are both set, to different values", from, name))
			return ""
		}
	}
	return val
}

// secretOf reads one secret from name or name_FILE, and says which of the
// two set it (empty: neither).
func (r *envReader) secretOf(name string) (val, from string, err error) {
	fileName := name + FileSuffix
	direct := strings.TrimSpace(r.getenv(name))
	path := strings.TrimSpace(r.getenv(fileName))
	switch {
	case direct != "" && path != "":
		return "", "", fmt.Errorf("%s and %s are both set: set one of them", name, fileName)
	case direct != "":
		return direct, name, nil
	case path == "":
		return "", "", nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", "", fmt.Errorf("%s: %w", fileName, err)
	}
	v := strings.TrimSpace(string(b))
	if v == "" {
		return "", "", fmt.Errorf("%s: file %s is empty", fileName, path)
	}
	return v, fileName, nil
}

// boolean sets *dst from name when it is set: true or false.
func (r *envReader) boolean(name string, dst *bool) {
	if v := r.value(name); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			r.errs = append(r.errs, fmt.Errorf("%s: %q is not true or false", name, v))
			return
		}
		*dst = b
	}
}

// integer sets *dst from name when it is set: a whole number.
func (r *envReader) integer(name string, dst *int) {
	if v := r.value(name); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			r.errs = append(r.errs, fmt.Errorf("%s: %q is not a whole number", name, v))
			return
		}
		*dst = n
	}
}

// duration sets *dst from name when it is set: a positive Go duration, or
// zero too when zeroOK; example goes into the error.
func (r *envReader) duration(name string, dst *time.Duration, zeroOK bool, example string) {
	v := r.value(name)
	if v == "" {
		return
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 || (d == 0 && !zeroOK) {
		r.errs = append(r.errs, fmt.Errorf("%s: %q is not a duration such as %s", name, v, example))
		return
	}
	*dst = d
}

// credentials reads the bot's app registration:
//
//   - MicrosoftAppType: MultiTenant (default), SingleTenant or UserAssignedMSI, any case;
//   - MicrosoftAppId, or its Teams Toolkit alias BOT_ID;
//   - MicrosoftAppPassword or BOT_PASSWORD, or their _FILE forms;
//   - MicrosoftAppTenantId, or BOT_TENANT_ID;
//   - MicrosoftAppCertificateFile and MicrosoftAppCertificateKeyFile: PEM files
//     of a certificate and its key, the alternative to a password;
//   - ToChannelFromBotLoginUrl and ToChannelFromBotOAuthScope: the SDKs'
//     overrides of the login host and scope (sovereign clouds).
//
// It does not validate the result; Config.Validate does.
func (r *envReader) credentials() auth.CredentialConfig {
	cfg := auth.CredentialConfig{
		AppType:            auth.AppType(r.value("MicrosoftAppType")),
		AppID:              r.value("MicrosoftAppId", "BOT_ID"),
		AppPassword:        r.secret("MicrosoftAppPassword", "BOT_PASSWORD"),
		TenantID:           r.value("MicrosoftAppTenantId", "BOT_TENANT_ID"),
		CertificateFile:    r.value("MicrosoftAppCertificateFile"),
		CertificateKeyFile: r.value("MicrosoftAppCertificateKeyFile"),
		LoginURL:           r.value("ToChannelFromBotLoginUrl"),
		OAuthScope:         r.value("ToChannelFromBotOAuthScope"),
	}
	if _, err := auth.ParseAppType(string(cfg.AppType)); err != nil {
		r.errs = append(r.errs, err)
	}
	return cfg
}
