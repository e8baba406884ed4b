package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"parcours/internal/api"
	"parcours/internal/apptest"
	"parcours/internal/auth"
	"parcours/internal/i18n"
	"parcours/internal/model"
	"parcours/internal/storage"
)

// The JSON API through the real server on a real database. Every request these tests send
// goes through call, which checks the response against openapi.json: the status must be
// documented for the operation and the body must match the schema documented for it.

// contract is openapi.json, parsed once, with its schemas compiled on demand.
type contract struct {
	doc      map[string]any
	compiler *jsonschema.Compiler
	mu       sync.Mutex
	schemas  map[string]*jsonschema.Schema
}

const contractURL = "https://parcours.invalid/api/v1/openapi.json"

var loadContract = sync.OnceValues(func() (*contract, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(api.OpenAPIDocument()))
	if err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	c := &contract{compiler: jsonschema.NewCompiler(), schemas: map[string]*jsonschema.Schema{}}
	c.doc, _ = doc.(map[string]any)
	if c.doc == nil {
		return nil, fmt.Errorf("openapi.json is not an object")
	}
	c.compiler.DefaultDraft(jsonschema.Draft2020)
	c.compiler.AssertFormat() // date-time and email too
	if err := c.compiler.AddResource(contractURL, doc); err != nil {
		return nil, err
	}
	return c, nil
})

func openAPI(t *testing.T) *contract {
	t.Helper()
	c, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// pointer joins JSON pointer tokens, escaped for a URL fragment.
func pointer(tokens ...string) string {
	var b strings.Builder
	for _, tok := range tokens {
		tok = strings.NewReplacer("~", "~0", "/", "~1").Replace(tok)
		b.WriteString("/" + url.PathEscape(tok))
	}
	return b.String()
}

// at returns the value at a JSON pointer of the document (as pointer writes it).
func (c *contract) at(ptr string) (any, bool) {
	var v any = c.doc
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok, _ = url.PathUnescape(tok)
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[tok]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// resolve follows an object's "$ref" within the document.
func (c *contract) resolve(ptr string) (string, map[string]any) {
	v, _ := c.at(ptr)
	m, _ := v.(map[string]any)
	if ref, ok := m["$ref"].(string); ok {
		local := strings.TrimPrefix(ref, "#")
		var tokens []string
		for _, tok := range strings.Split(strings.TrimPrefix(local, "/"), "/") {
			tokens = append(tokens, strings.NewReplacer("~1", "/", "~0", "~").Replace(tok))
		}
		return c.resolve(pointer(tokens...))
	}
	return ptr, m
}

// schema compiles the schema at a pointer of the document.
func (c *contract) schema(ptr string) (*jsonschema.Schema, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.schemas[ptr]; ok {
		return s, nil
	}
	s, err := c.compiler.Compile(contractURL + "#" + ptr)
	if err != nil {
		return nil, err
	}
	c.schemas[ptr] = s
	return s, nil
}

// validate checks a JSON text against the schema at ptr.
func (c *contract) validate(ptr, body string) error {
	s, err := c.schema(ptr)
	if err != nil {
		return err
	}
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(body))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return s.Validate(v)
}

// templateOf is the documented path template ("/structures/{id}") that a request path
// ("/api/v1/structures/01h…?x=y") matches, literal segments first; "" when none does.
func (c *contract) templateOf(path string) string {
	path, _, _ = strings.Cut(path, "?")
	rest, ok := strings.CutPrefix(path, "/api/v1")
	if !ok {
		return ""
	}
	paths, _ := c.doc["paths"].(map[string]any)
	best, bestParams := "", -1
	for tmpl := range paths {
		want, got := strings.Split(tmpl, "/"), strings.Split(rest, "/")
		if len(want) != len(got) {
			continue
		}
		params, match := 0, true
		for i := range want {
			switch {
			case strings.HasPrefix(want[i], "{") && got[i] != "":
				params++
			case want[i] != got[i]:
				match = false
			}
		}
		if match && (bestParams == -1 || params < bestParams) {
			best, bestParams = tmpl, params
		}
	}
	return best
}

// checkContract checks a response of the API against openapi.json: the operation method
// template (template as documented, without /api/v1) must document the status, its required
// headers must be there, and the body must match the documented schema (or be empty when
// none is). A path or method the document lacks may only get the router's 404 or 405, in
// the Error shape.
func checkContract(t *testing.T, method, template string, res *apptest.Response) {
	t.Helper()
	c := openAPI(t)
	where := fmt.Sprintf("%s %s → %d", method, res.Request.URL.RequestURI(), res.StatusCode)
	status := strconv.Itoa(res.StatusCode)
	op := pointer("paths", template, strings.ToLower(method))
	if _, ok := c.at(op); !ok || template == "" {
		_, pathKnown := c.at(pointer("paths", template))
		switch {
		case template == "" && res.StatusCode == http.StatusNotFound:
		case template != "" && pathKnown && res.StatusCode == http.StatusMethodNotAllowed:
			if res.Header.Get("Allow") == "" {
				t.Errorf("%s: no Allow header", where)
			}
		default:
			t.Errorf("%s: openapi.json does not document %s %s\n%s", where, method, template, res.Body)
			return
		}
		if err := c.validate(pointer("components", "schemas", "Error"), res.Body); err != nil {
			t.Errorf("%s: not the Error shape: %v\n%s", where, err, res.Body)
		}
		return
	}
	ptr, resp := c.resolve(op + pointer("responses", status))
	if resp == nil {
		t.Errorf("%s: status %s is not documented for %s %s\n%s", where, status, method, template, res.Body)
		return
	}
	headers, _ := resp["headers"].(map[string]any)
	for name, h := range headers {
		if h, _ := h.(map[string]any); h["required"] == true && res.Header.Get(name) == "" {
			t.Errorf("%s: no %s header", where, name)
		}
	}
	if resp["content"] == nil {
		if res.Body != "" {
			t.Errorf("%s: documented without a body, got %q", where, res.Body)
		}
		return
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: Content-Type %q, want application/json", where, ct)
	}
	if err := c.validate(ptr+pointer("content", "application/json", "schema"), res.Body); err != nil {
		t.Errorf("%s: the body does not match openapi.json: %v\n%s", where, err, res.Body)
	}
}

// call sends an API request with a bearer token ("" for none), checks the response against
// openapi.json and its status against want.
func call(t *testing.T, app *apptest.App, method, path, token, body string, want int) *apptest.Response {
	t.Helper()
	return checked(t, app.API(method, path, token, body), want)
}

// checked checks a response to a request made by hand, as call does.
func checked(t *testing.T, res *apptest.Response, want int) *apptest.Response {
	t.Helper()
	req := res.Request
	checkContract(t, req.Method, openAPI(t).templateOf(req.URL.RequestURI()), res)
	if res.StatusCode != want {
		t.Errorf("%s %s: status %d, want %d\n%s", req.Method, req.URL.RequestURI(), res.StatusCode, want, res.Body)
	}
	return res
}

// decodeBody reads a response's JSON body.
func decodeBody[T any](t *testing.T, res *apptest.Response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(res.Body), &v); err != nil {
		t.Fatalf("%s %s: %v\n%s", res.Request.Method, res.Request.URL.Path, err, res.Body)
	}
	return v
}

// The API's shapes, as far as these tests read them (openapi.json checks the rest).
type (
	apiError struct {
		Status  int
		Message string
		Data    map[string]struct{ Code, Message string }
	}
	page[T any] struct {
		Items                []T
		Total, Limit, Offset int
	}
	structureOut struct {
		ID, Kind, Name, Region, Departement, Postcode string
		FINESS                                        *string
		Stage                                         *string
	}
	personOut struct {
		ID        string  `json:"id"`
		FirstName string  `json:"first_name"`
		LastName  string  `json:"last_name"`
		Email     *string `json:"email"`
	}
	membershipOut struct {
		ID          string `json:"id"`
		PersonID    string `json:"person_id"`
		StructureID string `json:"structure_id"`
		Role        string `json:"role"`
		Status      string `json:"status"`
	}
)

// wantField checks a 4xx names field with code and a French message.
func wantField(t *testing.T, res *apptest.Response, field, code string) {
	t.Helper()
	e := decodeBody[apiError](t, res)
	got, ok := e.Data[field]
	switch {
	case !ok:
		t.Errorf("%s %s: no error for %s in %s", res.Request.Method, res.Request.URL.Path, field, res.Body)
	case got.Code != code:
		t.Errorf("%s %s: %s code %q, want %q", res.Request.Method, res.Request.URL.Path, field, got.Code, code)
	case got.Message == "" || got.Message == got.Code:
		t.Errorf("%s %s: %s has no French message: %q", res.Request.Method, res.Request.URL.Path, field, got.Message)
	}
}

