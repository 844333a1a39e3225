package events

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var benchEvent = Event{Type: TypeProcessStateRunning, State: &ProcessState{Process: "p", Group: "g", From: "STARTING", Pid: 42}}

// drain empties s without blocking.
func drain(s *Subscription) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for {
		if _, err := s.Next(ctx); err != nil {
			return
		}
	}
}

// BenchmarkPublish measures Publish with 100 subscriptions that all match
// (queued, drained outside the timer), that all match but are full (the
// drop path), and that match nothing (filter cost only).
func BenchmarkPublish(b *testing.B) {
	for _, mode := range []string{"nosubs", "match", "full", "filtered"} {
		b.Run(mode, func(b *testing.B) {
			bus := NewBus(1000, nil)
			var subs []*Subscription
			if mode != "nosubs" {
				for i := 0; i < 100; i++ {
					f := Filter{Types: []Type{TypeProcessState}}
					if mode == "filtered" {
						f.Groups = []string{fmt.Sprint("other", i)}
					}
					q := 4096
					if mode == "full" {
						q = 1
					}
					s, _, _ := bus.Subscribe(f, nil, q)
					subs = append(subs, s)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				bus.Publish(benchEvent)
				if mode == "match" && i%4096 == 4095 {
					b.StopTimer()
					for _, s := range subs {
						drain(s)
					}
					b.StartTimer()
				}
			}
		})
	}
}

// BenchmarkFanout publishes to 100 subscribers that each consume in their
// own goroutine and reports delivered events per second (and drops).
func BenchmarkFanout(b *testing.B) {
	const nsubs = 100
	bus := NewBus(1000, nil)
	var delivered, gaps atomic.Int64
	var wg sync.WaitGroup
	subs := make([]*Subscription, nsubs)
	for i := range subs {
		subs[i], _, _ = bus.Subscribe(Filter{}, nil, 1024)
	}
	last := uint64(b.N)
	start := time.Now()
	b.ResetTimer()
	for _, s := range subs {
		wg.Add(1)
		go func(s *Subscription) {
			defer wg.Done()
			for {
				it, err := s.Next(context.Background())
				if err != nil {
					return
				}
				if it.Gap != nil {
					gaps.Add(1)
					if it.Gap.Last >= last {
						return
					}
					continue
				}
				delivered.Add(1)
				if it.Event.Serial >= last {
					return
				}
			}
		}(s)
	}
	for i := 0; i < b.N; i++ {
		bus.Publish(benchEvent)
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	var dropped uint64
	for _, s := range subs {
		dropped += s.Dropped()
		s.Close()
	}
	b.ReportMetric(float64(delivered.Load())/elapsed.Seconds(), "delivered/s")
	b.ReportMetric(float64(dropped)/float64(nsubs*b.N), "dropped/event")
}

// BenchmarkPoolAccept measures the sink path of a pool as seen by Publish,
// with no listener: after the first 1024 events, each one also discards
// the oldest (the ERROR log goes to a discarding handler).
func BenchmarkPoolAccept(b *testing.B) {
	bus := NewBus(0, nil)
	log := slog.New(slog.DiscardHandler)
	p := NewPool(PoolConfig{Name: "p", Events: []Type{TypeEvent}, BufferSize: 1024}, bus, log)
	defer p.Close()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		bus.Publish(benchEvent)
	}
}
