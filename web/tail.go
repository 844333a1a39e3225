package web

import (
	"net/http"
	"strconv"
	"strings"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/faults"
)

// minTailBytes is the least a tail page shows: 4.2.5 reads the last
// max(1024, limit) bytes. maxTailBytes bounds what one page may ask for.
const (
	minTailBytes = 1024
	maxTailBytes = 4 << 20
)

// tailPage is what the tail page template shows.
type tailPage struct {
	// Name is the process's namespec; empty without one.
	Name string
	// Text is the tail of the stdout log, or what went wrong.
	Text string
	// Limit is the number of bytes read.
	Limit int
	// RefreshURL reloads the page.
	RefreshURL string
	// Live is true when the page can follow the log (the log exists).
	Live bool
}

// serveTail serves /tail.html?processname=NAME[&limit=N]: the last
// max(1024, N) bytes of the process's stdout log, with 4.2.5's messages
// when there is no name, no log or another fault. The page's script then
// follows the log live.
func (u *ui) serveTail(w http.ResponseWriter, r *http.Request, f form) {
	p := tailPage{Name: f.get("processname"), Limit: tailLimit(f.get("limit"))}
	if p.Name == "" {
		p.Text = "No process name found"
		u.writePage(w, "tail.html", p)
		return
	}
	p.RefreshURL = "tail.html?processname=" + pyQuote(p.Name) + "&limit=" + strconv.Itoa(p.Limit)
	resp, err := u.logs.ReadProcessLog(r.Context(), &gsupervisorv1.ReadProcessLogRequest{
		Name: p.Name, Channel: gsupervisorv1.LogChannel_LOG_CHANNEL_STDOUT, Offset: -int64(p.Limit),
	})
	if err == nil {
		p.Text, p.Live = string(resp.GetData()), true
	} else if faults.Legacy(err).Code == faults.NoFile {
		p.Text = "No file for " + p.Name
	} else {
		p.Text = "ERROR: " + unexpectedFault(err)
	}
	u.writePage(w, "tail.html", p)
}

// tailLimit is the number of bytes a tail page reads for its limit
// argument: the larger of 1024 and limit, 1024 if limit is not a number,
// at most 4 MiB.
func tailLimit(limit string) int {
	if limit == "" || strings.Trim(limit, "0123456789") != "" {
		return minTailBytes
	}
	n, err := strconv.Atoi(limit)
	if err != nil || n > maxTailBytes { // an error here is too many digits
		return maxTailBytes
	}
	return max(n, minTailBytes)
}
