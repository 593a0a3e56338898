# Sourced by the shell tests: check NAME COMMAND... runs COMMAND and prints
# a cmocka-style line ("[       OK ] NAME" or "[  FAILED  ] NAME" with its
# output), which scripts/test.sh counts. Needs $dir (a scratch directory);
# sets failed=1 on a failure.
failed=0
check() {
	local name=$1
	shift
	if "$@" >> "$dir/log" 2>&1; then
		echo "[       OK ] $name"
	else
		echo "[  FAILED  ] $name"
		cat "$dir/log"
		failed=1
	fi
	: > "$dir/log"
}
