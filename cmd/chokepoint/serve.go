package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/chokepoint-sim/chokepoint/web"
)

func newServeCmd() *cobra.Command {
	var (
		addr       string
		maxRuns    int
		timeout    time.Duration
		allowHosts []string
		ens        ensembleFlag
		class      bool
		classFile  string
	)
	c := &cobra.Command{
		Use:   "serve",
		Short: "Serve the classroom page: policy sliders, live charts, exercises",
		Long: `Serve the classroom page and its JSON API from this binary: no CDN and no
network needed. Open the address it prints in a browser. By default it
listens on 127.0.0.1 only, so nobody else on the network can reach it; give
--addr 0.0.0.0:8080 to serve a classroom (every request is capped in runs,
body size and time).

On 127.0.0.1 the server answers only requests that call it localhost,
127.0.0.1 or [::1] (or a name given with --allow-host), so that a web page
whose name was pointed at this machine cannot use it. On another address
(0.0.0.0, a classroom network's) it answers to any name, unless names are
given with --allow-host: then to those and to IP addresses only. Whatever
the address, it runs simulations only for its own page: POST /api/simulate
must be application/json and not sent from another site's page.

Above about 20,000 runs a request's quantiles come from sketches with 0.5%
relative accuracy, as in chokepoint run; memory stays bounded, and the time
limit bounds the rest.

API: GET /api/scenarios, GET /api/levers, GET /api/outputs, POST /api/simulate
(a JSON object: scenario, runs, seed, from, set of lever and parameter
values, outputs, baseline; GET /api/levers lists what set takes).
docs/classroom.md has the exercises.`,
		Example: `  chokepoint serve
  chokepoint serve --addr 0.0.0.0:8080 --max-runs 1000`,
		RunE: func(cmd *cobra.Command, args []string) error {
			host, err := checkServeFlags(addr, maxRuns, timeout, allowHosts)
			if err != nil {
				return err
			}
			posterior, err := ens.read(registry())
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			ln, err := listen(addr)
			if err != nil {
				return err
			}
			srv := &web.Server{Model: theModel, MaxRuns: maxRuns, Timeout: timeout, Version: version,
				Addr: ln.Addr().String(), AllowHosts: allowHosts, Ensemble: posterior,
				Log: log.New(cmd.ErrOrStderr(), "chokepoint serve: ", log.LstdFlags)}
			if class || classFile != "" {
				closeClass, err := startClass(srv, classFile, maxRuns)
				if err != nil {
					ln.Close()
					return err
				}
				defer closeClass()
			}
			hs := &http.Server{
				Handler:           srv.Handler(),
				ReadHeaderTimeout: 5 * time.Second,
				ReadTimeout:       15 * time.Second,
				WriteTimeout:      timeout + 15*time.Second,
				IdleTimeout:       2 * time.Minute,
				MaxHeaderBytes:    32 << 10,
				ErrorLog:          srv.Log,
			}
			if srv.Class != nil {
				// A teacher's long poll would hold the shutdown for its
				// ten seconds: ending the waits lets it answer now. The
				// last save comes after Shutdown, when no handler runs
				// (a save from this hook's goroutine could outlive serve).
				hs.RegisterOnShutdown(srv.Class.EndWaits)
			}
			url := "http://" + ln.Addr().String() + "/"
			if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
				url = fmt.Sprintf("http://127.0.0.1:%d/", ln.Addr().(*net.TCPAddr).Port)
				fmt.Fprintf(out, "Listening on every network interface: anyone who can reach this machine can use the page.\n")
			}
			fmt.Fprintf(out, "chokepoint classroom page at %s (Ctrl-C to stop)\n", url)
			if srv.Class != nil {
				printClass(out, srv.Class, url, host, classFile)
			}

			ctx := cmd.Context()
			done := make(chan error, 1)
			go func() { done <- hs.Serve(ln) }()
			select {
			case err := <-done:
				return err
			case <-ctx.Done():
			}
			shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := hs.Shutdown(shut); err != nil && !errors.Is(err, context.DeadlineExceeded) {
				return err
			}
			if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			fmt.Fprintln(out, "stopped")
			return nil
		},
	}
	fl := c.Flags()
	fl.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on (host:port); 127.0.0.1 keeps it on this machine")
	fl.IntVar(&maxRuns, "max-runs", web.DefaultMaxRuns, "most runs one request may ask for")
	fl.DurationVar(&timeout, "timeout", web.DefaultTimeout, "time limit of one simulate request, queueing included")
	fl.StringArrayVar(&allowHosts, "allow-host", nil, "a further host name requests may call the server by (repeatable), e.g. behind a proxy")
	fl.BoolVar(&class, "class", false, "run a facilitated class: print a join code for students and a teacher link (docs/classroom.md)")
	fl.StringVar(&classFile, "class-file", "", "save the class to this file (written atomically after every change) and restore it from there on a restart; implies --class")
	ens.register(c)
	return c
}

