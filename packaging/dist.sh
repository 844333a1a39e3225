#!/bin/sh
# make dist: for each architecture in DIST_ARCHES, a release archive
# (gsupervisor-VERSION-linux-ARCH.tar.gz, a tree to unpack into /) and a
# .deb that replaces Debian's supervisor package, plus SHA256SUMS, all in
# DISTDIR. The Makefile passes GO, NFPM, DISTDIR, DIST_ARCHES, VERSION,
# LDFLAGS, BUILDTAGS and MAKE.
set -eu
cd "$(dirname "$0")/.."

# A Debian version must start with a digit: a tag v1.2.3 gives 1.2.3, a
# later commit 1.2.3+4.gabcdef, an untagged tree 0.0.0~git<date>.<hash>
# (DEB_VERSION in the environment wins).
if [ -z "${DEB_VERSION:-}" ]; then
	if tag=$(git describe --tags --match 'v[0-9]*' --dirty 2>/dev/null); then
		DEB_VERSION=$(echo "${tag#v}" | sed -e 's/-/+/' -e 's/-/./g')
	elif hash=$(git describe --always --dirty 2>/dev/null); then
		DEB_VERSION="0.0.0~git$(git log -1 --format=%cd --date=format:%Y%m%d).$(echo "$hash" | tr -- '-' '.')"
	else
		DEB_VERSION="0.0.0~$(echo "$VERSION" | tr -c 'A-Za-z0-9.+~\n' '.')"
	fi
fi
# Archives carry the commit's time, not the build's.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
export SOURCE_DATE_EPOCH

mkdir -p "$DISTDIR"
work="$DISTDIR/.work"
rm -rf "$work"
for arch in $DIST_ARCHES; do
	build="$work/$arch"
	mkdir -p "$build/bin"
	for p in supervisord:daemon supervisorctl:ctl echo_supervisord_conf:echoconf pidproxy:pidproxy; do
		CGO_ENABLED=0 GOOS=linux GOARCH="$arch" $GO build -trimpath -tags "${BUILDTAGS:-}" -ldflags "-s -w $LDFLAGS" \
			-o "$build/bin/${p%%:*}" "./${p#*:}"
	done

	# The .deb: the Debian layout.
	$MAKE --no-print-directory -s install-files BIN="$build/bin" DESTDIR="$build/deb" \
		PREFIX=/usr UNITDIR=/lib/systemd/system SYSCONFDIR=/etc RUNSTATEDIR=/var/run LOGDIR=/var/log/supervisor >/dev/null
	ROOT="$build/deb" ARCH="$arch" DEB_VERSION="$DEB_VERSION" \
		$NFPM package --config packaging/nfpm.yaml --packager deb \
		--target "$DISTDIR/gsupervisor_${DEB_VERSION}_${arch}.deb" >/dev/null

	# The archive: the /usr/local layout, to unpack into / (see README).
	name="gsupervisor-$VERSION-linux-$arch"
	$MAKE --no-print-directory -s install-files BIN="$build/bin" DESTDIR="$build/tar/$name" \
		PREFIX=/usr/local >/dev/null
	cp README.md "$build/tar/$name/"
	tar -C "$build/tar" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
		-czf "$DISTDIR/$name.tar.gz" "$name"
done
rm -rf "$work"
(cd "$DISTDIR" && sha256sum ./*.tar.gz ./*.deb | sed 's| \./| |' > SHA256SUMS)
ls -l "$DISTDIR"
