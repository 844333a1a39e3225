package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/gsupervisor/gsupervisor/internal/surface"
)

// assetDir is the URL directory of the embedded assets (/ui/app.js).
const assetDir = "ui"

//go:embed assets
var assetFS embed.FS

//go:embed templates/*.html
var templateFS embed.FS

// pageTemplates are the pages (status.html, tail.html).
var pageTemplates = template.Must(template.ParseFS(templateFS, "templates/*.html"))

// asset is one embedded file, ready to serve.
type asset struct {
	data        []byte
	etag        string
	contentType string
}

// assets are the embedded files by name ("app.js", "css/x.css").
var assets = loadAssets()

// loadAssets reads every embedded asset and computes its ETag once.
func loadAssets() map[string]asset {
	m := make(map[string]asset)
	err := fs.WalkDir(assetFS, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := assetFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = "application/octet-stream"
		}
		m[strings.TrimPrefix(p, "assets/")] = asset{data: b, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, contentType: ct}
		return nil
	})
	if err != nil {
		panic("web: reading the embedded assets: " + err.Error())
	}
	return m
}

// serveAsset serves an embedded asset with a strong ETag: browsers
// revalidate it each time (the daemon may have been upgraded) and get 304
// while it is unchanged.
func serveAsset(w http.ResponseWriter, r *http.Request, name string) {
	a, ok := assets[name]
	if !ok {
		surface.WriteHTMLError(w, http.StatusNotFound)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		surface.WriteHTMLError(w, http.StatusBadRequest)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("ETag", a.etag)
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(a.data))
}
