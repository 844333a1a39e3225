package logs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/gsupervisor/gsupervisor/internal/symlinks"
)

// AutoPath creates a new AUTO child log file in dir, named
// <process>-<channel>---<identifier>-<random>.log with mode 0600 (like
// mkstemp), and returns its path.
func AutoPath(dir, process, channel, identifier string) (string, error) {
	// The name is new (O_EXCL), but the directory's path may go through a
	// link another user planted.
	if _, err := symlinks.Check(dir); err != nil {
		return "", fmt.Errorf("create AUTO log for %s %s in %s: %w", process, channel, dir, err)
	}
	f, err := os.CreateTemp(dir, fmt.Sprintf("%s-%s---%s-*.log", process, channel, identifier))
	if err != nil {
		return "", fmt.Errorf("create AUTO log for %s %s in %s: %w", process, channel, dir, err)
	}
	name := f.Name()
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("create AUTO log %s: %w", name, err)
	}
	return name, nil
}

// autoPattern returns Supervisor's cleanup pattern for identifier,
// .+?---<identifier>-\S+\.log\.{0,1}\d{0,4}, matched at the start of a name
// (Python's re.match). The identifier is matched literally (Supervisor
// pastes it into the expression unescaped).
func autoPattern(identifier string) *regexp.Regexp {
	return regexp.MustCompile(`^.+?---` + regexp.QuoteMeta(identifier) + `-\S+\.log\.?\d{0,4}`)
}

// CleanAuto deletes the AUTO log files of a previous run in dir: the names
// matching Supervisor's pattern .+?---<identifier>-\S+\.log\.{0,1}\d{0,4}
// (rotated backups included). It tries every file and returns the errors
// joined; a missing or unreadable dir is an error.
func CleanAuto(dir, identifier string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("clean AUTO logs: %w", err)
	}
	re := autoPattern(identifier)
	var errs []error
	for _, e := range entries {
		if !re.MatchString(e.Name()) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, fmt.Errorf("clean AUTO log: %w", err))
		}
	}
	return errors.Join(errs...)
}
