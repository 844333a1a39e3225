package process

import (
	"errors"
	"reflect"
	"testing"
)

func TestMachineTable(t *testing.T) {
	type row struct {
		name    string
		m       Machine
		trig    Trigger
		facts   Facts
		want    Machine
		changes []Change
		actions []Action
		invalid bool
	}
	base := Machine{StartRetries: 3}
	with := func(s State, f func(*Machine)) Machine {
		m := base
		m.State = s
		if f != nil {
			f(&m)
		}
		return m
	}
	rows := []row{
		{name: "start from STOPPED", m: with(Stopped, nil), trig: TriggerStart,
			want:    with(Starting, nil),
			changes: []Change{{Stopped, Starting, true, 0}},
			actions: []Action{ActCancelTimer, ActSpawn}},
		{name: "start from EXITED", m: with(Exited, nil), trig: TriggerStart,
			want: with(Starting, nil), changes: []Change{{Exited, Starting, true, 0}}, actions: []Action{ActCancelTimer, ActSpawn}},
		{name: "start from FATAL", m: with(Fatal, nil), trig: TriggerStart,
			want: with(Starting, nil), changes: []Change{{Fatal, Starting, true, 0}}, actions: []Action{ActCancelTimer, ActSpawn}},
		{name: "start from BACKOFF keeps the count", m: with(Backoff, func(m *Machine) { m.Backoff = 2 }), trig: TriggerStart,
			want:    with(Starting, func(m *Machine) { m.Backoff = 2 }),
			changes: []Change{{Backoff, Starting, true, 2}}, actions: []Action{ActCancelTimer, ActSpawn}},
		{name: "start while RUNNING", m: with(Running, nil), trig: TriggerStart, invalid: true},
		{name: "start while STARTING", m: with(Starting, nil), trig: TriggerStart, invalid: true},
		{name: "start while STOPPING", m: with(Stopping, nil), trig: TriggerStart, invalid: true},
		{name: "start while UNKNOWN", m: with(Unknown, nil), trig: TriggerStart, invalid: true},

		{name: "spawned arms startsecs", m: with(Starting, nil), trig: TriggerSpawned,
			want: with(Starting, nil), actions: []Action{ActStartTimer}},
		{name: "spawned with startsecs=0 is RUNNING", m: with(Starting, func(m *Machine) { m.StartSecsZero = true; m.Backoff = 1 }), trig: TriggerSpawned,
			want:    with(Running, func(m *Machine) { m.StartSecsZero = true }),
			changes: []Change{{Starting, Running, true, 0}}},
		{name: "startsecs passed", m: with(Starting, func(m *Machine) { m.Backoff = 2 }), trig: TriggerStartSecs,
			want: with(Running, nil), changes: []Change{{Starting, Running, true, 0}}},
		{name: "startsecs in RUNNING is invalid", m: with(Running, nil), trig: TriggerStartSecs, invalid: true},

		{name: "spawn error backs off", m: with(Starting, nil), trig: TriggerSpawnFailed,
			want: with(Backoff, func(m *Machine) { m.Backoff = 1 }), changes: []Change{{Starting, Backoff, true, 1}},
			actions: []Action{ActRetryTimer}},
		{name: "last spawn error gives up", m: with(Starting, func(m *Machine) { m.Backoff = 3 }), trig: TriggerSpawnFailed,
			want:    with(Fatal, nil),
			changes: []Change{{Starting, Backoff, true, 4}, {Backoff, Fatal, true, 0}}},
		{name: "exited too quickly backs off", m: with(Starting, nil), trig: TriggerExit, facts: Facts{TooQuick: true},
			want: with(Backoff, func(m *Machine) { m.Backoff = 1 }), changes: []Change{{Starting, Backoff, true, 1}},
			actions: []Action{ActCancelTimer, ActRetryTimer}},
		{name: "exited too quickly, retries exhausted", m: with(Starting, func(m *Machine) { m.Backoff = 3 }), trig: TriggerExit,
			facts: Facts{TooQuick: true}, want: with(Fatal, nil),
			changes: []Change{{Starting, Backoff, true, 4}, {Backoff, Fatal, true, 0}}, actions: []Action{ActCancelTimer}},
		{name: "startretries=0 gives up at once", m: Machine{State: Starting, StartRetries: 0}, trig: TriggerExit,
			facts: Facts{TooQuick: true}, want: Machine{State: Fatal},
			changes: []Change{{Starting, Backoff, true, 1}, {Backoff, Fatal, true, 0}}, actions: []Action{ActCancelTimer}},
		{name: "retry after back-off", m: with(Backoff, func(m *Machine) { m.Backoff = 1 }), trig: TriggerRetry,
			want:    with(Starting, func(m *Machine) { m.Backoff = 1 }),
			changes: []Change{{Backoff, Starting, true, 1}}, actions: []Action{ActSpawn}},
		{name: "retry during shutdown does nothing", m: with(Backoff, func(m *Machine) { m.Backoff = 1 }), trig: TriggerRetry,
			facts: Facts{ShuttingDown: true}, want: with(Backoff, func(m *Machine) { m.Backoff = 1 })},
		{name: "retry outside BACKOFF is invalid", m: with(Stopped, nil), trig: TriggerRetry, invalid: true},

		{name: "expected exit from RUNNING, autorestart unexpected", m: with(Running, nil), trig: TriggerExit,
			facts: Facts{Expected: true}, want: with(Exited, nil),
			changes: []Change{{Running, Exited, true, 0}}, actions: []Action{ActCancelTimer}},
		{name: "unexpected exit restarts", m: with(Running, nil), trig: TriggerExit,
			want:    with(Starting, nil),
			changes: []Change{{Running, Exited, false, 0}, {Exited, Starting, true, 0}}, actions: []Action{ActCancelTimer, ActSpawn}},
		{name: "autorestart=true restarts an expected exit", m: with(Running, func(m *Machine) { m.Autorestart = RestartAlways }), trig: TriggerExit,
			facts:   Facts{Expected: true},
			want:    with(Starting, func(m *Machine) { m.Autorestart = RestartAlways }),
			changes: []Change{{Running, Exited, true, 0}, {Exited, Starting, true, 0}}, actions: []Action{ActCancelTimer, ActSpawn}},
		{name: "autorestart=false never restarts", m: with(Running, func(m *Machine) { m.Autorestart = RestartNever }), trig: TriggerExit,
			want:    with(Exited, func(m *Machine) { m.Autorestart = RestartNever }),
			changes: []Change{{Running, Exited, false, 0}}, actions: []Action{ActCancelTimer}},
		{name: "no restart while shutting down", m: with(Running, nil), trig: TriggerExit, facts: Facts{ShuttingDown: true},
			want: with(Exited, nil), changes: []Change{{Running, Exited, false, 0}}, actions: []Action{ActCancelTimer}},
		{name: "exit from STARTING after startsecs passes through RUNNING", m: with(Starting, func(m *Machine) { m.Backoff = 2; m.Autorestart = RestartNever }),
			trig: TriggerExit, facts: Facts{Expected: true},
			want:    with(Exited, func(m *Machine) { m.Autorestart = RestartNever }),
			changes: []Change{{Starting, Running, true, 0}, {Running, Exited, true, 0}}, actions: []Action{ActCancelTimer}},

		{name: "stop RUNNING", m: with(Running, nil), trig: TriggerStop,
			want:    with(Stopping, func(m *Machine) { m.Killing = true }),
			changes: []Change{{Running, Stopping, true, 0}}, actions: []Action{ActCancelTimer, ActStopSignal}},
		{name: "stop STARTING", m: with(Starting, nil), trig: TriggerStop,
			want:    with(Stopping, func(m *Machine) { m.Killing = true }),
			changes: []Change{{Starting, Stopping, true, 0}}, actions: []Action{ActCancelTimer, ActStopSignal}},
		{name: "stop BACKOFF goes straight to STOPPED and keeps the count", m: with(Backoff, func(m *Machine) { m.Backoff = 2 }), trig: TriggerStop,
			want:    with(Stopped, func(m *Machine) { m.Backoff = 2 }),
			changes: []Change{{Backoff, Stopped, true, 2}}, actions: []Action{ActCancelTimer}},
		{name: "stop STOPPED is invalid", m: with(Stopped, nil), trig: TriggerStop, invalid: true},
		{name: "stop STOPPING is invalid", m: with(Stopping, func(m *Machine) { m.Killing = true }), trig: TriggerStop, invalid: true},
		{name: "stop EXITED is invalid", m: with(Exited, nil), trig: TriggerStop, invalid: true},
		{name: "stop timeout kills", m: with(Stopping, func(m *Machine) { m.Killing = true }), trig: TriggerStopTimeout,
			want: with(Stopping, func(m *Machine) { m.Killing = true }), actions: []Action{ActKill}},
		{name: "exit while stopping is STOPPED", m: with(Stopping, func(m *Machine) { m.Killing = true }), trig: TriggerExit,
			facts: Facts{Expected: false}, want: with(Stopped, nil),
			changes: []Change{{Stopping, Stopped, true, 0}}, actions: []Action{ActCancelTimer}},
		{name: "exit while stopping never restarts", m: with(Stopping, func(m *Machine) { m.Killing = true; m.Autorestart = RestartAlways }), trig: TriggerExit,
			want:    with(Stopped, func(m *Machine) { m.Autorestart = RestartAlways }),
			changes: []Change{{Stopping, Stopped, true, 0}}, actions: []Action{ActCancelTimer}},

		{name: "shutdown gives up BACKOFF", m: with(Backoff, func(m *Machine) { m.Backoff = 2 }), trig: TriggerShutdown,
			want: with(Fatal, nil), changes: []Change{{Backoff, Fatal, true, 0}}, actions: []Action{ActCancelTimer}},
		// The crash-loop floor (not in 4.2.5).
		{name: "a throttled restart waits in EXITED", m: with(Running, nil), trig: TriggerExit, facts: Facts{Throttled: true},
			want:    with(Exited, func(m *Machine) { m.RestartPending = true }),
			changes: []Change{{Running, Exited, false, 0}}, actions: []Action{ActCancelTimer, ActRestartTimer}},
		{name: "throttling never delays what would not restart", m: with(Running, nil), trig: TriggerExit, facts: Facts{Expected: true, Throttled: true},
			want: with(Exited, nil), changes: []Change{{Running, Exited, true, 0}}, actions: []Action{ActCancelTimer}},
		{name: "the throttled restart comes", m: with(Exited, func(m *Machine) { m.RestartPending = true }), trig: TriggerRestart,
			want: with(Starting, nil), changes: []Change{{Exited, Starting, true, 0}}, actions: []Action{ActSpawn}},
		{name: "no throttled restart while shutting down", m: with(Exited, func(m *Machine) { m.RestartPending = true }), trig: TriggerRestart,
			facts: Facts{ShuttingDown: true}, want: with(Exited, nil)},
		{name: "a restart without one pending is invalid", m: with(Exited, nil), trig: TriggerRestart, invalid: true},
		{name: "stop cancels a throttled restart", m: with(Exited, func(m *Machine) { m.RestartPending = true }), trig: TriggerStop,
			want: with(Stopped, nil), changes: []Change{{Exited, Stopped, true, 0}}, actions: []Action{ActCancelTimer}},
		{name: "stop of EXITED without a pending restart is invalid", m: with(Exited, nil), trig: TriggerStop, invalid: true},
		{name: "start during a throttled restart starts at once", m: with(Exited, func(m *Machine) { m.RestartPending = true }), trig: TriggerStart,
			want: with(Starting, nil), changes: []Change{{Exited, Starting, true, 0}}, actions: []Action{ActCancelTimer, ActSpawn}},
		{name: "shutdown drops a throttled restart", m: with(Exited, func(m *Machine) { m.RestartPending = true }), trig: TriggerShutdown,
			facts: Facts{ShuttingDown: true}, want: with(Exited, nil), actions: []Action{ActCancelTimer}},
		{name: "shutdown outside BACKOFF is invalid", m: with(Running, nil), trig: TriggerShutdown, invalid: true},
		{name: "signal failure is UNKNOWN", m: with(Stopping, func(m *Machine) { m.Killing = true }), trig: TriggerSignalFailed,
			want: with(Unknown, nil), changes: []Change{{Stopping, Unknown, true, 0}}, actions: []Action{ActCancelTimer}},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			got, res, err := r.m.Step(r.trig, r.facts)
			if r.invalid {
				var se *StepError
				if !errors.As(err, &se) {
					t.Fatalf("want StepError, got %v", err)
				}
				if got != r.m {
					t.Fatalf("machine changed on an invalid step: %+v", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("Step: %v", err)
			}
			if got != r.want {
				t.Errorf("machine = %+v, want %+v", got, r.want)
			}
			if !reflect.DeepEqual(res.Changes, r.changes) {
				t.Errorf("changes = %+v, want %+v", res.Changes, r.changes)
			}
			if !reflect.DeepEqual(res.Actions, r.actions) {
				t.Errorf("actions = %v, want %v", res.Actions, r.actions)
			}
		})
	}
}

