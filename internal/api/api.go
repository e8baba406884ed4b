// Package api is Parcours' JSON API under /api/v1: the same data and the same policy as the
// pages, for integrators holding a personal API token. Every error has one shape
// (httpx.Error); openapi.json describes every route, and a test keeps the two in step.
package api

import (
	_ "embed"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"parcours/internal/directory"
	"parcours/internal/httpx"
	"parcours/internal/i18n"
	"parcours/internal/mail"
	"parcours/internal/storage"
	"parcours/internal/validator"
)

//go:embed openapi.json
var openAPIDocument []byte

// Handler holds what the endpoints need.
type Handler struct {
	Store         *storage.Store
	Logger        *slog.Logger
	Mailing       mail.Site     // how the e-mails the operations queue are addressed (attendance alerts)
	SigningMargin time.Duration // how long before a half-day starts its learners may sign it
}

// OpenAPI serves the API's description.
func (h *Handler) OpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Write(openAPIDocument)
}

// OpenAPIDocument is the embedded description, for tests.
func OpenAPIDocument() []byte { return openAPIDocument }

// list is the envelope of every paged list.
type list[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// paging reads ?limit= (1–200, default 50) and ?offset=; bad values are a 400 with the field.
func paging(w http.ResponseWriter, r *http.Request) (limit, offset int, ok bool) {
	limit, offset = 50, 0
	q := r.URL.Query()
	fields := map[string]httpx.FieldError{}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			fields["limit"] = httpx.FieldError{Code: "invalid", Message: i18n.T("api.limit")}
		}
		limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			fields["offset"] = httpx.FieldError{Code: "invalid", Message: i18n.T("api.offset")}
		}
		offset = n
	}
	if len(fields) > 0 {
		httpx.WriteError(w, http.StatusBadRequest, i18n.T("api.error.400"), fields)
		return 0, 0, false
	}
	return limit, offset, true
}

// validQuery answers 400 naming the query parameters whose value is not valid (false in
// valid), and reports whether all are.
func validQuery(w http.ResponseWriter, valid map[string]bool) bool {
	fields := map[string]httpx.FieldError{}
	for name, ok := range valid {
		if !ok {
			fields[name] = httpx.FieldError{Code: "invalid", Message: i18n.T("validation.invalid")}
		}
	}
	if len(fields) > 0 {
		httpx.WriteError(w, http.StatusBadRequest, i18n.T("api.error.400"), fields)
	}
	return len(fields) == 0
}

// decode reads a JSON body into v, refusing unknown fields and trailing data.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.Decode(&struct{}{}) != io.EOF {
		err = errors.New("trailing data")
	}
	if err == nil {
		return true
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		httpx.WriteError(w, http.StatusRequestEntityTooLarge, i18n.T("api.error.413"), nil)
		return false
	}
	msg := i18n.T("api.bad_json")
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		msg = i18n.T("api.unknown_field", strings.Trim(f, `"`))
	}
	httpx.WriteError(w, http.StatusBadRequest, msg, nil)
	return false
}

// invalid answers 422 with the validator's field errors.
func invalid(w http.ResponseWriter, errs validator.Errors) {
	fields := map[string]httpx.FieldError{}
	for _, e := range errs {
		fields[e.Field] = httpx.FieldError{Code: e.Code, Message: e.Message}
	}
	httpx.WriteError(w, http.StatusUnprocessableEntity, i18n.T("api.error.422"), fields)
}

// actor is the token's holder, for the directory's checks and audit log.
func actor(r *http.Request) directory.Actor {
	return directory.Actor{Principal: httpx.Principal(r), IP: httpx.ClientIP(r), Via: "api"}
}

// respond answers the outcome of an operation: 500 for err, 422 for errs, else status with out.
func (h *Handler) respond(w http.ResponseWriter, r *http.Request, errs validator.Errors, err error, status int, out any) {
	switch {
	case err != nil:
		h.fail(w, r, err)
	case errs.Any():
		invalid(w, errs)
	default:
		httpx.WriteJSON(w, status, out)
	}
}

// fail answers a storage error: 404 for not found, 500 (logged, never detailed) otherwise.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, storage.ErrNotFound) {
		httpx.WriteError(w, http.StatusNotFound, i18n.T("api.error.404"), nil)
		return
	}
	h.Logger.Error("api request failed", "request_id", httpx.RequestID(r), "path", r.URL.Path, "error", err)
	httpx.WriteError(w, http.StatusInternalServerError, i18n.T("api.error.500"), nil)
}

func notFound(w http.ResponseWriter) {
	httpx.WriteError(w, http.StatusNotFound, i18n.T("api.error.404"), nil)
}

// optional writes "" as null.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func value(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// instant writes times in UTC, RFC 3339 with microseconds.
func instant(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.999999Z07:00") }

// optionalInstant writes the zero time as null.
func optionalInstant(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := instant(t)
	return &s
}

// optionalInt writes 0 as null.
func optionalInt(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

// stringsOf converts a closed list to its strings, never nil (an empty list is [], not null).
func stringsOf[T ~string](vals []T) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = string(v)
	}
	return out
}

// pageOf is the page of items, already read, that limit and offset ask for.
func pageOf[T any](items []T, limit, offset int) []T {
	if offset >= len(items) {
		return nil
	}
	return items[offset:min(len(items), offset+limit)]
}
