#!/usr/bin/env bash
# Starts a private engine (podman or docker) on its own socket, config and
# storage, runs the engine tests against it, and stops it again.
# podman-user: rootless Podman as an ordinary user made here (vfs storage,
# as on a stock machine without fuse-overlayfs), the tests run as that user. The tests
# get $ENGINE_RESTART, a script that kills the engine and starts it again
# on the same socket and storage, and $ENGINE_PIDFILE.
# docker-user: rootful Docker whose socket is for the docker group, the
# tests run as an ordinary member of that group.
#   run-engine.sh podman|docker|podman-user|docker-user TEST_BINARY
set -uo pipefail
source "$(dirname "$0")/../../scripts/podman-conf.sh"
engine=$1
binary=$2
# Run by an ordinary user (scripts/test.sh without root): Podman runs
# rootless as that user, which is what podman-user tests; a private
# dockerd needs root, and says so (meson counts status 77 as skipped).
if [ "$(id -u)" -ne 0 ]; then
	case $engine in
	podman|podman-user)
		if [ "$(basename "$binary")" = engine-test ]; then
			# The library suite checks a rootful engine's answers (the
			# limits it holds, uids as given); the user-facing suites
			# (launch, store) run here as this user.
			echo "run-engine.sh: the engine library suite checks rootful" \
				"behaviour; run scripts/test.sh as root for it"
			exit 77
		fi
		engine=podman-self
		;;
	*)
		echo "run-engine.sh: the $engine suite starts a private dockerd and" \
			"makes users, which needs root; run scripts/test.sh as root for it"
		exit 77
		;;
	esac
fi
dir=$(mktemp -d /tmp/pwl-engine-XXXXXX)
as_user=()
if [ "$engine" = podman-user ] || [ "$engine" = docker-user ]; then
	user=${PWL_TEST_USER:-pwltest}
	if [ "$engine" = docker-user ]; then
		# Rootful Docker used through the docker group, as Debian's
		# docker.io sets it up for a user added to that group.
		user=${PWL_TEST_DOCKER_USER:-pwldocker}
		getent group docker >/dev/null || groupadd --system docker || exit 1
	fi
	id "$user" >/dev/null 2>&1 || useradd -m -s /bin/sh "$user" || exit 1
	if [ "$engine" = docker-user ]; then
		usermod -aG docker "$user" || exit 1
	fi
	# Rootless networking (slirp4netns) opens /dev/net/tun, which Debian's
	# udev makes 0666; some machines (these included) have it 0600. Make
	# it as on a stock machine for the run, and put it back after.
	tun_mode=
	if [ -c /dev/net/tun ] && [ "$(stat -c %a /dev/net/tun)" != 666 ]; then
		tun_mode=$(stat -c %a /dev/net/tun)
		chmod 0666 /dev/net/tun
	fi
	chown "$user:" "$dir"
	chmod 0700 "$dir"
	mkdir -p "$dir/run"
	chown "$user:" "$dir/run"
	chmod 0700 "$dir/run"
	as_user=(runuser -u "$user" -- env HOME="$(getent passwd "$user" |
		cut -d: -f6)" XDG_RUNTIME_DIR="$dir/run" PATH="$PATH")
fi
helper=
cleanup() {
	[ -n "${tun_mode:-}" ] && chmod "$tun_mode" /dev/net/tun
	[ -n "$helper" ] && kill "$helper" 2>/dev/null
	if [ -f "$dir/engine.pid" ]; then
		kill "$(cat "$dir/engine.pid")" 2>/dev/null
		sleep 0.5
	fi
	# What a killed engine leaves behind (dockerd's containerd, shims),
	# and rootless Podman's pause process (its pid file in our tmpdir).
	pkill -9 -f "$dir" 2>/dev/null
	[ -f "$dir/tmp/pause.pid" ] && kill -9 "$(cat "$dir/tmp/pause.pid")" 2>/dev/null
	sleep 0.2
	# Containers' mounts must go before their directories.
	grep " $dir" /proc/mounts | awk '{print $2}' | sort -r |
		xargs -r umount -l 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT

case $engine in
podman-user)
	write_podman_conf "$dir/containers.conf"
	chown "$user:" "$dir/containers.conf"
	command="${as_user[*]} CONTAINERS_CONF=$dir/containers.conf podman \
--storage-driver vfs --root $dir/root --runroot $dir/runroot --tmpdir $dir/tmp \
system service --time=0 unix://$dir/engine.sock"
	;;
docker-user)
	# The socket belongs to the docker group (mode 0660), as with
	# docker.socket; the tests run as a member of it.
	command="exec dockerd -H unix://$dir/engine.sock --group docker \
--bridge=none --iptables=false --ip6tables=false \
--data-root $dir/data --exec-root $dir/exec --pidfile $dir/docker.pid"
	;;
podman-self)
	# This user's own rootless Podman (vfs without fuse-overlayfs).
	write_podman_conf "$dir/containers.conf"
	storage=
	command -v fuse-overlayfs >/dev/null || storage="--storage-driver vfs"
	mkdir -p "$dir/run" && chmod 0700 "$dir/run"
	export XDG_RUNTIME_DIR=$dir/run
	command="CONTAINERS_CONF=$dir/containers.conf exec podman $storage \
--root $dir/root --runroot $dir/runroot --tmpdir $dir/tmp system service \
--time=0 unix://$dir/engine.sock"
	;;
