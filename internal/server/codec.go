package server

import (
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/encoding/proto"
	"google.golang.org/grpc/mem"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/surface"
)

// wireCodec is the gRPC server's codec: grpc's protobuf codec, except
// that a ListProcesses answer encoded ahead (wire.go) is handed to the
// transport as it is. Marshaling it would copy it (a message holding only
// unknown fields marshals to exactly those bytes) into a buffer grpc
// zeroes first; instead the encoded bytes, from surface's wire buffers, go
// back to them once the transport has written them.
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
			return mem.BufferSlice{mem.NewBuffer(&b, wireBufferPool{})}, nil
		}
	}
	return c.CodecV2.Marshal(v)
}

// wireBufferPool is surface's wire buffers (GetWireBuffer, PutWireBuffer)
// as a mem.BufferPool, through which the transport gives an encoded answer
// back once written. Unlike grpc's pools it does not zero what it hands
// out: the encoder overwrites a buffer from its start, and the transport
// reads no further than was written.
type wireBufferPool struct{}

// Get returns a buffer of length n.
func (wireBufferPool) Get(n int) *[]byte {
	b := surface.GetWireBuffer(n)[:n]
	return &b
}

// Put gives a buffer back.
func (wireBufferPool) Put(b *[]byte) { surface.PutWireBuffer(*b) }
