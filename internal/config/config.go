// Package config reads Parcours' settings from environment variables: one typed table,
// validated at start, with defaults that let `parcours demo` and `parcours serve` run with
// nothing set.
package config

import (
	"fmt"
	"math"
	"net"
	"net/mail"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config holds every setting. Fields are filled from Options.
type Config struct {
	DatabaseURL    string
	ListenAddr     string
	BaseURL        *url.URL
	SessionSecret  string
	SessionTTL     time.Duration
	MaxRequestSize int64
	TrustProxy     bool
	SigningMargin  time.Duration // how long before a half-day starts learners may sign it

	SMTPHost     string
	SMTPPort     int
	SMTPUsername string
	SMTPPassword string
	SMTPTLS      string // "starttls", "tls" or "none"
	MailFrom     *mail.Address
	MailDir      string

	BrandName  string
	BrandLogo  string // path to an SVG or PNG file; empty means Parcours' own mark
	BrandColor string // "#rrggbb", contrast with white at least 4.5:1

	LogLevel  string
	LogFormat string
}

// Option is one environment variable.
type Option struct {
	Name    string
	Default string // shown in the README; "" means empty
	Help    string
	Secret  bool // never printed
	set     func(c *Config, v string) error
}

// Options lists every environment variable Parcours reads, in the order the README shows them.
var Options = []Option{
	{Name: "PARCOURS_DATABASE_URL", Default: "sqlite:parcours.db",
		Help: "Database: `sqlite:PATH` (embedded, one file) or `postgres://user:pass@host:5432/db`.",
		set: func(c *Config, v string) error {
			if !strings.HasPrefix(v, "sqlite:") && !strings.HasPrefix(v, "postgres://") && !strings.HasPrefix(v, "postgresql://") {
				return fmt.Errorf("must start with sqlite:, postgres:// or postgresql://")
			}
			if v == "sqlite:" {
				return fmt.Errorf("sqlite: needs a file path, e.g. sqlite:parcours.db")
			}
			c.DatabaseURL = v
			return nil
		}},
	{Name: "PARCOURS_LISTEN_ADDR", Default: "127.0.0.1:8080",
		Help: "Address the HTTP server listens on; `:8080` listens on every interface.",
		set: func(c *Config, v string) error {
			if _, _, err := net.SplitHostPort(v); err != nil {
				return fmt.Errorf("must be host:port, e.g. 127.0.0.1:8080")
			}
			c.ListenAddr = v
			return nil
		}},
	{Name: "PARCOURS_BASE_URL", Default: "http://localhost:PORT",
		Help: "Public address of the site, used in e-mailed links; https makes cookies Secure.",
		set: func(c *Config, v string) error {
			if v == "" {
				return nil // derived from the listen address after the table is read
			}
			u, err := url.Parse(strings.TrimRight(v, "/"))
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
				return fmt.Errorf("must be an absolute http(s) URL such as https://parcours.example.fr")
			}
			c.BaseURL = u
			return nil
		}},
	{Name: "PARCOURS_SESSION_SECRET", Default: "",
		Help:   "Key that signs CSRF tokens (32 characters or more). Empty: one is generated and kept in the database, shared by every instance.",
		Secret: true,
		set: func(c *Config, v string) error {
			if v != "" && len(v) < 32 {
				return fmt.Errorf("must be at least 32 characters long (%d given)", len(v))
			}
			c.SessionSecret = v
			return nil
		}},
	{Name: "PARCOURS_SESSION_TTL", Default: "12h",
		Help: "How long a login lasts without activity (Go duration).",
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < time.Minute {
				return fmt.Errorf("must be a duration of at least 1m, e.g. 12h")
			}
			c.SessionTTL = d
			return nil
		}},
	{Name: "PARCOURS_SIGNING_MARGIN", Default: "30m",
		Help: "How long before a half-day starts learners may sign its attendance sheet (Go duration, up to 2h).",
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 || d > 2*time.Hour {
				return fmt.Errorf("must be a duration from 0s to 2h, e.g. 30m")
			}
			c.SigningMargin = d
			return nil
		}},
	{Name: "PARCOURS_MAX_REQUEST_BYTES", Default: "10485760",
		Help: "Largest request body accepted (bytes); larger ones get 413.",
		set: func(c *Config, v string) error {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 1024 {
				return fmt.Errorf("must be a number of bytes, at least 1024")
			}
			c.MaxRequestSize = n
			return nil
		}},
	{Name: "PARCOURS_TRUST_PROXY", Default: "false",
		Help: "Take the client address from X-Forwarded-For (only behind a reverse proxy that sets it).",
		set: func(c *Config, v string) (err error) {
			c.TrustProxy, err = parseBool(v)
			return err
		}},
	{Name: "PARCOURS_SMTP_HOST", Default: "",
		Help: "SMTP server. Empty: e-mails are written as .eml files to PARCOURS_MAIL_DIR instead of being sent.",
		set:  func(c *Config, v string) error { c.SMTPHost = v; return nil }},
	{Name: "PARCOURS_SMTP_PORT", Default: "587",
		Help: "SMTP port.",
		set: func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 65535 {
				return fmt.Errorf("must be a port number between 1 and 65535")
			}
			c.SMTPPort = n
			return nil
		}},
	{Name: "PARCOURS_SMTP_USERNAME", Default: "", Help: "SMTP login (empty: no authentication).",
		set: func(c *Config, v string) error { c.SMTPUsername = v; return nil }},
	{Name: "PARCOURS_SMTP_PASSWORD", Default: "", Help: "SMTP password.", Secret: true,
		set: func(c *Config, v string) error { c.SMTPPassword = v; return nil }},
	{Name: "PARCOURS_SMTP_TLS", Default: "starttls",
		Help: "`starttls` (required), `tls` (implicit, port 465) or `none` (local relays only).",
		set: func(c *Config, v string) error {
			switch v {
			case "starttls", "tls", "none":
				c.SMTPTLS = v
				return nil
			}
			return fmt.Errorf("must be starttls, tls or none")
		}},
	{Name: "PARCOURS_MAIL_FROM", Default: "Parcours <ne-pas-repondre@parcours.localhost>",
		Help: "Sender of the e-mails.",
		set: func(c *Config, v string) error {
			a, err := mail.ParseAddress(v)
			if err != nil {
				return fmt.Errorf("must be an address such as \"Parcours <ne-pas-repondre@example.fr>\"")
			}
			c.MailFrom = a
			return nil
		}},
	{Name: "PARCOURS_MAIL_DIR", Default: "parcours-mail",
		Help: "Folder that receives e-mails as .eml files when no SMTP host is set.",
		set:  func(c *Config, v string) error { c.MailDir = v; return nil }},
	{Name: "PARCOURS_BRAND_NAME", Default: "Parcours",
		Help: "Operator's name shown in the header and e-mails.",
		set: func(c *Config, v string) error {
			if strings.TrimSpace(v) == "" || len(v) > 80 {
				return fmt.Errorf("must be between 1 and 80 characters")
			}
			c.BrandName = v
			return nil
		}},
	{Name: "PARCOURS_BRAND_LOGO", Default: "",
		Help: "Path to the operator's logo (SVG or PNG, at most 512 KiB). Empty: Parcours' own mark.",
		set: func(c *Config, v string) error {
			if v == "" {
				return nil
			}
			st, err := os.Stat(v)
			if err != nil {
				return fmt.Errorf("cannot read %s", v)
			}
			if st.Size() > 512<<10 {
				return fmt.Errorf("%s is larger than 512 KiB", v)
			}
			if ext := strings.ToLower(v[strings.LastIndex(v, ".")+1:]); ext != "svg" && ext != "png" {
				return fmt.Errorf("must be an .svg or .png file")
			}
			c.BrandLogo = v
			return nil
		}},
	{Name: "PARCOURS_BRAND_COLOR", Default: "#1f5f8b",
		Help: "Accent colour `#rrggbb`; white text on it must reach a 4.5:1 contrast (WCAG AA).",
		set: func(c *Config, v string) error {
			ratio, err := contrastWithWhite(v)
			if err != nil {
				return err
			}
			if ratio < 4.5 {
				return fmt.Errorf("%s gives white text a contrast of %.2f:1; choose a darker colour (4.5:1 needed)", v, ratio)
			}
			c.BrandColor = strings.ToLower(v)
			return nil
		}},
	{Name: "PARCOURS_LOG_LEVEL", Default: "info",
		Help: "`debug`, `info`, `warn` or `error`.",
		set: func(c *Config, v string) error {
			switch v {
			case "debug", "info", "warn", "error":
				c.LogLevel = v
				return nil
			}
			return fmt.Errorf("must be debug, info, warn or error")
		}},
	{Name: "PARCOURS_LOG_FORMAT", Default: "text",
		Help: "`text` or `json`.",
		set: func(c *Config, v string) error {
			if v != "text" && v != "json" {
				return fmt.Errorf("must be text or json")
			}
			c.LogFormat = v
			return nil
		}},
}

