package mail

import (
	"context"
	"io"
	"log/slog"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"parcours/internal/clock"
	"parcours/internal/storage"
	"parcours/internal/testkit"
)

var ctx = context.Background()

var from = &netmail.Address{Name: "Parcours", Address: "ne-pas-repondre@parcours.test"}

func resetData() map[string]any {
	return map[string]any{"Brand": "ARS Pays de la Loire", "Name": "Hélène Lefèvre",
		"Link": "https://parcours.test/mot-de-passe/nouveau?jeton=abc", "Expires": "23 novembre 2026 à 15 h 00"}
}

func worker(s *storage.Store, sender Sender) *Worker {
	return &Worker{Store: s, Sender: sender, From: from, ID: "w1",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// A queued message reaches a real SMTP server over STARTTLS, in French, text and HTML.
func TestOutboxDeliversOverSMTP(t *testing.T) {
	srv := testkit.NewSMTPServer(t)
	s := testkit.SQLite(t)
	if err := Queue(ctx, s, "helene@example.fr", "password_reset", resetData(), ""); err != nil {
		t.Fatal(err)
	}
	w := worker(s, SMTP{Host: srv.Host, Port: srv.Port, TLS: "starttls", TLSConfig: srv.Client})
	n, err := w.RunOnce(ctx)
	if err != nil || n != 1 {
		t.Fatalf("sent %d, err %v", n, err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("server received %d messages", len(got))
	}
	m := got[0]
	if m.To != "helene@example.fr" || m.From != "ne-pas-repondre@parcours.test" {
		t.Errorf("envelope %s → %s", m.From, m.To)
	}
	if m.Subject != "Choisir un nouveau mot de passe" {
		t.Errorf("subject %q", m.Subject)
	}
	for _, want := range []string{"Bonjour Hélène Lefèvre,", "https://parcours.test/mot-de-passe/nouveau?jeton=abc", "expire le 23 novembre 2026"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("text part lacks %q:\n%s", want, m.Text)
		}
	}
	if !strings.Contains(m.HTML, `href="https://parcours.test/mot-de-passe/nouveau?jeton=abc"`) || !strings.Contains(m.HTML, `lang="fr"`) {
		t.Errorf("HTML part:\n%s", m.HTML)
	}
	if again, _ := w.RunOnce(ctx); again != 0 || len(srv.Messages()) != 1 {
		t.Error("a sent message was sent again")
	}
}

// A message's attachment goes through the outbox and reaches the server whole.
func TestAttachmentReachesTheServer(t *testing.T) {
	srv := testkit.NewSMTPServer(t)
	s := testkit.SQLite(t)
	ics := []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")
	if err := QueueWith(ctx, s, "helene@example.fr", "password_reset", resetData(), "",
		Attachment{Name: "calendrier.ics", ContentType: "text/calendar", Data: ics}); err != nil {
		t.Fatal(err)
	}
	w := worker(s, SMTP{Host: srv.Host, Port: srv.Port, TLS: "starttls", TLSConfig: srv.Client})
	if n, err := w.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("sent %d, err %v", n, err)
	}
	got := srv.Messages()
	if len(got) != 1 || len(got[0].Attachments) != 1 {
		t.Fatalf("received %+v", got)
	}
	a := got[0].Attachments[0]
	if a.Name != "calendrier.ics" || a.ContentType != "text/calendar" || string(a.Data) != string(ics) {
		t.Errorf("attachment %q %q %q", a.Name, a.ContentType, a.Data)
	}
	if !strings.Contains(got[0].Text, "Bonjour Hélène Lefèvre,") {
		t.Errorf("text part lost: %q", got[0].Text)
	}
}

// A temporary refusal is retried after a backoff; a permanent one is given up at once.
func TestOutboxRetriesTemporaryFailures(t *testing.T) {
	srv := testkit.NewSMTPServer(t)
	s := testkit.SQLite(t)
	clk := clock.NewManual(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	s.Clock = clk
	w := worker(s, SMTP{Host: srv.Host, Port: srv.Port, TLS: "starttls", TLSConfig: srv.Client})

	Queue(ctx, s, "a@example.fr", "password_reset", resetData(), "")
	srv.FailWith(451)
	if n, err := w.RunOnce(ctx); n != 0 || err != nil {
		t.Fatalf("sent %d, err %v", n, err)
	}
	srv.FailWith(0)
	if n, _ := w.RunOnce(ctx); n != 0 {
		t.Fatal("retried before the backoff")
	}
	clk.Advance(time.Minute)
	if n, _ := w.RunOnce(ctx); n != 1 || len(srv.Messages()) != 1 {
		t.Fatalf("not retried after the backoff (%d messages)", len(srv.Messages()))
	}

	Queue(ctx, s, "b@example.fr", "password_reset", resetData(), "")
	srv.FailWith(550)
	w.RunOnce(ctx)
	clk.Advance(24 * time.Hour)
	srv.FailWith(0)
	if n, _ := w.RunOnce(ctx); n != 0 {
		t.Error("a permanently refused message was retried")
	}
	counts, _ := s.OutboxCounts(ctx)
	if counts["failed"] != 1 || counts["sent"] != 1 {
		t.Errorf("counts %v", counts)
	}
	msgs, _ := s.OutboxMessages(ctx, 1)
	if !strings.Contains(msgs[0].LastError, "550") {
		t.Errorf("last error %q does not keep the server's answer", msgs[0].LastError)
	}
}

// Without SMTP, messages land as .eml files in a folder.
func TestDirSenderWritesEML(t *testing.T) {
	dir := t.TempDir()
	s := testkit.SQLite(t)
	Queue(ctx, s, "helene@example.fr", "password_reset", resetData(), "")
	if n, err := worker(s, Dir{Path: dir}).RunOnce(ctx); n != 1 || err != nil {
		t.Fatalf("sent %d, %v", n, err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(files) != 1 {
		t.Fatalf("files %v", files)
	}
	raw, _ := os.ReadFile(files[0])
	if !strings.Contains(string(raw), "To: <helene@example.fr>") || !strings.Contains(string(raw), "Subject: Choisir un nouveau mot de passe") ||
		!strings.Contains(string(raw), "@parcours.test>") {
		t.Errorf("eml:\n%s", raw)
	}
}

func TestQueueWithDedupeKeySendsOnce(t *testing.T) {
	s := testkit.SQLite(t)
	for i := 0; i < 3; i++ {
		if err := Queue(ctx, s, "a@example.fr", "password_reset", resetData(), "reminder:42"); err != nil {
			t.Fatal(err)
		}
	}
	if counts, _ := s.OutboxCounts(ctx); counts["pending"] != 1 {
		t.Errorf("pending %d, want 1", counts["pending"])
	}
}

// blockingSender holds each message until released, to catch a shutdown mid-send.
type blockingSender struct {
	started chan struct{}
	release chan struct{}
	sent    chan Message
}

func (b blockingSender) Send(ctx context.Context, _ *netmail.Address, m Message) error {
	b.started <- struct{}{}
	select {
	case <-b.release:
	case <-ctx.Done():
		return ctx.Err()
	}
	b.sent <- m
	return nil
}

// Stopping the worker while it sends lets that message finish and be marked sent.
func TestWorkerFinishesTheMessageBeingSentOnShutdown(t *testing.T) {
	s := testkit.SQLite(t)
	Queue(ctx, s, "a@example.fr", "password_reset", resetData(), "")
	sender := blockingSender{started: make(chan struct{}), release: make(chan struct{}), sent: make(chan Message, 1)}
	w := worker(s, sender)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { w.Run(runCtx); close(done) }()
	<-sender.started
	stop() // shutdown begins while the message is on its way
	close(sender.release)
	<-done
	if m := <-sender.sent; m.To != "a@example.fr" {
		t.Fatalf("sent %+v", m)
	}
	if counts, _ := s.OutboxCounts(ctx); counts["sent"] != 1 || counts["pending"] != 0 {
		t.Errorf("after shutdown: %v", counts)
	}
}
