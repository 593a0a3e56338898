#!/usr/bin/env bash
# Sets up and runs every test: installs the packages, builds pocketwl with
# AddressSanitizer and UBSan, runs the unit and integration suites (a real
# headless compositor with real clients) and prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh || { echo "0 passed, 1 failed"; exit 1; }

builddir=${BUILDDIR:-build-test}
if [ ! -d "$builddir" ]; then
	meson setup "$builddir" -Db_sanitize=address,undefined -Db_lundef=false \
		-Dbuildtype=debug >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
fi
ninja -C "$builddir" || { echo "0 passed, 1 failed"; exit 1; }

# The tests start their own compositors; nothing of the caller's session
# may leak into them.
unset WAYLAND_DISPLAY DISPLAY POCKETWL_SOCK
export ASAN_OPTIONS=detect_leaks=0
meson test -C "$builddir" --print-errorlogs --num-processes 1 "$@"
status=$?

# Count the individual cmocka tests, not just the programs.
log="$builddir/meson-logs/testlog.txt"
# Suites that need root say so and exit 77 when run by an ordinary user
# (the root run has them): listed, never counted as passed.
skipped=$(grep -E '^result: +exit status 77' -B4 "$log" | sed -nE 's/^test: +pocketwl:[a-z]+ \/ //p')
if [ -n "$skipped" ]; then
	echo "needs root, not run as $(id -un): $(echo $skipped)"
fi
passed=$(grep -cE '^\[       OK \]' "$log")
# cmocka names a failed test twice (where it fails and in its summary).
failed=$(grep -E '^\[  FAILED  \] [a-z0-9_]+$' "$log" | sort -u | wc -l)

# A plain build (no sanitizer): the hostile clients and the Wayland
# fuzzer under valgrind, and the fuzzer at full speed with more seeds
# (tests/meson.build says why ASan alone is not enough).
plaindir=${PLAIN_BUILDDIR:-build-plain}
if [ $# -eq 0 ]; then
	if { [ -d "$plaindir" ] || meson setup "$plaindir" -Dbuildtype=debug \
			>/dev/null; } && ninja -C "$plaindir" > "$plaindir.log" 2>&1; then
		plain_status=0
		meson test -C "$plaindir" --suite plain --print-errorlogs \
			--num-processes 1 || plain_status=1
		plainlog="$plaindir/meson-logs/testlog.txt"
		plain_failed=$(grep -E '^\[  FAILED  \] [a-z0-9_]+$' "$plainlog" |
			sort -u | wc -l)
		passed=$((passed + $(grep -cE '^\[       OK \]' "$plainlog")))
		# A program that died before cmocka's summary counts as one.
		if [ "$plain_status" -ne 0 ] && [ "$plain_failed" -eq 0 ]; then
			plain_failed=1
		fi
		failed=$((failed + plain_failed))
		[ "$plain_status" -eq 0 ] || status=1
	else
		echo "plain build: FAILED"
		grep -E 'error' "$plaindir.log" | head -n 20
		failed=$((failed + 1))
		status=1
	fi
fi

# An optimized build warns about more (format truncation at -O3): users
# build that way, so it must be warning-free too.
reldir=${RELEASE_BUILDDIR:-build-release}
if { [ -d "$reldir" ] || meson setup "$reldir" -Dbuildtype=release \
		-Dtests=false >/dev/null; } && ninja -C "$reldir" > "$reldir.log" 2>&1
then
	echo "release build: OK"
	passed=$((passed + 1))
else
	echo "release build: FAILED"
	grep -E 'error' "$reldir.log" | head -n 20
	failed=$((failed + 1))
	status=1
fi

# libFuzzer on what comes from outside (engine answers, store manifests,
# image archives),
# for a bounded time each.
fuzz_seconds=${FUZZ_SECONDS:-30}
fuzzdir=${FUZZ_BUILDDIR:-build-fuzz}
if { [ -d "$fuzzdir" ] || CC=clang meson setup "$fuzzdir" -Dfuzz=true \
		-Dtests=false >/dev/null; } && ninja -C "$fuzzdir" \
		container/fuzz/fuzz-engine-json container/fuzz/fuzz-manifest \
		container/fuzz/fuzz-archive >/dev/null
then
	for target in engine-json:corpus manifest:corpus-manifest \
			archive:corpus-archive; do
		name=${target%%:*}
		corpus=$(mktemp -d)
		cp container/fuzz/"${target#*:}"/* "$corpus/"
		if "$fuzzdir/container/fuzz/fuzz-$name" -max_total_time="$fuzz_seconds" \
				"$corpus" > "$fuzzdir/fuzz-$name.log" 2>&1; then
			echo "fuzz-$name: $(grep -E 'DONE' "$fuzzdir/fuzz-$name.log" | tail -n 1)"
			passed=$((passed + 1))
		else
			echo "fuzz-$name: FAILED, see $fuzzdir/fuzz-$name.log"
			tail -n 30 "$fuzzdir/fuzz-$name.log"
			failed=$((failed + 1))
			status=1
		fi
		rm -rf "$corpus"
	done
else
	echo "fuzz targets could not be built"
	failed=$((failed + 1))
	status=1
fi
echo "$passed passed, $failed failed"
exit $status