// Load reads every option through getenv (os.Getenv in production) and validates it. The
// error is one line naming the variable.
func Load(getenv func(string) string) (*Config, error) {
	c := &Config{}
	for _, o := range Options {
		v, explicit := getenv(o.Name), true
		if v == "" {
			v, explicit = o.Default, false
		}
		if o.Name == "PARCOURS_BASE_URL" && !explicit {
			v = ""
		}
		if err := o.set(c, v); err != nil {
			shown := v
			if o.Secret {
				shown = "…"
			}
			return nil, fmt.Errorf("%s=%q: %v", o.Name, shown, err)
		}
	}
	if c.BaseURL == nil {
		_, port, _ := net.SplitHostPort(c.ListenAddr)
		c.BaseURL = &url.URL{Scheme: "http", Host: "localhost:" + port}
	}
	return c, nil
}

// SecureCookies reports whether cookies must carry the Secure flag.
func (c *Config) SecureCookies() bool { return c.BaseURL.Scheme == "https" }

func parseBool(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "1", "true", "yes", "on":
		return true, nil
	case "0", "false", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("must be true or false")
}

// contrastWithWhite returns the WCAG contrast ratio of white on the colour #rrggbb.
func contrastWithWhite(hex string) (float64, error) {
	if len(hex) != 7 || hex[0] != '#' {
		return 0, fmt.Errorf("must be a colour written #rrggbb")
	}
	n, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil {
		return 0, fmt.Errorf("must be a colour written #rrggbb")
	}
	return 1.05 / (relativeLuminance(uint8(n>>16), uint8(n>>8), uint8(n)) + 0.05), nil
}

// relativeLuminance is the WCAG 2.1 relative luminance of an sRGB colour.
func relativeLuminance(r, g, b uint8) float64 {
	lin := func(c uint8) float64 {
		s := float64(c) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}
