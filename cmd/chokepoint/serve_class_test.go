package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serve --class prints the join code and the teacher link; the token in
// the link opens the teacher's API; a restart with the same --class-file
// prints the same code and token.
func TestServeClass(t *testing.T) {
	file := filepath.Join(t.TempDir(), "class.json")
	start := func() (code, token, url, out string) {
		ctx, cancel := context.WithCancel(context.Background())
		var o, e lockedBuffer
		done := make(chan int, 1)
		go func() { done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--class-file", file}, &o, &e) }()
		link := regexp.MustCompile(`(http://127\.0\.0\.1:\d+/)teacher\.html#token=([A-Z0-9]+)`)
		require.Eventually(t, func() bool { return link.MatchString(o.String()) }, 30*time.Second, 20*time.Millisecond, e.String())
		m := link.FindStringSubmatch(o.String())
		url, token = m[1], m[2]
		code = regexp.MustCompile(`class code ([A-Z0-9]{4}-[A-Z0-9]{4})`).FindStringSubmatch(o.String())[1]

		req, err := http.NewRequest("GET", url+"api/class/teacher", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		resp, err = http.Post(url+"api/class/join", "application/json", strings.NewReader(`{"code": "`+code+`", "team": "T`+
			time.Now().Format("150405.000000")+`"}`))
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusCreated, resp.StatusCode)
		cancel()
		assert.Equal(t, exitOK, <-done)
		// Once serve has returned nothing writes beside the class file
		// (a save left running in a shutdown hook once did).
		entries, err := os.ReadDir(filepath.Dir(file))
		require.NoError(t, err)
		assert.Len(t, entries, 1, "only the class file")
		return code, token, url, o.String()
	}
	code, token, _, out := start()
	assert.Contains(t, out, "Class saved to "+file)
	assert.Contains(t, out, "add --addr 0.0.0.0:", "on loopback, says how to let students in")
	code2, token2, _, out2 := start()
	assert.Equal(t, code, code2)
	assert.Equal(t, token, token2)
	assert.Contains(t, out2, "Class restored from "+file+": 1 team(s).")
}

// A damaged class file stops serve with exit 2, one message naming the
// file and line, and the file untouched.
func TestServeClassBadFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "class.json")
	bad := "{\n  \"version\": 1,\n  \"teams\": 3\n}\n"
	require.NoError(t, os.WriteFile(file, []byte(bad), 0o600))
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--class-file", file}, &out, &errb)
	assert.Equal(t, 2, code)
	assert.Contains(t, errb.String(), file+": line 3: not a class file")
	assert.NotContains(t, out.String(), "teacher.html")
	b, _ := os.ReadFile(file)
	assert.Equal(t, bad, string(b))
}
