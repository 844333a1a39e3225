package compat

import (
	"fmt"
	"unsafe"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/surface"
)

// This file reads getAllProcessInfo's processes from a ListProcesses
// answer in wire form (surface.WithWireAnswers): the encoded
// ProcessInfo messages, read field by field straight into the XML,
// without a message built (and collected) for each process.

// The fields of gsupervisor.v1.ProcessInfo and google.protobuf.Timestamp
// read here (TestWireFieldNumbers checks them against the descriptors).
const (
	wireProcesses = 1 // ListProcessesResponse.processes

	wireName          = 1
	wireGroup         = 2
	wireStartTime     = 4
	wireStopTime      = 5
	wireNow           = 6
	wireState         = 7
	wireSpawnError    = 8
	wireExitStatus    = 9
	wireStdoutLogfile = 10
	wireStderrLogfile = 11
	wirePid           = 12
	wireDescription   = 13

	wireSeconds = 1 // Timestamp.seconds
	wireNanos   = 2 // Timestamp.nanos
)

// wireInfoList is getAllProcessInfo's array, from the wire form of a
// ListProcessesResponse.
type wireInfoList []byte

// XMLRPCSize estimates the encoded size: the XML of a process is about
// six times its wire form (its strings once or twice, the markup of 14
// members).
func (l wireInfoList) XMLRPCSize() int { return 64 + 6*len(l) }

// release gives the list's bytes back to the server once the answer is
// encoded (releaser).
func (l wireInfoList) release() { surface.PutWireBuffer(l) }

// MarshalXMLRPC writes the array, with a pooled infoCache.
func (l wireInfoList) MarshalXMLRPC(w *xmlrpc.Writer) error {
	c := getInfoCache()
	defer putInfoCache(c)
	return l.marshal(w, c)
}

// marshal writes the array, reusing and updating c.
func (l wireInfoList) marshal(w *xmlrpc.Writer, c *infoCache) error {
	if err := w.BeginArray(); err != nil {
		return err
	}
	n := 0
	err := eachField(l, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64, _ []byte) error {
		if num != wireProcesses || typ != protowire.BytesType {
			return nil
		}
		n++
		return c.marshal(w, n-1, v)
	})
	if err != nil {
		c.reset()
		return fmt.Errorf("the process list: %w", err)
	}
	c.truncate(n)
	w.EndArray()
	return nil
}

// wireInfo reads an encoded ProcessInfo. Its strings share b's memory:
// they live as long as b, which outlives the marshal that copies them.
// It also appends to key, as encoded, the fields the struct shows apart
// from now and description: two processes with equal keys have the same
// members but for those two (infoCache).
func wireInfo(b, key []byte) (legacyInfo, []byte, error) {
	var i legacyInfo
	err := eachField(b, func(num protowire.Number, typ protowire.Type, v []byte, x uint64, field []byte) error {
		switch num {
		case wireName, wireGroup, wireStartTime, wireStopTime, wireState, wireSpawnError,
			wireExitStatus, wireStdoutLogfile, wireStderrLogfile, wirePid:
			key = append(key, field...)
		}
		switch typ {
		case protowire.BytesType:
			switch num {
			case wireName:
				i.name = view(v)
			case wireGroup:
				i.group = view(v)
			case wireSpawnError:
				i.spawnErr = view(v)
			case wireStdoutLogfile:
				i.stdout = view(v)
			case wireStderrLogfile:
				i.stderr = view(v)
			case wireDescription:
				i.description = view(v)
			case wireStartTime, wireStopTime, wireNow:
				t, err := wireEpoch(v)
				if err != nil {
					return err
				}
				switch num {
				case wireStartTime:
					i.start = t
				case wireStopTime:
					i.stop = t
				default:
					i.now = t
				}
			}
		case protowire.VarintType:
			switch num {
			case wireState:
				i.state = gsupervisorv1.ProcessState(int32(x))
			case wireExitStatus:
				i.exitStatus = int32(x)
			case wirePid:
				i.pid = int32(x)
			}
		}
		return nil
	})
	return i, key, err
}

// wireEpoch reads an encoded Timestamp as epoch does.
func wireEpoch(b []byte) (int64, error) {
	var secs int64
	var nanos int32
	err := eachField(b, func(num protowire.Number, typ protowire.Type, _ []byte, x uint64, _ []byte) error {
		if typ == protowire.VarintType {
			switch num {
			case wireSeconds:
				secs = int64(x)
			case wireNanos:
				nanos = int32(x)
			}
		}
		return nil
	})
	return epochOf(secs, nanos), err
}

// eachField calls f with each field of the encoded message b: the bytes
// of a length-delimited field (v), the value of a varint (x), and the
// whole field as encoded, tag included (field); other types are skipped.
// A malformed message is an error.
func eachField(b []byte, f func(num protowire.Number, typ protowire.Type, v []byte, x uint64, field []byte) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return protowire.ParseError(n)
		}
		field := b
		b = b[n:]
		var v []byte
		var x uint64
		switch typ {
		case protowire.BytesType:
			v, n = protowire.ConsumeBytes(b)
		case protowire.VarintType:
			x, n = protowire.ConsumeVarint(b)
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
		}
		if n < 0 {
			return protowire.ParseError(n)
		}
		field = field[:len(field)-len(b)+n]
		b = b[n:]
		if typ == protowire.BytesType || typ == protowire.VarintType {
			if err := f(num, typ, v, x, field); err != nil {
				return err
			}
		}
	}
	return nil
}

// view returns b's bytes as a string without copying them; b must not
// change while the string is in use.
func view(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
