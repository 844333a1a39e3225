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

// MarshalXMLRPC writes the array.
func (l wireInfoList) MarshalXMLRPC(w *xmlrpc.Writer) error {
	if err := w.BeginArray(); err != nil {
		return err
	}
	err := eachField(l, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
		if num != wireProcesses || typ != protowire.BytesType {
			return nil
		}
		i, err := wireInfo(v)
		if err != nil {
			return err
		}
		return i.marshal(w)
	})
	if err != nil {
		return fmt.Errorf("the process list: %w", err)
	}
	w.EndArray()
	return nil
}

// wireInfo reads an encoded ProcessInfo. Its strings share b's memory:
// they live as long as b, which outlives the marshal that copies them.
func wireInfo(b []byte) (legacyInfo, error) {
	var i legacyInfo
	err := eachField(b, func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error {
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
	return i, err
}

// wireEpoch reads an encoded Timestamp as epoch does.
func wireEpoch(b []byte) (int64, error) {
	var secs int64
	var nanos int32
	err := eachField(b, func(num protowire.Number, typ protowire.Type, _ []byte, x uint64) error {
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
// of a length-delimited field (v), the value of a varint (x); other
// types are skipped. A malformed message is an error.
func eachField(b []byte, f func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return protowire.ParseError(n)
		}
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
		b = b[n:]
		if typ == protowire.BytesType || typ == protowire.VarintType {
			if err := f(num, typ, v, x); err != nil {
				return err
			}
		}
	}
	return nil
}

// view returns b's bytes as a string without copying them; b must not
// change while the string is in use.
func view(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
