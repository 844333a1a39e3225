package surface

import (
	"context"
	"testing"
)

// TestWireAnswersMark: only a context marked by WithWireAnswers (or
// derived from one) asks for wire answers.
func TestWireAnswersMark(t *testing.T) {
	ctx := context.Background()
	if WantsWireAnswers(ctx) {
		t.Fatal("an unmarked context wants wire answers")
	}
	marked := WithWireAnswers(ctx)
	child, cancel := context.WithCancel(marked)
	defer cancel()
	if !WantsWireAnswers(marked) || !WantsWireAnswers(child) {
		t.Fatal("a marked context does not want wire answers")
	}
}

// TestWireBuffers: a buffer is empty with the room asked for, whether
// new or given back, and one given back with no room is ignored.
func TestWireBuffers(t *testing.T) {
	for _, n := range []int{0, 10, 1 << 16} {
		b := GetWireBuffer(n)
		if len(b) != 0 || cap(b) < n {
			t.Fatalf("GetWireBuffer(%d): len %d cap %d", n, len(b), cap(b))
		}
		PutWireBuffer(append(b, "answer"...))
	}
	PutWireBuffer(nil)
	if b := GetWireBuffer(1 << 20); len(b) != 0 || cap(b) < 1<<20 {
		t.Fatalf("GetWireBuffer(1 MiB) after smaller ones: len %d cap %d", len(b), cap(b))
	}
}
