# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# What the host tests in tools/test/*.sh share (sourced; not itself a test):
# $repo, a scratch directory $tmp removed on exit, and the counting. A test
# ends with `summary`, which prints "N passed, N failed" and fails if any
# check did.
set -uo pipefail

# shellcheck disable=SC2034 # the tests use it
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd -P)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); echo "ok - $1"; }
bad() { failed=$((failed + 1)); echo "not ok - $1"; printf '#   %s\n' "${@:2}"; }

# check NAME CONDITION...: ok when the command CONDITION succeeds.
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else bad "$name" "failed: $*"; fi
}

summary() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
