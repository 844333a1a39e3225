//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// chainPrograms is the chain, played by bin/chaindemo on free
// ports: db -> migrate (one-shot, exits 0) -> web (readiness by http) ->
// worker.
func chainPrograms(t *testing.T, autostart bool) string {
	ports := testutil.FreePorts(t, 2)
	dbAddr := fmt.Sprintf("127.0.0.1:%d", ports[0])
	webAddr := fmt.Sprintf("127.0.0.1:%d", ports[1])
	demo := filepath.Join(binDir, "chaindemo")
	return fmt.Sprintf(`
[program:db]
command=%[1]s db %[2]s
autostart=%[4]v
readiness_probe=tcp:%[2]s
readiness_period=0.2
stopwaitsecs=5

[program:migrate]
command=%[1]s migrate %[2]s
autostart=%[4]v
startsecs=0
autorestart=false
depends_on=db=healthy

[program:web]
command=%[1]s web %[3]s %[2]s
autostart=%[4]v
startsecs=0
readiness_probe=http://%[3]s/healthz
readiness_period=0.2
stopwaitsecs=5
depends_on=migrate=completed

[program:worker]
command=sleep 1000
autostart=%[4]v
startsecs=0
depends_on=web=healthy
`, demo, dbAddr, webAddr, autostart)
}

// timeline follows the daemon's state and health events over gRPC:
// "STARTING db", "health HEALTHY web", ….
type timeline struct {
	mu    sync.Mutex
	lines []string
}

// follow subscribes to the daemon's state and health events; the
// subscription ends with the test.
func (d *daemon) follow() *timeline {
	d.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	d.t.Cleanup(cancel)
	stream, err := gsupervisorv1.NewEventServiceClient(d.conn).SubscribeEvents(ctx, &gsupervisorv1.SubscribeEventsRequest{
		Types: []gsupervisorv1.EventType{gsupervisorv1.EventType_EVENT_TYPE_PROCESS_STATE, gsupervisorv1.EventType_EVENT_TYPE_PROCESS_HEALTH},
	})
	if err != nil {
		d.t.Fatal(err)
	}
	if _, err := stream.Recv(); err != nil { // the ready marker
		d.t.Fatal(err)
	}
	tl := &timeline{}
	go func() {
		for {
			m, err := stream.Recv()
			if err != nil {
				return
			}
			var line string
			if st := m.GetEvent().GetProcessState(); st != nil {
				line = strings.TrimPrefix(st.GetState().String(), "PROCESS_STATE_") + " " + st.GetProcessName()
			}
			if h := m.GetEvent().GetProcessHealth(); h != nil {
				line = "health " + strings.TrimPrefix(h.GetHealth().String(), "PROCESS_HEALTH_") + " " + h.GetProcessName()
			}
			tl.mu.Lock()
			tl.lines = append(tl.lines, line)
			tl.mu.Unlock()
		}
	}()
	return tl
}

// waitOrder waits until the timeline holds seq in this order (other
// lines between).
func (tl *timeline) waitOrder(t *testing.T, seq ...string) {
	t.Helper()
	var got []string
	ok := testutil.Poll(testutil.Timeout, func() bool {
		tl.mu.Lock()
		got = slices.Clone(tl.lines)
		tl.mu.Unlock()
		i := 0
		for _, l := range got {
			if i < len(seq) && l == seq[i] {
				i++
			}
		}
		return i == len(seq)
	})
	if !ok {
		t.Fatalf("want %q in this order; the daemon said:\n%s", seq, strings.Join(got, "\n"))
	}
}

// before checks that the first a comes before the first b.
func (tl *timeline) before(t *testing.T, a, b string) {
	t.Helper()
	tl.mu.Lock()
	defer tl.mu.Unlock()
	i, j := slices.Index(tl.lines, a), slices.Index(tl.lines, b)
	if i < 0 || j < 0 || i > j {
		t.Errorf("want %q before %q in:\n%s", a, b, strings.Join(tl.lines, "\n"))
	}
}

