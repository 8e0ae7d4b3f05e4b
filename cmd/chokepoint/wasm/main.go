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
	"context"
	"encoding/binary"
	"errors"
	"math"
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
		srv := &web.Server{Model: models.China{}, Version: version, Helper: helper}
		h := srv.Handler()
		part = srv
		return js.FuncOf(func(_ js.Value, args []js.Value) any {
			return answer(h, args)
		})
	}))
	// chokepointPart(body, baseline, lo, hi) runs a part of a batch for
	// another worker's model (web.Server.RunPart) and gives a Promise of
	// the values as bytes (little-endian float64s).
	js.Global().Set("chokepointPart", js.FuncOf(func(_ js.Value, args []js.Value) any {
		return runPart(args)
	}))
	select {} // keep the functions alive for the page's lifetime
}

// part is the Server chokepointStart made: the one that runs parts.
var part *web.Server

// runPart answers chokepointPart.
func runPart(args []js.Value) any {
	if len(args) < 4 || part == nil {
		return js.Global().Get("Promise").Call("reject", js.Global().Get("Error").New("chokepointPart: expected (body, baseline, lo, hi) after chokepointStart"))
	}
	body, baseline, lo, hi := []byte(args[0].String()), args[1].Bool(), args[2].Int(), args[3].Int()
	executor := js.FuncOf(func(_ js.Value, p []js.Value) any {
		resolve, reject := p[0], p[1]
		go func() {
			vals, err := part.RunPart(context.Background(), body, baseline, lo, hi)
			if err != nil {
				reject.Invoke(js.Global().Get("Error").New(err.Error()))
				return
			}
			b := make([]byte, 8*len(vals))
			for i, v := range vals {
				binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
			}
			u8 := js.Global().Get("Uint8Array").New(len(b))
			js.CopyBytesToJS(u8, b)
			resolve.Invoke(u8)
		}()
		return nil
	})
	defer executor.Release()
	return js.Global().Get("Promise").New(executor)
}

// helper is the Server's Helper: it asks the page's second worker, through
// the chokepointRemote function publish-worker.js defines there, to run
// runs [lo, hi). Without that function (one core, or the second worker
// failed to start) the wait reports it and the Server runs them itself.
func helper(body []byte, baseline bool, lo, hi int) func(context.Context) ([]float64, error) {
	type answer struct {
		vals []float64
		err  error
	}
	done := make(chan answer, 1)
	remote := js.Global().Get("chokepointRemote")
	if remote.Type() != js.TypeFunction {
		done <- answer{err: errors.New("no second worker")}
		return func(context.Context) ([]float64, error) { a := <-done; return a.vals, a.err }
	}
	var then, catch js.Func
	release := func() { then.Release(); catch.Release() }
	then = js.FuncOf(func(_ js.Value, a []js.Value) any {
		defer release()
		b := make([]byte, a[0].Get("length").Int())
		js.CopyBytesToGo(b, a[0])
		vals := make([]float64, len(b)/8)
		for i := range vals {
			vals[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
		}
		done <- answer{vals: vals}
		return nil
	})
	catch = js.FuncOf(func(_ js.Value, a []js.Value) any {
		defer release()
		done <- answer{err: errors.New(a[0].Call("toString").String())}
		return nil
	})
	// Posted now, before this worker starts its own half.
	remote.Invoke(string(body), baseline, lo, hi).Call("then", then, catch)
	return func(ctx context.Context) ([]float64, error) {
		select {
		case a := <-done:
			return a.vals, a.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
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
