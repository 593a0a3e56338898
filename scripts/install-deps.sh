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
	foot weston wayland-utils grim sway cage
	podman runc catatonit docker.io busybox-static curl uidmap
	# fuzzing
	clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
echo "Installing: ${missing[*]}"
SUDO=
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
	--no-install-recommends "${missing[@]}" >/dev/null
