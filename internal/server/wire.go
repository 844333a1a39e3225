package server

import (
	"context"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/gsupervisor/gsupervisor/internal/logs"
	"github.com/gsupervisor/gsupervisor/internal/memtrim"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
)

// This file encodes ListProcesses' answer for the network straight from
// the engine's snapshots into the protobuf wire format, skipping the
// generated structs: for 1000 processes those are a few hundred kilobytes
// of garbage per call that protobuf-go then walks again to marshal them.
// The bytes are those of a ListProcessesResponse whose processes are what
// toProcessInfos makes of the same snapshots (TestWireMatchesConvert
// decodes both and compares them, field by field, with every field set by
// some case). The in-process connection (REST gateway, XML-RPC, web) still
// gets the structs, which it reads without decoding.

// The field numbers of the messages encoded here (gsupervisor.v1).
const (
	listProcessesResponseProcesses = 1

	processInfoName            = 1
	processInfoGroup           = 2
	processInfoNamespec        = 3
	processInfoStartTime       = 4
	processInfoStopTime        = 5
	processInfoNow             = 6
	processInfoState           = 7
	processInfoSpawnError      = 8
	processInfoExitStatus      = 9
	processInfoStdoutLogfile   = 10
	processInfoStderrLogfile   = 11
	processInfoPid             = 12
	processInfoDescription     = 13
	processInfoListenerState   = 14
	processInfoExitExpected    = 15
	processInfoHealth          = 16
	processInfoLastProbe       = 17
	processInfoDisabled        = 18
	processInfoWaiting         = 19
	processInfoNextAttemptTime = 20
	processInfoStdoutLogStats  = 31
	processInfoStderrLogStats  = 32

	logStatsWrittenBytes     = 1
	logStatsDroppedBytes     = 2
	logStatsRotations        = 3
	logStatsRotationFailures = 4
	logStatsLastDropError    = 5

	probeResultProbe    = 1
	probeResultTime     = 2
	probeResultDuration = 3
	probeResultPassed   = 4
	probeResultOutput   = 5

	// google.protobuf.Timestamp and Duration: seconds, nanos.
	secondsField = 1
	nanosField   = 2
)

// listSizeHint is the capacity to give the next encoded ListProcesses
// answer: a little more than the last one, so that it is not regrown.
var listSizeHint atomic.Int64

// overNetwork reports whether the call came through the gRPC server, so
// that its answer will be marshaled, rather than through the in-process
// connection (which hands the message over as it is) or a direct call.
func overNetwork(ctx context.Context) bool {
	st := grpc.ServerTransportStreamFromContext(ctx)
	_, local := st.(*unaryTransport)
	return st != nil && !local
}

// appendProcessList appends the wire form of a ListProcessesResponse
// holding infos.
func appendProcessList(b []byte, infos []supervisor.ProcessInfo) []byte {
	e := newListEncoder(b)
	for k := range infos {
		e.add(&infos[k])
	}
	return e.finish()
}

// listEncoder appends the wire form of a ListProcessesResponse one
// process at a time, so that each snapshot is encoded while the CPU
// caches still hold it (Supervisor.EachProcess).
type listEncoder struct {
	b []byte
	// st are the static fields recorded by an earlier list, valid for
	// the first k processes; next are those being recorded again, from
	// the first process that differs on (nil until one does).
	st, next *staticFields
	k        int
}

// newListEncoder returns an encoder appending to b.
func newListEncoder(b []byte) *listEncoder { return &listEncoder{b: b, st: statics.Load()} }

// add appends process i.
func (e *listEncoder) add(i *supervisor.ProcessInfo) {
	st := e.st
	if e.next == nil && (st == nil || e.k >= len(st.keys) || st.keys[e.k] != keyOf(i)) {
		e.next = st.prefix(e.k)
	}
	if e.next != nil {
		st = e.next
		st.add(i)
	}
	seg := &st.segs[e.k]
	e.b = appendMessage(e.b, listProcessesResponseProcesses, func(b []byte) []byte { return appendProcessInfo(b, i, st, seg) })
	e.k++
}

// finish records the static fields for the next list if they changed,
// and returns the encoded list.
func (e *listEncoder) finish() []byte {
	if e.next == nil && (e.st == nil || e.k != len(e.st.keys)) {
		e.next = e.st.prefix(e.k)
	}
	if e.next != nil {
		statics.Store(e.next)
	}
	staticsTrimmer.Touch()
	return e.b
}

