package server

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/gsupervisor/gsupervisor/internal/logs"
	"github.com/gsupervisor/gsupervisor/internal/memtrim"
	"github.com/gsupervisor/gsupervisor/internal/process"
	"github.com/gsupervisor/gsupervisor/internal/supervisor"
)

// This file encodes ListProcesses' answer for the network straight from
// the engine's snapshots into the protobuf wire format, skipping the
// generated structs: for 1000 processes those are a few hundred kilobytes
// of garbage per call that protobuf-go then walks again to marshal them.
// The bytes are those of a ListProcessesResponse whose processes are what
// toProcessInfos makes of the same snapshots (TestWireMatchesConvert
// decodes both and compares them, field by field, with every field set by
// some case). What a list encoded of each process is kept with the
// process's version (listMemo), and the next list copies it while the
// version holds, taking no snapshot. The in-process connection (REST
// gateway, web) still gets the structs, which it reads without decoding;
// the legacy XML-RPC asks for the wire form (surface.WithWireAnswers).

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
	for k := range infos {
		i := &infos[k]
		b = appendMessage(b, listProcessesResponseProcesses, func(b []byte) []byte { return appendProcessInfo(b, i) })
	}
	return b
}

// memo is what the last list encoded of each process (listMemo).
var memo listMemo

// memoTrimmer drops memo once no list was encoded for a while, so that it
// holds no memory in an idle daemon.
var memoTrimmer = memtrim.New(memtrim.Quiet/2, memo.drop)

// encodeList appends the wire form of a ListProcessesResponse holding
// every process of core to b, copying from memo what did not change.
func encodeList(core *supervisor.Supervisor, b []byte) ([]byte, error) {
	memo.mu.Lock()
	defer memo.mu.Unlock()
	defer memoTrimmer.Touch()
	now := time.Now()
	e := listEncoder{b: b, m: &memo, now: now.UnixNano(), nowSec: now.Unix()}
	e.nowField = appendTime(e.nowBuf[:0], processInfoNow, now)
	err := core.EachProcessAt(now, e.add)
	e.finish()
	return e.b, err
}

// listMemo keeps what a list encoded of each process with the version it
// was encoded at (supervisor.ProcessVersion), so that the next list copies
// the bytes of each process whose version is the same, without taking its
// snapshot: for a thousand processes the snapshots are thousands of cache
// lines scattered over the heap, which the CPU caches of a daemon between
// two calls no longer hold, while the copies are one stream. Only the
// time is encoded again: the now field, and a running process's
// description (its uptime).
type listMemo struct {
	mu      sync.Mutex
	entries []memoEntry // by position in the list
	buf     []byte      // the entries' bytes
	live    int         // how many bytes of buf the entries use
}

// memoEntry is what a list encoded of one process, in listMemo.buf: the
// fields before now (1-5) in [off, now); those between now and the
// description (7-12), and the description unless the process is running,
// in [now, desc); the rest (14-32) in [desc, end).
type memoEntry struct {
	v                   supervisor.ProcessVersion
	off, now, desc, end int32
	// running tells a running process, described again by each list
	// from its pid and start.
	running bool
	pid     int
	// startSec is when the process started, in Unix seconds; start and
	// stop in Unix nanoseconds (0 for none), so that a list whose now
	// is before them (read before the process started or stopped) uses
	// the clock's time, as Process.InfoAt does.
	startSec, start, stop int64
}

// size returns how many bytes of listMemo.buf en uses.
func (en *memoEntry) size() int { return int(en.end - en.off) }

// drop empties the memo.
func (m *listMemo) drop() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries, m.buf, m.live = nil, nil, 0
}

// listEncoder appends the wire form of a ListProcessesResponse one
// process at a time (Supervisor.EachProcessAt), recording each it encodes
// into its memo, under the memo's lock.
type listEncoder struct {
	b []byte
	m *listMemo
	k int // the position of the next process
	// now is the list's time in Unix nanoseconds and seconds, and its
	// encoded now field.
	now, nowSec int64
	nowField    []byte
	nowBuf      [16]byte
	textBuf     [64]byte
	descBuf     [80]byte
}

