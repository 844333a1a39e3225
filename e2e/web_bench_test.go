//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/testutil"
)

// The dashboard with 1000 running processes in headless Chromium:
//
//	go test -tags e2e -run '^$' -bench BenchmarkWebDashboard -benchtime 10x ./e2e
//
// render: from the start of the navigation to the frame in which the full
// table (server page, REST list, every row) is painted. update: from a
// state change in the daemon (the event's own timestamp) to the row's
// state in the DOM, for stop/start cycles of one process at a time; and
// the longest main-thread task meanwhile (the page stays responsive).

const wbBenchPrograms = `
[program:p]
command=sleep 100000
process_name=%(program_name)s_%(process_num)04d
numprocs=1000
startsecs=0
stdout_logfile=NONE
stderr_logfile=NONE
`

// wbRenderProbe records when the page has rendered its table, on every
// page the tab loads: the time, in ms since the navigation started, of the
// first animation frame after data-loaded.
const wbRenderProbe = `new MutationObserver((_, obs) => {
  if (document.documentElement.dataset.loaded === 'true') {
    obs.disconnect();
    requestAnimationFrame(() => { window.__renderedAt = performance.now(); });
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-loaded']});`

// wbUpdateProbe records every state shown in a row, with the wall time
// in ms at which the change was in the DOM, and the longest main-thread
// task from now on.
const wbUpdateProbe = `(() => {
  window.__lat = [];
  window.__longest = 0;
  // A batch may hold several changes of one row: the state each change
  // set is the old value of the next one, or the current value.
  new MutationObserver((ms) => {
    const t = performance.timeOrigin + performance.now();
    ms.forEach((m, i) => {
      const next = ms.slice(i + 1).find((n) => n.target === m.target);
      window.__lat.push([m.target.dataset.namespec, next ? next.oldValue : m.target.dataset.state, t]);
    });
  }).observe(document.getElementById('rows'), {subtree: true, attributes: true, attributeOldValue: true, attributeFilter: ['data-state']});
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
  }).observe({type: 'longtask'});
})()`

func BenchmarkWebDashboard1000(b *testing.B) {
	haveChromium(b)
	port := testutil.FreePorts(b, 1)[0]
	sock := cxStartB(b, filepath.Join(binDir, "supervisord"), wbBenchPrograms+wbInet(port, false))
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	conn, err := grpc.NewClient("unix://"+sock, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	procs := gsupervisorv1.NewProcessServiceClient(conn)
	// A thousand programs start slowly on a loaded machine: bound the wait
	// generously, it only bounds a failure.
	testutil.EventuallyWithin(b, 3*time.Minute, "1000 processes RUNNING", func() bool {
		list, err := procs.ListProcesses(context.Background(), &gsupervisorv1.ListProcessesRequest{})
		running := 0
		for _, p := range list.GetProcesses() {
			if p.GetState() == gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING {
				running++
			}
		}
		return err == nil && running == 1000
	})
	br := startBrowser(b, 1280, 900)
	if _, err := chromedp.Call(br.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: wbRenderProbe}); err != nil {
		b.Fatal(err)
	}

	b.Run("render", func(b *testing.B) {
		var ms []float64
		for range b.N {
			br.openDashboard(base)
			br.waitJS("the rendered frame", `window.__renderedAt > 0`)
			ms = append(ms, wbEval[float64](br, `window.__renderedAt`))
			if n := wbEval[int](br, `document.querySelectorAll('tr[data-namespec]:not([hidden])').length`); n != 1000 {
				b.Fatalf("%d rows shown", n)
			}
		}
		slices.Sort(ms)
		b.ReportMetric(ms[len(ms)/2], "p50-ms/render")
		b.ReportMetric(ms[len(ms)-1], "max-ms/render")
	})

	b.Run("update", func(b *testing.B) {
		events := wbEventTimes(b, conn)
		br.openDashboard(base)
		wbEval[chromedp.Void](br, wbUpdateProbe)
		b.ResetTimer()
		for i := range b.N {
			name := fmt.Sprintf("p:p_%04d", (i*37)%1000)
			if _, err := procs.StopProcess(context.Background(), &gsupervisorv1.StopProcessRequest{Name: name, Wait: true}); err != nil {
				b.Fatal(err)
			}
			if _, err := procs.StartProcess(context.Background(), &gsupervisorv1.StartProcessRequest{Name: name, Wait: true}); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		want := 4 * b.N // STOPPING, STOPPED, STARTING, RUNNING
		br.waitJS("every change on the page", fmt.Sprintf(`window.__lat.length >= %d`, want))
		seen := wbEval[[][]any](br, `window.__lat`)
		var lat []float64
		for _, s := range seen {
			key := s[0].(string) + " " + s[1].(string)
			at, ok := events.take(key)
			if !ok {
				b.Fatalf("the page shows %s, which the daemon did not announce (page: %v)", key, seen)
			}
			lat = append(lat, s[2].(float64)-float64(at.UnixNano())/1e6)
		}
		slices.Sort(lat)
		b.ReportMetric(lat[len(lat)/2], "p50-ms/update")
		b.ReportMetric(lat[min(len(lat)-1, len(lat)*99/100)], "p99-ms/update")
		b.ReportMetric(wbEval[float64](br, `window.__longest`), "max-longtask-ms")
	})
}

// wbEvents are the times of the daemon's process state events, by
// "namespec STATE", in order.
type wbEvents struct {
	mu    sync.Mutex
	times map[string][]time.Time
}

// wbEventTimes subscribes to the process state events from now on.
func wbEventTimes(b *testing.B, conn *grpc.ClientConn) *wbEvents {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	stream, err := gsupervisorv1.NewEventServiceClient(conn).SubscribeEvents(ctx, &gsupervisorv1.SubscribeEventsRequest{
		Types: []gsupervisorv1.EventType{gsupervisorv1.EventType_EVENT_TYPE_PROCESS_STATE},
	})
	if err != nil {
		b.Fatal(err)
	}
	if m, err := stream.Recv(); err != nil || m.GetReady() == nil {
		b.Fatalf("no ready marker: %v %v", m, err)
	}
	e := &wbEvents{times: map[string][]time.Time{}}
	go func() {
		for {
			m, err := stream.Recv()
			if err != nil {
				return
			}
			ev := m.GetEvent().GetProcessState()
			if ev == nil {
				continue
			}
			ns := ev.GetProcessName()
			if ev.GetGroupName() != ns {
				ns = ev.GetGroupName() + ":" + ns
			}
			key := ns + " " + strings.TrimPrefix(ev.GetState().String(), "PROCESS_STATE_")
			e.mu.Lock()
			e.times[key] = append(e.times[key], m.GetEvent().GetTime().AsTime())
			e.mu.Unlock()
		}
	}()
	return e
}

// take returns the time of the oldest event not taken yet for key,
// waiting for it to arrive (the page may show a change before the
// benchmark's own subscriber has read it).
func (e *wbEvents) take(key string) (time.Time, bool) {
	var t time.Time
	ok := testutil.Poll(testutil.Timeout, func() bool {
		e.mu.Lock()
		defer e.mu.Unlock()
		if ts := e.times[key]; len(ts) > 0 {
			t, e.times[key] = ts[0], ts[1:]
			return true
		}
		return false
	})
	return t, ok
}
