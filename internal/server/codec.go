package server

import (
	"sync"

	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/encoding/proto"
	"google.golang.org/grpc/mem"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

// wireCodec is the gRPC server's codec: grpc's protobuf codec, except
// that a ListProcesses answer encoded ahead (wire.go) is handed to the
// transport as it is. Marshaling it would copy it (a message holding only
// unknown fields marshals to exactly those bytes) into a buffer grpc
// zeroes first; instead the encoded bytes, from encodedLists, go back to
// that pool once the transport has written them.
type wireCodec struct{ encoding.CodecV2 }

// newWireCodec returns the codec, delegating to grpc's protobuf codec.
func newWireCodec() wireCodec { return wireCodec{encoding.GetCodecV2(proto.Name)} }

// Marshal encodes v: an encoded ListProcesses answer as it is (the codec
// takes its bytes: the message no longer holds them), anything else with
// grpc's protobuf codec.
func (c wireCodec) Marshal(v any) (mem.BufferSlice, error) {
	if r, ok := v.(*gsupervisorv1.ListProcessesResponse); ok && len(r.GetProcesses()) == 0 {
		m := r.ProtoReflect()
		if b := []byte(m.GetUnknown()); len(b) > 0 {
			m.SetUnknown(nil)
			return mem.BufferSlice{mem.NewBuffer(&b, encodedLists)}, nil
		}
	}
	return c.CodecV2.Marshal(v)
}

// encodedLists recycles the buffers of encoded ListProcesses answers.
var encodedLists = &bufferPool{}

// bufferPool is a mem.BufferPool that, unlike grpc's, does not zero the
// buffers it hands out: the encoder overwrites them from the start and
// the transport reads no further than it wrote. What it holds is dropped
// within two garbage collections.
type bufferPool struct{ pool sync.Pool }

// Get returns a buffer of length n.
func (p *bufferPool) Get(n int) *[]byte {
	if b, ok := p.pool.Get().(*[]byte); ok && cap(*b) >= n {
		*b = (*b)[:n]
		return b
	}
	b := make([]byte, n)
	return &b
}

// Put takes a buffer back.
func (p *bufferPool) Put(b *[]byte) { p.pool.Put(b) }