// tokensFor makes one API token per fixture role.
func tokensFor(app *apptest.App) map[model.Role]string {
	tokens := map[model.Role]string{}
	for _, role := range model.Roles {
		tokens[role] = app.Token(role)
	}
	return tokens
}

// structureCount counts the structures in the database, to prove a refused write wrote nothing.
func structureCount(t *testing.T, app *apptest.App) int {
	t.Helper()
	_, total, err := app.Store.Structures(context.Background(), storage.StructureFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

func names(items []structureOut) []string {
	var out []string
	for _, st := range items {
		out = append(out, st.Name)
	}
	return out
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// The live API routes and the operations openapi.json describes are the same set.
func TestAPIRoutesMatchOpenAPI(t *testing.T) {
	app := apptest.New(t)
	c := openAPI(t)
	servers, _ := c.doc["servers"].([]any)
	if len(servers) != 1 || servers[0].(map[string]any)["url"] != "/api/v1" {
		t.Fatalf(`openapi.json: servers must be [{"url": "/api/v1"}], got %v`, servers)
	}
	live := map[string]bool{}
	for _, rt := range app.Server.Routes() {
		method, path, _ := strings.Cut(rt.Pattern, " ")
		if strings.HasPrefix(path, "/api/") {
			live[method+" "+path] = true
		}
	}
	if len(live) < 10 {
		t.Fatalf("only %d API routes found", len(live))
	}
	documented := map[string]bool{}
	paths, _ := c.doc["paths"].(map[string]any)
	for path, item := range paths {
		for method := range item.(map[string]any) {
			switch method {
			case "get", "put", "post", "delete", "patch", "head", "options", "trace":
				documented[strings.ToUpper(method)+" /api/v1"+path] = true
			}
		}
	}
	for op := range live {
		if !documented[op] {
			t.Errorf("route %s is not described in internal/api/openapi.json", op)
		}
	}
	for op := range documented {
		if !live[op] {
			t.Errorf("openapi.json describes %s, which no route serves", op)
		}
	}
}

// The document holds together: every reference resolves, every schema compiles, every
// operation has a unique id and declares its path parameters, and every object in
// components/schemas says whether it takes other properties.
func TestOpenAPIDocumentIsSound(t *testing.T) {
	c := openAPI(t)
	if c.doc["openapi"] != "3.1.0" {
		t.Errorf("openapi: %v, want 3.1.0", c.doc["openapi"])
	}
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				if _, p := c.resolve(at); p == nil {
					t.Errorf("%s: $ref %s does not resolve", at, ref)
				}
			}
			for k, x := range v {
				walk(at+pointer(k), x)
			}
		case []any:
			for i, x := range v {
				walk(at+pointer(strconv.Itoa(i)), x)
			}
		}
	}
	walk("", c.doc)

	schemas, _ := c.doc["components"].(map[string]any)["schemas"].(map[string]any)
	for name, s := range schemas {
		ptr := pointer("components", "schemas", name)
		if _, err := c.schema(ptr); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if s.(map[string]any)["type"] == "object" && s.(map[string]any)["additionalProperties"] == nil {
			t.Errorf("schema %s: no additionalProperties, so an undocumented field would pass", name)
		}
	}
	ids := map[string]string{}
	paths, _ := c.doc["paths"].(map[string]any)
	for path, item := range paths {
		item := item.(map[string]any)
		for method, op := range item {
			if method == "parameters" {
				continue
			}
			where := strings.ToUpper(method) + " " + path
			opPtr := pointer("paths", path, method)
			op := op.(map[string]any)
			id, _ := op["operationId"].(string)
			if id == "" || ids[id] != "" {
				t.Errorf("%s: operationId %q missing or also used by %s", where, id, ids[id])
			}
			ids[id] = where
			declared := map[string]bool{}
			for _, base := range []string{pointer("paths", path), opPtr} {
				list, _ := c.at(base + pointer("parameters"))
				params, _ := list.([]any)
				for i := range params {
					if _, p := c.resolve(base + pointer("parameters", strconv.Itoa(i))); p["in"] == "path" {
						declared["{"+p["name"].(string)+"}"] = true
					}
				}
			}
			for _, seg := range strings.Split(path, "/") {
				if strings.HasPrefix(seg, "{") && !declared[seg] {
					t.Errorf("%s: path parameter %s not declared", where, seg)
				}
			}
			responses, _ := op["responses"].(map[string]any)
			if len(responses) == 0 {
				t.Errorf("%s: no responses", where)
			}
			for status := range responses {
				ptr, resp := c.resolve(opPtr + pointer("responses", status))
				if resp["description"] == nil {
					t.Errorf("%s %s: no description", where, status)
				}
				if resp["content"] == nil {
					continue
				}
				if _, err := c.schema(ptr + pointer("content", "application/json", "schema")); err != nil {
					t.Errorf("%s %s: %v", where, status, err)
				}
			}
		}
	}
}

// The description is public, JSON, and the embedded document itself.
func TestAPIServesItsDescription(t *testing.T) {
	app := apptest.New(t)
	res := call(t, app, "GET", "/api/v1/openapi.json", "", "", http.StatusOK)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	if res.Body != string(api.OpenAPIDocument()) {
		t.Error("the served document is not the embedded one")
	}
	call(t, app, "GET", "/api/v1/openapi.json", app.Token(model.RoleCandidate), "", http.StatusOK)
}

