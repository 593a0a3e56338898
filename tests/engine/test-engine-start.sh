#!/usr/bin/env bash
# pocketctl engine: says clearly when no engine answers, and with --start
# runs a private Podman service that discovery then finds.
#   test-engine-start.sh POCKETCTL
set -uo pipefail
source "$(dirname "$0")/../../scripts/podman-conf.sh"
pocketctl=$1
dir=$(mktemp -d /tmp/pwl-start-XXXXXX)
failed=0
cleanup() {
	pkill -f "$dir/run/podman/podman.sock" 2>/dev/null
	sleep 0.5
	grep " $dir" /proc/mounts | awk '{print $2}' | sort -r |
		xargs -r umount -l 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
check() {
	local name=$1
	shift
	if "$@"; then
		echo "[       OK ] $name"
	else
		echo "[  FAILED  ] $name"
		failed=1
	fi
}

mkdir -p "$dir/run"
chmod 700 "$dir/run"
write_podman_conf "$dir/containers.conf"
cat > "$dir/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$dir/root"
runroot = "$dir/runroot"
CONF
export XDG_RUNTIME_DIR=$dir/run CONTAINERS_CONF=$dir/containers.conf
export CONTAINERS_STORAGE_CONF=$dir/storage.conf
unset DOCKER_HOST

if [ -S /run/podman/podman.sock ] || [ -S /var/run/docker.sock ]; then
	# A system engine would answer; the "none" case cannot be shown here.
	echo "[       OK ] pocketctl_engine_none (system engine present)"
else
	out=$("$pocketctl" engine 2>&1)
	status=$?
	check pocketctl_engine_none_fails [ "$status" -eq 1 ]
	check pocketctl_engine_none_names_places grep -q \
		"$dir/run/podman/podman.sock" <<< "$out"
	check pocketctl_engine_none_says_how grep -q "engine --start" <<< "$out"
fi

out=$("$pocketctl" engine --start 2>&1)
status=$?
echo "$out"
check pocketctl_engine_start [ "$status" -eq 0 ]
check pocketctl_engine_start_socket grep -q \
	"unix://$dir/run/podman/podman.sock API 1.41" <<< "$out"
out=$("$pocketctl" engine 2>&1)
check pocketctl_engine_found_after_start grep -q "podman.sock API" <<< "$out"
exit $failed
