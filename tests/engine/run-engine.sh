#!/usr/bin/env bash
# Starts a private engine (podman or docker) on its own socket, config and
# storage, runs the engine tests against it, and stops it again.
#   run-engine.sh podman|docker TEST_BINARY
set -uo pipefail
engine=$1
binary=$2
dir=$(mktemp -d /tmp/pwl-engine-XXXXXX)
cleanup() {
	if [ -n "${pid:-}" ]; then
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	# Containers' mounts must go before their directories.
	grep " $dir" /proc/mounts | awk '{print $2}' | sort -r |
		xargs -r umount -l 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT

case $engine in
podman)
	cat > "$dir/containers.conf" <<'CONF'
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
CONF
	CONTAINERS_CONF=$dir/containers.conf podman --root "$dir/root" \
		--runroot "$dir/runroot" --tmpdir "$dir/tmp" system service --time=0 \
		"unix://$dir/engine.sock" > "$dir/engine.log" 2>&1 &
	pid=$!
	;;
docker)
	dockerd -H "unix://$dir/engine.sock" --data-root "$dir/data" \
		--exec-root "$dir/exec" --pidfile "$dir/docker.pid" \
		> "$dir/engine.log" 2>&1 &
	pid=$!
	;;
*)
	echo "run-engine.sh: unknown engine $engine" >&2
	exit 2
	;;
esac

for _ in $(seq 150); do
	[ -S "$dir/engine.sock" ] && curl -sf --unix-socket "$dir/engine.sock" \
		http://localhost/_ping >/dev/null 2>&1 && break
	sleep 0.1
done
if ! curl -sf --unix-socket "$dir/engine.sock" http://localhost/_ping \
		>/dev/null 2>&1; then
	echo "run-engine.sh: $engine did not start; its log:" >&2
	cat "$dir/engine.log" >&2
	exit 1
fi

# The test image: a static busybox and a few of its applets.
mkdir -p "$dir/rootfs/bin" "$dir/rootfs/tmp"
chmod 1777 "$dir/rootfs/tmp"
cp "$(command -v busybox)" "$dir/rootfs/bin/busybox"
for applet in sh echo sleep cat ls env id touch; do
	ln -s busybox "$dir/rootfs/bin/$applet"
done
tar -C "$dir/rootfs" -cf "$dir/rootfs.tar" .

ENGINE_NAME=$engine ENGINE_ADDRESS=unix://$dir/engine.sock ENGINE_PID=$pid \
	TEST_ROOTFS=$dir/rootfs.tar "$binary"
