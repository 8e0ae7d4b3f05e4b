//go:build js

package web

import "embed"

// staticFS is empty in the WebAssembly build (chokepoint publish): there
// the page is served by a static host and the model only answers the API,
// so the page's files stay out of the .wasm, which then changes only when
// the model or its API code does, not when the page does.
var staticFS embed.FS
