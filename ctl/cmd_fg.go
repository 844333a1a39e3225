package main

import (
	"context"
	"sync"

	"github.com/spf13/cobra"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

const fgHelp = "fg <process>\tConnect to a process in foreground mode\n" +
	"\t\tCtrl-C to exit\n"

func (c *controller) fgCommand() *cobra.Command {
	return c.command("fg", groupDefault, fgHelp, c.doFg)
}

// doFg attaches to a running process: its stdout and stderr are shown as
// they are written, and every line typed is sent to its stdin. Ctrl-C or
// end of input detaches ("Exiting foreground"); so does the process
// leaving RUNNING ("Process got killed").
func (c *controller) doFg(ctx context.Context, names []string) error {
	ok, err := c.upcheck(ctx)
	if err != nil || !ok {
		return err
	}
	name, ok, err := c.fgTarget(ctx, names)
	if err != nil || !ok {
		return err
	}
	c.output("==> Press Ctrl-C to exit <==")
	detach := c.showOutput(ctx, name)
	return c.forwardInput(ctx, name, detach)
}

// fgTarget checks fg's arguments and returns the one process to attach
// to, which must be RUNNING; ok is false when fg reported why not.
func (c *controller) fgTarget(ctx context.Context, names []string) (name string, ok bool, err error) {
	if len(names) == 0 {
		c.output("ERROR: no process name supplied")
		c.exit = exitGeneric
		c.help("fg")
		return "", false, nil
	}
	if len(names) > 1 {
		c.output("ERROR: too many process names supplied")
		c.exit = exitGeneric
		return "", false, nil
	}
	name = names[0]
	resp, err := c.cl.procs.GetProcess(ctx, &gsupervisorv1.GetProcessRequest{Name: name})
	if err != nil {
		f, ok := asFault(err)
		if !ok {
			return "", false, err
		}
		if f.is(badName) {
			c.output("ERROR: bad process name supplied")
			c.exit = exitGeneric
		} else {
			c.output("ERROR: " + f.repr())
		}
		return "", false, nil
	}
	if resp.GetProcess().GetState() != gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING {
		c.output("ERROR: process not running")
		c.exit = exitGeneric
		return "", false, nil
	}
	return name, true, nil
}

// showOutput follows the process's stdout and stderr until detach is
// called; detach waits for both and then prints its lines.
func (c *controller) showOutput(ctx context.Context, name string) (detach func(lines ...string)) {
	streams, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, ch := range []struct {
		name string
		ch   gsupervisorv1.LogChannel
	}{{"stdout", gsupervisorv1.LogChannel_LOG_CHANNEL_STDOUT}, {"stderr", gsupervisorv1.LogChannel_LOG_CHANNEL_STDERR}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.pump(streams, "/logtail/"+name+"/"+ch.name, func(ctx context.Context) (logStream, error) {
				return processLogStream(ctx, c.cl, name, ch.ch)
			})
		}()
	}
	return func(lines ...string) {
		stop()
		wg.Wait()
		for _, l := range lines {
			c.output(l)
		}
	}
}

// forwardInput sends every line read to the process's stdin until the
// input ends, the user interrupts or the process stops running, and then
// detaches.
func (c *controller) forwardInput(ctx context.Context, name string, detach func(lines ...string)) error {
	for {
		line, err := c.in.readLine(ctx, "")
		if err != nil {
			detach("Exiting foreground")
			return nil
		}
		_, err = c.cl.procs.WriteProcessStdin(ctx, &gsupervisorv1.WriteProcessStdinRequest{Name: name, Data: []byte(line + "\n")})
		if err != nil {
			if isInterrupted(ctx, err) {
				detach("Exiting foreground")
				return nil
			}
			f, ok := asFault(err)
			switch {
			case !ok:
				detach()
				return err
			case f.is(notRunning):
				detach("Process got killed", "Exiting foreground")
			default:
				detach("ERROR: "+f.repr(), "Exiting foreground")
			}
			return nil
		}
		info, err := c.cl.procs.GetProcess(ctx, &gsupervisorv1.GetProcessRequest{Name: name})
		if err != nil {
			if isInterrupted(ctx, err) {
				detach("Exiting foreground")
				return nil
			}
			detach()
			return err
		}
		if info.GetProcess().GetState() != gsupervisorv1.ProcessState_PROCESS_STATE_RUNNING {
			detach("Process got killed", "Exiting foreground")
			return nil
		}
	}
}
