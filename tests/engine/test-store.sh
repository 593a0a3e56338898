#!/usr/bin/env bash
# A store's life with a real engine (run by run-engine.sh, which sets
# ENGINE_ADDRESS and TEST_ROOTFS): pack an image into a new store, purge
# it, load it back with its checksum checked, refuse a truncated archive,
# and keep the app's data through all of it.
set -uo pipefail
ctl=${POCKETCTL:?}
dir=$(mktemp -d /tmp/pwl-store-e2e-XXXXXX)
trap 'rm -rf "$dir"' EXIT
source "$(dirname "$0")/../check.sh"
engine=(--engine "$ENGINE_ADDRESS")
sock=${ENGINE_ADDRESS#unix://}

curl -sf --unix-socket "$sock" -X POST -H "Content-Type: application/x-tar" \
	--data-binary @"$TEST_ROOTFS" \
	"http://localhost/v1.41/images/create?fromSrc=-&repo=pwl-store&tag=latest" \
	> /dev/null
image=pwl-store:latest
store=$dir/store
image_present() {
	curl -sf --unix-socket "$sock" \
		"http://localhost/v1.41/images/$image/json" > /dev/null
}

check store_init "$ctl" store init "$store" --name "E2E store"
printf '\x89PNG\r\n\x1a\nfake' > "$dir/icon.png"
check pack "$ctl" pack "$image" --store "$store" --id demo --name Demo \
	--icon "$dir/icon.png" --permissions clipboard "${engine[@]}"
check pack_wrote_archive test -s "$store/images/demo.tar"
check pack_wrote_icon test -s "$store/icons/demo.png"
check store_check_clean "$ctl" store check "$store"
check apps_lists_demo bash -c "'$ctl' apps --store '$store' | grep -q '^demo '"
check pack_refuses_twice bash -c "! '$ctl' pack $image --store '$store' \
	--id demo --name Demo ${engine[*]}"

# The user's data lives apart from the image.
echo "precious" > "$store/data/demo/notes.txt"
check purge "$ctl" purge demo --store "$store" "${engine[@]}"
check purge_removed_image bash -c "! curl -sf --unix-socket '$sock' \
	http://localhost/v1.41/images/$image/json"
check purge_kept_data grep -q precious "$store/data/demo/notes.txt"
apps_field() { # FIELD: the demo app's field in `pocketctl apps --json`
	"$ctl" apps --store "$store" "${engine[@]}" --json | python3 -c \
		"import json,sys; print([a for a in json.load(sys.stdin) if a['id']=='demo'][0]['$1'])"
}
check apps_shows_image_missing test "$(apps_field image_present)" = False

# A truncated archive is refused before the engine sees it.
cp "$store/images/demo.tar" "$dir/good.tar"
head -c 100000 "$dir/good.tar" > "$store/images/demo.tar"
out=$("$ctl" store check "$store" 2>&1)
status=$?
check store_check_finds_truncated [ "$status" -eq 1 ]
check store_check_names_archive grep -q 'images/demo.tar: its SHA-256 is' \
	<<< "$out"
out=$("$ctl" load demo --store "$store" "${engine[@]}" 2>&1)
status=$?
check load_refuses_truncated [ "$status" -eq 1 ]
check load_says_why grep -q 'corrupt or truncated' <<< "$out"
check engine_unchanged bash -c "! curl -sf --unix-socket '$sock' \
	http://localhost/v1.41/images/$image/json"

cp "$dir/good.tar" "$store/images/demo.tar"
check load_reloads "$ctl" load demo --store "$store" "${engine[@]}"
check load_made_image_present image_present
check apps_shows_image_present test "$(apps_field image_present)" = True
check apps_state_without_session test \
	"$(XDG_RUNTIME_DIR=/nonexistent apps_field state)" = "no session"
check load_again_is_noop bash -c "'$ctl' load demo --store '$store' \
	${engine[*]} | grep -q 'already in the engine'"
check data_survived grep -q precious "$store/data/demo/notes.txt"

# Backups: export, a failed import changes nothing, a good one restores.
check data_export "$ctl" data export demo "$dir/backup.tar" --store "$store"
echo "newer" > "$store/data/demo/notes.txt"
echo "not a tar" > "$dir/junk.tar"
check data_import_refuses_junk bash -c "! '$ctl' data import demo \
	'$dir/junk.tar' --store '$store'"
check data_unchanged_after_junk grep -q newer "$store/data/demo/notes.txt"
check data_import "$ctl" data import demo "$dir/backup.tar" --store "$store"
check data_restored grep -q precious "$store/data/demo/notes.txt"
check data_previous_kept bash -c "grep -q newer \
	'$store'/data/demo.before-import-*/notes.txt"
check data_rm_needs_yes bash -c "! '$ctl' data rm demo --store '$store'"
check data_still_there grep -q precious "$store/data/demo/notes.txt"
check data_rm "$ctl" data rm demo --store "$store" --yes
check data_gone bash -c "! test -e '$store/data/demo/notes.txt'"
exit $failed
