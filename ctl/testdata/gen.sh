#!/bin/sh
# Regenerates the golden files from Debian's supervisorctl 4.2.5: every
# help text, the topic list and the -h usage (no daemon is needed).
set -eu
cd "$(dirname "$0")"
for t in add avail clear exit fg help maintail open pid quit reload remove reread restart shutdown signal start status stop tail update version EOF nosuch; do
	/usr/bin/supervisorctl -s unix:///nonexistent help "$t" > "help/$t.golden"
done
/usr/bin/supervisorctl -s unix:///nonexistent help > help/_topics.golden
/usr/bin/supervisorctl -h > usage.golden
