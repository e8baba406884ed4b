// Package mail writes Parcours' e-mails and delivers them. Code never sends mail inline in a
// request: it puts a message in the outbox table (Queue), inside the transaction that decided
// it, and a Worker in every server instance claims due messages and sends them over SMTP, or
// into a folder of .eml files when no SMTP server is configured (the demo).
package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	texttemplate "text/template"
	"time"

	gomail "github.com/wneessen/go-mail"

	"parcours/internal/i18n"
	"parcours/internal/id"
	"parcours/internal/storage"
)

// Message is one e-mail ready to go.
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string
	// One optional attachment (a convocation's calendar).
	Attachment Attachment
}

// Attachment is a file sent with a message.
type Attachment struct {
	Name, ContentType string
	Data              []byte
}

// Sender delivers a message.
type Sender interface {
	Send(ctx context.Context, from *netmail.Address, m Message) error
}

// build turns a Message into a MIME message: text and HTML alternatives, UTF-8, quoted-printable.
func build(from *netmail.Address, m Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(from)
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("recipient %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	// Message-ID on the sender's domain rather than this machine's host name.
	msg.SetMessageIDWithValue(id.New() + "@" + from.Address[strings.LastIndex(from.Address, "@")+1:])
	msg.SetDate()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	if a := m.Attachment; a.Name != "" {
		if err := msg.AttachReader(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
			return nil, fmt.Errorf("attachment %s: %w", a.Name, err)
		}
	}
	return msg, nil
}

// SMTP sends through an SMTP server.
type SMTP struct {
	Host     string
	Port     int
	Username string
	Password string
	TLS      string // starttls, tls or none
	// TLSConfig overrides the TLS settings (tests trust their own certificate with it).
	TLSConfig *tls.Config
}

func (s SMTP) Send(ctx context.Context, from *netmail.Address, m Message) error {
	msg, err := build(from, m)
	if err != nil {
		return permanent(err)
	}
	opts := []gomail.Option{gomail.WithPort(s.Port), gomail.WithTimeout(30 * time.Second)}
	switch s.TLS {
	case "tls":
		opts = append(opts, gomail.WithSSL())
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.TLSConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(s.TLSConfig))
	}
	if s.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(s.Username), gomail.WithPassword(s.Password))
	}
	c, err := gomail.NewClient(s.Host, opts...)
	if err != nil {
		return permanent(err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		var se *gomail.SendError
		if errors.As(err, &se) && !se.IsTemp() && se.Reason != gomail.ErrConnCheck && se.Reason != gomail.ErrSMTPMailFrom {
			return permanent(err)
		}
		return err
	}
	return nil
}

// Dir writes each message as an .eml file in a folder, for the demo and for machines without
// an SMTP server.
type Dir struct{ Path string }

func (d Dir) Send(_ context.Context, from *netmail.Address, m Message) error {
	msg, err := build(from, m)
	if err != nil {
		return permanent(err)
	}
	if err := os.MkdirAll(d.Path, 0o750); err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := msg.WriteTo(&buf); err != nil {
		return err
	}
	name := time.Now().UTC().Format("20060102-150405.000000") + "-" + safeName(m.To) + ".eml"
	return os.WriteFile(filepath.Join(d.Path, name), buf.Bytes(), 0o640)
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, strings.ToLower(s))
}

// permanentError marks a failure that retrying cannot fix (a refused recipient, a malformed address).
type permanentError struct{ error }

func permanent(err error) error { return permanentError{err} }

// IsPermanent reports whether retrying err is pointless.
func IsPermanent(err error) bool { return errors.As(err, new(permanentError)) }

//go:embed templates
var templateFS embed.FS

var funcs = map[string]any{"t": i18n.T}

var (
	textTemplates = texttemplate.Must(texttemplate.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.txt"))
	htmlTemplates = htmltemplate.Must(htmltemplate.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html"))
)

// Compose renders the message called name (templates/NAME.txt and NAME.html, subject from the
// catalogue key mail.NAME.subject) with data; the templates also see .Subject.
func Compose(to, name string, data map[string]any) (Message, error) {
	m := Message{To: to, Subject: i18n.T("mail." + name + ".subject")}
	data["Subject"] = m.Subject
	var text, html bytes.Buffer
	if err := textTemplates.ExecuteTemplate(&text, name+".txt", data); err != nil {
		return m, err
	}
	if err := htmlTemplates.ExecuteTemplate(&html, name+".html", data); err != nil {
		return m, err
	}
	m.Text, m.HTML = text.String(), html.String()
	return m, nil
}

// Site is what e-mails need to say where to go: the public address links start with, and
// the operator's name they sign with.
type Site struct {
	BaseURL string
	Brand   string
}

// Queue composes a message and puts it in the outbox, through s (pass the transaction that
// decided it). A non-empty dedupe key makes the message go at most once, whoever queues it.
func Queue(ctx context.Context, s *storage.Store, to, name string, data map[string]any, dedupe string) error {
	return QueueWith(ctx, s, to, name, data, dedupe, Attachment{})
}

// QueueWith is Queue with an attachment.
func QueueWith(ctx context.Context, s *storage.Store, to, name string, data map[string]any, dedupe string, a Attachment) error {
	m, err := Compose(to, name, data)
	if err != nil {
		return err
	}
	_, err = s.Enqueue(ctx, &storage.OutboxMessage{DedupeKey: dedupe, To: to, Subject: m.Subject, TextBody: m.Text, HTMLBody: m.HTML,
		AttachmentName: a.Name, AttachmentType: a.ContentType, Attachment: a.Data})
	return err
}
