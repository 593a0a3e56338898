#!/usr/bin/env bash
# The layer rule of compositor/ (HACKING.md): control -> apps -> desktop ->
# clients -> util. A file may include the headers of its own folder and of
# the folders to its right, never to its left; a compositor header named
# without its folder would get past this check and is refused too. Calls
# need a declaration (implicit ones are errors here), so no upward call
# can compile without an upward include. main.c and session.c, above the
# layers, may use them all. Prints each offence; exits 1 if any.
set -uo pipefail
cd "$(dirname "$0")/../compositor" || exit 2
layers=(util clients desktop apps control)
rank() {
	local i
	for i in "${!layers[@]}"; do
		[ "${layers[$i]}" = "$1" ] && { echo "$i"; return; }
	done
	echo -1
}
bad=0
checked=0
for folder in "${layers[@]}"; do
	mine=$(rank "$folder")
	for f in "$folder"/*.[ch]; do
		[ -e "$f" ] || continue
		checked=$((checked + 1))
		while IFS=: read -r line inc; do
			target=${inc%%/*}
			if [ "$target" = "$inc" ]; then
				# No folder: a compositor header must name its folder.
				for l in "${layers[@]}"; do
					if [ -e "$l/$inc" ]; then
						echo "$f:$line: includes \"$inc\" without its folder" \
							"($l/$inc)"
						bad=1
					fi
				done
				continue
			fi
			r=$(rank "$target")
			if [ "$r" -gt "$mine" ]; then
				echo "$f:$line: includes \"$inc\": $target is above $folder"
				bad=1
			fi
		done < <(grep -nE '^#include "[a-z0-9_/-]+\.h"' "$f" |
			sed -E 's/^([0-9]+):#include "([^"]+)".*/\1:\2/')
	done
done
if [ "$checked" -eq 0 ]; then
	echo "check-layers: no layer folders found under compositor/"
	exit 2
fi
if [ "$bad" -ne 0 ]; then
	echo "check-layers: upward includes found (see HACKING.md)"
	exit 1
fi
echo "check-layers: $checked files follow control -> apps -> desktop ->" \
	"clients -> util"
