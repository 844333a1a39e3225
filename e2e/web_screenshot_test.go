//go:build e2e

package e2e

import (
	"bytes"
	"image/png"
	"os"
	"testing"

	"github.com/chromedp/chromedp"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

// wbScreenshotFile is the README's picture of the dashboard.
const wbScreenshotFile = "../docs/web-dashboard.png"

// wbScreenshotPrograms are a plausible machine's programs.
const wbScreenshotPrograms = `
[program:web]
command=sh -c 'n=0; while :; do n=$((n+1)); echo "GET /api/orders/$n 200 $((n %% 7 + 3))ms"; sleep 0.4; done'
process_name=%(program_name)s_%(process_num)02d
numprocs=3
startsecs=0

[program:worker]
command=sleep 100000
process_name=%(program_name)s_%(process_num)02d
numprocs=2
startsecs=0

[program:scheduler]
command=sleep 100000
startsecs=0

[program:mailer]
command=sleep 100000
autostart=false

[program:importer]
command=sh -c 'sleep 0.5; exit 3'
startsecs=0
autorestart=false

[program:legacy-api]
command=/opt/legacy/bin/api --port 8081
startretries=0
`

// TestWebScreenshot renders the dashboard of a plausible daemon, with a
// log pane open, and checks the picture. With UPDATE_SCREENSHOT=1 it
// writes it to docs/web-dashboard.png for the README; a normal run leaves
// the tree alone.
func TestWebScreenshot(t *testing.T) {
	if _, err := os.Stat(wbScreenshotFile); err != nil && os.Getenv("UPDATE_SCREENSHOT") == "" {
		t.Fatalf("%s is missing: run this test with UPDATE_SCREENSHOT=1", wbScreenshotFile)
	}
	d := startWebDaemon(t, wbConfig{programs: wbScreenshotPrograms, identifier: "prod-eu-1"})
	d.waitState("importer", gsupervisorv1.ProcessState_PROCESS_STATE_EXITED)
	d.waitState("legacy-api", gsupervisorv1.ProcessState_PROCESS_STATE_FATAL)
	b := startBrowser(t, 1280, 960)
	b.openDashboard(d.base)
	b.do("open a log", chromedp.Click(chromedp.CSS(`tr[data-namespec="web:web_00"] button[data-action="log"]`)))
	b.waitJS("some log lines", `document.getElementById('logpane-text').textContent.split("\n").length > 8`)
	wbEval[chromedp.Void](b, `document.activeElement.blur()`)
	shot, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("the screenshot is not a PNG: %v", err)
	}
	if sz := img.Bounds().Size(); sz.X != 1280 || sz.Y != 960 {
		t.Errorf("the screenshot is %v", sz)
	}
	if os.Getenv("UPDATE_SCREENSHOT") != "" {
		if err := os.MkdirAll("../docs", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(wbScreenshotFile, shot, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d bytes)", wbScreenshotFile, len(shot))
	}
}
