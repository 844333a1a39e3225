package events

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gsupervisor/gsupervisor/internal/pytext"
)

// Type is an event type. Concrete types are what events carry; base types
// (EVENT, PROCESS_STATE, …) only appear in subscriptions, where they match
// every type below them.
type Type int

// The event types, named as in Supervisor 4.2.5.
const (
	TypeUnknown Type = iota
	TypeEvent
	TypeProcessState
	TypeProcessStateStopped
	TypeProcessStateStarting
	TypeProcessStateRunning
	TypeProcessStateBackoff
	TypeProcessStateStopping
	TypeProcessStateExited
	TypeProcessStateFatal
	TypeProcessStateUnknown
	TypeProcessLog
	TypeProcessLogStdout
	TypeProcessLogStderr
	TypeProcessCommunication
	TypeProcessCommunicationStdout
	TypeProcessCommunicationStderr
	TypeRemoteCommunication
	TypeSupervisorStateChange
	TypeSupervisorStateChangeRunning
	TypeSupervisorStateChangeStopping
	TypeProcessGroup
	TypeProcessGroupAdded
	TypeProcessGroupRemoved
	TypeTick
	TypeTick5
	TypeTick60
	TypeTick3600
	// gsupervisor's types follow; Supervisor 4.2.5 has none of them, so
	// they are never sent to an event listener.
	TypeProcessHealth
	TypeProcessHealthChanged
	numTypes
)

// firstOwnType is the first type Supervisor 4.2.5 does not have.
const firstOwnType = TypeProcessHealth

// typeInfo is the name and base type of each type.
var typeInfo = [numTypes]struct {
	name string
	base Type
}{
	TypeUnknown:                       {"UNKNOWN_EVENT", TypeUnknown},
	TypeEvent:                         {"EVENT", TypeUnknown},
	TypeProcessState:                  {"PROCESS_STATE", TypeEvent},
	TypeProcessStateStopped:           {"PROCESS_STATE_STOPPED", TypeProcessState},
	TypeProcessStateStarting:          {"PROCESS_STATE_STARTING", TypeProcessState},
	TypeProcessStateRunning:           {"PROCESS_STATE_RUNNING", TypeProcessState},
	TypeProcessStateBackoff:           {"PROCESS_STATE_BACKOFF", TypeProcessState},
	TypeProcessStateStopping:          {"PROCESS_STATE_STOPPING", TypeProcessState},
	TypeProcessStateExited:            {"PROCESS_STATE_EXITED", TypeProcessState},
	TypeProcessStateFatal:             {"PROCESS_STATE_FATAL", TypeProcessState},
	TypeProcessStateUnknown:           {"PROCESS_STATE_UNKNOWN", TypeProcessState},
	TypeProcessLog:                    {"PROCESS_LOG", TypeEvent},
	TypeProcessLogStdout:              {"PROCESS_LOG_STDOUT", TypeProcessLog},
	TypeProcessLogStderr:              {"PROCESS_LOG_STDERR", TypeProcessLog},
	TypeProcessCommunication:          {"PROCESS_COMMUNICATION", TypeEvent},
	TypeProcessCommunicationStdout:    {"PROCESS_COMMUNICATION_STDOUT", TypeProcessCommunication},
	TypeProcessCommunicationStderr:    {"PROCESS_COMMUNICATION_STDERR", TypeProcessCommunication},
	TypeRemoteCommunication:           {"REMOTE_COMMUNICATION", TypeEvent},
	TypeSupervisorStateChange:         {"SUPERVISOR_STATE_CHANGE", TypeEvent},
	TypeSupervisorStateChangeRunning:  {"SUPERVISOR_STATE_CHANGE_RUNNING", TypeSupervisorStateChange},
	TypeSupervisorStateChangeStopping: {"SUPERVISOR_STATE_CHANGE_STOPPING", TypeSupervisorStateChange},
	TypeProcessGroup:                  {"PROCESS_GROUP", TypeEvent},
	TypeProcessGroupAdded:             {"PROCESS_GROUP_ADDED", TypeProcessGroup},
	TypeProcessGroupRemoved:           {"PROCESS_GROUP_REMOVED", TypeProcessGroup},
	TypeTick:                          {"TICK", TypeEvent},
	TypeTick5:                         {"TICK_5", TypeTick},
	TypeTick60:                        {"TICK_60", TypeTick},
	TypeTick3600:                      {"TICK_3600", TypeTick},
	TypeProcessHealth:                 {"PROCESS_HEALTH", TypeEvent},
	TypeProcessHealthChanged:          {"PROCESS_HEALTH_CHANGED", TypeProcessHealth},
}