// TestChainStartsInOrderStopsInReverse: the chain started by one
// `start worker` comes up in dependency order, each step waiting for its
// condition, and `stop all` takes it down in reverse order.
func TestChainStartsInOrderStopsInReverse(t *testing.T) {
	d := startDaemon(t, chainPrograms(t, false))
	tl := d.follow()
	r := d.gcCtl("start", "worker")
	if r.code != 0 || r.stdout != "db: started (needed by worker)\nmigrate: started (needed by worker)\nweb: started (needed by worker)\nworker: started\n" {
		t.Fatalf("start worker: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	tl.waitOrder(t, "STARTING db", "health HEALTHY db", "STARTING migrate", "EXITED migrate", "STARTING web",
		"health HEALTHY web", "STARTING worker", "RUNNING worker")
	tl.before(t, "health HEALTHY db", "STARTING migrate")
	tl.before(t, "EXITED migrate", "STARTING web")
	tl.before(t, "health HEALTHY web", "STARTING worker")
	// Health in the JSON status and in REST.
	js := d.gcCtl("status", "-o", "json", "web")
	if !strings.Contains(js.stdout, `"health": "HEALTHY"`) || !strings.Contains(js.stdout, `"passed": true`) {
		t.Errorf("status -o json web:\n%s", js.stdout)
	}
	if out := d.curl("http://localhost/v1/processes/web"); !strings.Contains(out, `"health":"PROCESS_HEALTH_HEALTHY"`) {
		t.Errorf("REST web:\n%s", out)
	}
	// 4.2.5's columns are untouched.
	if st := d.gcCtl("status", "web"); !strings.HasPrefix(st.stdout, "web                              RUNNING   pid ") {
		t.Errorf("status web: %q", st.stdout)
	}
	r = d.gcCtl("stop", "all")
	if r.code != 0 {
		t.Fatalf("stop all: %d %s", r.code, r.stdout)
	}
	tl.waitOrder(t, "STOPPING worker", "STOPPED worker", "STOPPING web", "STOPPED web", "STOPPING db", "STOPPED db")
}

// TestChainAtBootAndShutdown: with autostart, the daemon brings the chain
// up in order by itself and its shutdown stops it in reverse.
func TestChainAtBootAndShutdown(t *testing.T) {
	d := startDaemon(t, chainPrograms(t, true))
	d.waitState("worker", gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING)
	d.stop()
	log, err := os.ReadFile(filepath.Join(d.dir, "supervisord.log"))
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, l := range strings.Split(string(log), "\n") {
		for _, p := range []string{"spawned: 'db'", "health: db is HEALTHY", "spawned: 'migrate'", "exited: migrate",
			"spawned: 'web'", "health: web is HEALTHY", "spawned: 'worker'", "stopped: worker", "stopped: web", "stopped: db"} {
			if strings.Contains(l, p) {
				order = append(order, p)
			}
		}
	}
	want := []string{"spawned: 'db'", "health: db is HEALTHY", "spawned: 'migrate'", "exited: migrate",
		"spawned: 'web'", "health: web is HEALTHY", "spawned: 'worker'", "stopped: worker", "stopped: web", "stopped: db"}
	if !slices.Equal(order, want) {
		t.Errorf("main log order:\n%s\nwant\n%s\nlog:\n%s", strings.Join(order, "\n"), strings.Join(want, "\n"), log)
	}
}

// TestDependencyFailureIsReported: a program whose dependency went FATAL
// does not start and says why, in status -o json and in start.
func TestDependencyFailureIsReported(t *testing.T) {
	d := startDaemon(t, `
[program:db]
command=/bin/sh -c 'exit 1'
startretries=0

[program:web]
command=sleep 1000
depends_on=db
`)
	d.waitState("db", gsupervisorv1.ProcessState_PROCESS_STATE_FATAL)
	ok := testutil.Poll(testutil.Timeout, func() bool {
		return strings.Contains(d.gcCtl("status", "-o", "json", "web").stdout, `"waiting": "not started: dependency db is FATAL"`)
	})
	if !ok {
		t.Fatalf("status -o json web:\n%s", d.gcCtl("status", "-o", "json", "web").stdout)
	}
	r := d.gcCtl("start", "web")
	if r.code != 7 || r.stdout != "web: ERROR (dependency db is FATAL)\n" {
		t.Errorf("start web: exit %d %q", r.code, r.stdout)
	}
	// The real supervisorctl (over XML-RPC) sees a spawn error.
	if _, err := os.Stat(gcRealCtl); err == nil {
		r = gcRun(t, gcRealCtl, "", "-c", d.conf, "start", "web")
		if r.stdout != "web: ERROR (spawn error)\n" {
			t.Errorf("4.2.5 supervisorctl start web: exit %d %q %q", r.code, r.stdout, r.stderr)
		}
	}
}

// TestDependencyConfigErrors: a cycle or a missing dependency stops the
// daemon from starting with a message naming both programs, and a reread
// of such a file is refused with the same message.
func TestDependencyConfigErrors(t *testing.T) {
	for _, c := range []struct{ name, programs, want string }{
		{"cycle", "[program:a]\ncommand=sleep 1\ndepends_on=b\n[program:b]\ncommand=sleep 1\ndepends_on=a=started\n",
			"Error: dependency cycle: [program:a] depends_on b, [program:b] depends_on a"},
		{"missing", "[program:web]\ncommand=sleep 1\ndepends_on=dbx=healthy\n",
			"Error: [program:web] depends_on dbx=healthy, but there is no program dbx (file: "},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := testutil.ShortTempDir(t)
			os.MkdirAll(filepath.Join(dir, "logs"), 0o755)
			conf := filepath.Join(dir, "supervisord.conf")
			os.WriteFile(conf, []byte(configBody(c.programs)), 0o644)
			out, err := exec.Command(filepath.Join(binDir, "supervisord"), "-c", conf, "-n").CombinedOutput()
			if err == nil || !strings.Contains(string(out), c.want) {
				t.Errorf("supervisord: %v\n%s", err, out)
			}
			// A running daemon refuses to reread such a file.
			d := startDaemon(t, "[program:ok]\ncommand=sleep 1000\n")
			os.WriteFile(d.conf, []byte(configBody(c.programs)), 0o644)
			r := d.gcCtl("reread")
			if r.code != 1 || !strings.Contains(r.stdout, "ERROR: CANT_REREAD: "+strings.TrimPrefix(c.want, "Error: ")) {
				t.Errorf("reread: exit %d %q", r.code, r.stdout)
			}
		})
	}
}
