//go:build js && wasm

// Command wasm is the model and the classroom page's API compiled to
// WebAssembly, for the static folder `chokepoint publish` writes. It answers
// the page's four requests (GET api/scenarios, api/levers, api/outputs and
// POST api/simulate) with the classroom server's own handler, so that the
// published page gets the same JSON, byte for byte, as `chokepoint serve`.
//
// It registers one global function, chokepointStart(version), which returns
// the page's API function: api(path, body) gives a Promise of {status, body}
// (body a JSON string). publish-worker.js calls it in a Web Worker; app.js
// reaches the API function through window.chokepointAPI, which publish.js
// forwards to the worker.
//
// Build with `go generate ./cmd/chokepoint` (see gen/main.go), never by hand:
// the .wasm is committed and a test checks that it matches the source.
package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall/js"

	"github.com/chokepoint-sim/chokepoint/models"
	"github.com/chokepoint-sim/chokepoint/web"
)

func main() {
	js.Global().Set("chokepointStart", js.FuncOf(func(_ js.Value, args []js.Value) any {
		version := ""
		if len(args) > 0 && args[0].Type() == js.TypeString {
			version = args[0].String()
		}
		// The same model as the chokepoint binary's (cmd/chokepoint/model.go)
		// and the server's defaults: the numbers do not depend on the worker
		// count, so one thread gives what serve gives.
		srv := &web.Server{Model: models.China{}, Version: version}
		h := srv.Handler()
		return js.FuncOf(func(_ js.Value, args []js.Value) any {
			return answer(h, args)
		})
	}))
	select {} // keep the functions alive for the page's lifetime
}

// answer serves one API call in a goroutine (a JS callback must not block)
// and returns a Promise of {status, body}.
func answer(h http.Handler, args []js.Value) any {
	path, body := "", ""
	if len(args) > 0 && args[0].Type() == js.TypeString {
		path = args[0].String()
	}
	hasBody := len(args) > 1 && args[1].Type() == js.TypeString
	if hasBody {
		body = args[1].String()
	}
	executor := js.FuncOf(func(_ js.Value, p []js.Value) any {
		resolve := p[0]
		go func() {
			status, out := serve(h, path, body, hasBody)
			resolve.Invoke(map[string]any{"status": status, "body": out})
		}()
		return nil
	})
	defer executor.Release()
	return js.Global().Get("Promise").New(executor)
}

// serve runs the request through the server's handler as the page's fetch
// would send it: GET without a body, POST with a JSON body, to localhost.
func serve(h http.Handler, path, body string, hasBody bool) (int, string) {
	method, ct := http.MethodGet, ""
	if hasBody {
		method, ct = http.MethodPost, "application/json"
	}
	req, err := http.NewRequest(method, "http://localhost/"+strings.TrimPrefix(path, "/"), strings.NewReader(body))
	if err != nil {
		return http.StatusBadRequest, `{"error":"bad request path"}`
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, string(bytes.TrimSpace(rec.Body.Bytes()))
}