// TestMachineFullBackoffCycle walks 1 + startretries failed attempts: the
// back-off counter grows linearly and the fourth failure (startretries=3)
// ends in FATAL, as in 4.2.5.
func TestMachineFullBackoffCycle(t *testing.T) {
	m := Machine{StartRetries: 3}
	var seq []State
	step := func(tr Trigger, f Facts) Result {
		t.Helper()
		var res Result
		var err error
		m, res, err = m.Step(tr, f)
		if err != nil {
			t.Fatalf("%v: %v", tr, err)
		}
		for _, c := range res.Changes {
			seq = append(seq, c.To)
		}
		return res
	}
	step(TriggerStart, Facts{})
	attempts := 1
	for m.State != Fatal {
		step(TriggerSpawned, Facts{})
		res := step(TriggerExit, Facts{TooQuick: true})
		if m.State == Backoff {
			if res.Actions[len(res.Actions)-1] != ActRetryTimer || m.Backoff != attempts {
				t.Fatalf("after attempt %d: backoff %d, actions %v", attempts, m.Backoff, res.Actions)
			}
			step(TriggerRetry, Facts{})
			attempts++
		}
	}
	if attempts != 4 {
		t.Fatalf("attempts = %d, want 1 + startretries = 4", attempts)
	}
	want := []State{Starting, Backoff, Starting, Backoff, Starting, Backoff, Starting, Backoff, Fatal}
	if !reflect.DeepEqual(seq, want) {
		t.Fatalf("states = %v, want %v", seq, want)
	}
}