// add appends the next process, of version v, whose snapshot info takes.
func (e *listEncoder) add(v supervisor.ProcessVersion, info func() *supervisor.ProcessInfo) {
	k := e.k
	e.k++
	m := e.m
	if k < len(m.entries) && v.Known() && m.entries[k].v == v {
		e.appendEntry(&m.entries[k])
		return
	}
	i := info()
	if !v.Known() {
		m.set(k, memoEntry{})
		e.b = appendMessage(e.b, listProcessesResponseProcesses, func(b []byte) []byte { return appendProcessInfo(b, i) })
		return
	}
	en := memoEntry{v: v, off: int32(len(m.buf)), running: i.State == process.Running, pid: i.Pid, startSec: i.Start.Unix()}
	if !i.Start.IsZero() {
		en.start = i.Start.UnixNano()
	}
	if !i.Stop.IsZero() {
		en.stop = i.Stop.UnixNano()
	}
	m.buf = appendInfoHead(m.buf, i)
	en.now = int32(len(m.buf))
	m.buf = appendInfoMiddle(m.buf, i)
	if !en.running {
		m.buf = appendString(m.buf, processInfoDescription, i.Description)
	}
	en.desc = int32(len(m.buf))
	m.buf = appendInfoTail(m.buf, i)
	en.end = int32(len(m.buf))
	m.set(k, en)
	e.appendEntry(&m.entries[k])
}

// appendEntry appends the process en records, with the list's time.
func (e *listEncoder) appendEntry(en *memoEntry) {
	nowField, nowSec := e.nowField, e.nowSec
	if e.now < en.start || e.now < en.stop {
		t := time.Now()
		nowField, nowSec = appendTime(nil, processInfoNow, t), t.Unix()
	}
	var desc []byte
	if en.running {
		text := process.AppendRunning(e.textBuf[:0], en.pid, en.startSec, nowSec)
		desc = protowire.AppendTag(e.descBuf[:0], processInfoDescription, protowire.BytesType)
		desc = protowire.AppendBytes(desc, text)
	}
	buf := e.m.buf
	b := protowire.AppendTag(e.b, listProcessesResponseProcesses, protowire.BytesType)
	b = protowire.AppendVarint(b, uint64(en.size()+len(nowField)+len(desc)))
	b = append(b, buf[en.off:en.now]...)
	b = append(b, nowField...)
	b = append(b, buf[en.now:en.desc]...)
	b = append(b, desc...)
	e.b = append(b, buf[en.desc:en.end]...)
}

// set records en as the k-th process (k is at most len(m.entries)).
func (m *listMemo) set(k int, en memoEntry) {
	if k == len(m.entries) {
		m.entries = append(m.entries, memoEntry{})
	}
	m.live += en.size() - m.entries[k].size()
	m.entries[k] = en
}

// finish forgets the processes past the list's end and, once most of the
// memo's bytes are those of earlier versions, copies the current ones
// into a buffer of their own, in order.
func (e *listEncoder) finish() {
	m := e.m
	for k := e.k; k < len(m.entries); k++ {
		m.live -= m.entries[k].size()
	}
	m.entries = m.entries[:e.k]
	if len(m.buf) <= 2*m.live+64<<10 {
		return
	}
	buf := make([]byte, 0, m.live+m.live/8)
	for k := range m.entries {
		en := &m.entries[k]
		shift := int32(len(buf)) - en.off
		buf = append(buf, m.buf[en.off:en.end]...)
		en.off, en.now, en.desc, en.end = en.off+shift, en.now+shift, en.desc+shift, en.end+shift
	}
	m.buf = buf
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
// field order, leaving out the zero values as proto3 does.
func appendProcessInfo(b []byte, i *supervisor.ProcessInfo) []byte {
	b = appendInfoHead(b, i)
	b = appendTime(b, processInfoNow, i.Now)
	b = appendInfoMiddle(b, i)
	b = appendString(b, processInfoDescription, i.Description)
	return appendInfoTail(b, i)
}

// appendInfoHead appends the fields of i before now (1-5).
func appendInfoHead(b []byte, i *supervisor.ProcessInfo) []byte {
	b = appendNames(b, i)
	b = appendTime(b, processInfoStartTime, i.Start)
	return appendTime(b, processInfoStopTime, i.Stop)
}

// appendInfoMiddle appends the fields of i between now and the
// description (7-12).
func appendInfoMiddle(b []byte, i *supervisor.ProcessInfo) []byte {
	b = appendInt32(b, processInfoState, int32(processStates[i.State]))
	b = appendString(b, processInfoSpawnError, i.SpawnErr)
	b = appendInt32(b, processInfoExitStatus, int32(i.ExitStatus))
	b = appendString(b, processInfoStdoutLogfile, i.StdoutLogfile)
	b = appendString(b, processInfoStderrLogfile, i.StderrLogfile)
	return appendInt32(b, processInfoPid, int32(i.Pid))
}

// appendInfoTail appends the fields of i after the description (14-32).
func appendInfoTail(b []byte, i *supervisor.ProcessInfo) []byte {
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
	return appendLogStats(b, processInfoStderrLogStats, i.StderrStats)
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
