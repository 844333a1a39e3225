package logs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/gsupervisor/gsupervisor/internal/symlinks"
)

// CreateAuto creates a new AUTO child log file in dir, named
// <process>-<channel>---<identifier>-<random>.log with mode 0600 (like
// mkstemp), and returns it open as a File with cfg (cfg.Path is set to
// the new name). The file is written through the descriptor that created
// it: not closed and opened again by name, as 4.2.5 does, which costs a
// second path walk for each of a thousand programs at start-up, and a
// window in which the name could be replaced.
func CreateAuto(dir, process, channel, identifier string, cfg FileConfig) (*File, error) {
	cfg.Path = filepath.Join(dir, process+"-"+channel+"---"+identifier+"-.log") // named once created
	f, err := newFile(cfg)
	if err != nil {
		return nil, err
	}
	// The name is new (O_EXCL), but the directory's path may go through a
	// link another user planted.
	if _, err := symlinks.Check(dir); err != nil {
		return nil, fmt.Errorf("create AUTO log for %s %s in %s: %w", process, channel, dir, err)
	}
	osf, err := os.CreateTemp(dir, fmt.Sprintf("%s-%s---%s-*.log", process, channel, identifier))
	if err != nil {
		return nil, fmt.Errorf("create AUTO log for %s %s in %s: %w", process, channel, dir, err)
	}
	f.cfg.Path = osf.Name()
	seg, err := newSegment(osf, true)
	if err != nil {
		osf.Close()
		os.Remove(osf.Name())
		return nil, fmt.Errorf("create AUTO log %s: %w", osf.Name(), err)
	}
	f.addSegmentLocked(seg)
	return f, nil
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