// staticFields holds the encoded fields of each process of a list that do
// not change while the process exists (its name, group, namespec and log
// file names), one process after the other in one buffer. The encoder
// copies them from there instead of reading and validating each string
// where the engine keeps it: for a thousand processes those are a few
// thousand cache lines scattered over the heap, and the CPU caches of a
// daemon between two calls hold none of them.
type staticFields struct {
	// keys are the strings each process's fields were encoded from;
	// comparing them costs no read of the bytes while they are the very
	// strings (same address), which they are while the process exists.
	keys []staticKey
	segs []staticSegments
	buf  []byte
}

// staticKey is what a process's static fields are encoded from.
type staticKey struct{ name, group, stdout, stderr string }

// staticSegments are where a process's static fields are in
// staticFields.buf: names (fields 1-3) up to mid, log files (10-11) up to
// end, so that the answer keeps the fields in order.
type staticSegments struct{ start, mid, end int32 }

// statics is the last list's staticFields (nil once dropped).
var statics atomic.Pointer[staticFields]

// staticsTrimmer drops statics once no list was encoded for a while, so
// that it holds no memory in an idle daemon.
var staticsTrimmer = memtrim.New(memtrim.Quiet/2, func() { statics.Store(nil) })

// keyOf returns what i's static fields are encoded from.
func keyOf(i *supervisor.ProcessInfo) staticKey {
	return staticKey{i.Name, i.Group, i.StdoutLogfile, i.StderrLogfile}
}

// prefix returns a copy of the static fields of st's first k processes
// (none for a nil st), to record more after them.
func (st *staticFields) prefix(k int) *staticFields {
	if st == nil || k == 0 {
		return &staticFields{}
	}
	return &staticFields{
		keys: append([]staticKey(nil), st.keys[:k]...),
		segs: append([]staticSegments(nil), st.segs[:k]...),
		buf:  append([]byte(nil), st.buf[:st.segs[k-1].end]...),
	}
}

// add records the static fields of i after those recorded.
func (st *staticFields) add(i *supervisor.ProcessInfo) {
	start := len(st.buf)
	st.buf = appendNames(st.buf, i)
	mid := len(st.buf)
	st.buf = appendLogfiles(st.buf, i)
	st.keys = append(st.keys, keyOf(i))
	st.segs = append(st.segs, staticSegments{int32(start), int32(mid), int32(len(st.buf))})
}

// appendMessage appends a message field whose fields fill appends. The
// body is written in place after a one-byte length, which is widened
// (the body moved up) in the rare case it is 128 bytes or more, so no
// body is built apart and copied, nor sized beforehand.
func appendMessage(b []byte, num protowire.Number, fill func([]byte) []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	at := len(b)
	b = fill(append(b, 0))
	n := len(b) - at - 1
	if n < 0x80 {
		b[at] = byte(n)
		return b
	}
	k := protowire.SizeVarint(uint64(n))
	b = append(b, make([]byte, k-1)...)
	copy(b[at+k:], b[at+1:at+1+n])
	protowire.AppendVarint(b[at:at], uint64(n))
	return b
}

// appendProcessInfo appends the fields of a ProcessInfo message for i, in
// field order, leaving out the zero values as proto3 does. The static
// fields are copied from st's segments seg, recorded for i.
func appendProcessInfo(b []byte, i *supervisor.ProcessInfo, st *staticFields, seg *staticSegments) []byte {
	b = append(b, st.buf[seg.start:seg.mid]...)
	b = appendTime(b, processInfoStartTime, i.Start)
	b = appendTime(b, processInfoStopTime, i.Stop)
	b = appendTime(b, processInfoNow, i.Now)
	b = appendInt32(b, processInfoState, int32(processStates[i.State]))
	b = appendString(b, processInfoSpawnError, i.SpawnErr)
	b = appendInt32(b, processInfoExitStatus, int32(i.ExitStatus))
	b = append(b, st.buf[seg.mid:seg.end]...)
	b = appendInt32(b, processInfoPid, int32(i.Pid))
	b = appendString(b, processInfoDescription, i.Description)
	b = appendInt32(b, processInfoListenerState, int32(listenerStates[i.Listener]))
	b = appendBool(b, processInfoExitExpected, i.ExitExpected)
	b = appendInt32(b, processInfoHealth, int32(healths[i.Health]))
	if r := &i.LastProbe; !r.Time.IsZero() {
		b = appendMessage(b, processInfoLastProbe, func(b []byte) []byte {
			b = appendInt32(b, probeResultProbe, int32(probeTypes[r.Probe]))
			b = appendTime(b, probeResultTime, r.Time)
			b = appendDuration(b, probeResultDuration, r.Duration)
			b = appendBool(b, probeResultPassed, r.OK)
			return appendString(b, probeResultOutput, r.Output)
		})
	}
	b = appendBool(b, processInfoDisabled, i.Disabled)
	b = appendString(b, processInfoWaiting, i.Waiting)
	b = appendTime(b, processInfoNextAttemptTime, i.NextAttempt)
	b = appendLogStats(b, processInfoStdoutLogStats, i.StdoutStats)
	b = appendLogStats(b, processInfoStderrLogStats, i.StderrStats)
	return b
}

