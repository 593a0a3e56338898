#!/usr/bin/env bash
# Screenshots of pocket-panel for doc/ and the README: dark, light, and at
# scale 2, with the demo store's apps (one running) and the launcher open.
# Needs the demo store (scripts/run.sh or scripts/demo-store.sh first).
#   panel-screenshots.sh [BUILDDIR]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
engine=$(POCKETCTL=$build/compositor/ctl/pocketctl bash "$top/scripts/demo-store.sh" \
	"$top/out/demo-store" "$top/out/engine" | tail -n 1)
shoot() { # NAME PANEL-ARGS SCALE
	local dir
	dir=$(mktemp -d /tmp/pwl-shot-XXXXXX)
	chmod 700 "$dir"
	cat > "$dir/config.ini" <<INI
[stores]
path = $top/out/demo-store
[containers]
engine = $engine
[output HEADLESS-1]
scale = $3
INI
	XDG_RUNTIME_DIR=$dir WLR_BACKENDS=headless WLR_RENDERER=pixman \
		WLR_LIBINPUT_NO_DEVICES=1 "$build/compositor/pocketwl" \
		-c "$dir/config.ini" > "$dir/log" 2>&1 &
	local pid=$!
	sleep 1
	local sock
	sock=$(ls "$dir"/pocketwl.*.sock)
	export POCKETWL_SOCK=$sock
	XDG_RUNTIME_DIR=$dir WAYLAND_DISPLAY=wayland-0 \
		"$build/launcher/pocket-panel" $2 > /dev/null 2>&1 &
	sleep 1
	"$build/compositor/ctl/pocketctl" launch org.pocketwl.Pattern > /dev/null 2>&1
	"$build/compositor/ctl/pocketctl" menu > /dev/null
	sleep 1
	XDG_RUNTIME_DIR=$dir WAYLAND_DISPLAY=wayland-0 grim "$top/doc/$1.png"
	"$build/compositor/ctl/pocketctl" quit > /dev/null
	wait "$pid" || true
	rm -rf "$dir"
	echo "doc/$1.png"
}
shoot panel-dark "" 1
shoot panel-light --light 1
shoot panel-scale2 "" 2
