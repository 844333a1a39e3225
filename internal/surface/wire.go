package surface

import (
	"context"
	"sync"
)

// wireAnswerKey marks a context whose calls want wire answers.
type wireAnswerKey struct{}

// WithWireAnswers returns ctx marked so that, on the in-process
// connection, a ListProcesses call made with it answers in the form the
// network carries: the response's processes are its unknown fields, the
// encoded ProcessInfo messages, which the caller reads with protowire
// instead of a thousand messages being built for it and collected after
// (the legacy getAllProcessInfo writes them straight to XML). A caller
// must still accept the processes as messages: other methods, and a
// server that does not know the mark, answer as usual. A context value,
// not metadata, so that no request from the network can set it.
func WithWireAnswers(ctx context.Context) context.Context {
	return context.WithValue(ctx, wireAnswerKey{}, true)
}

// WantsWireAnswers reports whether ctx was marked by WithWireAnswers.
func WantsWireAnswers(ctx context.Context) bool {
	on, _ := ctx.Value(wireAnswerKey{}).(bool)
	return on
}

// wireBuffers recycles the buffers of wire answers (GetWireBuffer).
var wireBuffers sync.Pool

// GetWireBuffer returns an empty buffer with room for n bytes, for the
// server to encode a wire answer into. Whoever ends up holding the
// answer's bytes (the gRPC transport once it has written them, an
// in-process caller once it has read them) may give them back with
// PutWireBuffer, so that a list of a thousand processes is not garbage
// call after call; a buffer not given back is collected as usual.
func GetWireBuffer(n int) []byte {
	if bp, ok := wireBuffers.Get().(*[]byte); ok && cap(*bp) >= n {
		return (*bp)[:0]
	}
	return make([]byte, 0, n)
}

// PutWireBuffer gives back b, the bytes of a wire answer, once nothing
// reads them (nor strings made from them without a copy).
func PutWireBuffer(b []byte) {
	if cap(b) == 0 {
		return
	}
	if poisonReturned {
		for i := range b {
			b[i] = 0xff
		}
	}
	wireBuffers.Put(&b)
}
