// Command gen builds the WebAssembly model that `chokepoint publish` writes
// into a static folder, and checks that the committed one is up to date.
//
//	go generate ./cmd/chokepoint        (runs: go run ./wasm/gen)
//	go run ./cmd/chokepoint/wasm/gen -check
//
// It writes, next to the wasm package's source (cmd/chokepoint/wasm):
//   - chokepoint.wasm.gz: the package built for js/wasm with -trimpath,
//     -buildvcs=false and -ldflags='-s -w', gzip-compressed (best
//     compression, no name or time in the header, so the same bytes give the
//     same file);
//   - wasm_exec.js: the Go toolchain's loader of that exact version, from
//     $(go env GOROOT)/lib/wasm (or misc/wasm in older toolchains);
//   - toolchain.txt: the go version that built them.
//
// The build is profile-guided: default.pgo, beside the package's source, is
// a CPU profile of the classroom page's request (BenchmarkSimulatePage in
// web, run natively), which go build reads by itself for a main package
// (-pgo=auto). It lets the compiler inline the model's hot calls, which
// cost more in WebAssembly than natively (about 5% of a request's time
// there, docs/performance.md). Refresh it after large changes to the
// model with
//
//	go test ./web -run XXX -bench SimulatePage -benchtime 150x -cpuprofile cmd/chokepoint/wasm/default.pgo
//
// then go generate; a stale profile only optimises less.
//
// Why committed and embedded: a user who installed the chokepoint binary
// may have no Go toolchain, so the binary carries the wasm. Go builds with
// -trimpath and no VCS stamp are reproducible for one toolchain, so -check
// (run by cmd/chokepoint's TestWasmUpToDate) rebuilds it and compares the
// bytes: a change to the model, the engine, the scenarios or the server's
// API code that was not followed by `go generate` fails the tests.
package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

const pkg = "github.com/chokepoint-sim/chokepoint/cmd/chokepoint/wasm"

// The files gen writes into the wasm package's folder.
const (
	WasmFile      = "chokepoint.wasm.gz"
	ExecFile      = "wasm_exec.js"
	ToolchainFile = "toolchain.txt"
)

func main() {
	check := flag.Bool("check", false, "rebuild and compare with the committed files instead of writing them")
	flag.Parse()
	if err := run(*check); err != nil {
		fmt.Fprintln(os.Stderr, "wasm/gen:", err)
		os.Exit(1)
	}
}

func run(check bool) error {
	dir, err := goOut("list", "-e", "-f", "{{.Dir}}", pkg)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "chokepoint-wasm-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	raw, err := build(filepath.Join(tmp, "chokepoint.wasm"))
	if err != nil {
		return err
	}
	execJS, err := wasmExec()
	if err != nil {
		return err
	}
	toolchain, err := goOut("env", "GOVERSION")
	if err != nil {
		return err
	}
	if check {
		return compare(dir, raw, execJS, toolchain)
	}
	gz, err := compress(raw)
	if err != nil {
		return err
	}
	for name, b := range map[string][]byte{WasmFile: gz, ExecFile: execJS, ToolchainFile: []byte(toolchain + "\n")} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("wrote %s (%d bytes, %d uncompressed), %s, %s (%s)\n", filepath.Join(dir, WasmFile), len(gz), len(raw), ExecFile, ToolchainFile, toolchain)
	return nil
}

// compare checks the committed files against a fresh build.
func compare(dir string, raw, execJS []byte, toolchain string) error {
	const regen = "run `go generate ./cmd/chokepoint` and commit cmd/chokepoint/wasm"
	committed, err := os.ReadFile(filepath.Join(dir, ToolchainFile))
	if err != nil {
		return fmt.Errorf("%v; %s", err, regen)
	}
	if got := strings.TrimSpace(string(committed)); got != toolchain {
		return fmt.Errorf("the committed wasm was built with %s, this toolchain is %s; %s", got, toolchain, regen)
	}
	gz, err := os.ReadFile(filepath.Join(dir, WasmFile))
	if err != nil {
		return fmt.Errorf("%v; %s", err, regen)
	}
	old, err := decompress(gz)
	if err != nil {
		return fmt.Errorf("%s: %v; %s", WasmFile, err, regen)
	}
	if !bytes.Equal(old, raw) {
		return fmt.Errorf("%s is stale: the source builds a different wasm (%d bytes, committed %d); %s", WasmFile, len(raw), len(old), regen)
	}
	oldJS, err := os.ReadFile(filepath.Join(dir, ExecFile))
	if err != nil || !bytes.Equal(oldJS, execJS) {
		return fmt.Errorf("%s differs from the toolchain's; %s", ExecFile, regen)
	}
	return nil
}

// build compiles the wasm package into out and returns its bytes. The
// environment is pinned to what changes the output: GOFLAGS, GOEXPERIMENT
// and GOWASM from the caller would make another file.
func build(out string) ([]byte, error) {
	cmd := exec.Command(goCmd(), "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOFLAGS=", "GOEXPERIMENT=", "GOWASM=", "CGO_ENABLED=0")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go build for js/wasm: %v", err)
	}
	return os.ReadFile(out)
}

// wasmExec is the toolchain's wasm_exec.js.
func wasmExec() ([]byte, error) {
	root, err := goOut("env", "GOROOT")
	if err != nil {
		return nil, err
	}
	for _, sub := range []string{"lib/wasm", "misc/wasm"} {
		b, err := os.ReadFile(filepath.Join(root, sub, ExecFile))
		if err == nil {
			return b, nil
		}
	}
	return nil, fmt.Errorf("no %s in %s/lib/wasm or %s/misc/wasm", ExecFile, root, root)
}

func compress(raw []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(raw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func decompress(gz []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

func goCmd() string {
	if p := filepath.Join(os.Getenv("GOROOT"), "bin", "go"); os.Getenv("GOROOT") != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "go"
}

func goOut(args ...string) (string, error) {
	out, err := exec.Command(goCmd(), args...).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", fmt.Errorf("go %s: %v: %s", strings.Join(args, " "), err, ee.Stderr)
		}
		return "", fmt.Errorf("go %s: %v", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out)), nil
}