func TestAPIAuthentication(t *testing.T) {
	app := apptest.New(t)
	ctx := context.Background()
	revoked := app.Token(model.RolePartner)
	account := app.Fixture.Accounts[model.RolePartner].ID
	tokens, err := app.Store.APITokens(ctx, account)
	if err != nil || len(tokens) != 1 {
		t.Fatalf("tokens: %v %v", tokens, err)
	}
	if err := app.Store.RevokeAPIToken(ctx, account, tokens[0].ID); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, header, challenge string
	}{
		{"no token", "", `Bearer realm="parcours"`},
		{"unknown token", "Bearer pas-un-jeton", `Bearer realm="parcours", error="invalid_token"`},
		{"revoked token", "Bearer " + revoked, `Bearer realm="parcours", error="invalid_token"`},
		{"not a bearer token", "Basic YWRtaW46YWRtaW4=", `Bearer realm="parcours", error="invalid_token"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, path := range []string{"/api/v1/me", "/api/v1/structures", "/api/v1/people/" + app.Fixture.PersonPdl.ID} {
				req, _ := http.NewRequest("GET", app.URL(path), nil)
				if tc.header != "" {
					req.Header.Set("Authorization", tc.header)
				}
				res := checked(t, app.NewClient().Do(req), http.StatusUnauthorized)
				if got := res.Header.Get("WWW-Authenticate"); got != tc.challenge {
					t.Errorf("%s: WWW-Authenticate %q, want %q", path, got, tc.challenge)
				}
				if e := decodeBody[apiError](t, res); e.Status != 401 || e.Message == "" {
					t.Errorf("%s: %s", path, res.Body)
				}
			}
		})
	}
	// The API never takes the session cookie.
	c := app.As(model.RoleAdmin)
	res := c.Get("/api/v1/me")
	checked(t, res, http.StatusUnauthorized)
	// A bad token is refused even on the public description: the client should know.
	call(t, app, "GET", "/api/v1/openapi.json", "pas-un-jeton", "", http.StatusUnauthorized)
}

func TestAPIUnknownPathsAndMethods(t *testing.T) {
	app := apptest.New(t)
	admin := app.Token(model.RoleAdmin)
	for _, token := range []string{admin, ""} {
		res := call(t, app, "GET", "/api/v1/nope", token, "", http.StatusNotFound)
		if e := decodeBody[apiError](t, res); e.Status != 404 || e.Message != i18n.T("api.error.404") {
			t.Errorf("unknown path: %s", res.Body)
		}
	}
	call(t, app, "GET", "/api/v2/structures", admin, "", http.StatusNotFound)
	cases := []struct{ method, path, allow string }{
		{"PATCH", "/api/v1/structures/" + app.Fixture.CPTSPdl.ID, "DELETE, GET, HEAD, PUT"},
		{"POST", "/api/v1/me", "GET, HEAD"},
		{"DELETE", "/api/v1/people/" + app.Fixture.PersonPdl.ID, "GET, HEAD, PUT"},
	}
	for _, tc := range cases {
		res := call(t, app, tc.method, tc.path, admin, "{}", http.StatusMethodNotAllowed)
		if e := decodeBody[apiError](t, res); e.Status != 405 || e.Message != i18n.T("api.error.405") {
			t.Errorf("%s %s: %s", tc.method, tc.path, res.Body)
		}
		if got := res.Header.Get("Allow"); got != tc.allow {
			t.Errorf("%s %s: Allow %q, want %q", tc.method, tc.path, got, tc.allow)
		}
	}
}

func TestAPIMe(t *testing.T) {
	app := apptest.New(t)
	f := app.Fixture
	type grant struct {
		Role  string  `json:"role"`
		Scope *string `json:"scope"`
	}
	scope := func(s string) *string { return &s }
	cases := []struct {
		role model.Role
		want []grant
	}{
		{model.RoleAdmin, []grant{{"admin", nil}}},
		{model.RolePartner, []grant{{"partner", scope("93")}}},
		{model.RoleRegionalViewer, []grant{{"regional_viewer", scope("52")}}},
		{model.RoleManager, []grant{{"manager", scope(f.TrainingOrg.ID)}}},
		{model.RoleCandidate, []grant{{"candidate", nil}}},
	}
	for _, tc := range cases {
		res := call(t, app, "GET", "/api/v1/me", app.Token(tc.role), "", http.StatusOK)
		me := decodeBody[struct {
			ID    string  `json:"id"`
			Email string  `json:"email"`
			Roles []grant `json:"roles"`
		}](t, res)
		if acc := f.Accounts[tc.role]; me.ID != acc.ID || me.Email != acc.Email || jsonOf(me.Roles) != jsonOf(tc.want) {
			t.Errorf("%s: %s", tc.role, res.Body)
		}
	}
}

func TestAPIRegions(t *testing.T) {
	app := apptest.New(t)
	token := app.Token(model.RoleCandidate)
	res := call(t, app, "GET", "/api/v1/regions", token, "", http.StatusOK)
	regions := decodeBody[page[struct{ Code, Name string }]](t, res)
	if len(regions.Items) != 18 || regions.Total != 18 {
		t.Errorf("%d régions, total %d, want 18", len(regions.Items), regions.Total)
	}
	res = call(t, app, "GET", "/api/v1/regions/52", token, "", http.StatusOK)
	pdl := decodeBody[struct {
		Name         string
		TimeZone     string `json:"time_zone"`
		Departements []struct{ Code, Name string }
	}](t, res)
	var codes []string
	for _, d := range pdl.Departements {
		codes = append(codes, d.Code)
	}
	if pdl.Name != "Pays de la Loire" || pdl.TimeZone != "Europe/Paris" || !slices.Equal(codes, []string{"44", "49", "53", "72", "85"}) {
		t.Errorf("région 52: %s", res.Body)
	}
	call(t, app, "GET", "/api/v1/regions/99", token, "", http.StatusNotFound)
	call(t, app, "GET", "/api/v1/regions", "", "", http.StatusUnauthorized)
}

func TestAPIStructureList(t *testing.T) {
	app := apptest.New(t)
	tokens := tokensFor(app)
	pdl, paca, ehesp := app.Fixture.CPTSPdl.Name, app.Fixture.CPTSPaca.Name, app.Fixture.TrainingOrg.Name
	cases := []struct {
		name  string
		role  model.Role
		query string
		want  []string
		total int
		limit int
	}{
		{"all", model.RoleAdmin, "", []string{pdl, paca, ehesp}, 3, 50},
		{"région", model.RoleAdmin, "?region=52", []string{pdl}, 1, 50},
		{"département", model.RoleAdmin, "?departement=13", []string{paca}, 1, 50},
		{"Corsican code in lower case", model.RoleAdmin, "?departement=2a", nil, 0, 50},
		{"kind", model.RoleAdmin, "?kind=cpts", []string{pdl, paca}, 2, 50},
		{"kind training", model.RoleAdmin, "?kind=training", []string{ehesp}, 1, 50},
		{"stage", model.RoleAdmin, "?stage=active", []string{pdl}, 1, 50},
		{"words, no accents", model.RoleAdmin, "?q=ecole+des+hautes", []string{ehesp}, 1, 50},
		{"commune", model.RoleAdmin, "?q=marseille", []string{paca}, 1, 50},
		{"FINESS", model.RoleAdmin, "?q=440000289", []string{pdl}, 1, 50},
		{"filters together", model.RoleAdmin, "?kind=cpts&region=93&stage=emergence", []string{paca}, 1, 50},
		{"first page", model.RoleAdmin, "?limit=2", []string{pdl, paca}, 3, 2},
		{"second page", model.RoleAdmin, "?limit=2&offset=2", []string{ehesp}, 3, 2},
		{"past the end", model.RoleAdmin, "?offset=10", nil, 3, 50},
		{"largest page", model.RoleAdmin, "?limit=200", []string{pdl, paca, ehesp}, 3, 200},
		{"manager sees every région", model.RoleManager, "", []string{pdl, paca, ehesp}, 3, 50},
		{"regional viewer sees its région", model.RoleRegionalViewer, "", []string{pdl}, 1, 50},
		{"partner sees its région", model.RolePartner, "", []string{paca}, 1, 50},
		{"partner asking for another région", model.RolePartner, "?region=52", nil, 0, 50},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := call(t, app, "GET", "/api/v1/structures"+tc.query, tokens[tc.role], "", http.StatusOK)
			got := decodeBody[page[structureOut]](t, res)
			if !slices.Equal(names(got.Items), tc.want) || got.Total != tc.total || got.Limit != tc.limit {
				t.Errorf("got %v total %d limit %d, want %v total %d limit %d",
					names(got.Items), got.Total, got.Limit, tc.want, tc.total, tc.limit)
			}
		})
	}
	for _, role := range []model.Role{model.RoleCandidate, model.RoleTrainer, model.RoleCommitteeMember} {
		call(t, app, "GET", "/api/v1/structures", tokens[role], "", http.StatusForbidden)
	}
}

func TestAPIListsRefuseBadQueries(t *testing.T) {
	app := apptest.New(t)
	admin := app.Token(model.RoleAdmin)
	cases := []struct{ path, field string }{
		{"/api/v1/structures?limit=0", "limit"},
		{"/api/v1/structures?limit=201", "limit"},
		{"/api/v1/structures?limit=dix", "limit"},
		{"/api/v1/structures?offset=-1", "offset"},
		{"/api/v1/structures?kind=hopital", "kind"},
		{"/api/v1/structures?stage=adulte", "stage"},
		{"/api/v1/structures?region=99", "region"},
		{"/api/v1/structures?departement=20", "departement"},
		{"/api/v1/people?limit=1000", "limit"},
		{"/api/v1/people?offset=x", "offset"},
	}
	for _, tc := range cases {
		res := call(t, app, "GET", tc.path, admin, "", http.StatusBadRequest)
		wantField(t, res, tc.field, "invalid")
	}
}

// validStructure is a body that creates an MSP in Vendée (52).
const validStructure = `{"kind": "msp", "name": "  MSP des  Olonnes ", "finess": "85 000 7816", "departement": "85",
	"commune": "Les Sables-d'Olonne", "postcode": "85100", "email": "Contact@MSP-Olonnes.fr"}`

func TestAPIStructureCreate(t *testing.T) {
	app := apptest.New(t)
	tokens := tokensFor(app)
	res := call(t, app, "POST", "/api/v1/structures", tokens[model.RoleAdmin], validStructure, http.StatusCreated)
	st := decodeBody[structureOut](t, res)
	if st.Name != "MSP des Olonnes" || st.Region != "52" || st.FINESS == nil || *st.FINESS != "850007816" || st.Stage != nil {
		t.Errorf("created: %s", res.Body)
	}
	res = call(t, app, "GET", "/api/v1/structures/"+st.ID, tokens[model.RoleRegionalViewer], "", http.StatusOK)
	if got := decodeBody[structureOut](t, res); got.Name != st.Name {
		t.Errorf("read back: %s", res.Body)
	}
	res = call(t, app, "POST", "/api/v1/structures", tokens[model.RolePartner],
		`{"kind": "cpts", "name": "CPTS du Pays de Grasse", "departement": "06", "stage": "projet_sante", "size_band": "t2"}`, http.StatusCreated)
	if got := decodeBody[structureOut](t, res); got.Region != "93" {
		t.Errorf("partner's CPTS: %s", res.Body)
	}

	cases := []struct {
		name, body, field, code string
	}{
		{"malformed FINESS", `{"kind": "msp", "name": "MSP", "departement": "44", "finess": "44A000289"}`, "finess", "invalid"},
		{"FINESS with a wrong key", `{"kind": "msp", "name": "MSP", "departement": "44", "finess": "440000288"}`, "finess", "invalid"},
		{"FINESS of another département", `{"kind": "msp", "name": "MSP", "departement": "49", "finess": "440001212"}`, "finess", "inconsistent"},
		{"FINESS already used", `{"kind": "msp", "name": "MSP", "departement": "44", "finess": "440000289"}`, "finess", "taken"},
		{"reference already used", `{"kind": "msp", "name": "MSP", "departement": "13", "ref": "PACA-01"}`, "ref", "taken"},
		{"no kind", `{"name": "MSP", "departement": "44"}`, "kind", "required"},
		{"unknown kind", `{"kind": "hopital", "name": "MSP", "departement": "44"}`, "kind", "invalid"},
		{"no name", `{"kind": "msp", "departement": "44"}`, "name", "required"},
		{"name too long", `{"kind": "msp", "name": "` + strings.Repeat("é", 201) + `", "departement": "44"}`, "name", "too_long"},
		{"nowhere", `{"kind": "msp", "name": "MSP"}`, "departement", "required"},
		{"unknown département", `{"kind": "msp", "name": "MSP", "departement": "20"}`, "departement", "invalid"},
		{"région that disagrees", `{"kind": "msp", "name": "MSP", "departement": "44", "region": "53"}`, "region", "inconsistent"},
		{"CPTS without stage", `{"kind": "cpts", "name": "CPTS", "departement": "44"}`, "stage", "required"},
		{"stage of an MSP", `{"kind": "msp", "name": "MSP", "departement": "44", "stage": "active"}`, "stage", "inconsistent"},
		{"bad e-mail", `{"kind": "msp", "name": "MSP", "departement": "44", "email": "contact@"}`, "email", "invalid"},
		{"bad SIRET", `{"kind": "msp", "name": "MSP", "departement": "44", "siret": "12345678901234"}`, "siret", "invalid"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := structureCount(t, app)
			res := call(t, app, "POST", "/api/v1/structures", tokens[model.RoleAdmin], tc.body, http.StatusUnprocessableEntity)
			wantField(t, res, tc.field, tc.code)
			if e := decodeBody[apiError](t, res); e.Message != i18n.T("api.error.422") || e.Status != 422 {
				t.Errorf("message: %s", res.Body)
			}
			if after := structureCount(t, app); after != before {
				t.Errorf("%d structures before, %d after: a refused request wrote", before, after)
			}
		})
	}
	res = call(t, app, "POST", "/api/v1/structures", tokens[model.RoleAdmin], cases[0].body, http.StatusUnprocessableEntity)
	if msg := decodeBody[apiError](t, res).Data["finess"].Message; !strings.Contains(msg, "FINESS") {
		t.Errorf("the FINESS message does not say what is wrong: %q", msg)
	}
}

func TestAPIRefusesBadBodies(t *testing.T) {
	app := apptest.New(t)
	admin := app.Token(model.RoleAdmin)
	pdl := "/api/v1/structures/" + app.Fixture.CPTSPdl.ID
	cases := []struct {
		name, method, path, body, message string
	}{
		{"unknown field", "POST", "/api/v1/structures", `{"kind": "msp", "nom": "MSP"}`, i18n.T("api.unknown_field", "nom")},
		{"read-only field", "PUT", pdl, `{"id": "x", "kind": "msp", "name": "MSP"}`, i18n.T("api.unknown_field", "id")},
		{"invalid JSON", "POST", "/api/v1/structures", `{"kind": "msp",`, i18n.T("api.bad_json")},
		{"wrong type", "POST", "/api/v1/people", `{"first_name": 12}`, i18n.T("api.bad_json")},
		{"trailing data", "POST", "/api/v1/memberships", `{} {}`, i18n.T("api.bad_json")},
		{"an array", "PUT", "/api/v1/people/" + app.Fixture.PersonPdl.ID, `[]`, i18n.T("api.bad_json")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := structureCount(t, app)
			res := call(t, app, tc.method, tc.path, admin, tc.body, http.StatusBadRequest)
			if e := decodeBody[apiError](t, res); e.Message != tc.message {
				t.Errorf("message %q, want %q", e.Message, tc.message)
			}
			if structureCount(t, app) != before {
				t.Error("a refused request wrote")
			}
		})
	}
	call(t, app, "POST", "/api/v1/structures", admin, " ", http.StatusBadRequest)

	// Over PARCOURS_MAX_REQUEST_BYTES (1 MiB in tests): refused from its Content-Length, or
	// while reading when it has none (chunked).
	big := `{"kind": "msp", "name": "` + strings.Repeat("a", 1<<20) + `", "departement": "44"}`
	res := call(t, app, "POST", "/api/v1/structures", admin, big, http.StatusRequestEntityTooLarge)
	if e := decodeBody[apiError](t, res); e.Message != i18n.T("api.error.413") {
		t.Errorf("413 message: %s", res.Body)
	}
	req, _ := http.NewRequest("PUT", app.URL(pdl), io.MultiReader(strings.NewReader(big)))
	req.Header.Set("Authorization", "Bearer "+admin)
	req.Header.Set("Content-Type", "application/json")
	if req.ContentLength != 0 {
		t.Fatal("the request should have no length")
	}
	checked(t, app.NewClient().Do(req), http.StatusRequestEntityTooLarge)
	res = call(t, app, "GET", pdl, admin, "", http.StatusOK)
	if decodeBody[structureOut](t, res).Name != app.Fixture.CPTSPdl.Name {
		t.Error("a refused update wrote")
	}
}

func TestAPIStructureUpdateAndDelete(t *testing.T) {
	app := apptest.New(t)
	tokens := tokensFor(app)
	f := app.Fixture
	admin, pdl := tokens[model.RoleAdmin], "/api/v1/structures/"+f.CPTSPdl.ID
	body := `{"kind": "cpts", "name": "CPTS Estuaire", "finess": "440000289", "departement": "44",
		"postcode": "44600", "stage": "aci_signe", "size_band": "t3"}`
	res := call(t, app, "PUT", pdl, admin, body, http.StatusOK)
	if st := decodeBody[structureOut](t, res); st.ID != f.CPTSPdl.ID || st.Name != "CPTS Estuaire" || *st.Stage != "aci_signe" {
		t.Errorf("updated: %s", res.Body)
	}
	res = call(t, app, "GET", pdl, tokens[model.RoleManager], "", http.StatusOK)
	if st := decodeBody[structureOut](t, res); st.Name != "CPTS Estuaire" {
		t.Errorf("read back: %s", res.Body)
	}
	// Taking another structure's FINESS.
	res = call(t, app, "PUT", "/api/v1/structures/"+f.CPTSPaca.ID, admin,
		`{"kind": "cpts", "name": "CPTS Marseille Nord", "finess": "440000289", "departement": "44", "stage": "emergence"}`,
		http.StatusUnprocessableEntity)
	wantField(t, res, "finess", "taken")
	call(t, app, "PUT", "/api/v1/structures/inconnue", admin, body, http.StatusNotFound)

	call(t, app, "DELETE", pdl, admin, "", http.StatusNoContent)
	call(t, app, "GET", pdl, admin, "", http.StatusNotFound)
	call(t, app, "DELETE", pdl, admin, "", http.StatusNotFound)
	call(t, app, "DELETE", "/api/v1/memberships/"+f.MembershipPdl.ID, admin, "", http.StatusNotFound) // gone with it
	call(t, app, "GET", pdl+"/members", admin, "", http.StatusNotFound)
}

// Who may read and write which structures: out of scope is 404, a role without the right is 403.
func TestAPIStructureScope(t *testing.T) {
	app := apptest.New(t)
	tokens := tokensFor(app)
	f := app.Fixture
	pdl, paca := "/api/v1/structures/"+f.CPTSPdl.ID, "/api/v1/structures/"+f.CPTSPaca.ID
	pdlBody := `{"kind": "cpts", "name": "CPTS Loire", "departement": "44", "stage": "active"}`
	pacaBody := `{"kind": "cpts", "name": "CPTS Marseille Nord", "departement": "13", "stage": "projet_sante"}`
	cases := []struct {
		name         string
		role         model.Role
		method, path string
		body         string
		want         int
	}{
		{"partner reads its région's CPTS", model.RolePartner, "GET", paca, "", http.StatusOK},
		{"partner cannot see another région's CPTS", model.RolePartner, "GET", pdl, "", http.StatusNotFound},
		{"nor its members", model.RolePartner, "GET", pdl + "/members", "", http.StatusNotFound},
		{"nor update it", model.RolePartner, "PUT", pdl, pdlBody, http.StatusNotFound},
		{"nor delete it", model.RolePartner, "DELETE", pdl, "", http.StatusNotFound},
		{"partner creates in its région", model.RolePartner, "POST", "/api/v1/structures",
			`{"kind": "msp", "name": "MSP de Nice", "departement": "06"}`, http.StatusCreated},
		{"partner cannot create in another région", model.RolePartner, "POST", "/api/v1/structures", pdlBody, http.StatusUnprocessableEntity},
		{"nor move its CPTS there", model.RolePartner, "PUT", paca,
			`{"kind": "cpts", "name": "CPTS Marseille Nord", "departement": "44", "stage": "emergence"}`, http.StatusUnprocessableEntity},
		{"partner updates its région's CPTS", model.RolePartner, "PUT", paca, pacaBody, http.StatusOK},
		{"regional viewer reads its région", model.RoleRegionalViewer, "GET", pdl, "", http.StatusOK},
		{"and its members", model.RoleRegionalViewer, "GET", pdl + "/members", "", http.StatusOK},
		{"but not another's", model.RoleRegionalViewer, "GET", paca, "", http.StatusNotFound},
		{"regional viewer cannot create", model.RoleRegionalViewer, "POST", "/api/v1/structures", pdlBody, http.StatusForbidden},
		{"nor update", model.RoleRegionalViewer, "PUT", pdl, pdlBody, http.StatusForbidden},
		{"nor delete", model.RoleRegionalViewer, "DELETE", pdl, "", http.StatusForbidden},
		{"manager reads every région", model.RoleManager, "GET", paca, "", http.StatusOK},
		{"but not people", model.RoleManager, "GET", paca + "/members", "", http.StatusForbidden},
		{"and does not write", model.RoleManager, "PUT", paca, pacaBody, http.StatusForbidden},
		{"candidate cannot read a structure", model.RoleCandidate, "GET", pdl, "", http.StatusForbidden},
		{"trainer cannot delete", model.RoleTrainer, "DELETE", pdl, "", http.StatusForbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := call(t, app, tc.method, tc.path, tokens[tc.role], tc.body, tc.want)
			if tc.want == http.StatusUnprocessableEntity {
				wantField(t, res, "departement", "forbidden")
			}
		})
	}
	res := call(t, app, "GET", pdl, tokens[model.RoleAdmin], "", http.StatusOK)
	if decodeBody[structureOut](t, res).Name != f.CPTSPdl.Name {
		t.Error("a refused request changed the 52 CPTS")
	}
}

func TestAPIPeople(t *testing.T) {
	app := apptest.New(t)
	tokens := tokensFor(app)
	f := app.Fixture
	personNames := func(res *apptest.Response) []string {
		var out []string
		for _, p := range decodeBody[page[personOut]](t, res).Items {
			out = append(out, p.FirstName+" "+p.LastName)
		}
		return out
	}
	lists := []struct {
		role  model.Role
		query string
		want  []string
	}{
		{model.RoleAdmin, "", []string{"Karim Benali", "Hélène Lefèvre"}},
		{model.RoleAdmin, "?q=lefevre", []string{"Hélène Lefèvre"}},
		{model.RoleAdmin, "?q=karim.benali@", []string{"Karim Benali"}},
		{model.RoleAdmin, "?limit=1&offset=1", []string{"Hélène Lefèvre"}},
		{model.RoleRegionalViewer, "", []string{"Hélène Lefèvre"}},
		{model.RolePartner, "", []string{"Karim Benali"}},
		{model.RolePartner, "?q=lefevre", nil},
	}
	for _, tc := range lists {
		res := call(t, app, "GET", "/api/v1/people"+tc.query, tokens[tc.role], "", http.StatusOK)
		if got := personNames(res); !slices.Equal(got, tc.want) {
			t.Errorf("%s %s: %v, want %v", tc.role, tc.query, got, tc.want)
		}
	}
	for _, role := range []model.Role{model.RoleManager, model.RoleCandidate, model.RoleTrainer} {
		call(t, app, "GET", "/api/v1/people", tokens[role], "", http.StatusForbidden)
	}
	call(t, app, "GET", "/api/v1/people/"+f.PersonPdl.ID, tokens[model.RoleRegionalViewer], "", http.StatusOK)
	call(t, app, "GET", "/api/v1/people/"+f.PersonPdl.ID, tokens[model.RolePartner], "", http.StatusNotFound)
	call(t, app, "GET", "/api/v1/people/inconnue", tokens[model.RoleAdmin], "", http.StatusNotFound)

	// An administrator creates anyone; the person has no structure, so only everywhere-roles see them.
	res := call(t, app, "POST", "/api/v1/people", tokens[model.RoleAdmin],
		`{"civility": "mme", "first_name": " Anne ", "last_name": "Durand", "email": "Anne.Durand@example.fr",
		"profession": "medecin", "rpps": "10003456786"}`, http.StatusCreated)
	anne := decodeBody[personOut](t, res)
	if anne.FirstName != "Anne" || anne.Email == nil || *anne.Email != "anne.durand@example.fr" {
		t.Errorf("created: %s", res.Body)
	}
	call(t, app, "GET", "/api/v1/people/"+anne.ID, tokens[model.RolePartner], "", http.StatusNotFound)

	// A partner creates people only as members of a structure of its région.
	_, before, _ := app.Store.People(context.Background(), storage.PersonFilter{})
	refused := []struct{ name, body, field, code string }{
		{"no structure", `{"first_name": "Paul", "last_name": "Martin", "profession": "infirmier"}`, "structure_id", "required"},
		{"another région's structure", `{"first_name": "Paul", "last_name": "Martin", "profession": "infirmier",
			"structure_id": "` + f.CPTSPdl.ID + `", "role": "membre"}`, "structure_id", "invalid"},
		{"unknown structure", `{"first_name": "Paul", "last_name": "Martin", "profession": "infirmier",
			"structure_id": "inconnue", "role": "membre"}`, "structure_id", "invalid"},
		{"no role", `{"first_name": "Paul", "last_name": "Martin", "profession": "infirmier",
			"structure_id": "` + f.CPTSPaca.ID + `"}`, "role", "required"},
		{"e-mail already used", `{"first_name": "Paul", "last_name": "Martin", "profession": "infirmier", "email": "karim.benali@example.fr",
			"structure_id": "` + f.CPTSPaca.ID + `", "role": "membre"}`, "email", "taken"},
		{"no profession", `{"first_name": "Paul", "last_name": "Martin", "structure_id": "` + f.CPTSPaca.ID + `", "role": "membre"}`, "profession", "required"},
		{"bad RPPS", `{"first_name": "Paul", "last_name": "Martin", "profession": "infirmier", "rpps": "123",
			"structure_id": "` + f.CPTSPaca.ID + `", "role": "membre"}`, "rpps", "invalid"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			res := call(t, app, "POST", "/api/v1/people", tokens[model.RolePartner], tc.body, http.StatusUnprocessableEntity)
			wantField(t, res, tc.field, tc.code)
		})
	}
	if _, after, _ := app.Store.People(context.Background(), storage.PersonFilter{}); after != before {
		t.Errorf("%d people before, %d after: a refused request wrote", before, after)
	}
	res = call(t, app, "POST", "/api/v1/people", tokens[model.RolePartner],
		`{"first_name": "Paul", "last_name": "Martin", "profession": "infirmier", "structure_id": "`+f.CPTSPaca.ID+`", "role": "coordinateur"}`,
		http.StatusCreated)
	paul := decodeBody[personOut](t, res)
	call(t, app, "GET", "/api/v1/people/"+paul.ID, tokens[model.RolePartner], "", http.StatusOK)
	res = call(t, app, "GET", "/api/v1/structures/"+f.CPTSPaca.ID+"/members", tokens[model.RolePartner], "", http.StatusOK)
	members := decodeBody[page[struct {
		Role   string    `json:"role"`
		Status string    `json:"status"`
		Person personOut `json:"person"`
	}]](t, res)
	found := false
	for _, m := range members.Items {
		found = found || (m.Person.ID == paul.ID && m.Role == "coordinateur" && m.Status == "confirmed")
	}
	if !found || members.Total != 2 {
		t.Errorf("Paul is not a member of the CPTS: %s", res.Body)
	}

	// Updates, in scope only.
	paulBody := `{"civility": "m", "first_name": "Paul", "last_name": "Martin-Roux", "profession": "infirmier", "phone": "04 91 00 00 00"}`
	res = call(t, app, "PUT", "/api/v1/people/"+paul.ID, tokens[model.RolePartner], paulBody, http.StatusOK)
	if p := decodeBody[personOut](t, res); p.LastName != "Martin-Roux" {
		t.Errorf("updated: %s", res.Body)
	}
	call(t, app, "PUT", "/api/v1/people/"+f.PersonPdl.ID, tokens[model.RolePartner], paulBody, http.StatusNotFound)
	call(t, app, "PUT", "/api/v1/people/"+f.PersonPdl.ID, tokens[model.RoleRegionalViewer], paulBody, http.StatusForbidden)
	res = call(t, app, "PUT", "/api/v1/people/"+paul.ID, tokens[model.RolePartner],
		`{"first_name": "Paul", "last_name": "Martin", "profession": "infirmier", "email": "helene.lefevre@example.fr"}`, http.StatusUnprocessableEntity)
	wantField(t, res, "email", "taken")
	res = call(t, app, "PUT", "/api/v1/people/"+paul.ID, tokens[model.RolePartner],
		`{"first_name": "", "last_name": "Martin", "profession": "infirmier", "civility": "mlle"}`, http.StatusUnprocessableEntity)
	wantField(t, res, "first_name", "required")
	wantField(t, res, "civility", "invalid")
}

func TestAPIMemberships(t *testing.T) {
	app := apptest.New(t)
	tokens := tokensFor(app)
	f := app.Fixture
	partner, admin := tokens[model.RolePartner], tokens[model.RoleAdmin]
	body := func(person, structure, role string) string {
		return jsonOf(map[string]string{"person_id": person, "structure_id": structure, "role": role})
	}
	res := call(t, app, "POST", "/api/v1/memberships", partner, body(f.PersonPaca.ID, f.CPTSPaca.ID, "coordinateur"), http.StatusCreated)
	m := decodeBody[membershipOut](t, res)
	if m.PersonID != f.PersonPaca.ID || m.StructureID != f.CPTSPaca.ID || m.Role != "coordinateur" || m.Status != "confirmed" {
		t.Errorf("created: %s", res.Body)
	}
	refused := []struct{ name, body, field, code string }{
		{"the same role twice", body(f.PersonPaca.ID, f.CPTSPaca.ID, "coordinateur"), "role", "taken"},
		{"another région's structure", body(f.PersonPaca.ID, f.CPTSPdl.ID, "membre"), "structure_id", "invalid"},
		{"unknown structure", body(f.PersonPaca.ID, "inconnue", "membre"), "structure_id", "invalid"},
		{"no structure", body(f.PersonPaca.ID, "", "membre"), "structure_id", "required"},
		{"unknown person", body("inconnue", f.CPTSPaca.ID, "membre"), "person_id", "invalid"},
		{"another région's person", body(f.PersonPdl.ID, f.CPTSPaca.ID, "membre"), "person_id", "invalid"},
		{"no person", body("", f.CPTSPaca.ID, "membre"), "person_id", "required"},
		{"no role", body(f.PersonPaca.ID, f.CPTSPaca.ID, ""), "role", "required"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			res := call(t, app, "POST", "/api/v1/memberships", partner, tc.body, http.StatusUnprocessableEntity)
			wantField(t, res, tc.field, tc.code)
		})
	}
	call(t, app, "POST", "/api/v1/memberships", tokens[model.RoleRegionalViewer], body(f.PersonPdl.ID, f.CPTSPdl.ID, "membre"), http.StatusForbidden)
	res = call(t, app, "GET", "/api/v1/structures/"+f.CPTSPaca.ID+"/members", partner, "", http.StatusOK)
	if got := decodeBody[page[membershipOut]](t, res); got.Total != 2 {
		t.Errorf("members: %s", res.Body)
	}

	pdlMembership := "/api/v1/memberships/" + f.MembershipPdl.ID
	call(t, app, "DELETE", pdlMembership, partner, "", http.StatusNotFound)
	call(t, app, "DELETE", pdlMembership, tokens[model.RoleRegionalViewer], "", http.StatusForbidden)
	call(t, app, "DELETE", "/api/v1/memberships/"+m.ID, partner, "", http.StatusNoContent)
	call(t, app, "DELETE", "/api/v1/memberships/"+m.ID, partner, "", http.StatusNotFound)
	call(t, app, "DELETE", pdlMembership, admin, "", http.StatusNoContent)
	res = call(t, app, "GET", "/api/v1/structures/"+f.CPTSPdl.ID+"/members", admin, "", http.StatusOK)
	if got := decodeBody[page[membershipOut]](t, res); got.Total != 0 || got.Items == nil {
		t.Errorf("members after delete: %s", res.Body)
	}
}

// The shapes of programmes, cohorts, calls and applications, as far as these tests read them.
type (
	programmeOut struct {
		ID          string
		Code        string
		CarrierID   string   `json:"carrier_id"`
		PartnerIDs  []string `json:"partner_ids"`
		Modules     []struct{ Title string }
		Deployments []struct{ Region, Status string }
	}
	cohortOut struct {
		ID          string
		ProgrammeID string `json:"programme_id"`
		Region      string
		CallIDs     []string `json:"call_ids"`
	}
	callOut struct {
		ID, State, Region string
		Published         bool
		ProgrammeCode     string `json:"programme_code"`
		TimeZone          string `json:"time_zone"`
		Rules             struct {
			Kinds           []string
			Region          *string
			RoleRequirement *string `json:"role_requirement"`
			MustBeAttached  bool    `json:"must_be_attached"`
			MinStage        *string `json:"min_stage"`
		}
		Figures *struct {
			Submitted, Eligible int
			DistinctCPTS        int `json:"distinct_cpts"`
			RegionCPTS          int `json:"region_cpts"`
		}
		Questions []struct {
			ID, Kind  string
			Required  bool
			MinLength *int `json:"min_length"`
		}
	}
	applicationOut struct {
		ID, Status string
		Receipt    *string
		Candidate  struct{ Name, Email *string }
		Structure  *struct{ ID, Name string }
		Declared   *struct{ Name string } `json:"declared_structure"`
		Role       *string
		RoleStatus *string `json:"role_status"`
		Call       struct{ ID string }
		Answers    map[string]struct {
			Value string
			File  *struct{ Name, Path string }
		}
		Eligibility struct {
			ByRules     bool `json:"by_rules"`
			NeedsReview bool `json:"needs_review"`
			Reasons     []string
			Rules       []struct {
				Rule, Outcome string
				Reason        *string
			}
			Override *struct{ Decision, Reason string }
		}
	}
)

// apiTokenFor gives an account a role and makes it an API token.
func apiTokenFor(t *testing.T, app *apptest.App, accountID string, role model.Role, scope string) string {
	t.Helper()
	ctx := context.Background()
	if err := app.Store.Grant(ctx, &model.Grant{AccountID: accountID, Role: role, Scope: scope}); err != nil {
		t.Fatal(err)
	}
	token, hash := auth.NewToken()
	if err := app.Store.CreateAPIToken(ctx, &storage.APIToken{AccountID: accountID, Name: "test", TokenHash: hash}); err != nil {
		t.Fatal(err)
	}
	return token
}

// otherManager is the token of a programme manager of another training organisation, which
// runs no programme.
func otherManager(t *testing.T, app *apptest.App) string {
	t.Helper()
	ctx := context.Background()
	org := model.Structure{Kind: model.KindTraining, Name: "Institut régional de formation", Ref: "IRF", RegionCode: "93",
		DepartementCode: "13", Commune: "Marseille", Postcode: "13001"}
	if err := app.Store.CreateStructure(ctx, &org); err != nil {
		t.Fatal(err)
	}
	acc := model.Account{Email: "manager.irf@example.fr", DisplayName: "Gestionnaire IRF", PasswordHash: "-"}
	if err := app.Store.CreateAccount(ctx, &acc); err != nil {
		t.Fatal(err)
	}
	return apiTokenFor(t, app, acc.ID, model.RoleManager, org.ID)
}

// Programmes and cohorts: their training organisation's managers and administrators; another
// organisation's manager finds nothing; other roles may not ask.
func TestAPIProgrammes(t *testing.T) {
	app := apptest.New(t)
	tokens := tokensFor(app)
	f, ctx := app.Fixture, context.Background()
	p := f.Programme
	p.PartnerIDs = []string{f.CPTSPaca.ID}
	if err := app.Store.UpdateProgramme(ctx, &p); err != nil {
		t.Fatal(err)
	}
	if err := app.Store.SaveModules(ctx, p.ID, []model.Module{{Title: "Gouvernance et statuts", Themes: "Association, bureau", Hours: 7}}); err != nil {
		t.Fatal(err)
	}
	if err := app.Store.SetDeployment(ctx, model.Deployment{ProgrammeID: p.ID, RegionCode: "52", Status: model.DeploymentLaunched, Since: "2026-09-01"}); err != nil {
		t.Fatal(err)
	}
	other := otherManager(t, app)
	programme, cohorts, cohort := "/api/v1/programmes/"+p.ID, "/api/v1/programmes/"+p.ID+"/cohorts", "/api/v1/cohorts/"+f.Cohort.ID

	for _, token := range []string{tokens[model.RoleAdmin], tokens[model.RoleManager]} {
		res := call(t, app, "GET", "/api/v1/programmes", token, "", http.StatusOK)
		if got := decodeBody[page[programmeOut]](t, res); got.Total != 1 || len(got.Items) != 1 || got.Items[0].Code != "AMG" {
			t.Errorf("programmes: %s", res.Body)
		}
		res = call(t, app, "GET", programme, token, "", http.StatusOK)
		got := decodeBody[programmeOut](t, res)
		if got.CarrierID != f.TrainingOrg.ID || !slices.Equal(got.PartnerIDs, []string{f.CPTSPaca.ID}) || len(got.Modules) != 1 ||
			len(got.Deployments) != 1 || got.Deployments[0].Status != "launched" {
			t.Errorf("programme: %s", res.Body)
		}
		res = call(t, app, "GET", cohorts, token, "", http.StatusOK)
		if got := decodeBody[page[cohortOut]](t, res); got.Total != 1 || got.Items[0].ID != f.Cohort.ID ||
			!slices.Equal(got.Items[0].CallIDs, []string{f.Call.ID}) {
			t.Errorf("cohorts: %s", res.Body)
		}
		res = call(t, app, "GET", cohort, token, "", http.StatusOK)
		if got := decodeBody[cohortOut](t, res); got.ProgrammeID != p.ID || got.Region != "52" {
			t.Errorf("cohort: %s", res.Body)
		}
	}
	call(t, app, "GET", "/api/v1/programmes?limit=1&offset=1", tokens[model.RoleAdmin], "", http.StatusOK)
	res := call(t, app, "GET", "/api/v1/programmes?offset=-1", tokens[model.RoleAdmin], "", http.StatusBadRequest)
	wantField(t, res, "offset", "invalid")

	// Another organisation's manager: none of it exists.
	res = call(t, app, "GET", "/api/v1/programmes", other, "", http.StatusOK)
	if got := decodeBody[page[programmeOut]](t, res); got.Total != 0 || got.Items == nil {
		t.Errorf("another organisation's programmes: %s", res.Body)
	}
	for _, path := range []string{programme, cohorts, cohort, "/api/v1/programmes/inconnu", "/api/v1/cohorts/inconnue"} {
		call(t, app, "GET", path, other, "", http.StatusNotFound)
	}
	call(t, app, "GET", "/api/v1/programmes/inconnu/cohorts", tokens[model.RoleAdmin], "", http.StatusNotFound)

	// Roles that do not manage programmes may not ask; nor may anonymous callers.
	for _, role := range []model.Role{model.RoleRegionalViewer, model.RolePartner, model.RoleCandidate, model.RoleTrainer} {
		for _, path := range []string{"/api/v1/programmes", programme, cohorts, cohort} {
			call(t, app, "GET", path, tokens[role], "", http.StatusForbidden)
		}
	}
	for _, path := range []string{"/api/v1/programmes", programme, cohorts, cohort} {
		call(t, app, "GET", path, "", "", http.StatusUnauthorized)
	}
}

// Calls are public like their pages; the figures go to those who follow the call; an
// unpublished call exists for its managers only.
func TestAPICalls(t *testing.T) {
	app := apptest.New(t)
	tokens := tokensFor(app)
	f, ctx := app.Fixture, context.Background()
	reviewWorld(t, app)
	now := app.Store.Clock.Now()
	hidden := model.Call{CohortID: f.Cohort.ID, OpensAt: now.Add(240 * time.Hour), ClosesAt: now.Add(480 * time.Hour)}
	if err := app.Store.CreateCall(ctx, &hidden); err != nil {
		t.Fatal(err)
	}
	other := otherManager(t, app)

	// Figures of the fixture call: four submitted, three eligible (not the MSP), one CPTS out
	// of the région's two (the declared CPTS is not in the directory).
	cases := []struct {
		name    string
		token   string
		figures bool
	}{
		{"anonymous", "", false},
		{"admin", tokens[model.RoleAdmin], true},
		{"manager of the organisation", tokens[model.RoleManager], true},
		{"manager of another organisation", other, false},
		{"regional viewer of 52", tokens[model.RoleRegionalViewer], true},
		{"partner of 93", tokens[model.RolePartner], false},
		{"candidate", tokens[model.RoleCandidate], false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := call(t, app, "GET", "/api/v1/calls", tc.token, "", http.StatusOK)
			got := decodeBody[page[callOut]](t, res)
			if got.Total != 1 || len(got.Items) != 1 || got.Items[0].ID != f.Call.ID {
				t.Fatalf("calls: %s", res.Body)
			}
			c := got.Items[0]
			r := c.Rules
			if c.State != "open" || c.ProgrammeCode != "AMG" || c.Region != "52" || c.TimeZone != "Europe/Paris" ||
				!slices.Equal(r.Kinds, []string{"cpts"}) || r.Region == nil || *r.Region != "52" || r.RoleRequirement == nil ||
				*r.RoleRequirement != "governance" || !r.MustBeAttached || r.MinStage != nil {
				t.Errorf("call: %s", res.Body)
			}
			if (c.Figures != nil) != tc.figures {
				t.Errorf("figures given: %v, want %v", c.Figures != nil, tc.figures)
			}
			if c.Figures != nil && (c.Figures.Submitted != 4 || c.Figures.Eligible != 3 || c.Figures.DistinctCPTS != 1 || c.Figures.RegionCPTS != 2) {
				t.Errorf("figures: %+v", *c.Figures)
			}
			res = call(t, app, "GET", "/api/v1/calls/"+f.Call.ID, tc.token, "", http.StatusOK)
			detail := decodeBody[callOut](t, res)
			if len(detail.Questions) != 2 || detail.Questions[0].Kind != "long_text" || !detail.Questions[0].Required ||
				detail.Questions[0].MinLength == nil || *detail.Questions[0].MinLength != 20 || detail.Questions[1].Kind != "file" {
				t.Errorf("questions: %s", res.Body)
			}
			if (detail.Figures != nil) != tc.figures {
				t.Errorf("call's figures given: %v, want %v", detail.Figures != nil, tc.figures)
			}
		})
	}

	states := []struct {
		query string
		total int
	}{{"?state=open", 1}, {"?state=upcoming", 0}, {"?state=closed", 0}, {"?limit=1&offset=1", 1}}
	for _, tc := range states {
		res := call(t, app, "GET", "/api/v1/calls"+tc.query, "", "", http.StatusOK)
		if got := decodeBody[page[callOut]](t, res); got.Total != tc.total {
			t.Errorf("%s: %s", tc.query, res.Body)
		}
	}
	res := call(t, app, "GET", "/api/v1/calls?state=draft", "", "", http.StatusBadRequest)
	wantField(t, res, "state", "invalid")
	call(t, app, "GET", "/api/v1/calls", "pas-un-jeton", "", http.StatusUnauthorized)

	// The unpublished call: its managers preview it; to anyone else it does not exist.
	for _, token := range []string{tokens[model.RoleAdmin], tokens[model.RoleManager]} {
		res := call(t, app, "GET", "/api/v1/calls/"+hidden.ID, token, "", http.StatusOK)
		if got := decodeBody[callOut](t, res); got.Published || got.State != "unpublished" || got.Figures == nil || got.Figures.Submitted != 0 {
			t.Errorf("unpublished call: %s", res.Body)
		}
	}
	for _, token := range []string{"", other, tokens[model.RoleRegionalViewer], tokens[model.RolePartner], tokens[model.RoleCandidate]} {
		call(t, app, "GET", "/api/v1/calls/"+hidden.ID, token, "", http.StatusNotFound)
	}
	call(t, app, "GET", "/api/v1/calls/inconnu", "", "", http.StatusNotFound)
}

// Applications: a candidate reads their own only; the call's managers read them all; anyone
// else finds nothing, and roles that never read applications may not list them.
func TestAPIApplications(t *testing.T) {
	app := apptest.New(t)
	tokens := tokensFor(app)
	f, ctx := app.Fixture, context.Background()
	helene, paul, declared, msp, _ := reviewWorld(t, app)
	admin := f.Accounts[model.RoleAdmin].ID
	if err := app.Store.OverrideEligibility(ctx, paul.ID, model.OverrideIneligible, "Un seul candidat par CPTS cette fois.", admin); err != nil {
		t.Fatal(err)
	}
	paulToken := apiTokenFor(t, app, paul.AccountID, model.RoleCandidate, "")
	other := otherManager(t, app)
	candidate, manager := tokens[model.RoleCandidate], tokens[model.RoleManager]
	list := "/api/v1/calls/" + f.Call.ID + "/applications"
	one := func(a model.Application) string { return "/api/v1/applications/" + a.ID }

	// The candidate: their own application, with its answers, file and verdict rule by rule.
	res := call(t, app, "GET", "/api/v1/applications", candidate, "", http.StatusOK)
	mine := decodeBody[page[applicationOut]](t, res)
	if mine.Total != 1 || len(mine.Items) != 1 || mine.Items[0].ID != helene.ID {
		t.Fatalf("own applications: %s", res.Body)
	}
	h := mine.Items[0]
	cv := h.Answers[f.Questions[1].ID].File
	if h.Status != "submitted" || h.Receipt == nil || h.Structure == nil || h.Structure.ID != f.CPTSPdl.ID ||
		h.Role == nil || *h.Role != "tresorier" || h.RoleStatus == nil || *h.RoleStatus != "confirmed" ||
		h.Answers[f.Questions[0].ID].Value != reviewMotivation || cv == nil || cv.Name != "cv-helene.pdf" ||
		h.Candidate.Email == nil || *h.Candidate.Email != f.Accounts[model.RoleCandidate].Email {
		t.Errorf("own application: %s", res.Body)
	}
	var rules []string
	for _, r := range h.Eligibility.Rules {
		rules = append(rules, r.Rule+":"+r.Outcome)
	}
	if !slices.Equal(rules, []string{"attached:pass", "kind:pass", "region:pass", "role:pass"}) || !h.Eligibility.ByRules {
		t.Errorf("verdict: %v\n%s", rules, res.Body)
	}
	if cv != nil {
		if got := app.As(model.RoleCandidate).Get(cv.Path); got.StatusCode != http.StatusOK || !strings.HasPrefix(got.Body, "%PDF-") {
			t.Errorf("download %s: %d", cv.Path, got.StatusCode)
		}
	}
	call(t, app, "GET", one(helene), candidate, "", http.StatusOK)
	for _, a := range []model.Application{paul, declared, msp} {
		call(t, app, "GET", one(a), candidate, "", http.StatusNotFound)
	}
	call(t, app, "GET", list, candidate, "", http.StatusForbidden)

	// Another candidate reads theirs, without the manager's decision.
	res = call(t, app, "GET", one(paul), paulToken, "", http.StatusOK)
	if got := decodeBody[applicationOut](t, res); got.Eligibility.Override != nil || got.RoleStatus == nil || *got.RoleStatus != "pending" {
		t.Errorf("Paul's own application: %s", res.Body)
	}
	res = call(t, app, "GET", "/api/v1/applications", paulToken, "", http.StatusOK)
	if got := decodeBody[page[applicationOut]](t, res); got.Total != 1 || got.Items[0].ID != paul.ID {
		t.Errorf("Paul's applications: %s", res.Body)
	}
	call(t, app, "GET", one(helene), paulToken, "", http.StatusNotFound)

	// The call's managers and administrators read every application of the call.
	for _, token := range []string{manager, tokens[model.RoleAdmin]} {
		res := call(t, app, "GET", list, token, "", http.StatusOK)
		all := decodeBody[page[applicationOut]](t, res)
		if all.Total != 6 || len(all.Items) != 6 {
			t.Fatalf("the call's applications: %s", res.Body)
		}
		byID := map[string]applicationOut{}
		for _, a := range all.Items {
			byID[a.ID] = a
		}
		if o := byID[paul.ID].Eligibility.Override; o == nil || o.Decision != "ineligible" || o.Reason == "" {
			t.Errorf("Paul's override: %+v", o)
		}
		if d := byID[declared.ID]; d.Structure != nil || d.Declared == nil || d.Declared.Name != "CPTS du Layon" || !d.Eligibility.NeedsReview {
			t.Errorf("declared structure: %+v", d)
		}
		if m := byID[msp.ID]; m.Eligibility.ByRules || len(m.Eligibility.Reasons) != 1 || !slices.ContainsFunc(m.Eligibility.Rules,
			func(r struct {
				Rule, Outcome string
				Reason        *string
			}) bool {
				return r.Rule == "kind" && r.Outcome == "fail" && r.Reason != nil && *r.Reason != ""
			}) {
			t.Errorf("the MSP's verdict: %+v", m.Eligibility)
		}
		for _, a := range []model.Application{helene, paul, msp} {
			res := call(t, app, "GET", one(a), token, "", http.StatusOK)
			if got := decodeBody[applicationOut](t, res); got.ID != a.ID || got.Call.ID != f.Call.ID {
				t.Errorf("application %s: %s", a.ID, res.Body)
			}
		}
	}
	filters := []struct {
		query string
		total int
	}{
		{"?status=submitted", 4}, {"?status=draft", 1}, {"?status=withdrawn", 1},
		{"?status=submitted&eligibility=eligible", 2}, // not Paul (overridden), nor the MSP
		{"?eligibility=ineligible", 2}, {"?eligibility=review", 1}, {"?limit=2&offset=5", 6},
	}
	for _, tc := range filters {
		res := call(t, app, "GET", list+tc.query, manager, "", http.StatusOK)
		if got := decodeBody[page[applicationOut]](t, res); got.Total != tc.total {
			t.Errorf("%s: total %d, want %d", tc.query, got.Total, tc.total)
		}
	}
	for _, tc := range []struct{ query, field string }{{"?status=accepted", "status"}, {"?eligibility=maybe", "eligibility"}, {"?limit=0", "limit"}} {
		res := call(t, app, "GET", list+tc.query, manager, "", http.StatusBadRequest)
		wantField(t, res, tc.field, "invalid")
	}
	call(t, app, "GET", "/api/v1/calls/inconnu/applications", manager, "", http.StatusNotFound)
	call(t, app, "GET", "/api/v1/applications/inconnue", manager, "", http.StatusNotFound)
	call(t, app, "GET", "/api/v1/applications", manager, "", http.StatusForbidden) // managers do not apply

	// Another organisation's manager, and those who follow the calls without reading the
	// applications: nothing to read.
	call(t, app, "GET", list, other, "", http.StatusNotFound)
	call(t, app, "GET", one(helene), other, "", http.StatusNotFound)
	for _, role := range []model.Role{model.RoleRegionalViewer, model.RolePartner, model.RoleTrainer} {
		call(t, app, "GET", list, tokens[role], "", http.StatusForbidden)
		call(t, app, "GET", "/api/v1/applications", tokens[role], "", http.StatusForbidden)
		call(t, app, "GET", one(helene), tokens[role], "", http.StatusNotFound)
	}
	for _, path := range []string{list, "/api/v1/applications", one(helene)} {
		call(t, app, "GET", path, "", "", http.StatusUnauthorized)
	}
}
