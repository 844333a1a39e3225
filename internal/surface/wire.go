package surface

import "context"

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
