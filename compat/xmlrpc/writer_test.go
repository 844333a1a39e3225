package xmlrpc

import (
	"bytes"
	"errors"
	"math"
	"testing"
)

// record writes the same value as a Marshaler that the Struct below
// holds, so the two encodings can be compared byte for byte.
type record struct {
	name  string
	pid   int64
	ok    bool
	extra []any
}

func (r record) MarshalXMLRPC(w *Writer) error {
	if err := w.BeginStruct(); err != nil {
		return err
	}
	w.Member("name")
	w.String(r.name)
	w.EndMember()
	w.Member("pid")
	if err := w.Int(r.pid); err != nil {
		return err
	}
	w.EndMember()
	w.Member("ok")
	w.Bool(r.ok)
	w.EndMember()
	w.Member("extra")
	if err := w.BeginArray(); err != nil {
		return err
	}
	for _, v := range r.extra {
		if err := w.Value(v); err != nil {
			return err
		}
	}
	w.EndArray()
	w.EndMember()
	w.EndStruct()
	return nil
}

func TestMarshalerMatchesStruct(t *testing.T) {
	r := record{name: "a<b>&\x01", pid: 42, ok: true, extra: []any{"x", int64(1), Struct{{Name: "k", Value: "v"}}}}
	s := Struct{{"name", r.name}, {"pid", r.pid}, {"ok", r.ok}, {"extra", r.extra}}
	got, err := AppendResponse(nil, []any{r, r})
	if err != nil {
		t.Fatal(err)
	}
	want, err := AppendResponse(nil, []any{s, s})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("Marshaler encoding differs:\n%s\nwant:\n%s", got, want)
	}
	if _, err := AppendResponse(nil, record{pid: math.MaxInt32 + 1}); !errors.Is(err, ErrIntOverflow) {
		t.Fatalf("overflowing int in a Marshaler: %v", err)
	}
}
