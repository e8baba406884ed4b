package testkit

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// SMTPServer is a real SMTP server inside the test process, with STARTTLS on a certificate of
// its own, that keeps what it receives.
type SMTPServer struct {
	Host    string
	Port    int
	Client  *tls.Config // trusts the server's certificate
	mu      sync.Mutex
	got     []Received
	failing *smtp.SMTPError
}

// Received is a message as the server got it, decoded.
type Received struct {
	From, To, Subject string
	Text, HTML        string
	Attachments       []Attachment
	Raw               string
}

// Attachment is a file part of a received message, decoded.
type Attachment struct {
	Name, ContentType string
	Data              []byte
}

// NewSMTPServer starts a server on a free loopback port, stopped when the test ends.
func NewSMTPServer(t testing.TB) *SMTPServer {
	t.Helper()
	cert, pool := selfSigned(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &SMTPServer{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port,
		Client: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}}
	srv := smtp.NewServer(backend{s})
	srv.Domain = "localhost"
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.AllowInsecureAuth = false
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

// FailWith makes the server refuse messages with code (451 temporary, 550 permanent) until
// FailWith(0).
func (s *SMTPServer) FailWith(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code == 0 {
		s.failing = nil
		return
	}
	s.failing = &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 0, 0}, Message: "refused by the test"}
}

// Messages returns what arrived so far.
func (s *SMTPServer) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.got...)
}

type backend struct{ s *SMTPServer }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s        *SMTPServer
	from, to string
}

func (se *session) Reset()        {}
func (se *session) Logout() error { return nil }
func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	se.from = from
	return nil
}
func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	se.s.mu.Lock()
	defer se.s.mu.Unlock()
	if se.s.failing != nil {
		return se.s.failing
	}
	se.to = to
	return nil
}
func (se *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := decode(raw)
	m.From, m.To = se.from, se.to
	se.s.mu.Lock()
	se.s.got = append(se.s.got, m)
	se.s.mu.Unlock()
	return nil
}

// decode reads the subject and the text and HTML parts of a MIME message.
func decode(raw []byte) Received {
	out := Received{Raw: string(raw)}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return out
	}
	dec := new(mime.WordDecoder)
	out.Subject, _ = dec.DecodeHeader(msg.Header.Get("Subject"))
	var walk func(h map[string][]string, body io.Reader)
	walk = func(h map[string][]string, body io.Reader) {
		header := mail.Header(h)
		ct, params, _ := mime.ParseMediaType(header.Get("Content-Type"))
		if strings.HasPrefix(ct, "multipart/") {
			mr := multipart.NewReader(body, params["boundary"])
			for {
				p, err := mr.NextRawPart()
				if err != nil {
					return
				}
				walk(p.Header, p)
			}
		}
		switch enc := header.Get("Content-Transfer-Encoding"); {
		case strings.EqualFold(enc, "quoted-printable"):
			body = quotedprintable.NewReader(body)
		case strings.EqualFold(enc, "base64"):
			body = base64.NewDecoder(base64.StdEncoding, body)
		}
		b, _ := io.ReadAll(body)
		if disp, dp, _ := mime.ParseMediaType(header.Get("Content-Disposition")); disp == "attachment" {
			out.Attachments = append(out.Attachments, Attachment{Name: dp["filename"], ContentType: ct, Data: b})
			return
		}
		switch ct {
		case "text/plain":
			out.Text = string(b)
		case "text/html":
			out.HTML = string(b)
		}
	}
	walk(msg.Header, msg.Body)
	return out
}

func selfSigned(t testing.TB) (tls.Certificate, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "parcours test smtp"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
