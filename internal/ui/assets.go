package ui

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"strings"
	"time"

	"parcours/internal/config"
	"parcours/internal/i18n"
	"parcours/internal/territory"
)

//go:embed static
var staticFS embed.FS

// asset is a file served under /static/, with the checksum that busts caches when it changes.
type asset struct {
	body []byte
	typ  string
	hash string
}

type assets struct{ files map[string]asset }

// loadAssets reads the embedded files, the theme made from the operator's colour and the
// operator's logo.
func loadAssets(cfg *config.Config) (*assets, error) {
	a := &assets{files: map[string]asset{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		a.add(strings.TrimPrefix(p, "static/"), body)
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The accent colour is configuration, not code: a tiny stylesheet of its own, so that the
	// Content-Security-Policy needs no inline style.
	a.add("theme.css", []byte(fmt.Sprintf(":root{--parcours-accent:%s;}\n", cfg.BrandColor)))
	logo, name := a.files["parcours-logo.svg"].body, "logo.svg"
	if cfg.BrandLogo != "" {
		if logo, err = os.ReadFile(cfg.BrandLogo); err != nil {
			return nil, err
		}
		name = "logo" + path.Ext(cfg.BrandLogo)
	}
	a.add("logo", logo)
	f := a.files["logo"]
	f.typ = mime.TypeByExtension(path.Ext(name))
	a.files["logo"] = f
	return a, nil
}

func (a *assets) add(name string, body []byte) {
	sum := sha256.Sum256(body)
	typ := mime.TypeByExtension(path.Ext(name))
	if typ == "" {
		typ = "application/octet-stream"
	}
	a.files[name] = asset{body: body, typ: typ, hash: hex.EncodeToString(sum[:])[:12]}
}

// url is the cache-busting address of an asset: /static/NAME?v=CHECKSUM.
func (a *assets) url(name string) string {
	f, ok := a.files[name]
	if !ok {
		return "/static/" + name
	}
	return "/static/" + name + "?v=" + f.hash
}

// Static serves an asset; with the current checksum it may be cached for a year.
func (h *Handler) Static(w http.ResponseWriter, r *http.Request) {
	f, ok := h.assets.files[r.PathValue("file")]
	if !ok {
		h.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", f.typ)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if r.URL.Query().Get("v") == f.hash {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("ETag", `"`+f.hash+`"`)
	http.ServeContent(w, r, "", time.Time{}, strings.NewReader(string(f.body)))
}

func regionName(code string) string {
	if r, ok := territory.RegionByCode(code); ok {
		return r.Name
	}
	return code
}

func departementName(code string) string {
	if d, ok := territory.DepartementByCode(code); ok {
		return d.Name + " (" + d.Code + ")"
	}
	return code
}

// dateIn writes an instant in the time zone of a région, naming the zone.
func dateIn(t time.Time, regionCode string) string {
	if t.IsZero() {
		return ""
	}
	loc := time.UTC
	if r, ok := territory.RegionByCode(regionCode); ok {
		loc = r.Location()
	} else if paris, err := time.LoadLocation("Europe/Paris"); err == nil {
		loc = paris
	}
	return i18n.DateTimeZone(t, loc)
}

type regionOption struct {
	option
	region string
}

// departementOptions lists every département as "44 — Loire-Atlantique", with its région.
func departementOptions() []regionOption {
	var out []regionOption
	for _, d := range territory.Departements() {
		out = append(out, regionOption{option{d.Code, d.Code + " — " + d.Name}, d.RegionCode})
	}
	return out
}
