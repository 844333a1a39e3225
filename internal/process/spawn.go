package process

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/gsupervisor/gsupervisor/internal/config"
	"github.com/gsupervisor/gsupervisor/internal/errdefs"
	"github.com/gsupervisor/gsupervisor/internal/pytext"
)

// defaultPath is searched when neither the program nor the daemon has a
// PATH.
var defaultPath = []string{"/bin", "/usr/bin", "/usr/local/bin"}

// ResolveCommand splits the command line and finds the executable the way
// Supervisor's get_execv_args does. Its errors carry NOT_EXECUTABLE
// (unparsable, empty, a directory, not executable, no permission) or
// NO_FILE (not found), with 4.2.5's texts.
func ResolveCommand(command string, env map[string]string) (string, []string, error) {
	argv, err := config.SplitCommand(command)
	if err != nil {
		return "", nil, errdefs.Wrap(errdefs.NotExecutable, err, err.Error())
	}
	if len(argv) == 0 {
		return "", nil, errdefs.New(errdefs.NotExecutable, "command is empty")
	}
	program := argv[0]
	filename := program
	var st os.FileInfo
	if strings.Contains(program, "/") {
		st, _ = os.Stat(filename)
	} else {
		for _, dir := range searchPath(env) {
			candidate := filepath.Join(dir, program)
			if fi, err := os.Stat(candidate); err == nil {
				filename, st = candidate, fi
				break
			}
		}
	}
	switch {
	case st == nil:
		return "", nil, errdefs.New(errdefs.NoFile, "can't find command %s", pytext.Repr(filename))
	case st.IsDir():
		return "", nil, errdefs.New(errdefs.NotExecutable, "command at %s is a directory", pytext.Repr(filename))
	case st.Mode().Perm()&0o111 == 0:
		return "", nil, errdefs.New(errdefs.NotExecutable, "command at %s is not executable", pytext.Repr(filename))
	case unix.Access(filename, unix.X_OK) != nil:
		return "", nil, errdefs.New(errdefs.NotExecutable, "no permission to run command %s", pytext.Repr(filename))
	}
	return filename, argv, nil
}

// searchPath returns the program's PATH, the daemon's, or the default.
func searchPath(env map[string]string) []string {
	if p, ok := env["PATH"]; ok {
		return filepath.SplitList(p)
	}
	if p := os.Getenv("PATH"); p != "" {
		return filepath.SplitList(p)
	}
	return defaultPath
}

// BuildEnv returns a child's environment: base (the daemon's), then
// SUPERVISOR_ENABLED, SUPERVISOR_SERVER_URL (if serverURL is set),
// SUPERVISOR_PROCESS_NAME and SUPERVISOR_GROUP_NAME, then extra (the
// [supervisord] environment) and program (the program's environment);
// later values win.
func BuildEnv(base []string, serverURL, process, group string, extra, program map[string]string) []string {
	idx := make(map[string]int, len(base)+8)
	out := make([]string, 0, len(base)+8+len(extra)+len(program))
	set := func(k, v string) {
		kv := k + "=" + v
		if i, ok := idx[k]; ok {
			out[i] = kv
			return
		}
		idx[k] = len(out)
		out = append(out, kv)
	}
	for _, kv := range base {
		k, v, ok := strings.Cut(kv, "=")
		if ok {
			set(k, v)
		}
	}
	set("SUPERVISOR_ENABLED", "1")
	if serverURL != "" {
		set("SUPERVISOR_SERVER_URL", serverURL)
	}
	set("SUPERVISOR_PROCESS_NAME", process)
	set("SUPERVISOR_GROUP_NAME", group)
	for _, m := range []map[string]string{extra, program} {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			set(k, m[k])
		}
	}
	return out
}

// notSpawnedExit is the exit status of 4.2.5's child when it cannot exec
// the program (after writing why to its stderr).
const notSpawnedExit = 127

// exitStatus is the wait status of a child that exited with code.
func exitStatus(code int) syscall.WaitStatus { return syscall.WaitStatus(code << 8) }

// childFailure is a failure Supervisor's child would report on its stderr
// before exiting notSpawnedExit ("supervisor: couldn't chdir to …").
type childFailure struct {
	msg string
}

func (c *childFailure) Error() string { return c.msg }

// credential returns the credential to run as u, or a childFailure when
// the daemon cannot switch to it.
func credential(u *config.User) (*syscall.Credential, error) {
	if u == nil {
		return nil, nil
	}
	if os.Geteuid() != 0 {
		if u.UID == os.Geteuid() {
			return nil, nil
		}
		return nil, &childFailure{msg: fmt.Sprintf("couldn't setuid to %d: Can't drop privilege as nonroot user", u.UID)}
	}
	cred := &syscall.Credential{Uid: uint32(u.UID), Gid: uint32(u.GID)}
	for _, g := range Groups(u) {
		cred.Groups = append(cred.Groups, uint32(g))
	}
	return cred, nil
}

// Groups returns the group list of a process running as u, as 4.2.5's
// drop_privileges sets it (initgroups): the primary group first, then
// every group that lists the user as a member. Only the primary group if
// the account cannot be looked up.
func Groups(u *config.User) []int {
	out := []int{u.GID}
	usr, err := user.LookupId(strconv.Itoa(u.UID))
	if err != nil {
		return out
	}
	gids, err := usr.GroupIds()
	if err != nil {
		return out
	}
	for _, g := range gids {
		if n, err := strconv.Atoi(g); err == nil && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// errnoName returns the symbolic name of an errno ("ENOENT"), as Python's
// errno.errorcode does.
func errnoName(err error) string {
	var en syscall.Errno
	if errors.As(err, &en) {
		if n := unix.ErrnoName(en); n != "" {
			return n
		}
		return strconv.Itoa(int(en))
	}
	return err.Error()
}

// ExecHelperArg is the first argument that makes the daemon binary act as
// the exec helper (see RunExecHelper).
const ExecHelperArg = "__gsupervisor_exec__"

// execFailArg makes the daemon binary act as a child that could not be
// spawned: like 4.2.5's child after a failed chdir, setuid or exec, it
// writes the reason (os.Args[2]) to its stderr and exits 127.
const execFailArg = "__gsupervisor_fail__"

// RunExecHelper turns the current program into the exec helper if it was
// started as one: it sets the umask given in os.Args[2] (octal) and execs
// os.Args[3] with argv os.Args[4:]. It returns only if the program was not
// started as the helper. Go cannot set a child's umask between fork and
// exec, so children with umask= are started through this helper; the
// daemon's main and test binaries call it first thing.
func RunExecHelper() {
	if len(os.Args) == 3 && os.Args[1] == execFailArg {
		// A child that cannot be spawned (see forkLocked's fail).
		fmt.Fprintf(os.Stderr, "supervisor: %s\nsupervisor: child process was not spawned\n", os.Args[2])
		os.Exit(127)
	}
	if len(os.Args) < 5 || os.Args[1] != ExecHelperArg {
		return
	}
	mask, err := strconv.ParseUint(os.Args[2], 8, 32)
	if err == nil {
		syscall.Umask(int(mask))
	}
	path, argv := os.Args[3], os.Args[4:]
	err = syscall.Exec(path, argv, os.Environ())
	fmt.Fprintf(os.Stderr, "supervisor: couldn't exec %s: %s\n", argv[0], errnoName(err))
	fmt.Fprintf(os.Stderr, "supervisor: child process was not spawned\n")
	os.Exit(notSpawnedExit)
}
