package main

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lockedBuffer is a buffer the server writes to while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// serve on the loopback interface answers only requests that name it by
// a loopback name, and only JSON posts.
func TestServeChecksHostAndContentType(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb lockedBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, &out, &errb) }()
	at := regexp.MustCompile(`http://127\.0\.0\.1:(\d+)/`)
	require.Eventually(t, func() bool { return at.MatchString(out.String()) }, 30*time.Second, 20*time.Millisecond, errb.String())
	m := at.FindStringSubmatch(out.String())
	url, port := m[0], m[1]

	status := func(method, host, ct, body string) int {
		path := "api/levers"
		if method == http.MethodPost {
			path = "api/simulate"
		}
		req, err := http.NewRequest(method, url+path, strings.NewReader(body))
		require.NoError(t, err)
		req.Host = host
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, http.StatusOK, status("GET", "localhost:"+port, "", ""))
	assert.Equal(t, http.StatusMisdirectedRequest, status("GET", "attacker.example:"+port, "", ""))
	assert.Equal(t, http.StatusOK, status("POST", "127.0.0.1:"+port, "application/json", `{"runs": 2}`))
	assert.Equal(t, http.StatusUnsupportedMediaType, status("POST", "127.0.0.1:"+port, "text/plain", `{"runs": 2}`))

	cancel()
	select {
	case code := <-done:
		assert.Equal(t, 0, code, errb.String())
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// --allow-host takes a host name: a URL or host:port is a usage error.
func TestServeBadAllowHost(t *testing.T) {
	for _, h := range []string{"", "http://class.example", "class.example:8080"} {
		code, stdout, stderr := cli(t, "serve", "--addr", "127.0.0.1:0", "--allow-host", h)
		assert.Equal(t, 2, code, h)
		assert.Empty(t, stdout, h)
		assert.Equal(t, "chokepoint: --allow-host: expected a host name such as classroom.example (no scheme or port), found \""+h+"\"\n", stderr)
	}
}
