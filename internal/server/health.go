package server

import (
	"context"
	"net/http"
	"time"

	"parcours/internal/httpx"
)

// healthz says the process answers; it touches nothing else.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// readyz says whether this instance can serve: database reachable and schema current. A load
// balancer stops sending traffic while it fails.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	status := map[string]string{"database": "ok", "schema": "ok"}
	code := http.StatusOK
	if err := s.Store.Ping(ctx); err != nil {
		status["database"], code = "unreachable", http.StatusServiceUnavailable
	} else if err := s.Store.CheckSchema(ctx); err != nil {
		status["schema"], code = err.Error(), http.StatusServiceUnavailable
	}
	httpx.WriteJSON(w, code, status)
}
