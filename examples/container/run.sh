#!/bin/sh
# Starts gsupervisor as PID 1 of a fresh PID namespace, as a container
# runtime would, without a container image: what CI tests. Needs root (or
# user namespaces) and util-linux's unshare.
#
#   examples/container/run.sh                 # bin/supervisord, this directory's supervisord.conf
#   SUPERVISORD=/usr/bin/supervisord GSV_CONF=/etc/x.conf examples/container/run.sh
#
# The exit status is supervisord's: 0 after SIGTERM/SIGINT (Ctrl-C) or when
# every program finished as expected, otherwise the status of the program
# that ended the container (see the README, "Running in containers").
# unshare passes SIGTERM and SIGINT on to nobody: it blocks them while it
# waits, and supervisord, in the same process group, gets them itself.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
: "${SUPERVISORD:=$here/../../bin/supervisord}"
: "${GSV_CONF:=$here/supervisord.conf}"
: "${GSV_RUN:=${TMPDIR:-/tmp}/gsv-container.$$}"
: "${GSV_LISTEN:=127.0.0.1:9001}"
: "${GSV_PASSWORD:=change-me}"
export GSV_RUN GSV_LISTEN GSV_PASSWORD
mkdir -p "$GSV_RUN"
exec unshare --pid --fork --mount-proc --kill-child -- "$SUPERVISORD" -c "$GSV_CONF" "$@"
