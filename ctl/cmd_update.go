package main

import (
	"context"

	"github.com/spf13/cobra"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
)

const updateHelp = "update\t\t\tReload config and add/remove as necessary, and will restart affected programs\n" +
	"update all\t\tReload config and add/remove as necessary, and will restart affected programs\n" +
	"update <gname> [...]\tUpdate specific groups\n"

func (c *controller) updateCommand() *cobra.Command {
	return c.command("update", groupDefault, updateHelp, c.doUpdate)
}

// doUpdate applies the configuration (all groups, or the named ones) with
// UpdateConfig and prints 4.2.5's lines from the per-group results:
// unknown names first, then removed, changed and added groups.
func (c *controller) doUpdate(ctx context.Context, names []string) error {
	cl, err := c.client()
	if err != nil {
		return err
	}
	groups := names
	if inList("all", names...) {
		groups = nil
	}
	resp, err := cl.config.UpdateConfig(ctx, &gsupervisorv1.UpdateConfigRequest{Groups: groups})
	if err != nil {
		c.exit = exitGeneric
		if f, ok := asFault(err); ok && f.is(shutdownSt) {
			c.output("ERROR: already shutting down")
			return nil
		}
		return err
	}
	buckets := map[gsupervisorv1.GroupChangeKind][]*gsupervisorv1.GroupUpdateResult{}
	for _, r := range resp.GetResults() {
		buckets[r.GetKind()] = append(buckets[r.GetKind()], r)
	}
	for _, r := range buckets[gsupervisorv1.GroupChangeKind_GROUP_CHANGE_KIND_UNSPECIFIED] {
		c.output("ERROR: no such group: " + r.GetGroup())
		c.exit = exitGeneric
	}
	ok := gsupervisorv1.ErrorReason_ERROR_REASON_UNSPECIFIED
	for _, r := range buckets[gsupervisorv1.GroupChangeKind_GROUP_CHANGE_KIND_REMOVED] {
		c.output(r.GetGroup() + ": stopped")
		if r.GetReason() != ok {
			c.output(r.GetGroup() + ": has problems; not removing")
			c.exit = exitGeneric
			continue
		}
		c.output(r.GetGroup() + ": removed process group")
	}
	for _, r := range buckets[gsupervisorv1.GroupChangeKind_GROUP_CHANGE_KIND_CHANGED] {
		c.output(r.GetGroup() + ": stopped")
		if r.GetReason() != ok {
			c.output(r.GetGroup() + ": has problems; not updating")
			c.exit = exitGeneric
			continue
		}
		c.output(r.GetGroup() + ": updated process group")
	}
	for _, r := range buckets[gsupervisorv1.GroupChangeKind_GROUP_CHANGE_KIND_ADDED] {
		if r.GetReason() != ok {
			c.output(r.GetGroup() + ": has problems; not adding")
			c.exit = exitGeneric
			continue
		}
		c.output(r.GetGroup() + ": added process group")
	}
	return nil
}
