package compat

import (
	"bytes"
	"sync"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
)

// getAllProcessInfo's answer changes little from one call to the next:
// within a process's struct, only now and (for a running process, whose
// description gives its uptime) description change every second. An
// infoCache keeps, for each process of the last answer, the XML of its
// other twelve members, keyed by the encoded fields they show, and writes
// them again unchanged while the key holds. A process whose state, pid,
// times or log files changed is encoded afresh.
//
// Caches live in a sync.Pool: concurrent calls each take their own, and
// the pool drops them within two garbage collections, so the memory of a
// burst of calls (about 1.3 KB a process) goes back with the rest of the
// burst's when the daemon trims (memtrim.Release collects twice).

// infoCaches pools the caches.
var infoCaches sync.Pool

// getInfoCache returns a pooled cache or a new one; putInfoCache gives it
// back.
func getInfoCache() *infoCache {
	if c, ok := infoCaches.Get().(*infoCache); ok {
		return c
	}
	return new(infoCache)
}

// putInfoCache returns c to the pool.
func putInfoCache(c *infoCache) { infoCaches.Put(c) }

// infoCache is the XML of the processes of the last answer, by position.
type infoCache struct {
	entries []infoEntry
	key     []byte // scratch: the key of the process being written
}

// infoEntry is one process's cached members.
type infoEntry struct {
	// key is the process's fields (encoded) that the cached members show.
	key []byte
	// xml holds the members before now (name, group, start, stop), then
	// from state to pid; split is where the second part starts.
	xml   []byte
	split int
}

// marshal writes the struct of the encoded ProcessInfo b, the idx-th of
// the list, reusing the cached members when b's key matches.
func (c *infoCache) marshal(w *xmlrpc.Writer, idx int, b []byte) error {
	i, key, err := wireInfo(b, c.key[:0])
	c.key = key
	if err != nil {
		return err
	}
	if idx >= len(c.entries) {
		c.entries = append(c.entries, infoEntry{})
	}
	e := &c.entries[idx]
	if err := w.BeginStruct(); err != nil {
		return err
	}
	if e.key != nil && bytes.Equal(e.key, key) {
		w.Raw(e.xml[:e.split])
		i.marshalNow(w)
		w.Raw(e.xml[e.split:])
	} else {
		m := w.Len()
		i.marshalHead(w)
		e.xml = append(e.xml[:0], w.Since(m)...)
		e.split = len(e.xml)
		i.marshalNow(w)
		m = w.Len()
		i.marshalMiddle(w)
		e.xml = append(e.xml, w.Since(m)...)
		e.key = append(e.key[:0], key...)
	}
	i.marshalTail(w)
	return nil
}

// truncate forgets the entries past the first n (processes no longer in
// the list).
func (c *infoCache) truncate(n int) {
	if n < len(c.entries) {
		clear(c.entries[n:])
		c.entries = c.entries[:n]
	}
}

// reset forgets every entry: after a malformed list, nothing is kept.
func (c *infoCache) reset() { c.truncate(0) }
