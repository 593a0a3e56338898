#!/usr/bin/env bash
# Installs everything pocketwl needs to build, run and test on Debian 12.
# Every machine (CI included) starts fresh, so this is the only setup step.
set -euo pipefail

packages=(
	# build
	build-essential meson ninja-build pkg-config scdoc
	libwlroots-dev libwayland-dev wayland-protocols libxkbcommon-dev
	libpixman-1-dev libinput-dev libcurl4-openssl-dev libjson-c-dev
	libinih-dev libfcft-dev libfontconfig-dev libpng-dev libcmocka-dev
	libdrm-dev libxcb1-dev librust-wayland-protocols-dev
	# run
	fonts-dejavu-core xcursor-themes seatd xwayland
	# test and compare
	foot weston wayland-utils grim sway cage wl-clipboard
	podman runc catatonit slirp4netns docker.io busybox-static curl uidmap
	# fuzzing (libFuzzer; memcheck for the plain build)
	clang libclang-rt-14-dev valgrind
	# packaging (tests/package/test-deb.sh)
	debhelper dpkg-dev debootstrap
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
SUDO=
if [ "$(id -u)" -ne 0 ]; then
	# An ordinary user: sudo if there is one, else say what to install.
	if ! command -v sudo >/dev/null 2>&1; then
		echo "pocketwl: these Debian packages are missing: ${missing[*]}" >&2
		echo "pocketwl: as root, run: apt-get install --no-install-recommends ${missing[*]}" >&2
		exit 1
	fi
	SUDO=sudo
fi
echo "Installing: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
	--no-install-recommends "${missing[@]}" >/dev/null