// Legacy reports whether Supervisor 4.2.5 has the type (an event listener
// may be sent it).
func (t Type) Legacy() bool { return t < firstOwnType }

// AllTypes lists every type except TypeUnknown, in order.
func AllTypes() []Type {
	ts := make([]Type, 0, numTypes-1)
	for t := TypeEvent; t < numTypes; t++ {
		ts = append(ts, t)
	}
	return ts
}

// String returns the Supervisor name of the type, e.g.
// "PROCESS_STATE_RUNNING".
func (t Type) String() string {
	if t >= 0 && t < numTypes {
		return typeInfo[t].name
	}
	return "Type(" + strconv.Itoa(int(t)) + ")"
}

// ParseType returns the type with the Supervisor name (case-insensitive).
func ParseType(name string) (Type, error) {
	up := strings.ToUpper(strings.TrimSpace(name))
	for t := TypeEvent; t < numTypes; t++ {
		if typeInfo[t].name == up {
			return t, nil
		}
	}
	return TypeUnknown, fmt.Errorf("unknown event type %s", name)
}

// Base returns the parent type (TypeUnknown for EVENT).
func (t Type) Base() Type {
	if t > 0 && t < numTypes {
		return typeInfo[t].base
	}
	return TypeUnknown
}

// Is reports whether t is base or a descendant of base.
func (t Type) Is(base Type) bool {
	for x := t; x != TypeUnknown; x = x.Base() {
		if x == base {
			return true
		}
	}
	return false
}

// IsBase reports whether t is an abstract base type.
func (t Type) IsBase() bool {
	switch t {
	case TypeEvent, TypeProcessState, TypeProcessLog, TypeProcessCommunication,
		TypeSupervisorStateChange, TypeProcessGroup, TypeTick, TypeProcessHealth:
		return true
	}
	return false
}

// Channel is a process output channel.
type Channel int

// The channels.
const (
	Stdout Channel = iota + 1
	Stderr
)

// String returns "stdout" or "stderr".
func (c Channel) String() string {
	if c == Stderr {
		return "stderr"
	}
	return "stdout"
}

// ProcessState is the payload of PROCESS_STATE_* events.
type ProcessState struct {
	// Process and Group name the process.
	Process, Group string
	// From is the state left, e.g. "STARTING".
	From string
	// To is the state entered.
	To string
	// Expected qualifies EXITED.
	Expected bool
	// Pid is the process id (RUNNING, STOPPING, EXITED, STOPPED).
	Pid int
	// Tries is the back-off count (STARTING, BACKOFF).
	Tries int
}

// ProcessHealth is the payload of PROCESS_HEALTH_CHANGED events.
type ProcessHealth struct {
	// Process and Group name the process.
	Process, Group string
	// From and To are the health left and entered ("STARTING",
	// "HEALTHY", …).
	From, To string
	// Probe is the probe whose result changed it ("readiness",
	// "liveness"); "" when the process stopped.
	Probe string
	// Output is that result's output.
	Output string
	// Pid is the process id (0 when it stopped).
	Pid int
}

// ProcessOutput is the payload of PROCESS_LOG_* and
// PROCESS_COMMUNICATION_* events.
type ProcessOutput struct {
	// Process and Group name the process.
	Process, Group string
	// Pid is the process id.
	Pid int
	// Channel is where the output came from.
	Channel Channel
	// Data is the output.
	Data []byte
}

// RemoteComm is the payload of REMOTE_COMMUNICATION events.
type RemoteComm struct {
	// Type is the sender's type string.
	Type string
	// Data is the sender's data.
	Data string
}

