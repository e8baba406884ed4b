// Package httpx is what the HTML and JSON handlers share about a request: who is calling,
// its id, its CSRF token and client address (set by the server's middleware), and the one
// JSON error shape of the API.
package httpx

import (
	"context"
	"encoding/json"
	"net/http"

	"parcours/internal/policy"
)

type ctxKey int

const (
	principalKey ctxKey = iota
	requestIDKey
	csrfKey
	clientIPKey
)

// WithPrincipal returns ctx carrying the caller.
func WithPrincipal(ctx context.Context, p *policy.Principal) context.Context {
	return context.WithValue(ctx, principalKey, p)
}

// Principal is the caller, or nil when anonymous.
func Principal(r *http.Request) *policy.Principal {
	p, _ := r.Context().Value(principalKey).(*policy.Principal)
	return p
}

// WithRequestID returns ctx carrying the request id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// RequestID is the id the logs and error pages show for this request.
func RequestID(r *http.Request) string {
	s, _ := r.Context().Value(requestIDKey).(string)
	return s
}

// WithCSRFToken returns ctx carrying the token forms must send back.
func WithCSRFToken(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, csrfKey, token)
}

// CSRFToken is the token to put in this request's forms.
func CSRFToken(r *http.Request) string {
	s, _ := r.Context().Value(csrfKey).(string)
	return s
}

// WithClientIP returns ctx carrying the caller's address.
func WithClientIP(ctx context.Context, ip string) context.Context {
	return context.WithValue(ctx, clientIPKey, ip)
}

// ClientIP is the caller's address (from X-Forwarded-For only behind a trusted proxy).
func ClientIP(r *http.Request) string {
	s, _ := r.Context().Value(clientIPKey).(string)
	return s
}

// Error is the API's one error shape: {"status": 422, "message": "…", "data": {"field": {…}}}.
// Message is a French sentence for people; Data names the fields at fault.
type Error struct {
	Status  int                   `json:"status"`
	Message string                `json:"message"`
	Data    map[string]FieldError `json:"data"`
}

// FieldError says what is wrong with one field: a stable code for programs, a French message
// for people.
type FieldError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// WriteJSON writes v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// WriteError writes the API error shape.
func WriteError(w http.ResponseWriter, status int, message string, fields map[string]FieldError) {
	if fields == nil {
		fields = map[string]FieldError{}
	}
	WriteJSON(w, status, Error{Status: status, Message: message, Data: fields})
}
