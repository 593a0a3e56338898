# Shared by the benchmarks: builds pocketwl optimized, and runs pocketwl,
# sway and cage the same way: headless, pixman, as the ordinary user
# $BENCH_USER (sway and cage refuse root), each starting one workload
# client through its own startup mechanism.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_USER=${BENCH_USER:-pwlbench}
build=$top/build-bench
client=$build/tests/pwl-test-client
pocketwl=$build/compositor/pocketwl

bench_setup() {
	bash "$top/scripts/install-deps.sh"
	if [ ! -d "$build" ]; then
		meson setup "$build" -Dbuildtype=release >/dev/null
	fi
	ninja -C "$build" >/dev/null
	if ! id "$BENCH_USER" >/dev/null 2>&1; then
		useradd -m -s /bin/sh "$BENCH_USER"
	fi
	# X sockets live here; a peer's Xwayland started as $BENCH_USER must
	# not take the directory from root (as the system would set it up).
	mkdir -p /tmp/.X11-unix
	chown root:root /tmp/.X11-unix
	chmod 1777 /tmp/.X11-unix
	uid=$(id -u "$BENCH_USER")
	gid=$(id -g "$BENCH_USER")
	# The user must reach the binaries.
	chmod o+rx "$top" "$build" "$build/tests" "$build/compositor" 2>/dev/null || true
}

# cpu_ns PID: CPU time of all the process's threads, in nanoseconds
# (schedstat: clock ticks are far too coarse for per-frame costs).
cpu_ns() {
	local total=0 n
	for f in /proc/"$1"/task/*/schedstat; do
		n=$(awk '{print $1}' "$f" 2>/dev/null || echo 0)
		total=$((total + n))
	done
	echo "$total"
}

# wakeups PID: context switches of all its threads so far.
wakeups() {
	local total=0 n
	for f in /proc/"$1"/task/*/status; do
		n=$(awk '/ctxt_switches/ {s += $2} END {print s}' "$f" 2>/dev/null || echo 0)
		total=$((total + n))
	done
	echo "$total"
}

rss_kib() {
	awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0
}

# wait_line FILE PREFIX TIMEOUT_S: waits for a line of the client's output.
wait_line() {
	local i
	for ((i = 0; i < $3 * 20; i++)); do
		grep -q "^$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "bench: no '$2' from the client (see $1)" >&2
	return 1
}

# start NAME WIDTH HEIGHT CLIENT_ARGS...: starts compositor NAME with its
# output at WIDTHxHEIGHT (cage's is always 1280x720) and the client.
# Sets COMP_PID, RT (its runtime dir) and OUT (the client's output file).
start() {
	local name=$1 w=$2 h=$3
	shift 3
	RT=$(mktemp -d /tmp/pwlbench.XXXXXX)
	chown "$BENCH_USER" "$RT"
	chmod 700 "$RT"
	OUT=$RT/client.out
	local cmd="$client $* > $OUT 2>&1; sleep 5"
	local env=(env -i HOME="/home/$BENCH_USER" PATH=/usr/bin:/bin
		XDG_RUNTIME_DIR="$RT" WLR_BACKENDS=headless WLR_RENDERER=pixman
		WLR_LIBINPUT_NO_DEVICES=1 XCURSOR_SIZE=24)
	local run=(setpriv --reuid="$uid" --regid="$gid" --init-groups)
	case $name in
	pocketwl)
		printf '[general]\nxwayland = false\n[output HEADLESS-1]\nmode = %dx%d\n' \
			"$w" "$h" > "$RT/config.ini"
		"${run[@]}" "${env[@]}" "$pocketwl" --config "$RT/config.ini" \
			-- sh -c "$cmd" > "$RT/compositor.log" 2>&1 &
		;;
	sway)
		# Floating, so that the window keeps the size it asks for.
		printf 'xwayland disable\noutput * mode --custom %dx%d@60Hz\n%s\nexec sh -c "%s"\n' \
			"$w" "$h" 'for_window [app_id="bench"] floating enable' \
			"$cmd" > "$RT/sway.cfg"
		"${run[@]}" "${env[@]}" sway -c "$RT/sway.cfg" \
			> "$RT/compositor.log" 2>&1 &
		;;
	cage)
		"${run[@]}" "${env[@]}" cage -- sh -c "$cmd" \
			> "$RT/compositor.log" 2>&1 &
		;;
	esac
	COMP_PID=$!
	chmod 644 "$RT"/*.cfg "$RT"/*.ini 2>/dev/null || true
}

stop() {
	kill "$COMP_PID" 2>/dev/null || true
	wait "$COMP_PID" 2>/dev/null || true
	rm -rf "$RT"
}

# ratio A B: A/B with two decimals, or n/a.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "" || b == "" || a == "n/a" || b == "n/a" || b + 0 == 0)
			print "n/a"; else printf "%.2f", a / b }'
}

# measure_frames NAME W H ARGS...: CPU per frame of the compositor while
# the client animates for $BENCH_SECONDS. Prints "us_per_frame frames
# latency_us".
measure_frames() {
	local name=$1 w=$2 h=$3
	shift 3
	local ms=$((BENCH_SECONDS * 1000))
	start "$name" "$w" "$h" --app-id bench --animate --presentation \
		--exit-after "$ms" "$@"
	wait_line "$OUT" mapped 20 || { stop; echo "n/a 0 n/a"; return; }
	local t0 t1
	t0=$(cpu_ns "$COMP_PID")
	wait_line "$OUT" exit $((BENCH_SECONDS + 20)) || { stop; echo "n/a 0 n/a"; return; }
	t1=$(cpu_ns "$COMP_PID")
	local frames presented latency
	frames=$(awk '/^frames/ {print $2}' "$OUT")
	presented=$(sed -n 's/.*presented=\([0-9]*\).*/\1/p' "$OUT")
	latency=$(sed -n 's/.*mean_us=\([0-9]*\).*/\1/p' "$OUT")
	if [ "${presented:-0}" -eq 0 ]; then
		latency=n/a
	fi
	stop
	awk -v t=$((t1 - t0)) -v f="$frames" -v l="$latency" \
		'BEGIN { if (f > 0) printf "%.1f %d %s\n", t / 1000 / f, f, l;
			else print "n/a 0 " l }'
}

BENCH_SECONDS=${BENCH_SECONDS:-5}
