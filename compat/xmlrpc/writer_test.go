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

// keyed writes a struct through StringMember and IntMember.
type keyed struct {
	k  Key
	s  string
	ik Key
	i  int64
}

func (v keyed) MarshalXMLRPC(w *Writer) error {
	if err := w.BeginStruct(); err != nil {
		return err
	}
	w.StringMember(v.k, v.s)
	if err := w.IntMember(v.ik, v.i); err != nil {
		return err
	}
	w.EndStruct()
	return nil
}

func TestKeyedMembersMatchStruct(t *testing.T) {
	for _, c := range []struct {
		name, s, iname string
		i              int64
	}{
		{"name", "plain", "pid", 42},
		{"a<b>&\r", "x & <y>\x01\xff", "é", math.MinInt32},
		{"", "", "n", math.MaxInt32},
	} {
		v := keyed{k: NewKey(c.name), s: c.s, ik: NewKey(c.iname), i: c.i}
		got, err := AppendResponse(nil, v)
		if err != nil {
			t.Fatal(err)
		}
		want, err := AppendResponse(nil, Struct{{c.name, c.s}, {c.iname, c.i}})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%q: keyed members encode\n%s\nwant\n%s", c.name, got, want)
		}
	}
	// Outside the 32-bit range IntMember fails as Int does.
	for _, i := range []int64{math.MaxInt32 + 1, math.MinInt32 - 1} {
		_, err := AppendResponse(nil, keyed{k: NewKey("a"), ik: NewKey("b"), i: i})
		_, want := AppendResponse(nil, Struct{{"a", ""}, {"b", i}})
		if !errors.Is(err, ErrIntOverflow) || want == nil || err.Error() != want.Error() {
			t.Errorf("IntMember(%d): error %v, want %v", i, err, want)
		}
	}
}

// replayed writes a struct's members once, keeps them (Len, Since), and
// writes them again with Raw in a second struct.
type replayed struct{ k Key }

func (v replayed) MarshalXMLRPC(w *Writer) error {
	if err := w.BeginArray(); err != nil {
		return err
	}
	var kept []byte
	for i := 0; i < 2; i++ {
		if err := w.BeginStruct(); err != nil {
			return err
		}
		if kept == nil {
			m := w.Len()
			w.StringMember(v.k, "a & b")
			kept = bytes.Clone(w.Since(m))
		} else {
			w.Raw(kept)
		}
		w.EndStruct()
	}
	w.EndArray()
	return nil
}

// TestRawReplaysSince: members kept from Since and written again with Raw
// encode exactly as writing them afresh.
func TestRawReplaysSince(t *testing.T) {
	got, err := AppendResponse(nil, replayed{NewKey("name")})
	if err != nil {
		t.Fatal(err)
	}
	s := Struct{{"name", "a & b"}}
	want, err := AppendResponse(nil, []any{s, s})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("replayed members encode\n%s\nwant\n%s", got, want)
	}
}
