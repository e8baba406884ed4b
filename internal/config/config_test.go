package config

import (
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaultsRunWithNothingSet(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != "sqlite:parcours.db" || c.ListenAddr != "127.0.0.1:8080" {
		t.Errorf("defaults: %q %q", c.DatabaseURL, c.ListenAddr)
	}
	if got := c.BaseURL.String(); got != "http://localhost:8080" {
		t.Errorf("base URL derived from listen address = %q", got)
	}
	if c.SecureCookies() {
		t.Error("plain http must not set Secure cookies")
	}
}

func TestInvalidValuesNameTheVariable(t *testing.T) {
	cases := []struct {
		name, key, value, want string
	}{
		{"unknown database", "PARCOURS_DATABASE_URL", "mysql://x", "PARCOURS_DATABASE_URL="},
		{"listen without port", "PARCOURS_LISTEN_ADDR", "localhost", "host:port"},
		{"relative base url", "PARCOURS_BASE_URL", "parcours.fr", "absolute http(s) URL"},
		{"short secret", "PARCOURS_SESSION_SECRET", "tooshort", "at least 32 characters"},
		{"port not a number", "PARCOURS_SMTP_PORT", "abc", "PARCOURS_SMTP_PORT"},
		{"tls mode", "PARCOURS_SMTP_TLS", "ssl", "starttls, tls or none"},
		{"sender", "PARCOURS_MAIL_FROM", "not an address", "PARCOURS_MAIL_FROM"},
		{"pale colour", "PARCOURS_BRAND_COLOR", "#ffcc00", "contrast"},
		{"colour syntax", "PARCOURS_BRAND_COLOR", "blue", "#rrggbb"},
		{"missing logo", "PARCOURS_BRAND_LOGO", "/nonexistent/logo.svg", "cannot read"},
		{"log level", "PARCOURS_LOG_LEVEL", "verbose", "PARCOURS_LOG_LEVEL"},
		{"ttl", "PARCOURS_SESSION_TTL", "10s", "at least 1m"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(env(map[string]string{tc.key: tc.value}))
			if err == nil {
				t.Fatalf("%s=%q accepted", tc.key, tc.value)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tc.key+"=") || !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q: want one line starting with %s= and containing %q", msg, tc.key, tc.want)
			}
		})
	}
}

func TestSecretsAreNotEchoed(t *testing.T) {
	_, err := Load(env(map[string]string{"PARCOURS_SESSION_SECRET": "hunter2"}))
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("error %v must not print the secret", err)
	}
}

func TestHTTPSBaseURLMakesCookiesSecure(t *testing.T) {
	c, err := Load(env(map[string]string{"PARCOURS_BASE_URL": "https://parcours.example.fr/", "PARCOURS_BRAND_COLOR": "#000000"}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.SecureCookies() || c.BaseURL.String() != "https://parcours.example.fr" {
		t.Errorf("base %s secure %v", c.BaseURL, c.SecureCookies())
	}
}
