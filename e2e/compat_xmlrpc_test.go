//go:build e2e

package e2e

import (
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// compatPrograms is the configuration of the XML-RPC differential test.
// failer's startsecs is a minute so that it dies before it on either
// daemon, however slow the machine.
const compatPrograms = `
[program:sleeper]
command=/bin/sleep 100000

[program:trapper]
command=/bin/sh -c 'trap "echo got HUP" HUP; trap "echo got USR1" USR1; while true; do sleep 0.1; done'
stopasgroup=true
killasgroup=true

[program:static]
command=/bin/sh -c 'printf "0123456789abcdef\n"; printf "err\n" >&2; exec /bin/sleep 100000'

[program:failer]
command=/bin/sh -c "exit 1"
autostart=false
startretries=0
startsecs=60

[program:badcmd]
command=/nonexistent/binary --flag
autostart=false

[program:manual]
command=/bin/sleep 100000
autostart=false

[program:starter]
command=/bin/sleep 100000
autostart=false
startsecs=3600

[program:nolog]
command=/bin/sleep 100000
stdout_logfile=NONE
stderr_logfile=NONE
autostart=false

[program:cat]
command=/bin/cat

[group:grp]
programs=ga,gb
priority=500

[program:ga]
command=/bin/sleep 100000

[program:gb]
command=/bin/sleep 100000
priority=10

[program:multi]
command=/bin/sleep 100000
numprocs=2
process_name=%(program_name)s_%(process_num)02d
`

// compatScript is every XML-RPC method and fault, in the order of the
// reference transcripts (observed §12); both daemons run it.
var compatScript = []string{
	"wait('sleeper', 'RUNNING')", "wait('trapper', 'RUNNING')", "wait('static', 'RUNNING')", "wait('cat', 'RUNNING')",
	"wait('grp:ga', 'RUNNING')", "wait('grp:gb', 'RUNNING')", "wait('multi:multi_00', 'RUNNING')", "wait('multi:multi_01', 'RUNNING')",
	"s.supervisor.getState()",
	"s.supervisor.getAPIVersion()",
	"s.supervisor.getVersion()",
	"s.supervisor.getSupervisorVersion()",
	"s.supervisor.getIdentification()",
	"type(s.supervisor.getPID()).__name__",
	"s.supervisor.getProcessInfo('sleeper')",
	"s.supervisor.getProcessInfo('nope')",
	"s.supervisor.getProcessInfo('grp:ga')",
	"s.supervisor.getProcessInfo('grp:*')",
	"s.supervisor.getProcessInfo('grp')",
	"s.supervisor.getProcessInfo('manual')",
	"s.supervisor.getProcessInfo('nolog')",
	"s.supervisor.getAllProcessInfo()",
	// Actions and faults.
	"s.supervisor.startProcess('sleeper')",
	"s.supervisor.startProcess('nope')",
	"s.supervisor.startProcess('badcmd')",
	"s.supervisor.startProcess('failer')",
	"wait('failer', 'FATAL')",
	"s.supervisor.stopProcess('manual')",
	"s.supervisor.stopProcess('nope')",
	"s.supervisor.signalProcess('trapper', 'BOGUS')",
	"s.supervisor.signalProcess('manual', 'HUP')",
	"s.supervisor.signalProcess('trapper', 'HUP')",
	"waitlog('trapper', 'got HUP')",
	"s.supervisor.signalProcess('trapper', 10)",
	"waitlog('trapper', 'got USR1')",
	"byname(s.supervisor.stopProcessGroup('grp'))",
	"byname(s.supervisor.stopProcessGroup('grp'))",
	"byname(s.supervisor.startProcessGroup('grp'))",
	"byname(s.supervisor.startProcessGroup('grp'))",
	"s.supervisor.startProcessGroup('nope')",
	"byname(s.supervisor.startProcess('grp:*'))",
	"byname(s.supervisor.stopProcess('grp:'))",
	"s.supervisor.startProcess('grp:', False)",
	"wait('grp:ga', 'RUNNING')", "wait('grp:gb', 'RUNNING')",
	"s.supervisor.signalProcessGroup('grp', 'WINCH')",
	"s.supervisor.signalProcessGroup('multi', 'BOGUS')",
	"s.supervisor.signalProcessGroup('nope', 'HUP')",
	"s.supervisor.signalAllProcesses('WINCH')",
	"s.supervisor.startProcess('manual', False)",
	"wait('manual', 'RUNNING')",
	"s.supervisor.stopProcess('manual')",
	"s.supervisor.getProcessInfo('manual')['statename']",
	// starter's startsecs is an hour: it is STARTING after a start that
	// does not wait, however slow the machine.
	"s.supervisor.startProcess('starter', False)",
	"s.supervisor.getProcessInfo('starter')['statename']",
	"s.supervisor.stopProcess('starter')",
	"s.supervisor.getProcessInfo('starter')['statename']",
	"s.supervisor.sendProcessStdin('cat', 'hello\\n')",
	"waitlog('cat', 'hello')",
	"s.supervisor.sendProcessStdin('manual', 'hello\\n')",
	"s.supervisor.sendProcessStdin('nope', 'x')",
	"s.supervisor.sendProcessStdin('cat', 5)",
	"s.supervisor.sendRemoteCommEvent('mytype', 'mydata')",
	"s.supervisor.noSuchMethod()",
	"s.nosuchns.foo()",
	"s.supervisor._update('x')",
	"s.supervisor.getProcessInfo()",
	"s.supervisor.getProcessInfo('a', 'b')",
	"s.supervisor.getState(1)",
	"s.system.methodHelp('supervisor.nope')",
	"s.system.methodSignature('supervisor.nope')",
	"[(n, s.system.methodSignature(n)) for n in s.system.listMethods()]",
	"type(s.system.methodHelp('supervisor.getState')).__name__",
	// Logs.
	"s.supervisor.readProcessStdoutLog('static', 0, 4)",
	"s.supervisor.readProcessStdoutLog('static', 10, 0)",
	"s.supervisor.readProcessStdoutLog('static', -3, 0)",
	"s.supervisor.readProcessStdoutLog('static', -30, 5)",
	"s.supervisor.readProcessStdoutLog('static', 0, -5)",
	"s.supervisor.readProcessStdoutLog('static', 100000, 10)",
	"s.supervisor.readProcessStdoutLog('static', -100000, 0)",
	"s.supervisor.readProcessStderrLog('static', -2, 0)",
	"s.supervisor.readProcessLog('static', 0, 2)",
	"s.supervisor.readProcessStdoutLog('nope', 0, 10)",
	"s.supervisor.readProcessStdoutLog('grp:*', 0, 10)",
	"s.supervisor.readProcessStdoutLog('manual', 0, 10)",
	"s.supervisor.readProcessStdoutLog('nolog', 0, 10)",
	"s.supervisor.tailProcessStdoutLog('static', 0, 5)",
	"s.supervisor.tailProcessStdoutLog('static', 0, 100000)",
	"s.supervisor.tailProcessStdoutLog('static', 100000, 20)",
	"s.supervisor.tailProcessStdoutLog('nope', 0, 20)",
	"s.supervisor.tailProcessStderrLog('static', 0, 2)",
	"s.supervisor.tailProcessLog('static', 0, 5)",
	"s.supervisor.tailProcessStdoutLog('nolog', 0, 20)",
	"type(s.supervisor.readLog(0, 100)).__name__",
	"len(s.supervisor.readMainLog(-60, 0))",
	"s.supervisor.readLog(-1, 1)",
	"s.supervisor.clearProcessLogs('nope')",
	"s.supervisor.clearProcessLogs('static')",
	"s.supervisor.readProcessStdoutLog('static', 0, 0)",
	"s.supervisor.clearProcessLog('grp:*')",
	"s.supervisor.clearAllProcessLogs()",
	"s.supervisor.clearLog()",
	// multicall.
	"s.system.multicall([{'methodName':'supervisor.getState'},{'methodName':'supervisor.getProcessInfo','params':['nope']},{'methodName':'supervisor.noSuch'},{'methodName':'system.multicall','params':[[]]},{'params':[]},{'methodName':'supervisor.stopProcess','params':['manual']},{'methodName':'supervisor.startProcess','params':['manual']},{'methodName':'supervisor.getProcessInfo','params':['manual']},{'methodName':'supervisor.getState','params':[1,2]}])",
	"s.system.multicall([])",
	"s.system.multicall([{'methodName':'supervisor.stopProcess','params':['manual']}])",
	// Configuration, before a reread.
	"s.supervisor.reloadConfig()",
	"s.supervisor.getAllConfigInfo()",
	"s.supervisor.addProcessGroup('sleeper')",
	"s.supervisor.addProcessGroup('nope')",
	"s.supervisor.removeProcessGroup('nope')",
	"s.supervisor.removeProcessGroup('sleeper')",
}

// compatScript2 runs after both configuration files were edited.
var compatScript2 = []string{
	"s.supervisor.reloadConfig()",
	"s.supervisor.getAllConfigInfo()",
	"s.supervisor.addProcessGroup('newprog')",
	"s.supervisor.addProcessGroup('newprog')",
	"s.supervisor.getProcessInfo('newprog')['statename']",
	"s.supervisor.removeProcessGroup('newprog')",
	"s.supervisor.removeProcessGroup('newprog')",
	"s.supervisor.stopProcessGroup('gone')",
	"s.supervisor.removeProcessGroup('gone')",
	"[p['name'] for p in s.supervisor.getAllProcessInfo()]",
}

// cxEditConfig changes the configuration in dir: newprog added, manual
// changed, a broken section optional.
func cxEditConfig(t *testing.T, conf string, extra string) {
	t.Helper()
	b, err := os.ReadFile(conf)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), "[program:manual]\ncommand=/bin/sleep 100000", "[program:manual]\ncommand=/bin/sleep 99999", 1)
	s = strings.Replace(s, "[program:failer]", "[program:newprog]\ncommand=/bin/sleep 100000\nautostart=false\n\n[program:failer]", 1)
	s += extra
	if err := os.WriteFile(conf, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCompatXMLRPCDifferential runs every XML-RPC method and fault through
// Python's xmlrpc.client (Supervisor's own transport) against our daemon and
// the real supervisord 4.2.5 on the same configuration, and compares the
// answers after normalizing pids, times and temp paths.
func TestCompatXMLRPCDifferential(t *testing.T) {
	testutil.RequireSupervisor(t)
	programs := compatPrograms + "\n[program:gone]\ncommand=/bin/sleep 100000\nautostart=false\n"
	var ours *daemon
	var real *realDaemon
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); real = startReal(t, programs, nil) }()
	ours = startDaemon(t, programs)
	wg.Wait()

	var o, r []string
	wg.Add(2)
	go func() { defer wg.Done(); o = cxPy(t, "unix://"+ours.sock, compatScript) }()
	go func() { defer wg.Done(); r = cxPy(t, "unix://"+real.sock, compatScript) }()
	wg.Wait()
	cxCompareLines(t, "XML-RPC", o, r, ours.dir, real.dir)

	cxEditConfig(t, ours.conf, "")
	cxEditConfig(t, real.conf, "")
	for _, c := range []string{ours.conf, real.conf} {
		b, _ := os.ReadFile(c)
		os.WriteFile(c, []byte(strings.Replace(string(b), "[program:gone]\ncommand=/bin/sleep 100000\nautostart=false\n", "", 1)), 0o644)
	}
	wg.Add(2)
	go func() { defer wg.Done(); o = cxPy(t, "unix://"+ours.sock, compatScript2) }()
	go func() { defer wg.Done(); r = cxPy(t, "unix://"+real.sock, compatScript2) }()
	wg.Wait()
	cxCompareLines(t, "XML-RPC after the edit", o, r, ours.dir, real.dir)

	cxEditConfig(t, ours.conf, "\n[program:broken]\ncommand=/bin/true\nautostart=maybe\n")
	cxEditConfig(t, real.conf, "\n[program:broken]\ncommand=/bin/true\nautostart=maybe\n")
	o = cxPy(t, "unix://"+ours.sock, []string{"s.supervisor.reloadConfig()"})
	r = cxPy(t, "unix://"+real.sock, []string{"s.supervisor.reloadConfig()"})
	cxCompareLines(t, "XML-RPC with a broken file", o, r, ours.dir, real.dir)
}
