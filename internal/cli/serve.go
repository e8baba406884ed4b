package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"time"

	"parcours/internal/config"
	"parcours/internal/id"
	"parcours/internal/jobs"
	"parcours/internal/mail"
	"parcours/internal/server"
	"parcours/internal/storage"
)

func cmdServe(e *env, args []string) error {
	fs := flags(e, "serve", "", "Start the web server on PARCOURS_DATABASE_URL and PARCOURS_LISTEN_ADDR.\n"+
		"The database must be migrated first (parcours migrate).")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := e.config()
	if err != nil {
		return err
	}
	s, err := e.open(cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.CheckSchema(e.ctx); err != nil {
		return err
	}
	ln, err := e.listen(cfg)
	if err != nil {
		return err
	}
	return run(e, cfg, s, ln, false, nil)
}

// listen opens the listening socket. Without PARCOURS_BASE_URL, the base URL follows the
// port actually opened (":0" picks a free one).
func (e *env) listen(cfg *config.Config) (net.Listener, error) {
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return nil, err
	}
	if e.getenv("PARCOURS_BASE_URL") == "" {
		cfg.BaseURL.Host = "localhost:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	}
	return ln, nil
}

// run serves until SIGINT or SIGTERM, then shuts down gracefully: requests in flight finish,
// the e-mail being sent is sent, the job under way ends.
func run(e *env, cfg *config.Config, s *storage.Store, ln net.Listener, demo bool, ready func(addr string)) error {
	logger := e.logger(cfg)
	srv, err := server.New(e.ctx, cfg, s, logger)
	if err != nil {
		return err
	}
	srv.UI.Demo = demo
	instance := id.New()[16:] // names this instance in the database's claims
	var sender mail.Sender = mail.Dir{Path: cfg.MailDir}
	if cfg.SMTPHost != "" {
		sender = mail.SMTP{Host: cfg.SMTPHost, Port: cfg.SMTPPort, Username: cfg.SMTPUsername,
			Password: cfg.SMTPPassword, TLS: cfg.SMTPTLS}
	} else {
		logger.Warn("no SMTP server configured: e-mails are written to a folder", "folder", cfg.MailDir)
	}
	ctx, stop := signal.NotifyContext(e.ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	workCtx, stopWork := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		(&mail.Worker{Store: s, Sender: sender, From: cfg.MailFrom, Logger: logger, ID: instance}).Run(workCtx)
	}()
	go func() {
		defer wg.Done()
		(&jobs.Runner{Store: s, Logger: logger, ID: instance,
			Mailing: mail.Site{BaseURL: cfg.BaseURL.String(), Brand: cfg.BrandName}}).Run(workCtx)
	}()
	httpServer := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 2 * time.Minute, WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() { errc <- httpServer.Serve(ln) }()
	logger.Info("parcours listening", "address", cfg.BaseURL.String(), "listen", ln.Addr().String(), "database", string(s.Dialect()))
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		stopWork()
		wg.Wait()
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = httpServer.Shutdown(shutdownCtx)
	stopWork()
	wg.Wait()
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	logger.Info("stopped")
	return nil
}
