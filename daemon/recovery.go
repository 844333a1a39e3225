package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/events"
	"github.com/gsupervisor/gsupervisor/internal/process"
	"github.com/gsupervisor/gsupervisor/internal/recovery"
)

// recordChildren makes the daemon record its running children beside the
// pidfile of cfg (see internal/recovery). On the first start it first
// stops what a crashed previous daemon of the same configuration left
// running. A daemon whose state file cannot be written, or is another
// live daemon's, runs on without recording, with a warning in the main
// log.
func (d *daemon) recordChildren(cfg *config.Config, first bool) error {
	path := recovery.Path(cfg.Supervisord.Pidfile)
	if rec := d.recorder.Load(); rec != nil && d.recordPath == path {
		rec.SetConfig(cfg.Path)
		return nil
	}
	d.stopRecording()
	if path == "" {
		return nil
	}
	if first {
		err := recovery.Recover(context.Background(), path, cfg.Path, d.log)
		if errors.Is(err, recovery.ErrDaemonRunning) {
			// Its socket is most likely ours too: starting fails there,
			// with 4.2.5's message. Either way, its record stays.
			d.log.Warn(fmt.Sprintf("%v; not recording this daemon's children", err))
			return nil
		}
		if err != nil {
			return err
		}
	}
	rec, err := recovery.NewRecorder(path, cfg.Path, d.log)
	if err != nil {
		d.log.Warn(fmt.Sprintf("%v; a crash of this daemon would leave its programs running", err))
		return nil
	}
	d.recorder.Store(rec)
	d.recordPath = path
	// A change to a state without a child may follow an exit: the
	// recorder then drops the child if it no longer runs (it checks
	// /proc, so a late event costs nothing but a stale line until then);
	// after missed events, every child is checked. The states a child
	// runs in are skipped: at start-up they are two events per process.
	sub, _, _ := d.bus.Subscribe(events.Filter{Types: []events.Type{events.TypeProcessState}}, nil, 0)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for {
			it, err := sub.Next(ctx)
			if err != nil {
				return
			}
			if e := it.Event; e != nil && e.State != nil {
				if !childRuns(e.State.To) {
					rec.Refresh(process.Namespec(e.State.Group, e.State.Process))
				}
			} else {
				rec.Refresh("")
			}
		}
	}()
	d.unrecord = func() { cancel(); sub.Close() }
	return nil
}

// childRuns reports whether a process in state (a 4.2.5 state name) has
// a live child: STARTING, RUNNING and STOPPING.
func childRuns(state string) bool {
	switch state {
	case process.Starting.String(), process.Running.String(), process.Stopping.String():
		return true
	}
	return false
}

// spawned records a new child (supervisor.Options.Spawned).
func (d *daemon) spawned(pc *config.ProcessConfig, pid int) {
	if rec := d.recorder.Load(); rec != nil {
		rec.Spawned(process.Namespec(pc.Group, pc.Name), pid, recovery.Stop{
			Signal:      pc.StopSignal,
			WaitSecs:    pc.StopWaitSecs,
			AsGroup:     pc.StopAsGroup,
			KillAsGroup: pc.KillAsGroup,
		})
	}
}

// stopRecording ends recording after a clean stop of every child: the
// state file goes.
func (d *daemon) stopRecording() {
	if d.unrecord != nil {
		d.unrecord()
		d.unrecord = nil
	}
	if rec := d.recorder.Swap(nil); rec != nil {
		rec.Close()
		d.recordPath = ""
	}
}
