package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

const scaleHelp = "scale <gname> <n>\t\tRun n processes of a numprocs program now\n" +
	"\t\t\t\t(new ones take the next process_num; the highest stop first)\n"

func (c *controller) scaleCommand() *cobra.Command {
	return c.command("scale", groupGsupervisor, scaleHelp, c.doScale)
}

// jsonScale is the JSON output of scale.
type jsonScale struct {
	Group            string       `json:"group"`
	PreviousNumprocs int32        `json:"previous_numprocs"`
	Numprocs         int32        `json:"numprocs"`
	FileNumprocs     int32        `json:"file_numprocs"`
	Stopped          []jsonResult `json:"stopped"`
	Started          []jsonResult `json:"started"`
}

// doScale sets the number of processes of a group. Exit status: 2 for
// usage errors and an unknown group, 1 when the daemon refuses.
func (c *controller) doScale(ctx context.Context, args []string) error {
	asJSON, rest, ok := c.readArgs(args)
	if !ok {
		return nil
	}
	n, err := strconv.Atoi(argAt(rest, 1))
	if len(rest) != 2 || err != nil {
		c.output("Error: scale requires a group name and a number of processes")
		c.exit = exitInvalidArgs
		c.help("scale")
		return nil
	}
	if ok, err := c.upcheck(ctx); err != nil || !ok {
		return err
	}
	name := rest[0]
	resp, err := c.cl.procs.ScaleProgram(ctx, &gsupervisorv1.ScaleProgramRequest{Name: name, Numprocs: int32(n)})
	if err != nil {
		return c.programFault(name, "no such group", err)
	}
	if asJSON {
		c.printJSON(jsonScale{Group: resp.GetGroup(), PreviousNumprocs: resp.GetPreviousNumprocs(), Numprocs: resp.GetNumprocs(),
			FileNumprocs: resp.GetFileNumprocs(), Stopped: toJSONResults(resp.GetStopResults()), Started: toJSONResults(resp.GetStartResults())})
		return nil
	}
	if err := c.showSignalResults(resp.GetStopResults(), "stopped", noIgnoredFault); err != nil {
		return err
	}
	if err := c.showStartResults(resp.GetStartResults()); err != nil {
		return err
	}
	c.output(fmt.Sprintf("%s: scaled from %d to %d processes (the file says %d)",
		resp.GetGroup(), resp.GetPreviousNumprocs(), resp.GetNumprocs(), resp.GetFileNumprocs()))
	return nil
}

// argAt returns args[i], or "" past the end.
func argAt(args []string, i int) string {
	if i < len(args) {
		return args[i]
	}
	return ""
}

// programFault reports a failed scale, disable or enable: an unknown name
// ("<name>: ERROR (<unknown>)") and bad arguments are usage errors (exit
// 2), anything else the daemon refused is "<name>: ERROR (<why>)" (exit
// 1). Errors without a fault are returned.
func (c *controller) programFault(name, unknown string, err error) error {
	f, ok := asFault(err)
	if !ok {
		return err
	}
	switch {
	case f.is(badName):
		c.output(errorText(name, unknown))
		c.exit = exitInvalidArgs
	case f.is(badArgs):
		c.output(errorText(name, fromFault(name, f).detail()))
		c.exit = exitInvalidArgs
	case f.is(shutdownSt):
		c.output("ERROR: supervisor shutting down")
		c.exit = exitGeneric
	default:
		c.output(errorText(name, fromFault(name, f).detail()))
		c.exit = exitGeneric
	}
	return nil
}

// jsonResult is one outcome of a group operation in JSON output.
type jsonResult struct {
	Namespec string `json:"namespec"`
	OK       bool   `json:"ok"`
	Error    string `json:"error,omitempty"`
}

// toJSONResults converts group operation outcomes.
func toJSONResults(rs []*gsupervisorv1.ProcessResult) []jsonResult {
	out := []jsonResult{}
	for _, r := range rs {
		jr := jsonResult{Namespec: makeNamespec(r.GetGroup(), r.GetName(), true), OK: r.GetReason() == 0}
		if !jr.OK {
			jr.Error = r.GetDescription()
		}
		out = append(out, jr)
	}
	return out
}
