//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// compatListener is an event listener written with supervisor.childutils
// that calls back into the daemon over XML-RPC (SUPERVISOR_SERVER_URL, set
// by the daemon) for every PROCESS_STATE_RUNNING event, and records what
// getProcessInfo says about the process.
const compatListener = `#!/usr/bin/python3
import os, sys
from supervisor import childutils
rpc = childutils.getRPCInterface(os.environ)
out = os.path.join(os.environ['OUT_DIR'], 'callbacks.log')
while True:
    headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
    ph, _ = childutils.eventdata(payload + '\n')
    name = ph['groupname'] + ':' + ph['processname']
    info = rpc.supervisor.getProcessInfo(name)
    with open(out, 'a') as f:
        f.write('%s %s %s %s\n' % (headers['eventname'], info['name'], info['statename'], info['pid'] == int(ph['pid'])))
    childutils.listener.ok(sys.stdout)
`

// TestCompatChildutilsListener: a childutils listener reaches the daemon
// through getRPCInterface (the unix socket URL in SUPERVISOR_SERVER_URL)
// and gets answers consistent with the event it is handling.
func TestCompatChildutilsListener(t *testing.T) {
	dir := testutil.ShortTempDir(t)
	script := filepath.Join(dir, "listener.py")
	if err := os.WriteFile(script, []byte(compatListener), 0o755); err != nil {
		t.Fatal(err)
	}
	d := startDaemonIn(t, dir, `
[eventlistener:listener]
command=/usr/bin/python3 %(here)s/listener.py
events=PROCESS_STATE_RUNNING
environment=OUT_DIR="%(here)s"

[program:target]
command=/bin/sleep 100000
autostart=false
startsecs=0
`)
	out := cxPy(t, "unix://"+d.sock, []string{"wait('listener', 'RUNNING')", "s.supervisor.startProcess('target')"})
	if !strings.HasSuffix(out[1], `{"ok": true}`) {
		t.Fatalf("startProcess(target): %v", out)
	}
	log := filepath.Join(dir, "callbacks.log")
	testutil.Eventually(t, "the listener's callback", func() bool {
		b, _ := os.ReadFile(log)
		return strings.Contains(string(b), "PROCESS_STATE_RUNNING target RUNNING True\n")
	})
}