// Event is one event. Exactly one payload pointer is set for the types
// that have one; Group is set for PROCESS_GROUP_* and When for TICK_*.
type Event struct {
	// Serial is the daemon-wide serial, assigned by Publish (from 1).
	Serial uint64
	// Time is when the event was published.
	Time time.Time
	// Type is the concrete type.
	Type Type
	// State is the payload of PROCESS_STATE_* events.
	State *ProcessState
	// Output is the payload of PROCESS_LOG_* and PROCESS_COMMUNICATION_*.
	Output *ProcessOutput
	// Remote is the payload of REMOTE_COMMUNICATION.
	Remote *RemoteComm
	// Health is the payload of PROCESS_HEALTH_CHANGED.
	Health *ProcessHealth
	// Group is the group of PROCESS_GROUP_* events.
	Group string
	// When is the period boundary of TICK_* events (Unix seconds).
	When int64
}

// eventOverhead approximates the memory of an event beyond its variable
// parts (the struct, its payload struct, pointers).
const eventOverhead = 256

// Size approximates the memory the event holds, in bytes: what the
// retained events and subscription queues are bounded by.
func (e *Event) Size() int64 {
	n := int64(eventOverhead + len(e.Group))
	switch {
	case e.State != nil:
		n += int64(len(e.State.Process) + len(e.State.Group) + len(e.State.From) + len(e.State.To))
	case e.Output != nil:
		n += int64(len(e.Output.Process) + len(e.Output.Group) + len(e.Output.Data))
	case e.Remote != nil:
		n += int64(len(e.Remote.Type) + len(e.Remote.Data))
	}
	return n
}

// ProcessName returns the process the event concerns, if any.
func (e *Event) ProcessName() (group, process string, ok bool) {
	switch {
	case e.State != nil:
		return e.State.Group, e.State.Process, true
	case e.Output != nil:
		return e.Output.Group, e.Output.Process, true
	case e.Health != nil:
		return e.Health.Group, e.Health.Process, true
	}
	return "", "", false
}

// GroupName returns the group the event concerns, if any.
func (e *Event) GroupName() (string, bool) {
	if g, _, ok := e.ProcessName(); ok {
		return g, true
	}
	if e.Type == TypeProcessGroupAdded || e.Type == TypeProcessGroupRemoved {
		return e.Group, true
	}
	return "", false
}

// Payload returns the event's body as Supervisor sends it to an event
// listener (reference §7.1): header tokens, and for output events a
// newline and the data.
func (e *Event) Payload() []byte {
	switch {
	case e.State != nil:
		s := e.State
		b := "processname:" + s.Process + " groupname:" + s.Group + " from_state:" + s.From
		switch e.Type {
		case TypeProcessStateStarting, TypeProcessStateBackoff:
			b += " tries:" + strconv.Itoa(s.Tries)
		case TypeProcessStateRunning, TypeProcessStateStopping, TypeProcessStateStopped:
			b += " pid:" + strconv.Itoa(s.Pid)
		case TypeProcessStateExited:
			exp := "0"
			if s.Expected {
				exp = "1"
			}
			b += " expected:" + exp + " pid:" + strconv.Itoa(s.Pid)
		}
		return []byte(b)
	case e.Output != nil:
		o := e.Output
		h := "processname:" + o.Process + " groupname:" + o.Group + " pid:" + strconv.Itoa(o.Pid)
		switch e.Type {
		case TypeProcessLogStdout:
			h += " channel:stdout"
		case TypeProcessLogStderr:
			h += " channel:stderr"
		}
		if !utf8.Valid(o.Data) {
			// Supervisor decodes the data as UTF-8 and, when it cannot,
			// sends its Python repr instead.
			return []byte(h + "\nUndecodable: " + pytext.BytesRepr(o.Data))
		}
		return append([]byte(h+"\n"), o.Data...)
	case e.Remote != nil:
		return []byte("type:" + e.Remote.Type + "\n" + e.Remote.Data)
	case e.Health != nil:
		h := e.Health
		return []byte("processname:" + h.Process + " groupname:" + h.Group + " from_health:" + h.From +
			" health:" + h.To + " probe:" + h.Probe + " pid:" + strconv.Itoa(h.Pid) + "\n" + h.Output)
	}
	switch e.Type {
	case TypeProcessGroupAdded, TypeProcessGroupRemoved:
		return []byte("groupname:" + e.Group + "\n")
	case TypeTick5, TypeTick60, TypeTick3600:
		return []byte("when:" + strconv.FormatInt(e.When, 10))
	}
	return nil
}
