#!/usr/bin/env bash
# Sets up and runs pocketwl: installs the packages, builds, and starts the
# session nested in the running desktop (Wayland or X11), on the seat when
# started from a text console, and headless otherwise (then it writes a
# screenshot and says where).
#
#   scripts/run.sh            run until the session ends (Super+Shift+E)
#   PWL_DEMO_EXIT=1 scripts/run.sh   headless: exit after the screenshot
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

bash scripts/install-deps.sh
if [ ! -d build ]; then
	meson setup build -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C build >/dev/null

pocketwl=$top/build/compositor/pocketwl
pocketctl=$top/build/compositor/ctl/pocketctl
demo_client=$top/build/tests/pwl-test-client

if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -w "${XDG_RUNTIME_DIR:-/nonexistent}" ]; then
	export XDG_RUNTIME_DIR=$(mktemp -d /tmp/pocketwl-runtime-XXXXXX)
	chmod 700 "$XDG_RUNTIME_DIR"
fi

# The demo store: a terminal and an animated demo, as containers built here
# from Debian's programs (no registry), and an engine that answers.
echo "pocketwl: building the demo store in $top/out/demo-store"
mkdir -p "$top/out"
engine=$(POCKETCTL=$pocketctl bash scripts/demo-store.sh "$top/out/demo-store" \
	"$top/out/engine" | tail -n 1)

# The session's config: the demo store, the engine, a few keybindings.
config=$top/out/pocketwl-demo.ini
cat > "$config" <<INI
[stores]
path = $top/out/demo-store
[containers]
engine = $engine
[startup]
exec = $pocketctl launch --yes org.pocketwl.Terminal
[keybindings]
Super+Return = spawn $pocketctl launch --yes org.pocketwl.Terminal
Super+p = spawn $pocketctl launch org.pocketwl.Pattern
Super+Shift+q = close
Super+f = fullscreen
Super+m = maximize
Super+Tab = focus-next
INI

demo_clients() {
	# A bar on the top layer and the demo store's two apps, each in its
	# own container, so there is something real to see.
	"$demo_client" --layer 2 --anchor top,left,right --zone 28 --size 10x28 \
		--color ff202830 --app-id demo-bar >/dev/null &
	"$pocketctl" launch --yes org.pocketwl.Terminal >/dev/null 2>&1
	"$pocketctl" launch org.pocketwl.Pattern
}

if [ -n "${WAYLAND_DISPLAY:-}" ] || [ -n "${DISPLAY:-}" ]; then
	echo "pocketwl: nested in the running desktop"
	exec "$pocketwl" -c "$config" -- sh -c "$(declare -f demo_clients); demo_client=$demo_client; pocketctl=$pocketctl; demo_clients; wait"
fi

if tty 2>/dev/null | grep -qE '^/dev/(tty[0-9]+|console)$'; then
	echo "pocketwl: on this seat (Super+Shift+E quits)"
	if [ -z "${XDG_SESSION_ID:-}" ] && command -v seatd-launch >/dev/null; then
		exec seatd-launch -- "$pocketwl" -c "$config"
	fi
	exec "$pocketwl" -c "$config"
fi

echo "pocketwl: no display and no console: running headless"
export WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1
log=$XDG_RUNTIME_DIR/pocketwl.log
"$pocketwl" -c "$config" > "$log" 2>&1 &
pid=$!
for _ in $(seq 100); do
	sock=$(ls "$XDG_RUNTIME_DIR"/pocketwl.*.sock 2>/dev/null | head -n1 || true)
	[ -n "$sock" ] && break
	sleep 0.05
done
if [ -z "${sock:-}" ]; then
	echo "pocketwl did not start; its log:" >&2
	cat "$log" >&2
	exit 1
fi
display=$(basename "$sock" .sock)
display=${display#pocketwl.}
export WAYLAND_DISPLAY=$display POCKETWL_SOCK=$sock
demo_clients
sleep 2
mkdir -p "$top/out"
shot=$top/out/screenshot.png
grim "$shot"
echo "pocketwl: screenshot written to $shot"
"$pocketctl" windows
if [ -n "${PWL_DEMO_EXIT:-}" ]; then
	"$pocketctl" quit
	wait "$pid"
	exit 0
fi
echo "pocketwl: running headless on WAYLAND_DISPLAY=$display" \
	"(XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR); Ctrl-C ends it"
trap '"$pocketctl" quit >/dev/null 2>&1 || kill "$pid"' INT TERM
wait "$pid"
