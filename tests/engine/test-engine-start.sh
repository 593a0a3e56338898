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

# No engine anywhere: a system engine's socket, if this machine has one,
# is hidden (as root, in a mount namespace of pocketctl's own).
hide=()
if [ -S /run/podman/podman.sock ] || [ -S /run/docker.sock ]; then
	if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null; then
		hide=(unshare --mount sh -c 'for s in /run/podman/podman.sock \
			/run/docker.sock; do [ -S "$s" ] && mount --bind /dev/null "$s";
			done; exec "$@"' sh)
	else
		echo "# a system engine answers here and only root can hide it:" \
			"the no-engine checks are left to the root run"
	fi
fi
if [ ${#hide[@]} -gt 0 ] || ! { [ -S /run/podman/podman.sock ] ||
		[ -S /run/docker.sock ]; }; then
	out=$("${hide[@]}" "$pocketctl" engine 2>&1)
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
if [ "$(id -u)" -eq 0 ]; then
	check pocketctl_engine_says_mode grep -q "(rootful Podman, cgroup v" <<< "$out"
else
	check pocketctl_engine_says_mode grep -q "(rootless Podman, cgroup v" <<< "$out"
fi

# A socket the user may not open (the docker group, not joined yet): said
# so, with the group and the fix, not "nothing answers". It takes a second
# user and a group of root's: the root run shows it.
if [ "$(id -u)" -ne 0 ]; then
	echo "# the refused-socket checks need root (a group and a user of their own)"
	exit $failed
fi
user=${PWL_TEST_USER:-pwltest}
id "$user" >/dev/null 2>&1 || useradd -m -s /bin/sh "$user"
getent group pwlengine >/dev/null || groupadd pwlengine
python3 - "$dir/locked.sock" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(1)
time.sleep(30)
PY
locked=$!
for _ in $(seq 50); do
	[ -S "$dir/locked.sock" ] && break
	sleep 0.1
done
chgrp pwlengine "$dir/locked.sock"
chmod 0660 "$dir/locked.sock"
chmod 0755 "$dir"
out=$(runuser -u "$user" -- "$pocketctl" engine --engine \
	"unix://$dir/locked.sock" 2>&1)
echo "$out"
check engine_socket_refused_names_group grep -q \
	"permission denied: the socket is for group 'pwlengine'" <<< "$out"
check engine_socket_refused_says_fix grep -q "usermod -aG pwlengine" \
	<<< "$out"
kill "$locked" 2>/dev/null
exit $failed
