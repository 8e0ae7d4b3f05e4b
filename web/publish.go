//go:build !js

package web

import (
	"embed"
	"fmt"
	"html"
	"io/fs"
	"strings"
)

// publishFS holds publish.js and publish-worker.js, the published page's
// loader of the model (in a worker, beside Go's wasm_exec.js).
//
//go:embed publish
var publishFS embed.FS

// WasmFile is the name of the model compiled to WebAssembly, gzip-compressed,
// in a published folder; publish-worker.js loads it.
const WasmFile = "chokepoint.wasm.gz"

// PublishNotice is the line the published page shows above everything
// else: an embedded page may be seen without the footer that says the same.
const PublishNotice = "Not a forecast. Every number is conditional on the model's assumptions " +
	"(see the note at the bottom). The model runs in your browser; nothing you do here is sent anywhere."

// publishCSP is the published page's policy, the server's (see protect) with
// WebAssembly allowed; frame-ancestors is left out so that an article can
// embed the page (and a meta element cannot set it anyway).
const publishCSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data: blob:; " +
	"style-src 'self' 'unsafe-inline'; connect-src 'self'; object-src 'none'; base-uri 'none'"

// serverOnly are the page's files that need a server (class mode: a
// class lives on the server that runs it): left out of a published folder.
var serverOnly = map[string]bool{"class.js": true, "class.css": true, "teacher.html": true, "teacher.js": true}

// PublishedPage returns the classroom page's files as `chokepoint publish`
// writes them into a static folder, by name: the page's own files, with
// index.html loading publish.js before app.js, carrying
// the version and a policy that allows no request beyond the folder, and
// saying first that it is not a forecast; publish-worker.js runs the model. The caller adds the model
// (chokepoint.wasm.gz) and the Go toolchain's wasm_exec.js.
func PublishedPage(version string) (map[string][]byte, error) {
	files := map[string][]byte{}
	for _, src := range []struct {
		fsys fs.FS
		dir  string
	}{{staticFS, "static"}, {publishFS, "publish"}} {
		sub, err := fs.Sub(src.fsys, src.dir)
		if err != nil {
			return nil, err
		}
		err = fs.WalkDir(sub, ".", func(name string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if serverOnly[name] {
				return nil
			}
			b, err := fs.ReadFile(sub, name)
			files[name] = b
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	index, err := publishedIndex(string(files["index.html"]), version)
	if err != nil {
		return nil, err
	}
	files["index.html"] = []byte(index)
	return files, nil
}

// publishedIndex rewrites the server's index.html for a static folder.
func publishedIndex(page, version string) (string, error) {
	edits := []struct{ anchor, with string }{
		{`<meta charset="utf-8">`, `<meta charset="utf-8">` + "\n" +
			`<meta http-equiv="Content-Security-Policy" content="` + publishCSP + `">` + "\n" +
			`<meta name="chokepoint-version" content="` + html.EscapeString(version) + `">`},
		// Deferred scripts run in document order: the API is in place
		// before app.js asks for it.
		{`<script src="app.js" defer></script>`, `<script src="publish.js" defer></script>` + "\n" + `<script src="app.js" defer></script>`},
		{"<body>", "<body>\n" + `<p class="published-notice" role="note" style="margin:0;padding:.5em 1em;` +
			`background:#fff4d6;border-bottom:1px solid #e0c97a;font-size:.95em">` + html.EscapeString(PublishNotice) + `</p>`},
	}
	// Class mode needs its server: without class.js the page is the plain one.
	page = strings.Replace(page, `<script src="class.js" defer></script>`+"\n", "", 1)
	for _, e := range edits {
		if strings.Count(page, e.anchor) != 1 {
			return "", fmt.Errorf("web: publishing the page: index.html must hold %q exactly once", e.anchor)
		}
		page = strings.Replace(page, e.anchor, e.with, 1)
	}
	return page, nil
}
