#!/usr/bin/env bash
# Builds the demo pocket store (no registry: images are made from Debian's
# own programs and their libraries) and makes sure an engine answers.
#   demo-store.sh STORE_DIR ENGINE_DIR
# When no engine answers it starts a private Podman service and writes its
# pid to ENGINE_DIR/podman.pid.
# (Podman 4.3 names imported images :latest whatever tag is asked for.)
# Prints the engine address on its last line. Apps:
#   org.pocketwl.Terminal  foot, with fonts, its home in the store (with the
#                          clipboard permission: copy and paste with others)
#   org.pocketwl.Pattern   weston-simple-shm, an animated pattern
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
source "$top/scripts/podman-conf.sh"
store=$1
engine_dir=$2
pocketctl=${POCKETCTL:-$top/build/compositor/ctl/pocketctl}
mkdir -p "$engine_dir"

# An engine: one that answers, else a private Podman service with the
# settings that work on any machine (runc, cgroupfs, no systemd).
if address=$("$pocketctl" engine 2>/dev/null | awk '{print $1}') &&
		[ -n "$address" ]; then
	:
else
	write_podman_conf "$engine_dir/containers.conf"
	sock=$engine_dir/podman.sock
	rm -f "$sock"
	storage=()
	if [ "$(id -u)" -ne 0 ] && ! command -v fuse-overlayfs >/dev/null; then
		# Rootless without fuse-overlayfs: vfs, as Podman would choose.
		storage=(--storage-driver vfs)
	fi
	CONTAINERS_CONF=$engine_dir/containers.conf setsid podman "${storage[@]}" \
		--root "$engine_dir/root" --runroot "$engine_dir/runroot" \
		--tmpdir "$engine_dir/tmp" system service --time=0 "unix://$sock" \
		< /dev/null > "$engine_dir/podman.log" 2>&1 &
	# Whoever started it stops it (scripts/run.sh does at its end).
	echo $! > "$engine_dir/podman.pid"
	for _ in $(seq 100); do
		curl -sf --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1 \
			&& break
		sleep 0.1
	done
	address=unix://$sock
fi
sock=${address#unix://}

image_present() {
	curl -sf --unix-socket "$sock" "http://localhost/v1.41/images/$1/json" \
		> /dev/null 2>&1
}
make_image() { # NAME:TAG PROGRAM... [--with-fonts]
	local ref=$1
	shift
	image_present "$ref" && return 0
	local tar
	tar=$(mktemp /tmp/pwl-demo-XXXXXX.tar)
	bash "$top/scripts/app-rootfs.sh" "$tar" "$@"
	curl -sf --unix-socket "$sock" -X POST -H "Content-Type: application/x-tar" \
		--data-binary @"$tar" "http://localhost/v1.41/images/create?fromSrc=-&repo=${ref%%:*}&tag=${ref##*:}" \
		> /dev/null
	rm -f "$tar"
}

if [ ! -f "$store/pocket-store.ini" ]; then
	"$pocketctl" store init "$store" --name "pocketwl demo" > /dev/null
fi
make_image pocket-demo-terminal:latest foot --with-fonts
make_image pocket-demo-pattern:latest weston-simple-shm
if [ ! -f "$store/apps/org.pocketwl.Terminal.desktop" ]; then
	"$pocketctl" pack pocket-demo-terminal:latest --store "$store" \
		--id org.pocketwl.Terminal --name Terminal --command foot \
		--permissions clipboard \
		--engine "$address" > /dev/null
	# The image has no locale files; glibc's built-in one is UTF-8.
	echo "Env=LANG=C.UTF-8" >> "$store/apps/org.pocketwl.Terminal.desktop"
fi
if [ ! -f "$store/apps/org.pocketwl.Pattern.desktop" ]; then
	"$pocketctl" pack pocket-demo-pattern:latest --store "$store" \
		--id org.pocketwl.Pattern --name Pattern --command weston-simple-shm \
		--engine "$address" > /dev/null
fi
"$pocketctl" store check "$store" > /dev/null
echo "$address"