// listen opens addr, saying plainly when the port is taken.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		var se *os.SyscallError
		if errors.As(err, &se) && errors.Is(se.Err, syscall.EADDRINUSE) {
			return nil, fmt.Errorf("cannot listen on %s: the port is in use (another chokepoint serve?); choose another with --addr", addr)
		}
		return nil, fmt.Errorf("cannot listen on %s: %v", addr, err)
	}
	return ln, nil
}

// startClass opens the class (a new one, or the one saved in file) and
// returns what closes it.
func startClass(srv *web.Server, file string, maxRuns int) (func(), error) {
	c, err := web.OpenClass(file)
	if err != nil {
		return nil, usagef("--class-file %v", err)
	}
	srv.Class = c
	srv.DefaultRuns = min(classRuns, maxRuns)
	return func() {
		if err := c.Close(); err != nil {
			srv.Log.Print(err)
		}
	}, nil
}

// classRuns is the page's runs in class mode: 60 teams moving a slider
// every 2 s ask for 30 batches a second, which 200 runs keep within two
// cores (docs/performance.md); a team can still choose more.
const classRuns = 200

// printClass tells the teacher how students join and where the teacher's
// view is. The token is printed here only: no page a student opens shows it.
func printClass(out io.Writer, c *web.Class, url, host, file string) {
	student := url
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() || host == "localhost" {
		fmt.Fprintf(out, "Class mode on %s: only this machine can join; to let students join over the network, add --addr 0.0.0.0:%s\n",
			host, strings.TrimSuffix(url[strings.LastIndex(url, ":")+1:], "/"))
	} else if lan := lanAddress(); lan != "" {
		student = strings.Replace(url, "127.0.0.1", lan, 1)
	}
	fmt.Fprintf(out, "Students open %s and type the class code %s with a team name (at most %d teams).\n", student, c.JoinCode(), web.MaxTeams)
	fmt.Fprintf(out, "Teacher view (keep this link to yourself: it controls the class): %steacher.html#token=%s\n", url, c.TeacherToken())
	switch {
	case file == "":
		fmt.Fprintln(out, "The class is kept in memory only: give --class-file FILE to survive a restart.")
	case c.Restored():
		fmt.Fprintf(out, "Class restored from %s: %d team(s).\n", file, c.Teams())
	default:
		fmt.Fprintf(out, "Class saved to %s after every change.\n", file)
	}
}

// lanAddress is this machine's first non-loopback IPv4 address, the one
// students on the classroom network most likely reach it by.
func lanAddress() string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return ""
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil && !n.IP.IsLinkLocalUnicast() {
			return n.IP.String()
		}
	}
	return ""
}

// checkServeFlags checks serve's flags and returns the host to listen on.
func checkServeFlags(addr string, runs int, timeout time.Duration, allowHosts []string) (string, error) {
	if runs < 1 || runs > maxRuns {
		return "", usagef("--max-runs: expected a whole number from 1 to %d, found %d", maxRuns, runs)
	}
	if timeout <= 0 {
		return "", usagef("--timeout: expected a positive duration such as 10s, found %s", timeout)
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", usagef("--addr: expected host:port such as 127.0.0.1:8080, found %q", addr)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return "", usagef("--addr: expected a port from 0 to 65535 in host:port such as 127.0.0.1:8080, found %q", addr)
	}
	for _, h := range allowHosts {
		if h == "" || strings.ContainsAny(h, ":/ []") {
			return "", usagef("--allow-host: expected a host name such as classroom.example (no scheme or port), found %q", h)
		}
	}
	return host, nil
}