// appendNames appends the name, group and namespec fields of i.
func appendNames(b []byte, i *supervisor.ProcessInfo) []byte {
	name, group := validUTF8(i.Name), validUTF8(i.Group)
	b = appendValidString(b, processInfoName, name)
	b = appendValidString(b, processInfoGroup, group)
	if i.Group == i.Name {
		return appendValidString(b, processInfoNamespec, name)
	}
	b = protowire.AppendTag(b, processInfoNamespec, protowire.BytesType)
	b = protowire.AppendVarint(b, uint64(len(group)+1+len(name)))
	return append(append(append(b, group...), ':'), name...)
}

// appendLogfiles appends the log file fields of i.
func appendLogfiles(b []byte, i *supervisor.ProcessInfo) []byte {
	b = appendString(b, processInfoStdoutLogfile, i.StdoutLogfile)
	return appendString(b, processInfoStderrLogfile, i.StderrLogfile)
}

// appendString appends a string field unless it is empty. Invalid UTF-8
// (a file name can hold any bytes) is sent with U+FFFD in its place: a
// proto3 string must be UTF-8, and protobuf-go's marshal would fail the
// whole answer.
func appendString(b []byte, num protowire.Number, s string) []byte {
	return appendValidString(b, num, validUTF8(s))
}

// appendValidString appends a string field, already valid UTF-8, unless
// it is empty.
func appendValidString(b []byte, num protowire.Number, s string) []byte {
	if s == "" {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, s)
}

// validUTF8 returns s with U+FFFD in place of each invalid sequence.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, string(utf8.RuneError))
}

// appendInt32 appends an int32 or enum field unless it is zero (a negative
// value takes ten bytes, sign-extended, as the wire format wants).
func appendInt32(b []byte, num protowire.Number, v int32) []byte {
	if v == 0 {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, uint64(int64(v)))
}

// appendInt64 appends an int64 field unless it is zero.
func appendInt64(b []byte, num protowire.Number, v int64) []byte {
	if v == 0 {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, uint64(v))
}

// appendBool appends a bool field if it is true.
func appendBool(b []byte, num protowire.Number, v bool) []byte {
	if !v {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, 1)
}

// appendSecondsNanos appends a google.protobuf.Timestamp or Duration
// message field (always, even when both parts are zero).
func appendSecondsNanos(b []byte, num protowire.Number, secs int64, nanos int32) []byte {
	return appendMessage(b, num, func(b []byte) []byte {
		return appendInt32(appendInt64(b, secondsField, secs), nanosField, nanos)
	})
}

// appendTime appends a Timestamp field, or nothing for the zero time (as
// timestamp does).
func appendTime(b []byte, num protowire.Number, t time.Time) []byte {
	if t.IsZero() {
		return b
	}
	return appendSecondsNanos(b, num, t.Unix(), int32(t.Nanosecond()))
}

// appendDuration appends a Duration field as durationpb.New makes it
// (seconds and nanos of the same sign).
func appendDuration(b []byte, num protowire.Number, d time.Duration) []byte {
	return appendSecondsNanos(b, num, int64(d/time.Second), int32(d%time.Second))
}

// appendLogStats appends a LogStats field, or nothing when there is no
// log file (st nil).
func appendLogStats(b []byte, num protowire.Number, st *logs.Stats) []byte {
	if st == nil {
		return b
	}
	return appendMessage(b, num, func(b []byte) []byte {
		b = appendInt64(b, logStatsWrittenBytes, st.Written)
		b = appendInt64(b, logStatsDroppedBytes, st.Dropped)
		b = appendInt64(b, logStatsRotations, st.Rotations)
		b = appendInt64(b, logStatsRotationFailures, st.RotateErrors)
		if st.LastDropError != nil {
			b = appendString(b, logStatsLastDropError, st.LastDropError.Error())
		}
		return b
	})
}
