#!/usr/bin/env bash
# The login session as installed: meson install puts pocketwl.desktop in
# share/wayland-sessions with an Exec that exists, and that wrapper starts
# a working pocketwl (headless here) that quits cleanly.
#   test-session.sh BUILDDIR
set -uo pipefail
build=$1
dir=$(mktemp -d /tmp/pwl-session-XXXXXX)
trap 'kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
pid=
source "$(dirname "$0")/../check.sh"
DESTDIR=$dir/root meson install -C "$build" --quiet > "$dir/install.log" 2>&1
prefix=$(meson introspect "$build" --buildoptions |
	python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
root=$dir/root$prefix
desktop=$root/share/wayland-sessions/pocketwl.desktop
check session_file_installed test -f "$desktop"
exec_line=$(sed -n 's/^Exec=//p' "$desktop")
check session_exec_is_wrapper grep -q '^Exec=.*/bin/pocketwl-session$' "$desktop"
check session_exec_installed test -x "$dir/root$exec_line"
check user_unit_installed test -f "$root/lib/systemd/user/pocketwl.service"
check kiosk_unit_installed grep -q -- '--kiosk %i' \
	"$root/lib/systemd/system/pocketwl-kiosk@.service"

# Run the installed wrapper as a display manager would (minus the seat).
mkdir -p "$dir/run" "$dir/config"
chmod 700 "$dir/run"
env -i PATH="$root/bin:/usr/bin:/bin" HOME="$dir" XDG_RUNTIME_DIR="$dir/run" \
	XDG_CONFIG_HOME="$dir/config" POCKETWL_ENGINE_START=0 \
	WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
	ASAN_OPTIONS=detect_leaks=0 \
	"$dir/root$exec_line" > "$dir/session.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
	sock=$(ls "$dir"/run/pocketwl.*.sock 2>/dev/null | head -n1)
	[ -n "$sock" ] && break
	sleep 0.1
done
check session_starts test -S "${sock:-/nonexistent}"
check session_env bash -c "tr '\\0' '\\n' < /proc/$pid/environ | grep -q '^XDG_CURRENT_DESKTOP=pocketwl$'"
check session_answers env POCKETWL_SOCK="$sock" "$root/bin/pocketctl" version
POCKETWL_SOCK="$sock" "$root/bin/pocketctl" quit > /dev/null 2>&1
wait "$pid"
status=$?
pid=
check session_quits_cleanly [ "$status" -eq 0 ]
[ "$failed" = 0 ] || cat "$dir/session.log"
exit "$failed"
