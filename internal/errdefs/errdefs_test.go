package errdefs

import (
	"errors"
	"fmt"
	"testing"
)

func TestErrorText(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{New(BadName, "web:web_00"), "BAD_NAME: web:web_00"},
		{New(NoFile, ""), "NO_FILE"},
		{New(SpawnError, "%s", "x"), "SPAWN_ERROR: x"},
		{New(Failed, "100%% sure"), "FAILED: 100%% sure"},
	}
	for _, c := range cases {
		if got := c.err.Error(); got != c.want {
			t.Errorf("Error() = %q, want %q", got, c.want)
		}
	}
}

func TestReasonOfAndIs(t *testing.T) {
	base := New(NotRunning, "web")
	wrapped := fmt.Errorf("stop: %w", base)
	if ReasonOf(wrapped) != NotRunning {
		t.Fatalf("ReasonOf(wrapped) = %v", ReasonOf(wrapped))
	}
	if !errors.Is(wrapped, New(NotRunning, "")) {
		t.Fatal("errors.Is should match on reason")
	}
	if errors.Is(wrapped, New(BadName, "")) {
		t.Fatal("errors.Is matched a different reason")
	}
	if ReasonOf(errors.New("plain")) != Failed {
		t.Fatal("plain errors are FAILED")
	}
	if ReasonOf(nil) != Unspecified {
		t.Fatal("nil is Unspecified")
	}
}

func TestParseReasonRoundTrip(t *testing.T) {
	for _, r := range Reasons() {
		got, ok := ParseReason(r.String())
		if !ok || got != r {
			t.Errorf("ParseReason(%q) = %v, %v", r, got, ok)
		}
	}
	if _, ok := ParseReason("NOPE"); ok {
		t.Error("ParseReason accepted an unknown name")
	}
}
