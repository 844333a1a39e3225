package statefile

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

type sample struct {
	Version  int            `json:"version"`
	Disabled []string       `json:"disabled"`
	Scale    map[string]int `json:"scale"`
}

func TestWriteRead(t *testing.T) {
	dir := t.TempDir()
	path := Beside(filepath.Join(dir, "run", "supervisord.pid"), "programs")
	if path != filepath.Join(dir, "run", "supervisord.pid.programs") || Beside("", "x") != "" {
		t.Fatalf("Beside = %q", path)
	}
	var got sample
	if found, err := Read(path, &got); found || err != nil {
		t.Fatalf("missing file: %v %v", found, err)
	}
	want := sample{Version: 1, Disabled: []string{"web"}, Scale: map[string]int{"worker": 4}}
	if err := Write(path, want); err != nil {
		t.Fatal(err)
	}
	want.Disabled = append(want.Disabled, "db")
	if err := Write(path, want); err != nil {
		t.Fatal(err)
	}
	if found, err := Read(path, &got); !found || err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("Read = %+v %v %v", got, found, err)
	}
	// Replace writes the same file, without the syncs.
	want.Scale["worker"] = 2
	if err := Replace(path, want); err != nil {
		t.Fatal(err)
	}
	got = sample{}
	if found, err := Read(path, &got); !found || err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("Read after Replace = %+v %v %v", got, found, err)
	}
	// No temporary file is left behind.
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries", len(entries))
	}
}

func TestFailures(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.programs")
	os.WriteFile(path, []byte("{not json"), 0o644)
	var v sample
	if _, err := Read(path, &v); err == nil || !strings.Contains(err.Error(), "the state file "+path+" is damaged") {
		t.Errorf("damaged: %v", err)
	}
	if err := Write(path, func() {}); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("unencodable: %v", err)
	}
	ro := filepath.Join(dir, "ro")
	os.Mkdir(ro, 0o555)
	if os.Geteuid() != 0 {
		if err := Write(filepath.Join(ro, "x"), v); err == nil || !strings.Contains(err.Error(), "write the state file") {
			t.Errorf("read-only directory: %v", err)
		}
	}
	// A file where the directory should be fails both writers.
	for _, write := range []func(string, any) error{Write, Replace} {
		if err := write(filepath.Join(path, "x"), v); err == nil || !strings.Contains(err.Error(), "write the state file") {
			t.Errorf("a file as the directory: %v", err)
		}
	}
	if _, err := Read(dir, &v); err == nil || !strings.Contains(err.Error(), "read the state file") {
		t.Errorf("a directory: %v", err)
	}
}
