package statefile

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Beside returns the state file called name that goes with a pidfile:
// "<pidfile>.<name>"; "" without a pidfile.
func Beside(pidfile, name string) string {
	if pidfile == "" {
		return ""
	}
	return pidfile + "." + name
}

// Read decodes the JSON file at path into v. A missing file is not an
// error: found is false and v is left alone.
func Read(path string, v any) (found bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read the state file %s: %w", path, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("the state file %s is damaged: %w", path, err)
	}
	return true, nil
}

// Write replaces the file at path with v as JSON, atomically and durably
// (see the package documentation). The directory is created if needed.
func Write(path string, v any) error {
	return write(path, v, true)
}

// Replace is Write without the syncs: the file is replaced atomically, so
// a crash of the daemon (SIGKILL included) leaves the old or the new
// content, but a crash of the machine may lose the last change. It is for
// files that describe the running processes, which such a crash ends too,
// and that change on every spawn, where a sync would cost a disk flush.
// For the same reason its JSON is not indented.
func Replace(path string, v any) error {
	return write(path, v, false)
}

// write is Write, with the syncs and the indentation only when durable.
func write(path string, v any, durable bool) error {
	marshal := json.Marshal
	if durable {
		marshal = func(v any) ([]byte, error) { return json.MarshalIndent(v, "", "  ") }
	}
	b, err := marshal(v)
	if err != nil {
		return fmt.Errorf("write the state file %s: %w", path, err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write the state file %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write the state file %s: %w", path, err)
	}
	_, werr := tmp.Write(append(b, '\n'))
	var serr error
	if durable {
		serr = tmp.Sync()
	}
	cerr := tmp.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write the state file %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write the state file %s: %w", path, err)
	}
	if !durable {
		return nil
	}
	return syncDir(dir)
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
