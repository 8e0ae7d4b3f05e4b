package web

import (
	"sync"
	"time"
)

// bucket is a token bucket: it holds at most burst tokens and gains rate
// tokens a second; each request takes one. The zero bucket is full on
// first use.
type bucket struct {
	tokens float64
	last   time.Time
}

// allow takes a token if there is one.
func (b *bucket) allow(now time.Time, rate, burst float64) bool {
	if b.last.IsZero() {
		b.tokens = burst
	} else if d := now.Sub(b.last).Seconds(); d > 0 {
		b.tokens = min(burst, b.tokens+d*rate)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// keyedLimiter keeps one bucket per key (a client's IP address) and one
// for everyone, so that one noisy client cannot spend everyone's
// allowance and many cannot together exceed the total. It holds at most
// maxKeys buckets: when full, it forgets buckets that have refilled.
type keyedLimiter struct {
	mu          sync.Mutex
	rate, burst float64 // per key
	total       bucket
	totalRate   float64
	totalBurst  float64
	keys        map[string]*bucket
	maxKeys     int
	now         func() time.Time
}

func newKeyedLimiter(rate, burst, totalRate, totalBurst float64) *keyedLimiter {
	return &keyedLimiter{rate: rate, burst: burst, totalRate: totalRate, totalBurst: totalBurst,
		keys: map[string]*bucket{}, maxKeys: 4096, now: time.Now}
}

// ok says whether key's bucket and the total each hold a token, without
// taking one: a check made before the work whose failure takes one.
func (l *keyedLimiter) ok(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	refill := func(b *bucket, rate, burst float64) bool {
		if b.last.IsZero() {
			return true
		}
		return min(burst, b.tokens+now.Sub(b.last).Seconds()*rate) >= 1
	}
	if b := l.keys[key]; b != nil && !refill(b, l.rate, l.burst) {
		return false
	}
	return refill(&l.total, l.totalRate, l.totalBurst)
}

// allow takes a token from key's bucket and from the total.
func (l *keyedLimiter) allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.keys[key]
	if b == nil {
		if len(l.keys) >= l.maxKeys {
			l.forget(now)
		}
		if len(l.keys) >= l.maxKeys {
			return false
		}
		b = &bucket{}
		l.keys[key] = b
	}
	if !b.allow(now, l.rate, l.burst) {
		return false
	}
	return l.total.allow(now, l.totalRate, l.totalBurst)
}

// forget drops the buckets that would be full by now.
func (l *keyedLimiter) forget(now time.Time) {
	full := time.Duration(l.burst / l.rate * float64(time.Second))
	for k, b := range l.keys {
		if now.Sub(b.last) >= full {
			delete(l.keys, k)
		}
	}
}
