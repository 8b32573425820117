#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host test of tools/vm/kselftest, the wrapper the VM runs the selftests
# through: in a copy of the repository whose selftests/ holds three small
# scripts, it runs them through the kernel's kselftest runner (the real one,
# from tools/vm/ksrc) and checks the TAP, that a test finds the repository
# through its link (as lib.sh does) and that each is bounded by
# selftests/settings' timeout, or by VLO_TEST_TIMEOUT if set; a bad
# VLO_TEST_TIMEOUT is refused. Ends with "N passed, N failed".

# shellcheck source=lib.bash
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.bash"

check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "want: $2" "got:  $3"; fi
}
check_has() {
	if grep -qxF -- "$2" <<<"$3"; then ok "$1"; else bad "$1" "no line: $2" "in: $3"; fi
}

# the kselftest tree once, so that no case's time includes the unpacking
"$repo/tools/vm/ksrc" >/dev/null || { bad "tools/vm/ksrc"; summary; exit; }

fake=$tmp/repo
mkdir -p "$fake/tools/vm" "$fake/selftests"
cp "$repo/tools/vm/kselftest" "$fake/tools/vm/"
ln -s "$repo/tools/vm/ksrc" "$fake/tools/vm/ksrc"
echo "timeout=3" >"$fake/selftests/settings"
cat >"$fake/selftests/where.sh" <<'EOF'
#!/bin/bash
echo "repo $(cd "$(dirname "$(readlink -f "$0")")/.." && pwd -P)"
EOF
cat >"$fake/selftests/slow.sh" <<'EOF'
#!/bin/bash
sleep 5
EOF
cat >"$fake/selftests/skip.sh" <<'EOF'
#!/bin/bash
exit 4
EOF
chmod +x "$fake/selftests"/*.sh

run() {
	out=$(cd "$tmp" && env "$@" "$fake/tools/vm/kselftest" where.sh slow.sh skip.sh 2>&1)
	rc=$?
}

run -u VLO_TEST_TIMEOUT
check_eq "exit 1 when a test failed" 1 "$rc"
check_has "TAP header" "TAP version 13" "$out"
check_has "a test finds the repository through its link" "# repo $fake" "$out"
check_has "where.sh passes" "ok 1 selftests: vlo: where.sh" "$out"
check_has "slow.sh is cut at settings' timeout" \
	"not ok 2 selftests: vlo: slow.sh # TIMEOUT 3 seconds" "$out"
check_has "exit 4 is a skip" "ok 3 selftests: vlo: skip.sh # SKIP" "$out"

run VLO_TEST_TIMEOUT=8
check_eq "exit 0 when none failed" 0 "$rc"
check_has "it says the bound it uses" "# per-test timeout: 8 s (VLO_TEST_TIMEOUT)" "$out"
check_has "slow.sh passes within VLO_TEST_TIMEOUT" "ok 2 selftests: vlo: slow.sh" "$out"
check_eq "selftests/settings itself unchanged" "timeout=3" "$(cat "$fake/selftests/settings")"

run VLO_TEST_TIMEOUT=2
check_has "VLO_TEST_TIMEOUT below settings' bound applies too" \
	"not ok 2 selftests: vlo: slow.sh # TIMEOUT 2 seconds" "$out"

# a bad value is refused before the kernel tree is asked for: a ksrc that
# leaves a mark in its place
rm "$fake/tools/vm/ksrc"
printf '#!/bin/sh\ntouch "%s"\nexit 1\n' "$tmp/ksrc-ran" >"$fake/tools/vm/ksrc"
chmod +x "$fake/tools/vm/ksrc"
for v in abc 0 00 -5 "10 s"; do
	run VLO_TEST_TIMEOUT="$v"
	check_eq "VLO_TEST_TIMEOUT='$v': exit 2" 2 "$rc"
	check_eq "VLO_TEST_TIMEOUT='$v': says why, runs nothing" \
		"tools/vm/kselftest: VLO_TEST_TIMEOUT=$v: not a number of seconds" "$out"
done
check "a bad VLO_TEST_TIMEOUT unpacks nothing" test ! -e "$tmp/ksrc-ran"

summary
