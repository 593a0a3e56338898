#!/usr/bin/env bash
# Sets up and runs pocketwl with the demo store, as root or as an ordinary
# user: installs the packages (or names the missing ones when there is no
# sudo), builds, and starts the session with the real pocket-panel: nested
# in the running desktop (Wayland or X11), on the seat when started from a
# text console, headless otherwise (then it writes a screenshot and says
# where).
#
#   scripts/run.sh                   run until the session ends (Super+Shift+E)
#   PWL_DEMO_EXIT=1 scripts/run.sh   headless: exit after the screenshot
#
# Whatever happens, it leaves no process behind: the session, its apps'
# containers and a Podman service it started itself all end with it.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
top=$PWD

say() { echo "pocketwl: $*"; }
fail() { echo "pocketwl: $*" >&2; exit 1; }

bash scripts/install-deps.sh || fail "the packages above are needed first"
if [ ! -d build ]; then
	meson setup build -Dbuildtype=debugoptimized >/dev/null ||
		fail "meson setup failed (see build/meson-logs/meson-log.txt)"
fi
ninja -C build >/dev/null || fail "the build failed: run 'ninja -C build' to see why"

pocketwl=$top/build/compositor/pocketwl
pocketctl=$top/build/compositor/ctl/pocketctl
panel=$top/build/launcher/pocket-panel

if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -w "${XDG_RUNTIME_DIR:-/nonexistent}" ]; then
	XDG_RUNTIME_DIR=$(mktemp -d /tmp/pocketwl-runtime-XXXXXX)
	export XDG_RUNTIME_DIR
	chmod 700 "$XDG_RUNTIME_DIR"
fi

pid=
engine_pid_file=$top/out/engine/podman.pid
cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		# The session stops its apps' containers before it exits.
		POCKETWL_SOCK=${sock:-} "$pocketctl" quit >/dev/null 2>&1 || kill "$pid"
		for _ in $(seq 150); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$pid" 2>/dev/null
	fi
	if [ -f "$engine_pid_file" ]; then
		local engine_pid
		engine_pid=$(cat "$engine_pid_file")
		# Its whole process group (setsid made it the leader): rootless
		# Podman re-executes itself inside its user namespace, and that
		# child outlives a parent killed alone.
		kill -- "-$engine_pid" 2>/dev/null || kill "$engine_pid" 2>/dev/null
		for _ in $(seq 100); do
			kill -0 -- "-$engine_pid" 2>/dev/null ||
				kill -0 "$engine_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 -- "-$engine_pid" 2>/dev/null
		kill -9 "$engine_pid" 2>/dev/null
		rm -f "$engine_pid_file"
		# Rootless Podman leaves a pause process holding its user
		# namespace; that of our private service (its pid file is in the
		# service's own tmpdir) goes with it.
		local pause=$top/out/engine/tmp/pause.pid
		if [ -f "$pause" ]; then
			kill "$(cat "$pause")" 2>/dev/null
			rm -f "$pause"
		fi
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The demo store: a terminal and an animated demo, as containers built here
# from Debian's programs (no registry), and an engine that answers.
say "building the demo store in $top/out/demo-store"
mkdir -p "$top/out"
engine=$(POCKETCTL=$pocketctl bash scripts/demo-store.sh "$top/out/demo-store" \
	"$top/out/engine" | tail -n 1) || fail "the demo store could not be built (above)"
[ -n "$engine" ] || fail "no container engine answers and none could be started"

# The session's config: the demo store, the engine, the real panel, a few
# keybindings.
config=$top/out/pocketwl-demo.ini
cat > "$config" <<INI
[stores]
path = $top/out/demo-store
[containers]
engine = $engine
[panel]
command = $panel
[keybindings]
Super+Return = spawn $pocketctl launch --yes org.pocketwl.Terminal
Super+p = spawn $pocketctl launch org.pocketwl.Pattern
Super+Shift+q = close
Super+f = fullscreen
Super+m = maximize
Super+Tab = focus-next
INI

# Launches an app and, if it does not start, says which, why and where its
# log is; the session goes on either way.
launch_app() { # APP [--yes]
	local out
	if ! out=$("$pocketctl" launch "$@" 2>&1); then
		echo "pocketwl: $1 did not start: ${out:-no reason given}" >&2
		echo "pocketwl: its log: $pocketctl logs $1 (the session's log: ${log:-its terminal})" >&2
		return 1
	fi
}

demo_apps() {
	launch_app org.pocketwl.Terminal --yes
	launch_app org.pocketwl.Pattern --yes
}

if [ -n "${WAYLAND_DISPLAY:-}" ] || [ -n "${DISPLAY:-}" ]; then
	say "nested in the running desktop"
	"$pocketwl" -c "$config" -- sh -c "$(declare -f launch_app demo_apps); pocketctl=$pocketctl; demo_apps; wait" &
	pid=$!
	wait "$pid"
	exit $?
fi

if tty 2>/dev/null | grep -qE '^/dev/(tty[0-9]+|console)$'; then
	say "on this seat (Super+Shift+E quits)"
	if [ -z "${XDG_SESSION_ID:-}" ] && command -v seatd-launch >/dev/null; then
		seatd-launch -- "$pocketwl" -c "$config" &
	else
		"$pocketwl" -c "$config" &
	fi
	pid=$!
	wait "$pid"
	exit $?
fi

say "no display and no console: running headless"
export WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1
log=$XDG_RUNTIME_DIR/pocketwl.log
"$pocketwl" -c "$config" > "$log" 2>&1 &
pid=$!
sock=
for _ in $(seq 100); do
	sock=$(ls "$XDG_RUNTIME_DIR"/pocketwl.*.sock 2>/dev/null | head -n1 || true)
	[ -n "$sock" ] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.05
done
if [ -z "$sock" ]; then
	echo "pocketwl did not start; its log:" >&2
	cat "$log" >&2
	exit 1
fi
display=$(basename "$sock" .sock)
display=${display#pocketwl.}
export WAYLAND_DISPLAY=$display POCKETWL_SOCK=$sock
status=0
demo_apps || status=1
# The panel's launcher open, so the screenshot shows the store's apps.
sleep 1
"$pocketctl" menu >/dev/null 2>&1
sleep 1
shot=$top/out/screenshot.png
grim "$shot" || fail "grim could not take the screenshot"
say "screenshot written to $shot"
"$pocketctl" windows
if [ -n "${PWL_DEMO_EXIT:-}" ]; then
	exit $status
fi
say "running headless on WAYLAND_DISPLAY=$display" \
	"(XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR); Ctrl-C ends it"
wait "$pid"
