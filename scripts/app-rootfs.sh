#!/usr/bin/env bash
# Makes a container rootfs tarball from host programs, with no registry:
# each program with the shared libraries ldd names (and the loader), a
# static busybox for sh and friends, and the fonts/fontconfig a Wayland
# client may need. Used by the tests, the benchmarks and the demo store.
#   app-rootfs.sh OUT.tar PROGRAM... [--with-fonts]
set -euo pipefail
out=$1
shift
fonts=0
root=$(mktemp -d /tmp/pwl-rootfs-XXXXXX)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/run" "$root/home/pocket"
chmod 1777 "$root/tmp"
chmod 0777 "$root/home/pocket"
copy_with_libs() {
	local file=$1
	mkdir -p "$root$(dirname "$file")"
	cp -L "$file" "$root$file"
	ldd "$file" 2>/dev/null | grep -oE '/[^ ]+' | while read -r lib; do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}
for prog in "$@"; do
	if [ "$prog" = --with-fonts ]; then
		fonts=1
		continue
	fi
	path=$(command -v "$prog")
	# Programs go to /usr/local/bin, whatever their host path: a host path
	# under /tmp would be hidden by the container's tmpfs /tmp.
	name=$(basename "$path")
	copy_with_libs "$path"
	rm -f "$root$path"
	mkdir -p "$root/usr/local/bin"
	cp -L "$path" "$root/usr/local/bin/$name"
	ln -sf "/usr/local/bin/$name" "$root/bin/$name"
done
busybox=$(command -v busybox)
cp "$busybox" "$root/bin/busybox"
for applet in sh echo sleep cat ls env id touch kill mkdir rm true false; do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
if [ "$fonts" = 1 ]; then
	mkdir -p "$root/etc/fonts" "$root/usr/share/fonts"
	cp -rL /etc/fonts/. "$root/etc/fonts/"
	cp -rL /usr/share/fonts/truetype "$root/usr/share/fonts/" 2>/dev/null || true
fi
# glibc's C.UTF-8 locale (not built in: foot, for one, needs it).
if [ -d /usr/lib/locale/C.utf8 ]; then
	mkdir -p "$root/usr/lib/locale"
	cp -r /usr/lib/locale/C.utf8 "$root/usr/lib/locale/"
fi
echo "pocket:x:65534:65534:pocket:/home/pocket:/bin/sh" > "$root/etc/passwd"
# glibc's C.UTF-8 locale (not built in: foot, for one, needs it).
if [ -d /usr/lib/locale/C.utf8 ]; then
	mkdir -p "$root/usr/lib/locale"
	cp -r /usr/lib/locale/C.utf8 "$root/usr/lib/locale/"
fi
echo "pocket:x:65534:" > "$root/etc/group"
# An image's root is 0755 and its files root's, whoever built it: a 0700
# root (mktemp's) or the builder's uid makes it unusable to an app that
# runs as an ordinary user under a rootless engine.
chmod 0755 "$root"
tar -C "$root" --owner=0 --group=0 --numeric-owner -cf "$out" .
