#!/usr/bin/env bash
# The Debian packages, as a kiosk is set up with them: builds the .debs
# from this tree with the standard tools (dpkg-buildpackage, debhelper),
# installs them with apt into a fresh Debian 12 container (a minbase
# debootstrap from this machine's own mirror, imported into a private
# Podman), and starts a headless session from the installed files only.
#   test-deb.sh SOURCE_DIR
# Each check prints a cmocka-style line (tests/check.sh); exits non-zero
# on a failure.
set -uo pipefail
src=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
source "$src/scripts/podman-conf.sh"
if [ "$(id -u)" -ne 0 ]; then
	# meson counts status 77 as skipped; the root run has it.
	echo "$(basename "$0"): needs root (it builds packages with debootstrap and a rootful Podman); run scripts/test.sh as root for it"
	exit 77
fi
dir=$(mktemp -d /tmp/pwl-deb-XXXXXX)
source "$src/tests/check.sh"
cleanup() {
	podman_cmd rm -af >/dev/null 2>&1
	grep " $dir" /proc/mounts | awk '{print $2}' | sort -r |
		xargs -r umount -l 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
write_podman_conf "$dir/containers.conf"
podman_cmd() {
	CONTAINERS_CONF=$dir/containers.conf podman --root "$dir/root" \
		--runroot "$dir/runroot" --tmpdir "$dir/tmp" "$@"
}

DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	debhelper dpkg-dev debootstrap >/dev/null || exit 1

# 1. The packages, built from a clean copy of the tree.
mkdir -p "$dir/pkg/src"
tar -C "$src" --exclude='./build*' --exclude=./out --exclude=./.git -cf - . |
	tar -C "$dir/pkg/src" -xf -
(cd "$dir/pkg/src" && dpkg-buildpackage -b -us -uc) > "$dir/build.log" 2>&1
check deb_builds sh -c "ls '$dir'/pkg/pocketwl_*_amd64.deb ||
	tail -n 30 '$dir/build.log'"
[ "$failed" -eq 0 ] || exit 1
mkdir -p "$dir/debs"
cp "$dir"/pkg/pocketwl_*.deb "$dir"/pkg/pocket-panel_*.deb \
	"$dir"/pkg/pocketctl_*.deb "$dir/debs/"
deb=$(ls "$dir"/debs/pocketwl_*.deb)
check deb_has_session_entry sh -c "dpkg-deb -c '$deb' | grep -q \
'usr/share/wayland-sessions/pocketwl.desktop'"
check deb_has_kiosk_unit sh -c "dpkg-deb -c '$deb' | grep -q \
'usr/lib/systemd/system/pocketwl-kiosk@.service'"
check deb_has_man_pages sh -c "dpkg-deb -c '$deb' | grep -q \
'usr/share/man/man5/pocketwl.5.gz'"
# 2. A fresh Debian 12, from the mirror this machine uses (cached).
mirror=$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources \
	/etc/apt/sources.list 2>/dev/null | grep -v security | head -n 1 |
	sed -E 's/^URIs: *//; s/^deb (\[[^]]*\] )?//; s/ .*//')
cache=${PWL_DEB_CACHE:-/var/cache/pocketwl-test}
base=$cache/bookworm-minbase.tar
if [ ! -f "$base" ]; then
	mkdir -p "$cache"
	debootstrap --variant=minbase bookworm "$dir/rootfs" "$mirror" \
		> "$dir/debootstrap.log" 2>&1 ||
		{ tail -n 20 "$dir/debootstrap.log"; echo "[  FAILED  ] debootstrap"; exit 1; }
	tar -C "$dir/rootfs" --numeric-owner -cf "$base.part" . && mv "$base.part" "$base"
	rm -rf "$dir/rootfs"
fi
podman_cmd import "$base" pwl-bookworm:fresh > /dev/null
check fresh_image podman_cmd image exists pwl-bookworm:fresh

# 3. apt install ./pocketwl_*.deb, then a headless session from what it
# installed: the session wrapper, the panel it names, pocketctl.
cat > "$dir/debs/in-container.sh" <<'INNER'
set -u
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq > /tmp/apt.log 2>&1 || { cat /tmp/apt.log; exit 10; }
cd /debs && apt-get install -y -qq --no-install-recommends ./pocketwl_*.deb \
	./pocket-panel_*.deb ./pocketctl_*.deb fonts-dejavu-core procps >> /tmp/apt.log 2>&1 ||
	{ tail -n 30 /tmp/apt.log; exit 11; }
echo "installed: $(dpkg-query -W -f='${Package} ${Version}, ' pocketwl pocket-panel pocketctl)"
test -f /usr/share/wayland-sessions/pocketwl.desktop || exit 12
grep -q '^Exec=/usr/bin/pocketwl-session' /usr/share/wayland-sessions/pocketwl.desktop || exit 13
test -f /lib/systemd/system/pocketwl-kiosk@.service ||
	test -f /usr/lib/systemd/system/pocketwl-kiosk@.service || exit 14
man -w pocketwl 2>/dev/null || test -f /usr/share/man/man1/pocketwl.1.gz || exit 15
# Installing switches nothing on, for every user or at boot: the session
# and the kiosk are chosen by the admin (doc/kiosk.md).
if find /etc/systemd -name 'pocketwl*' | grep -q .; then
	echo "installing enabled: $(find /etc/systemd -name 'pocketwl*')"
	exit 16
fi
useradd -m kiosk
mkdir -p /run/user/kiosk-rt && chown kiosk: /run/user/kiosk-rt && chmod 700 /run/user/kiosk-rt
# An ordinary user's first session: pocketwl-session writes a config that
# starts the installed panel.
su kiosk -s /bin/sh -c 'export XDG_RUNTIME_DIR=/run/user/kiosk-rt \
	WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
	POCKETWL_ENGINE_START=0; pocketwl-session > /tmp/session.log 2>&1 &
	for i in $(seq 100); do
		ls $XDG_RUNTIME_DIR/pocketwl.*.sock >/dev/null 2>&1 && break
		sleep 0.1
	done
	export POCKETWL_SOCK=$(ls $XDG_RUNTIME_DIR/pocketwl.*.sock)
	for i in $(seq 50); do pgrep -u kiosk -x pocket-panel >/dev/null && break; sleep 0.1; done
	pgrep -u kiosk -x pocket-panel >/dev/null || { echo "no panel"; cat /tmp/session.log; exit 21; }
	pocketctl version || exit 22
	pocketctl outputs || exit 23
	grep -q "command = pocket-panel" ~/.config/pocketwl/config.ini || exit 24
	pocketctl quit || exit 25
	for i in $(seq 100); do pgrep -u kiosk -x pocketwl >/dev/null || break; sleep 0.1; done
	! pgrep -u kiosk -x pocketwl >/dev/null || exit 26
	! pgrep -u kiosk -x pocket-panel >/dev/null || exit 27
	echo "session ran and ended"'
INNER
podman_cmd run --rm --network host -v "$dir/debs:/debs:ro" pwl-bookworm:fresh \
	bash /debs/in-container.sh > "$dir/container.log" 2>&1
status=$?
check installed_session_runs sh -c "tail -n 20 '$dir/container.log';
	test '$status' -eq 0"
exit "$failed"
