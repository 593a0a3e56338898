# Sourced: write_podman_conf FILE writes the containers.conf a private
# Podman service needs on any machine (these included): runc (crun fails
# on this cgroup layout), cgroupfs and file events (no systemd), and
# default ulimits stated (Podman 4.3 refuses to take the host's).
write_podman_conf() {
	cat > "$1" <<'CONF'
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
CONF
}
