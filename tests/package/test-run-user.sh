#!/usr/bin/env bash
# The README's run command as an ordinary user on this machine: a user
# made here (no root, no sudo, every package present), a fresh copy of the
# tree in its home, `PWL_DEMO_EXIT=1 scripts/run.sh` headless. It must end
# with status 0, its screenshot must show the real pocket-panel with the
# demo store's apps (the launcher open over the bar), and nothing of the
# user's may still run afterwards.
#   test-run-user.sh SOURCE_DIR
set -uo pipefail
src=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
if [ "$(id -u)" -ne 0 ]; then
	# meson counts status 77 as skipped; the root run has it.
	echo "$(basename "$0"): needs root (it makes the ordinary user it runs as); run scripts/test.sh as root for it"
	exit 77
fi
dir=$(mktemp -d /tmp/pwl-run-user-XXXXXX)
source "$src/tests/check.sh"
user=${PWL_RUN_USER:-pwlrun}
id "$user" >/dev/null 2>&1 || useradd -m -s /bin/sh "$user" || exit 1
home=$(getent passwd "$user" | cut -d: -f6)
rt=$dir/run
mkdir -p "$rt" && chown "$user:" "$rt" && chmod 0700 "$rt"
chmod 0755 "$dir"
cleanup() {
	pkill -9 -u "$user" 2>/dev/null
	rm -rf "$dir" "$home/pocketwl"
}
trap cleanup EXIT

rm -rf "$home/pocketwl"
mkdir -p "$home/pocketwl"
tar -C "$src" --exclude='./build*' --exclude=./out --exclude=./.git -cf - . |
	tar -C "$home/pocketwl" -xf -
chown -R "$user:" "$home/pocketwl"
as_user() {
	runuser -u "$user" -- env -i HOME="$home" USER="$user" LOGNAME="$user" \
		PATH=/usr/local/bin:/usr/bin:/bin XDG_RUNTIME_DIR="$rt" "$@"
}

# No sudo: the user cannot install, and must not need to.
as_user env PWL_DEMO_EXIT=1 bash "$home/pocketwl/scripts/run.sh" \
	> "$dir/run.log" 2>&1
status=$?
echo "# run.sh as $user: status $status; its last lines:"
tail -n 8 "$dir/run.log" | sed 's/^/# /'
check run_as_user_succeeds test "$status" -eq 0
shot=$home/pocketwl/out/screenshot.png
check run_as_user_screenshot test -s "$shot"
# The real panel: the bar along the bottom with the launcher button lit
# (the launcher is open) and the launcher's rows of the demo store's apps.
check run_as_user_shows_the_panel python3 - "$shot" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        bpp = {2: 3, 6: 4}[ctype]
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw, rows, prev, stride = zlib.decompress(idat), [], None, w * bpp
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    prev = prev or bytearray(stride)
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        p = a + b - c
        pr = a if abs(p - a) <= abs(p - b) and abs(p - a) <= abs(p - c) else b if abs(p - b) <= abs(p - c) else c
        line[i] = (line[i] + [0, a, b, (a + b) // 2, pr][f]) & 255
    rows.append(line)
    prev = line
px = lambda x, y: tuple(rows[y][x * bpp:x * bpp + 3])
# The Apps button, lit: the dark theme's accent (#3a7bd5).
assert px(10, h - 16) == (0x3a, 0x7b, 0xd5), px(10, h - 16)
# The launcher's first row carries a letter tile or icon at x 10..42.
assert len({px(x, h - 32 - 28 - 44 - 20) for x in range(10, 42)}) > 1
print("panel bar and launcher on screen")
PY
sleep 1
check run_as_user_leaves_nothing sh -c "! pgrep -u '$user' -a"
exit "$failed"
