package mail

import (
	"context"
	"log/slog"
	netmail "net/mail"
	"time"

	"parcours/internal/storage"
)

// Worker sends the outbox's due messages. Every server instance runs one; a message is
// claimed in the database before it is sent, so two instances never send it twice.
type Worker struct {
	Store  *storage.Store
	Sender Sender
	From   *netmail.Address
	Logger *slog.Logger
	ID     string        // names this instance in claims
	Poll   time.Duration // how often to look for due messages
}

// lease is how long a claim holds: a worker that dies mid-send frees its messages after it.
const lease = 2 * time.Minute

// backoff gives the wait before attempt n+1; after the last, the message is given up.
var backoff = []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 4 * time.Hour}

// Run sends due messages until ctx ends. A message being sent when ctx ends is finished
// first (graceful shutdown).
func (w *Worker) Run(ctx context.Context) {
	poll := w.Poll
	if poll <= 0 {
		poll = time.Second
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		if _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			w.Logger.Error("outbox", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce claims and sends what is due now; it returns how many messages were sent.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	sent := 0
	for ctx.Err() == nil {
		// One at a time: a claimed batch could outlast its lease while earlier messages are
		// sent, and another instance would then send the rest too.
		msgs, err := w.Store.ClaimMessages(ctx, w.ID, 1, lease)
		if err != nil || len(msgs) == 0 {
			return sent, err
		}
		for _, m := range msgs {
			// Not ctx: shutting down must not cut a message in the middle of its SMTP dialogue.
			sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
			err := w.Sender.Send(sendCtx, w.From, Message{To: m.To, Subject: m.Subject, Text: m.TextBody, HTML: m.HTMLBody,
				Attachment: Attachment{Name: m.AttachmentName, ContentType: m.AttachmentType, Data: m.Attachment}})
			cancel()
			storeCtx := context.WithoutCancel(ctx)
			if err == nil {
				sent++
				if err := w.Store.MarkSent(storeCtx, m.ID, w.ID); err != nil {
					return sent, err
				}
				w.Logger.Info("mail sent", "message", m.ID, "attempt", m.Attempts+1)
				continue
			}
			final := IsPermanent(err) || m.Attempts >= len(backoff)
			next := w.Store.Clock.Now()
			if !final {
				next = next.Add(backoff[m.Attempts])
			}
			w.Logger.Warn("mail not sent", "message", m.ID, "attempt", m.Attempts+1, "final", final, "error", err)
			if err := w.Store.MarkFailed(storeCtx, m.ID, w.ID, err.Error(), next, final); err != nil {
				return sent, err
			}
		}
	}
	return sent, ctx.Err()
}
