package web

import (
	"container/list"
	"context"
	"errors"
	"sync"
)

// cache keeps the last results by job key (least recently used out) and
// lets concurrent requests for one key share a single batch. Results are
// never modified after they are stored.
type cache struct {
	mu    sync.Mutex
	size  int
	order *list.List // of *entry, most recent first
	items map[string]*list.Element
	// running holds batches in flight, by key.
	running map[string]*flight
}

type entry struct {
	key string
	val map[string]*outputSeries
}

type flight struct {
	done chan struct{}
	val  map[string]*outputSeries
	err  error
}

func newCache(size int) *cache {
	return &cache{size: size, order: list.New(), items: map[string]*list.Element{}, running: map[string]*flight{}}
}

// do returns the value for key, computing it with compute unless it is
// stored or being computed. A waiter whose leader was cancelled computes
// it itself rather than inherit someone else's cancellation.
func (c *cache) do(ctx context.Context, key string, compute func() (map[string]*outputSeries, error)) (map[string]*outputSeries, error) {
	for {
		c.mu.Lock()
		if el, ok := c.items[key]; ok {
			c.order.MoveToFront(el)
			v := el.Value.(*entry).val
			c.mu.Unlock()
			return v, nil
		}
		if f, ok := c.running[key]; ok {
			c.mu.Unlock()
			select {
			case <-f.done:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			if f.err == nil {
				return f.val, nil
			}
			if ctx.Err() == nil && (errors.Is(f.err, context.Canceled) || errors.Is(f.err, context.DeadlineExceeded)) {
				continue
			}
			return nil, f.err
		}
		f := &flight{done: make(chan struct{})}
		c.running[key] = f
		c.mu.Unlock()

		finished := false
		defer func() {
			// A panic in compute must not leave waiters hanging on a
			// flight that never lands; protect answers the panic itself.
			if !finished {
				c.mu.Lock()
				delete(c.running, key)
				c.mu.Unlock()
				f.err = errors.New("web: the batch failed")
				close(f.done)
			}
		}()
		f.val, f.err = compute()
		finished = true
		c.mu.Lock()
		delete(c.running, key)
		if f.err == nil {
			c.items[key] = c.order.PushFront(&entry{key, f.val})
			for c.order.Len() > c.size {
				last := c.order.Back()
				c.order.Remove(last)
				delete(c.items, last.Value.(*entry).key)
			}
		}
		c.mu.Unlock()
		close(f.done)
		return f.val, f.err
	}
}
