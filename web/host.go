package web

import (
	"net"
	"net/http"
	"sort"
	"strings"
)

// hostPolicy decides which names a request may call the server by (its
// Host header). A page of any site can make a browser send requests to
// 127.0.0.1 under that site's own name once the name resolves there (DNS
// rebinding); the browser then treats the answers as the site's. Names
// are checked, not ports: the attack needs a name, whatever the port.
type hostPolicy struct {
	// any is true when every name is accepted: the server listens on a
	// network other machines reach and no names were given.
	any bool
	// addresses is true when every IP address is accepted (an address is
	// never a rebound name): the server listens beyond the loopback
	// interface. Loopback addresses are always accepted.
	addresses bool
	// names are the names accepted, lower case, without a trailing dot.
	names map[string]bool
}

// newHostPolicy is the policy of a server listening on addr (host:port;
// empty means a loopback address) that also answers to allow.
func newHostPolicy(addr string, allow []string) *hostPolicy {
	host := "127.0.0.1"
	if addr != "" {
		host = addr
		if h, _, err := net.SplitHostPort(addr); err == nil {
			host = h
		}
	}
	host = hostName(host)
	ip := net.ParseIP(host)
	loopback := host == "localhost" || (ip != nil && ip.IsLoopback())
	p := &hostPolicy{any: !loopback && len(allow) == 0, addresses: !loopback, names: map[string]bool{"localhost": true}}
	if host != "" && (ip == nil || !ip.IsUnspecified()) {
		p.names[host] = true
	}
	for _, n := range allow {
		p.names[hostName(n)] = true
	}
	return p
}

// hostName is the host part of a Host header, lower case, without
// brackets, port or trailing dot.
func hostName(h string) string {
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	return strings.ToLower(strings.TrimSuffix(h, "."))
}

func (p *hostPolicy) allows(host string) bool {
	if p.any {
		return true
	}
	h := hostName(host)
	if p.names[h] {
		return true
	}
	if ip := net.ParseIP(h); ip != nil {
		return ip.IsLoopback() || p.addresses
	}
	return false
}

// accepted lists the names for the refusal's message.
func (p *hostPolicy) accepted() string {
	names := []string{"127.0.0.1", "[::1]"}
	for n := range p.names {
		if strings.Contains(n, ":") {
			n = "[" + n + "]"
		}
		if n != "127.0.0.1" && n != "[::1]" {
			names = append(names, n)
		}
	}
	sort.Strings(names[2:])
	if p.addresses {
		names = append(names, "any IP address of this machine")
	}
	return strings.Join(names, ", ")
}

// checkHost refuses a request that names another host (421 Misdirected
// Request).
func (s *Server) checkHost(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hosts.allows(r.Host) {
			writeError(w, http.StatusMisdirectedRequest, "host %q is not a name of this server: it answers to %s "+
				"(chokepoint serve --allow-host NAME adds a name)", r.Host, s.hosts.accepted())
			return
		}
		h.ServeHTTP(w, r)
	})
}
