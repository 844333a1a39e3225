package web

import (
	"net/http"
	"strings"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/surface"
)

// statusPage is what the status page template shows.
type statusPage struct {
	// Message is the result of the last action (?message=), if any.
	Message string
	// Identification is the daemon's identifier ([supervisord] identifier).
	Identification string
	// State is the daemon state, e.g. RUNNING.
	State string
	// SupervisorVersion is the Supervisor release the daemon is
	// compatible with; DaemonVersion is gsupervisor's own.
	SupervisorVersion, DaemonVersion string
	// Rows are the processes, by group and then name.
	Rows []processRow
}

// processRow is one process of the status page.
type processRow struct {
	Namespec, Group, Name string
	// State is the state name (RUNNING); StateClass the badge's class.
	State, StateClass string
	// Description is ctl's status description.
	Description string
	// TailURL is the process's tail page.
	TailURL string
	// Actions are the links of the row, as 4.2.5 offers them.
	Actions []actionLink
}

// actionLink is one action of a row.
type actionLink struct {
	// Name is the link text, Action the query action (empty for a link
	// that opens a log in a new window).
	Name, Action string
	// Href is the link target.
	Href string
	// NewWindow opens the link in a new window.
	NewWindow bool
}

// serveStatus serves / and /index.html: with an action, perform it and
// redirect; otherwise the page with every process and the message.
func (u *ui) serveStatus(w http.ResponseWriter, r *http.Request, f form) {
	// HEAD is safe: it describes the page and never acts.
	if f.get("action") != "" && r.Method != http.MethodHead {
		u.serveAction(w, r, f)
		return
	}
	ctx := r.Context()
	list, err := u.procs.ListProcesses(ctx, &gsupervisorv1.ListProcessesRequest{})
	if err != nil {
		surface.WriteHTMLErrorDetail(w, http.StatusInternalServerError, "cannot list the processes: "+err.Error())
		return
	}
	p := statusPage{Message: f.get("message")}
	// The rest of the header is best effort: the table is what matters.
	if v, err := u.daemon.GetVersion(ctx, &gsupervisorv1.GetVersionRequest{}); err == nil {
		p.SupervisorVersion, p.DaemonVersion = v.GetSupervisorVersion(), v.GetDaemonVersion()
	}
	if id, err := u.daemon.GetIdentification(ctx, &gsupervisorv1.GetIdentificationRequest{}); err == nil {
		p.Identification = id.GetIdentifier()
	}
	if st, err := u.daemon.GetState(ctx, &gsupervisorv1.GetStateRequest{}); err == nil {
		p.State = strings.TrimPrefix(st.GetState().String(), "SUPERVISOR_STATE_")
	}
	for _, info := range list.GetProcesses() {
		p.Rows = append(p.Rows, newProcessRow(info))
	}
	u.writePage(w, "status.html", p)
}

// newProcessRow describes one process for the page.
func newProcessRow(info *gsupervisorv1.ProcessInfo) processRow {
	ns := info.GetNamespec()
	state := stateName(info.GetState())
	q := pyQuote(ns)
	row := processRow{
		Namespec:    ns,
		Group:       info.GetGroup(),
		Name:        info.GetName(),
		State:       state,
		StateClass:  "state-" + strings.ToLower(state),
		Description: info.GetDescription(),
		TailURL:     "tail.html?processname=" + q,
	}
	act := func(name, action string) actionLink {
		return actionLink{Name: name, Action: action, Href: "index.html?processname=" + q + "&action=" + action}
	}
	// What 4.2.5 offers in each state: restart and stop while RUNNING,
	// start once stopped, exited or fatal, neither while in transition.
	switch info.GetState() {
	case gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING:
		row.Actions = append(row.Actions, act("Restart", "restart"), act("Stop", "stop"))
	case gsupervisorv1.ProcessState_PROCESS_STATE_STOPPED, gsupervisorv1.ProcessState_PROCESS_STATE_EXITED,
		gsupervisorv1.ProcessState_PROCESS_STATE_FATAL:
		row.Actions = append(row.Actions, act("Start", "start"))
	}
	row.Actions = append(row.Actions, act("Clear Log", "clearlog"),
		actionLink{Name: "Tail -f Stdout", Href: "logtail/" + q, NewWindow: true},
		actionLink{Name: "Tail -f Stderr", Href: "logtail/" + q + "/stderr", NewWindow: true})
	return row
}

// stateName is the Supervisor name of a process state (RUNNING).
func stateName(s gsupervisorv1.ProcessState) string {
	return strings.TrimPrefix(s.String(), "PROCESS_STATE_")
}