podman)
	write_podman_conf "$dir/containers.conf"
	command="CONTAINERS_CONF=$dir/containers.conf exec podman --root $dir/root \
--runroot $dir/runroot --tmpdir $dir/tmp system service --time=0 \
unix://$dir/engine.sock"
	;;
docker)
	# Also on loopback TCP with TLS (a CA, a server and a client cert made
	# here), to test tcp:// addresses with DOCKER_TLS_VERIFY.
	certs=$dir/certs
	mkdir -p "$certs"
	(
		cd "$certs" || exit 1
		openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=pwl-ca \
			-keyout ca-key.pem -out ca.pem
		openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 \
			-keyout server-key.pem -out server.csr
		printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' \
			> server.ext
		openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem \
			-CAcreateserial -days 2 -out server-cert.pem -extfile server.ext
		openssl req -newkey rsa:2048 -nodes -subj /CN=client \
			-keyout key.pem -out client.csr
		printf 'extendedKeyUsage=clientAuth\n' > client.ext
		openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem \
			-CAcreateserial -days 2 -out cert.pem -extfile client.ext
	) > "$dir/openssl.log" 2>&1 || { cat "$dir/openssl.log"; exit 1; }
	tcp_port=$((23000 + $$ % 2000))
	command="exec dockerd -H unix://$dir/engine.sock \
-H tcp://127.0.0.1:$tcp_port --tlsverify --tlscacert $certs/ca.pem \
--tlscert $certs/server-cert.pem --tlskey $certs/server-key.pem \
--bridge=none --iptables=false --ip6tables=false \
--data-root $dir/data --exec-root $dir/exec --pidfile $dir/docker.pid"
	export ENGINE_TCP=tcp://127.0.0.1:$tcp_port ENGINE_CERTS=$certs
	;;
*)
	echo "run-engine.sh: unknown engine $engine" >&2
	exit 2
	;;
esac

cat > "$dir/start.sh" <<START
#!/usr/bin/env bash
rm -f "$dir/engine.sock"
bash -c "$command" >> "$dir/engine.log" 2>&1 &
echo \$! > "$dir/engine.pid"
for _ in \$(seq 200); do
	curl -sf --unix-socket "$dir/engine.sock" http://localhost/_ping \
		>/dev/null 2>&1 && exit 0
	sleep 0.1
done
echo "$engine did not start; its log:" >&2
cat "$dir/engine.log" >&2
exit 1
START
# A restart as a service manager does it: TERM, then KILL if it lingers
# (dockerd killed with -9 leaves its containerd behind, and a new dockerd
# then cannot start).
cat > "$dir/restart.sh" <<RESTART
#!/usr/bin/env bash
pid=\$(cat "$dir/engine.pid")
kill "\$pid" 2>/dev/null
for _ in \$(seq 100); do
	kill -0 "\$pid" 2>/dev/null || break
	sleep 0.1
done
kill -9 "\$pid" 2>/dev/null
rm -f "$dir/docker.pid"
exec bash "$dir/start.sh"
RESTART
bash "$dir/start.sh" || exit 1
restart="bash $dir/restart.sh"
if [ ${#as_user[@]} -gt 0 ]; then
	# The tests run as the user, who cannot restart a root dockerd (nor
	# runuser itself): a root helper here does it on request.
	mkfifo "$dir/restart.req" "$dir/restart.done"
	chown "$user:" "$dir/restart.req" "$dir/restart.done"
	(
		while read -r _ < "$dir/restart.req"; do
			bash "$dir/restart.sh" >> "$dir/engine.log" 2>&1
			echo $? > "$dir/restart.done"
		done
	) &
	helper=$!
	printf '#!/usr/bin/env bash\necho go > "%s/restart.req"\nread -r rc < "%s/restart.done"\nexit "$rc"\n' \
		"$dir" "$dir" > "$dir/ask-restart.sh"
	restart="bash $dir/ask-restart.sh"
fi

# The test image: a static busybox and a few of its applets.
mkdir -p "$dir/rootfs/bin" "$dir/rootfs/tmp"
chmod 1777 "$dir/rootfs/tmp"
cp "$(command -v busybox)" "$dir/rootfs/bin/busybox"
for applet in sh echo sleep cat ls env id touch; do
	ln -s busybox "$dir/rootfs/bin/$applet"
done
tar -C "$dir/rootfs" --owner=0 --group=0 --numeric-owner -cf "$dir/rootfs.tar" .

if [ ${#as_user[@]} -gt 0 ]; then
	chown -R "$user:" "$dir/rootfs" "$dir/rootfs.tar" "$dir/start.sh" \
		"$dir/restart.sh" "$dir/ask-restart.sh"
fi
# The library must leak nothing, whatever the engine does.
"${as_user[@]}" env ASAN_OPTIONS=${RUN_ENGINE_ASAN:-detect_leaks=1} \
	POCKETCTL=${POCKETCTL:-} POCKETWL=${POCKETWL:-} \
	PWL_TEST_CLIENT=${PWL_TEST_CLIENT:-} APP_ROOTFS=${APP_ROOTFS:-} \
	POCKET_PANEL=${POCKET_PANEL:-} POCKETWL_SESSION=${POCKETWL_SESSION:-} \
	ENGINE_NAME=$engine ENGINE_ADDRESS=unix://$dir/engine.sock \
	ENGINE_PIDFILE=$dir/engine.pid ENGINE_RESTART="$restart" \
	TEST_ROOTFS=$dir/rootfs.tar "$binary"
