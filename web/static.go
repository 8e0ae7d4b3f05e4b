//go:build !js

package web

import "embed"

// staticFS holds the page: index.html, app.js, style.css, exercises.json.
//
//go:embed static
var staticFS embed.FS
